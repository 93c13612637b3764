"""Filling the parts in the browser's shape: POSTs to the edit pages, as a county clerk."""

import pytest
from django.urls import reverse

from applications.models import ApplicationPart

from ..factories import UserFactory


def url(name, application):
    return reverse(f"applications:{name}", args=[application.pk])


def post(client, name, application, data, revision=0, **extra):
    return client.post(url(name, application), {**data, "revision": revision}, **extra)


def saved(application, key):
    part = ApplicationPart.objects.filter(application=application, key=key).first()
    return part.data if part else {}


@pytest.fixture
def clerk(client, people):
    client.force_login(people["clerk"])
    return people["clerk"]


def test_a_draft_saves_any_subset(client, clerk, bare_application):
    response = post(client, "edit_declaration", bare_application, {"leader": "张三", "planned_area": "3.5"})
    assert response.status_code == 302
    data = saved(bare_application, "declaration")
    assert data["leader"] == "张三" and data["planned_area"] == "3.5"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("planned_area", "-1", "“规划面积”不能小于 0"),
        ("planned_area", "三百", "“规划面积”须为数字（单位：万平方米）"),
        ("planned_area", "1.234", "最多保留两位小数"),
        ("featured_investment_share", "100.5", "“特色产业投资占比”不能大于 100%"),
        ("featured_investment_share", "-0.1", "“特色产业投资占比”不能小于 0%"),
        ("startups", "12.5", "“创业企业数”须为整数（单位：家）"),
        ("employees", "-3", "“吸纳从业人员数”不能小于 0"),
        ("email", "not-an-email", "请输入有效的电子邮箱地址"),
        ("leader_phone", "abc", "请输入有效的电话号码"),
        ("operator_nature", "外星机构", "选择一个有效的选项"),
    ],
)
def test_wrong_values_get_a_chinese_message_and_are_kept_on_screen(
    client, clerk, bare_application, field, value, message
):
    response = post(client, "edit_declaration", bare_application, {field: value, "leader": "张三"})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{value}"' in page or f">{value}<" in page or field == "operator_nature"
    data = saved(bare_application, "declaration")
    assert data["leader"] == "张三" and field not in data


def test_hightech_output_cannot_exceed_total_output(client, clerk, bare_application):
    response = post(client, "edit_declaration", bare_application, {"hightech_output": "120", "total_output": "100"})
    assert "高新技术产业产值不能大于众创社区总产值" in response.content.decode()
    data = saved(bare_application, "declaration")
    assert "hightech_output" not in data and data["total_output"] == "100"


def test_saving_the_name_renames_the_application(client, clerk, bare_application):
    post(client, "edit_declaration", bare_application, {"community_name": "江宁新名称众创社区"})
    bare_application.refresh_from_db()
    assert bare_application.name == "江宁新名称众创社区"


def test_outline_text_is_stored_as_typed_and_shown_escaped(client, clerk, bare_application):
    text = "<script>alert(1)</script>第一段<b>加粗</b>\n\n1. 甲 < 乙\n2. 丙"
    post(client, "edit_scheme", bare_application, {"foundation": text})
    assert saved(bare_application, "scheme")["foundation"] == text
    page = client.get(reverse("applications:detail", args=[bare_application.pk])).content.decode()
    assert "<ol><li>甲 &lt; 乙</li><li>丙</li></ol>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;第一段&lt;b&gt;加粗&lt;/b&gt;" in page and "<script>alert" not in page


def test_outline_shows_its_guidance_and_word_count(client, clerk, bare_application):
    post(client, "edit_scheme", bare_application, {"approach": "思路清晰 abc 123"})
    page = client.get(url("edit_scheme", bare_application)).content.decode()
    assert "明确众创社区建设工作的总体思路和工作着力点" in page
    assert "四、5 完善配套基础设施" in page
    assert '<span data-word-count-for="id_approach">6</span>' in page


def test_plan_grid_has_the_calls_years_and_checks_each_cell(client, clerk, bare_application):
    page = client.get(url("edit_plan", bare_application)).content.decode()
    assert all(f"{year}年" in page for year in (2027, 2028, 2029)) and "2026年" not in page
    response = post(client, "edit_plan", bare_application, {"i1_2027": "25", "i7_2028": "-150", "i3_2029": "2.5"})
    page = response.content.decode()
    assert "不能小于 -100" in page and "须为整数" in page
    assert saved(bare_application, "plan") == {"i1_2027": "25"}


def test_second_save_from_a_stale_page_is_refused_and_input_kept(client, clerk, bare_application):
    post(client, "edit_declaration", bare_application, {"leader": "第一人"}, revision=0)
    other = UserFactory(full_name="王五")
    from applications.domain.content import save_part

    save_part(bare_application, "declaration", {"leader": "王五的修改"}, 1, other)
    response = post(client, "edit_declaration", bare_application, {"leader": "我的修改"}, revision=1)
    page = response.content.decode()
    assert response.status_code == 200
    assert "王五 已于" in page and "保存未成功" in page
    assert 'value="我的修改"' in page
    assert saved(bare_application, "declaration")["leader"] == "王五的修改"


def test_autosave_answers_json_and_conflicts_with_409(client, clerk, bare_application):
    response = post(
        client, "edit_declaration", bare_application, {"leader": "自动", "planned_area": "x"}, HTTP_X_AUTOSAVE="1"
    )
    body = response.json()
    assert body["ok"] and body["revision"] == 1 and "planned_area" in body["errors"]
    stale = post(client, "edit_declaration", bare_application, {"leader": "过时"}, revision=0, HTTP_X_AUTOSAVE="1")
    assert stale.status_code == 409 and "保存未成功" in stale.json()["conflict"]


def test_completeness_panel_lists_what_is_missing_with_links(client, clerk, bare_application):
    page = client.get(url("edit_declaration", bare_application)).content.decode()
    assert "尚缺" in page
    assert f"{url('edit_declaration', bare_application)}#id_postal_address" in page
    assert "申报书（" in page and "等 " in page
    assert f"{url('attachments', bare_application)}#kind-spatial_layout" in page


def test_yes_without_partner_names_is_missing(client, clerk, application):
    post(
        client,
        "edit_declaration",
        application,
        {"has_enterprise_partner": "yes", "enterprise_partners": ""},
        revision=application.parts.get(key="declaration").revision,
    )
    page = client.get(url("edit_declaration", application)).content.decode()
    assert "合作龙头骨干企业名称（选“是”须填写）" in page


def test_filled_application_shows_complete_and_threshold_panel(client, clerk, application):
    page = client.get(url("edit_plan", application)).content.decode()
    assert "材料齐全" in page
    assert "规划面积约 3 平方公里" in page and "达到" in page


def test_county_starts_a_draft_for_an_open_call(client, clerk, call):
    from applications.models import Application

    page = client.get(reverse("dashboards:county")).content.decode()
    assert "新建申报" in page
    unit = clerk.active_memberships[0].unit
    response = client.post(reverse("applications:new"), {"call": call.pk, "unit": unit.pk, "name": "江宁新城众创社区"})
    application = Application.objects.get(name="江宁新城众创社区")
    assert response.url == url("edit_declaration", application)
    assert application.recommender_unit.name == "南京市" and application.created_by == clerk
    assert saved(application, "declaration")["community_name"] == "江宁新城众创社区"


def test_closed_or_foreign_calls_cannot_be_chosen(client, clerk, call):
    from portal.calls.models import Call

    closed = Call.objects.get(title="关于开展首批江苏省众创社区备案试点工作的通知")
    unit = clerk.active_memberships[0].unit
    page = client.post(reverse("applications:new"), {"call": closed.pk, "unit": unit.pk, "name": "x"}).content.decode()
    assert "所选申报通知不存在或已截止" in page
    from portal.accounts.models import Unit

    foreign = Unit.objects.get(code="320583")
    page = client.post(reverse("applications:new"), {"call": call.pk, "unit": foreign.pk, "name": "x"}).content.decode()
    assert "选择一个有效的选项" in page


def test_spatial_answer_is_saved_and_photos_become_required(client, clerk, application):
    revision = application.parts.get(key="spatial").revision
    response = client.post(url("edit_spatial", application), {"started": "yes", "revision": revision})
    assert response.url == url("attachments", application)
    assert saved(application, "spatial")["started"] == "yes"
    page = client.get(url("attachments", application)).content.decode()
    assert "附件：实景图" in page


def test_a_wrong_spatial_answer_shows_the_attachments_page_again_with_the_message_by_it(
    client, clerk, bare_application
):
    response = client.post(url("edit_spatial", bare_application), {"started": "maybe", "revision": 0})
    page = response.content.decode()
    assert response.status_code == 200 and "上传材料" in page
    assert '<div class="invalid-feedback d-block">“是否已开工”请选择“是”或“否”。</div>' in page
    assert "started" not in saved(bare_application, "spatial")
