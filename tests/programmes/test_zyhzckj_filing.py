"""A 运营主体 files a 国家专业化众创空间 application through the same pages as a county files a 众创社区:
the parts are the second programme's, laid out from its declarations."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationPart
from portal.audit.models import AuditAction, AuditEvent

from ..factories import ApplicationFactory, CallFactory
from .test_zyhzckj_basic_info import SEED_LABELS

NAME = "纳米新材料专业化众创空间"


@pytest.fixture
def space(client, space_call, operator, operator_people):
    client.force_login(operator_people["clerk"])
    response = client.post(reverse("applications:new"), {"call": space_call.pk, "unit": operator.pk, "name": NAME})
    application = Application.objects.get()
    assert response.url == reverse("applications:edit_part", args=[application.pk, "basic_info"])
    return application


def page(client, application, part):
    return client.get(reverse("applications:edit_part", args=[application.pk, part])).content.decode()


def test_the_operator_starts_under_its_citys_science_bureau(space):
    assert space.recommender_unit.name == "苏州市科学技术局"
    saved = ApplicationPart.objects.get(application=space, key="basic_info").data
    assert saved == {"space_name": NAME}


def test_each_part_page_shows_the_seeds_words(client, space):
    basic_info = page(client, space, "basic_info")
    assert all(label in basic_info for label in SEED_LABELS)
    assert NAME in basic_info and "推荐单位在推荐时核对本表" in basic_info
    checklist = page(client, space, "eligibility")
    assert "以服务科技型创新创业为宗旨" in checklist and "已纳入或申请纳入省级众创空间备案管理" in checklist
    outline = page(client, space, "outline")
    assert "一、1 建设主体基本情况" in outline and "四 组织与保障" in outline
    cases = page(client, space, "cases")
    assert "成功案例1" in cases and "3-5个成功案例" in cases
    nav = [reverse("applications:edit_part", args=[space.pk, key]) for key in ("eligibility", "outline", "cases")]
    assert all(f'href="{url}"' in basic_info for url in nav)


def test_a_name_against_the_naming_rule_is_refused_beside_it_and_the_rest_is_kept(client, space):
    url = reverse("applications:edit_part", args=[space.pk, "basic_info"])
    response = client.post(url, {"revision": 1, "space_name": "纳米众创空间", "legal_representative": "周立"})
    body = response.content.decode()
    assert response.status_code == 200 and "众创空间名称须以“专业化众创空间”结尾" in body
    assert 'value="纳米众创空间"' in body  # what was typed stays on screen
    saved = ApplicationPart.objects.get(application=space, key="basic_info").data
    assert saved["space_name"] == NAME and saved["legal_representative"] == "周立"
    client.post(url, {"revision": 2, "space_name": "生物医药专业化众创空间"})
    assert Application.objects.get(pk=space.pk).name == "生物医药专业化众创空间"


def test_cases_are_saved_as_a_list_and_counted_against_three_to_five(client, space):
    url = reverse("applications:edit_part", args=[space.pk, "cases"])
    two = {f"cases-{i}-{key}": f"案例{i}{key}" for i in range(2) for key in ("name", "subject", "summary")}
    client.post(url, {"revision": 0, **two})
    saved = ApplicationPart.objects.get(application=space, key="cases").data["cases"]
    assert [case["name"] for case in saved] == ["案例0name", "案例1name"]
    assert "须填写3-5个成功案例" in page(client, space, "cases")  # the missing panel beside the form
    six = {f"cases-{i}-{key}": f"案例{i}{key}" for i in range(6) for key in ("name", "subject", "summary")}
    body = client.post(url, {"revision": 1, **six}).content.decode()
    assert "须填写3-5个成功案例" in body
    assert len(ApplicationPart.objects.get(application=space, key="cases").data["cases"]) == 2  # nothing lost


def test_a_part_of_another_programme_is_not_a_page(client, space, people):
    assert client.get(reverse("applications:edit_part", args=[space.pk, "plan"])).status_code == 404
    county_draft = ApplicationFactory(call=CallFactory())
    client.force_login(people["clerk"])
    assert client.get(reverse("applications:edit_part", args=[county_draft.pk, "cases"])).status_code == 404
    assert client.get(reverse("applications:edit_part", args=[space.pk, "basic_info"])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=people["clerk"]).count() == 2


def test_the_read_only_page_is_laid_out_as_the_programmes_paper(client, space):
    page = client.get(space.get_absolute_url()).content.decode()
    assert "国家专业化众创空间基础信息表" in page and "国家专业化众创空间备案申报书" in page
    assert "申报单位信用承诺书" in page and "主管部门信用承诺书" in page and "尚未上传。" in page
    assert "江苏省众创社区建设方案" not in page and "是否已开工" not in page  # nothing of the first programme


def test_posts_outside_the_pilot_programme_have_no_pilot_reports_link(client, space_call, operator_people, people):
    """Decided once, at login: an operator files no 年度报告; a 众创社区 county does."""
    client.force_login(operator_people["clerk"])
    assert "试点年度报告" not in client.get(reverse("dashboards:county")).content.decode()
    assert client.get(reverse("pilots:list")).status_code == 404  # nor the page, typed in
    client.force_login(people["clerk"])
    assert "试点年度报告" in client.get(reverse("dashboards:county")).content.decode()
    assert client.get(reverse("pilots:list")).status_code == 200


def test_the_submit_page_shows_the_pledge_the_head_signs_and_asks_for_no_opinion(client, space, operator_people):
    client.force_login(operator_people["head"])
    page = client.get(reverse("applications:submit", args=[space.pk])).content.decode()
    assert 'aria-label="申报单位信用承诺书"' in page and "如有失实或失信行为，愿意根据相关规定" in page
    assert 'name="opinion"' not in page
