"""附件4《申报单位信用承诺书》 and 附件5《主管部门信用承诺书》, word for word, for rendering.

附件4 says “主营主体（公章）” where 运营主体 is meant; the text is kept as issued.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SignatureLine:
    text: str
    sealed: bool = False  # the unit's seal goes over this line


@dataclass(frozen=True)
class Pledge:
    key: str
    title: str
    paragraphs: tuple
    items: tuple  # numbered as in the seed: “1、…”
    signatures: tuple  # SignatureLine
    date_line: str  # printed when no date is given


APPLICANT_PLEDGE = Pledge(
    "applicant_pledge",
    "申报单位信用承诺书",
    (
        "本单位承诺所提供的国家专业化众创空间申报数据真实、准确，提供的申报资料规范、齐全，且不存在任何弄虚作假行为。"
        "如有失实或失信行为，愿意根据相关规定，承担以下责任：",
    ),
    (
        "1、取消推荐资格；",
        "2、作为失信单位记入不良科技信用记录，并报送至省公共信用信息平台，列入社会信用记录，接受相应处理；",
        "3、应当由本单位承担的其它相关法律责任等。",
    ),
    (SignatureLine("运营主体法人（签字或盖章）："), SignatureLine("主营主体（公章）：", sealed=True)),
    "_____年____月____日",
)

SUPERVISOR_PLEDGE = Pledge(
    "supervisor_pledge",
    "主管部门信用承诺书",
    ("按照相关要求，我们对该单位国家专业化众创空间申报材料进行了认真审查，现承诺如下：",),
    (
        "1、该申报单位提交的国家级专业化众创空间申报资料完整齐全、真实有效，该申报单位无不良信用记录，"
        "且符合申报资格要求；",
        "2、本主管部门在审查推荐过程中，无违规推荐、审查不严等失信行为；",
        "3、按照相关管理规定，切实履行了主管部门管理职责，如有失实或失信行为，本部门将追究相关人员责任，"
        "并按照《江苏省科技计划项目相关责任主体信用管理办法》等相关规定，承担相关责任。",
    ),
    (SignatureLine("（公 章）", sealed=True),),
    "____年____月____日",
)

PLEDGES = (APPLICANT_PLEDGE, SUPERVISOR_PLEDGE)


def pledge_text(pledge):
    """The pledge's words as one text, for the sealed record of who made it and when."""
    return "\n".join((*pledge.paragraphs, *pledge.items))
