"""The city's 比较修改 shows what changed between two versions in the words typed, lists included."""

from applications.domain.diff import field_changes

LABELS = {("basic_info", "management"): ("基础信息表", "管理制度"), ("cases", "cases"): ("典型案例", "案例")}


def test_ticked_items_and_repeated_entries_read_as_text():
    older = {"basic_info": {"management": ["入驻标准"]}, "cases": {"cases": [{"name": "甲", "result": "融资"}]}}
    newer = {
        "basic_info": {"management": ["入驻标准", "退出条件"]},
        "cases": {"cases": [{"name": "甲", "result": "融资"}, {"name": "乙", "result": ""}]},
    }
    management, cases = field_changes(LABELS, older, newer)
    assert (management.before, management.after) == ("入驻标准", "入驻标准；退出条件")
    assert (cases.before, cases.after) == ("甲，融资", "甲，融资；乙")
    assert not any(mark in text for c in (management, cases) for text in (c.before, c.after) for mark in "[]{'")


def test_an_unchanged_list_is_no_change():
    same = {"basic_info": {"management": ["入驻标准"]}}
    assert field_changes(LABELS, same, same) == []
