"""附件4 and 附件5, the two 信用承诺书: the seed's words, rendered with a seal and a date when given."""

import pytest
from django.template.loader import render_to_string

from applications.programmes.zyhzckj.pledges import APPLICANT_PLEDGE, SUPERVISOR_PLEDGE

APPLICANT_TEXT = (
    "申报单位信用承诺书"
    "本单位承诺所提供的国家专业化众创空间申报数据真实、准确，提供的申报资料规范、齐全，且不存在任何弄虚作假行为。"
    "如有失实或失信行为，愿意根据相关规定，承担以下责任："
    "1、取消推荐资格；"
    "2、作为失信单位记入不良科技信用记录，并报送至省公共信用信息平台，列入社会信用记录，接受相应处理；"
    "3、应当由本单位承担的其它相关法律责任等。"
    "运营主体法人（签字或盖章）："
    "主营主体（公章）："
    "_____年____月____日"
)
SUPERVISOR_TEXT = (
    "主管部门信用承诺书"
    "按照相关要求，我们对该单位国家专业化众创空间申报材料进行了认真审查，现承诺如下："
    "1、该申报单位提交的国家级专业化众创空间申报资料完整齐全、真实有效，该申报单位无不良信用记录，且符合申报资格要求；"
    "2、本主管部门在审查推荐过程中，无违规推荐、审查不严等失信行为；"
    "3、按照相关管理规定，切实履行了主管部门管理职责，如有失实或失信行为，本部门将追究相关人员责任，"
    "并按照《江苏省科技计划项目相关责任主体信用管理办法》等相关规定，承担相关责任。"
    "（公 章）"
    "____年____月____日"
)


def flat(pledge):
    lines = [line.text for line in pledge.signatures]
    return pledge.title + "".join(pledge.paragraphs) + "".join(pledge.items) + "".join(lines) + pledge.date_line


@pytest.mark.parametrize("pledge, text", [(APPLICANT_PLEDGE, APPLICANT_TEXT), (SUPERVISOR_PLEDGE, SUPERVISOR_TEXT)])
def test_the_pledges_are_the_seeds_words_in_order(pledge, text):
    assert flat(pledge) == text


def test_the_seal_goes_over_the_official_seal_line_only():
    assert [line.sealed for line in APPLICANT_PLEDGE.signatures] == [False, True]
    assert [line.sealed for line in SUPERVISOR_PLEDGE.signatures] == [True]


def visible_text(html):
    import re

    body = html.split("<body>", 1)[1]
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", body))


@pytest.mark.parametrize(
    "template, pledge, text",
    [
        ("programmes/zyhzckj/applicant_pledge.html", APPLICANT_PLEDGE, APPLICANT_TEXT),
        ("programmes/zyhzckj/supervisor_pledge.html", SUPERVISOR_PLEDGE, SUPERVISOR_TEXT),
    ],
)
def test_templates_print_every_word_and_a_blank_date_without_seal(template, pledge, text):
    html = render_to_string(template, {"pledge": pledge, "seal_uri": "", "date_text": ""})
    assert visible_text(html) == text.replace(" ", "")
    assert "<img" not in html and "<script" not in html and "style=" not in html


@pytest.mark.parametrize(
    "template, pledge",
    [
        ("programmes/zyhzckj/applicant_pledge.html", APPLICANT_PLEDGE),
        ("programmes/zyhzckj/supervisor_pledge.html", SUPERVISOR_PLEDGE),
    ],
)
def test_templates_put_the_seal_and_the_date_when_given(template, pledge):
    html = render_to_string(
        template, {"pledge": pledge, "seal_uri": "file:///tmp/seal.png", "date_text": "2018年7月10日"}
    )
    assert html.count('src="file:///tmp/seal.png"') == 1
    assert "2018年7月10日" in html and pledge.date_line not in html
