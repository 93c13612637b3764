"""Shared form builders: the date and ticks kinds, the integer message without a unit, and repeatable
groups — declared here with made-up fields, as any programme would."""

import datetime

import pytest
from django.http import QueryDict

from applications.forms.fields import field_for, to_json
from applications.forms.parts import declaration_form
from applications.forms.repeat import repeat_form
from applications.programmes.base import FieldSpec, Group, RepeatGroup, is_blank

COLOURS = (("red", "红"), ("blue", "蓝"))
GROUPS = (
    Group(
        "示例",
        (
            FieldSpec("opened", "开业日期", kind="date"),
            FieldSpec("colours", "颜色", kind="ticks", choices=COLOURS),
            FieldSpec("rooms", "房间数", kind="integer"),
            FieldSpec("staff", "员工数", kind="integer", unit="人"),
        ),
    ),
)
PARTNERS = RepeatGroup(
    "partners",
    "",
    "合作单位",
    "合作单位",
    (FieldSpec("name", "单位名称"), FieldSpec("since", "合作起始日期", kind="date", required=False)),
    min_items=1,
)


def data(**fields):
    query = QueryDict(mutable=True)
    for key, value in fields.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def test_dates_accept_the_usual_chinese_spellings_and_save_as_iso():
    form_class = declaration_form(GROUPS)
    for typed in ("2016-05-01", "2016/5/1", "2016.05.01", "2016年5月1日"):
        assert form_class(data(opened=typed)).valid_values() == {"opened": "2016-05-01"}
    form = form_class(data(opened="2016-02-30"))
    assert form.valid_values() == {}
    assert form.errors["opened"] == ["“开业日期”须为有效日期，如 2016-05-01。"]
    assert to_json(datetime.date(2018, 7, 15)) == "2018-07-15"


def test_a_saved_date_is_shown_back_in_the_date_input():
    form = declaration_form(GROUPS)(initial={"opened": "2016-05-01"})
    html = str(form["opened"])
    assert 'type="date"' in html and 'value="2016-05-01"' in html


def test_ticks_save_a_list_and_can_all_be_cleared():
    form_class = declaration_form(GROUPS)
    assert form_class(data(colours=["", "red", "blue"])).valid_values() == {"colours": ["red", "blue"]}
    assert form_class(data(colours="")).valid_values() == {"colours": []}
    assert form_class(data(rooms="1")).valid_values() == {"rooms": 1}  # ticks not on the page: unchanged
    form = form_class(data(colours=["green"]))
    assert form.errors["colours"] == ["“颜色”中没有“green”这一项。"]


def test_ticks_render_the_hidden_marker_and_the_saved_ticks():
    html = str(declaration_form(GROUPS)(initial={"colours": ["blue"]})["colours"])
    assert '<input type="hidden" name="colours" value="">' in html
    assert html.count('type="checkbox"') == 2 and "checked" in html
    assert "form-control" not in html


def test_integer_messages_name_the_unit_only_when_there_is_one():
    assert declaration_form(GROUPS)(data(rooms="1.5")).errors["rooms"] == ["“房间数”须为整数。"]
    assert declaration_form(GROUPS)(data(staff="1.5")).errors["staff"] == ["“员工数”须为整数（单位：人）。"]


def test_existing_kinds_are_unchanged():
    assert type(field_for(FieldSpec("a", "甲", kind="yesno"))).__name__ == "ChoiceField"
    assert type(field_for(FieldSpec("a", "甲"))).__name__ == "CharField"
    assert type(field_for(FieldSpec("a", "甲", kind="decimal"))).__name__ == "DecimalField"


def test_repeat_groups_count_and_report_blank_required_fields_generically():
    assert PARTNERS.count_problem(0) == "至少须填写1个合作单位，目前填写了0个。"
    assert PARTNERS.count_problem(9) is None
    capped = RepeatGroup("x", "", "标题", "项", (), max_items=2)
    assert capped.count_problem(3) == "最多填写2个项，目前填写了3个。"
    exact = RepeatGroup("x", "", "标题", "项", (), min_items=2, max_items=2)
    assert exact.count_problem(1) == "须填写2个项，目前填写了1个。"
    rows = [{"name": "", "since": "2020-01-01"}, {"name": " "}, None, {"name": "甲"}]
    assert PARTNERS.filled(rows) == [{"name": "", "since": "2020-01-01"}, {"name": "甲"}]
    assert [(n, spec.key) for n, spec in PARTNERS.blank_required(rows)] == [(1, "name")]


@pytest.mark.parametrize(
    "value, blank", [(None, True), ("", True), ("　 ", True), ([], True), (0, False), ("0", False)]
)
def test_is_blank(value, blank):
    assert is_blank(value) is blank


def test_a_repeat_form_saves_its_items_beside_plain_fields_and_typed_values():
    form_class = repeat_form((PARTNERS,), fields={"note": field_for(FieldSpec("note", "备注"))})
    form = form_class(data(note="无", **{"partners-0-name": "甲", "partners-0-since": "2020年1月2日"}))
    assert form.valid_values() == {"note": "无", "partners": [{"name": "甲", "since": "2020-01-02"}]}
    unbounded = form_class(initial={"partners": [{"name": str(n)} for n in range(7)]})
    assert len(unbounded.items("partners")) == 8  # no maximum: the saved items and one blank
