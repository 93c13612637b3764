"""通知三、1: 众创空间名称需规范为：XXX专业化众创空间（XXX为空间所服务的专业细分领域）."""

import pytest

from applications.programmes.zyhzckj.naming import RULE, name_problem

from .helpers import errors_of, posted


@pytest.mark.parametrize(
    "name",
    [
        "新材料专业化众创空间",
        "AI专业化众创空间",  # two characters: the shortest field
        "ＡＩ专业化众创空间",  # full-width letters count as two characters
        "３Ｄ打印专业化众创空间",
        "生物医药专业化众创空间  ",  # spaces at the ends are not part of the name
        "　集成电路专业化众创空间　",  # nor are full-width ones
        "南京大学生物医药专业化众创空间",
    ],
)
def test_names_that_follow_the_rule(name):
    assert name_problem(name) is None


@pytest.mark.parametrize(
    "name, says",
    [
        ("专业化众创空间", "“专业化众创空间”前须写明空间所服务的专业细分领域"),
        ("药专业化众创空间", "专业细分领域“药”过短，至少写2个字"),
        ("Ａ专业化众创空间", "专业细分领域“A”过短"),
        ("新材料众创空间", "众创空间名称须以“专业化众创空间”结尾"),
        ("新材料专业化众创空间（筹）", "须以“专业化众创空间”结尾"),
        ("新材料专业化众创", "须以“专业化众创空间”结尾"),
        ("XXX专业化众创空间", "请将“XXX”换成空间所服务的专业细分领域"),
        ("ｘｘｘ专业化众创空间", "请将“xxx”换成"),
        ("新材料众创空间专业化众创空间", "前的专业细分领域中不能再含“众创空间”"),
        ("新材料 专业化众创空间", "众创空间名称中不能有空格"),
        ("", "请填写众创空间名称"),
        ("   ", "请填写众创空间名称"),
        (None, "请填写众创空间名称"),
    ],
)
def test_names_that_break_the_rule_say_why_and_quote_it(name, says):
    problem = name_problem(name)
    assert says in problem
    assert problem.endswith(RULE)
    assert "XXX专业化众创空间（XXX为空间所服务的专业细分领域）" in RULE


def test_the_basic_info_form_refuses_a_nonconforming_name_and_keeps_the_others():
    from applications.programmes.zyhzckj import PROGRAMME

    form = PROGRAMME.form_class("basic_info", None)(posted(space_name="新材料众创空间", leader="张三"))
    values = form.valid_values()
    assert "space_name" not in values and values["leader"] == "张三"
    assert "众创空间名称须以“专业化众创空间”结尾" in errors_of(form)["space_name"][0]


def test_the_basic_info_form_saves_a_conforming_name_without_its_trailing_spaces():
    from applications.programmes.zyhzckj import PROGRAMME

    form = PROGRAMME.form_class("basic_info", None)(posted(space_name="新材料专业化众创空间  "))
    assert form.valid_values()["space_name"] == "新材料专业化众创空间"
    assert not form.errors
