"""The 专业化众创空间 programme as shared code sees it: parts, forms, missing, exports, layout, package order."""

import io

import pytest
from pypdf import PdfReader

from applications.domain.content import ApplicationContent, save_part
from applications.packages.html import render_pdf
from applications.programmes.base import ExportColumn, Part
from applications.programmes.zcsq import PROGRAMME as ZCSQ
from applications.programmes.zyhzckj import PROGRAMME
from applications.programmes.zyhzckj.outline import SECTIONS
from applications.programmes.zyhzckj.pledges import APPLICANT_PLEDGE
from portal.calls.models import Call

from ..factories import ApplicationFactory, UserFactory
from .helpers import Content

ALL_YES = {key: "yes" for key in (i.key for i in PROGRAMME.eligibility_items)}


def test_it_answers_what_shared_code_asks_a_programme():
    for name in ("code", "parts", "attachment_kinds", "default_rubric", "ranking_priorities", "name_field"):
        assert hasattr(PROGRAMME, name) and hasattr(ZCSQ, name)
    for method in ("form_class", "missing", "paper_layout", "thresholds", "thresholds_for_data"):
        assert callable(getattr(PROGRAMME, method))
    assert PROGRAMME.code == "zyhzckj" and PROGRAMME.ranking_priorities == ()
    assert Call.objects.filter(programme__code=PROGRAMME.code).exists()  # the seed call it serves


def test_parts_follow_the_notice_and_each_has_a_form_but_attachments():
    assert [p.key for p in PROGRAMME.parts] == ["basic_info", "eligibility", "outline", "cases", "attachments"]
    assert all(isinstance(p, Part) for p in PROGRAMME.parts)
    for part in PROGRAMME.parts[:-1]:
        assert PROGRAMME.form_class(part.key, None)().fields
    with pytest.raises(KeyError):
        PROGRAMME.form_class("plan", None)


def test_the_outline_is_a_form_of_its_written_sections():
    form = PROGRAMME.form_class("outline", None)()
    assert [form.fields[s.key].label for s in SECTIONS] == [
        "一、1 建设主体基本情况",
        "一、2 专业化众创空间现状",
        "二、1 总体成效",
        "三 发展目标和重点任务",
        "四 组织与保障",
    ]


def test_package_order_is_the_notices_list_of_materials():
    assert [m.title for m in PROGRAMME.package_order] == [
        "国家专业化众创空间基础信息表",
        "国家专业化众创空间备案申报书",
        "申报单位信用承诺书",
        "主管部门信用承诺书",
        "设区市科技局（科委）、国家高新区管委会出具的推荐函",
    ]


def test_there_are_no_thresholds():
    assert PROGRAMME.thresholds(Content()) == []
    assert PROGRAMME.thresholds_for_data(None, {}, {}) == []


def test_missing_on_an_empty_application_points_at_every_part():
    missing = PROGRAMME.missing(Content())
    assert {m.part for m in missing} == {"basic_info", "eligibility", "outline", "cases", "attachments"}
    assert {m.part for m in missing} <= {p.key for p in PROGRAMME.parts}
    assert "附件：申报单位信用承诺书" in [m.label for m in missing]


def test_missing_reads_saved_parts_through_application_content():
    application = ApplicationFactory()
    user = UserFactory()
    form = PROGRAMME.form_class("cases", None)(
        {f"cases-{i}-{k}": f"{k}{i}" for i in range(3) for k in ("name", "subject", "summary")}
    )
    save_part(application, "cases", form.valid_values(), 0, user)
    save_part(application, "outline", {s.key: "内容" for s in SECTIONS}, 0, user)
    save_part(application, "eligibility", {**ALL_YES, "backers": ["高校"]}, 0, user)
    parts = {m.part for m in PROGRAMME.missing(ApplicationContent(application))}
    assert parts == {"basic_info", "attachments"}


def test_saving_the_space_name_renames_the_application():
    application = ApplicationFactory()
    form = PROGRAMME.form_class(PROGRAMME.name_part, None)({"space_name": "生物医药专业化众创空间"})
    save_part(application, PROGRAMME.name_part, form.valid_values(), 0, UserFactory(), PROGRAMME.name_field)
    application.refresh_from_db()
    assert application.name == "生物医药专业化众创空间"


def test_export_columns_are_cells_with_unambiguous_headers():
    columns = PROGRAMME.export_columns(None)
    assert all(isinstance(c, ExportColumn) and c.kind in ("text", "number", "yesno") for c in columns)
    headers = [c.header for c in columns]
    assert len(set(headers)) == len(headers)
    assert {"法人代表联系电话", "负责人联系手机", "联系人联系手机", "成立时间"} <= set(headers)
    assert "management" not in {c.key for c in columns}  # a list of ticks is no cell
    kinds = {(c.part, c.key): c.kind for c in columns}
    assert len(kinds) == len(columns)
    assert kinds[("basic_info", "team_size")] == "number" and kinds[("basic_info", "mentors")] == "number"
    assert kinds[("basic_info", "built_by_university")] == "yesno" and kinds[("eligibility", "mentoring")] == "yesno"


def test_field_labels_cover_every_saved_key_of_the_forms():
    labels = PROGRAMME.field_labels(None)
    for part in ("basic_info", "eligibility", "outline"):
        form = PROGRAMME.form_class(part, None)()
        assert {k for k in form.fields if k != "revision"} == {key for p, key in labels if p == part}
    assert labels[("cases", "cases")] == ("成功案例", "二、2 3-5个成功案例")
    assert len({label for _, label in labels.values()}) == len(labels)


def test_paper_layout_prints_values_as_the_forms_show_them_in_the_outlines_order():
    parts = {
        "basic_info": {"built_by_university": "yes", "management": ["入驻标准", "其他"], "founded_on": "2016-05-01"},
        "eligibility": {"in_jiangsu": "yes", "backers": ["科研院所", "高校"]},
        "outline": {"builder": "甲", "organisation": "乙"},
        "cases": {"cases": [{"name": "案例1", "subject": "团队1", "summary": "成效1"}, {"name": ""}]},
    }
    paper = PROGRAMME.paper_layout(None, parts)
    rows = {row["key"]: row["value"] for group in paper["groups"] for row in group["rows"]}
    assert rows["built_by_university"] == "是" and rows["management"] == "入驻标准、其他"
    assert rows["founded_on"] == "2016-05-01" and rows["space_name"] == ""
    assert paper["eligibility"][0]["answer"] == "是" and paper["eligibility"][1]["answer"] == ""
    assert paper["backers"] == "科研院所、高校"
    assert [c["heading"] for c in paper["chapters"]] == [
        "一、专业化众创空间介绍",
        "二、取得成效",
        "三、发展目标和重点任务",
        "四、组织与保障",
    ]
    second = paper["chapters"][1]["items"]
    assert [i["subtitle"] for i in second] == ["1. 总体成效", "2. 3-5个成功案例"]
    assert second[1]["cases"] == [{"name": "案例1", "subject": "团队1", "summary": "成效1"}]
    assert paper["chapters"][0]["items"][0]["text"] == "甲"
    assert paper["chapters"][3]["items"] == [{"subtitle": "", "text": "乙"}]


def test_the_applicant_pledge_renders_to_one_a4_page_with_its_words(tmp_path):
    from PIL import Image

    seal = tmp_path / "seal.png"
    Image.new("RGBA", (200, 200), (200, 0, 0, 120)).save(seal)
    pdf = render_pdf(
        "programmes/zyhzckj/applicant_pledge.html",
        {"pledge": APPLICANT_PLEDGE, "seal_uri": seal.as_uri(), "date_text": "2018年7月10日"},
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    assert "申报单位信用承诺书" in text and "2018年7月10日" in text and "取消推荐资格" in text
