"""附件3 二、2 “3-5个成功案例”: a repeatable group, saved as a list of dicts, counted at submission."""

import pytest

from applications.forms.repeat import MOST_ROWS
from applications.programmes.zyhzckj import PROGRAMME, checks
from applications.programmes.zyhzckj.outline import CASES

from .helpers import errors_of, posted


def case(n):
    return {"name": f"案例{n}", "subject": f"团队{n}", "summary": f"成效{n}"}


def as_posted(cases, blank_rows=0):
    fields = {}
    for index, row in enumerate([*cases, *[{"name": "", "subject": "", "summary": ""}] * blank_rows]):
        for key, value in row.items():
            fields[f"cases-{index}-{key}"] = value
    return posted(**fields)


def cases_form(data=None, **kwargs):
    return PROGRAMME.form_class("cases", None)(data, **kwargs)


@pytest.mark.parametrize("count", [2, 3, 5])
def test_up_to_five_cases_are_saved_as_a_list_of_dicts_in_order(count):
    form = cases_form(as_posted([case(n) for n in range(1, count + 1)], blank_rows=1))
    assert form.valid_values() == {"cases": [case(n) for n in range(1, count + 1)]}
    assert not form.errors


@pytest.mark.parametrize("count, problem", [(2, True), (3, False), (5, False), (6, True)])
def test_submission_wants_three_to_five_cases(count, problem):
    missing = checks.missing_in_cases({"cases": [case(n) for n in range(1, count + 1)]})
    if problem:
        assert [m.label for m in missing] == [f"二、2 3-5个成功案例：须填写3-5个成功案例，目前填写了{count}个"]
        assert missing[0].part == "cases"
    else:
        assert missing == []


def test_no_cases_at_all_is_counted_as_zero():
    assert [m.label for m in checks.missing_in_cases({})] == ["二、2 3-5个成功案例：须填写3-5个成功案例，目前填写了0个"]


def test_a_sixth_case_is_refused_with_the_reason_and_the_saved_list_kept():
    form = cases_form(as_posted([case(n) for n in range(1, 7)]))
    assert "cases" not in form.valid_values()
    assert errors_of(form)["__all__"] == ["3-5个成功案例：须填写3-5个成功案例，目前填写了6个。"]


def test_a_case_with_a_blank_required_field_is_kept_as_a_draft_and_listed_as_missing():
    rows = [case(1), {"name": "案例2", "subject": "", "summary": "成效2"}, case(3)]
    form = cases_form(as_posted(rows))
    saved = form.valid_values()["cases"]
    assert saved[1] == {"name": "案例2", "subject": "", "summary": "成效2"}
    missing = checks.missing_in_cases({"cases": saved})
    assert [(m.anchor, m.label) for m in missing] == [("id_cases-1-subject", "成功案例2：企业或团队名称")]


def test_blank_rows_are_dropped_so_clearing_a_case_removes_it():
    rows = [case(1), {"name": "", "subject": "", "summary": "  "}, case(3)]
    assert cases_form(as_posted(rows)).valid_values() == {"cases": [case(1), case(3)]}


def test_a_wrong_value_in_any_case_keeps_the_saved_list_and_names_the_case():
    rows = [case(1), {**case(2), "name": "长" * 101}]
    form = cases_form(as_posted(rows))
    assert "cases" not in form.valid_values()
    assert errors_of(form)["cases-1-name"] == ["“成功案例2：案例名称”不能超过 100 个字符。"]


def test_a_page_without_cases_leaves_them_as_saved():
    assert cases_form(posted(revision="3")).valid_values() == {}


def test_the_page_shows_the_saved_cases_then_one_blank_within_five():
    for saved, shown in ((0, 3), (2, 3), (3, 4), (4, 5), (5, 5), (6, 6)):
        form = cases_form(initial={"cases": [case(n) for n in range(1, saved + 1)]})
        items = form.items("cases")
        assert len(items) == shown, saved
        if saved:
            assert form["cases-0-name"].value() == "案例1"
        assert [spec.key for spec, _ in items[0]] == ["name", "subject", "summary"]
        assert items[0][0][1].label == "成功案例1：案例名称"


def test_a_request_cannot_make_the_form_grow_without_bound():
    form = cases_form(posted(**{"cases-100000-name": "x"}))
    assert len(form.items("cases")) == MOST_ROWS


def test_the_count_message_is_generic():
    assert CASES.count_problem(4) is None
    assert CASES.count_problem(1) == "须填写3-5个成功案例，目前填写了1个。"
