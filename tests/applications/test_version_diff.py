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


def test_a_changed_word_is_marked_not_the_whole_paragraph():
    before = "本社区依托南京大学科技园，建设面积约3万平方米，" + "重点发展软件和信息服务业。" * 10
    after = "本社区依托苏州大学科技园，建设面积约5万平方米，" + "重点发展软件和信息服务业。" * 10
    (change,) = field_changes(
        {("declaration", "summary"): ("申报书", "基本情况")},
        {"declaration": {"summary": before}},
        {"declaration": {"summary": after}},
    )
    marked = [(s.kind, s.text) for s in change.segments]
    assert ("removed", "南京") in marked and ("added", "苏州") in marked
    assert ("removed", "3") in marked and ("added", "5") in marked
    assert marked[0] == ("same", "本社区依托")
    assert marked[-1][0] == "same" and marked[-1][1].startswith("万平方米") and marked[-1][1].endswith("…")
    assert sum(len(text) for kind, text in marked if kind != "same") == 6  # six characters, not two paragraphs
