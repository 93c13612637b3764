"""The annual report pages: the county fills and sends, the city returns or forwards, the province assesses
with the plan-vs-actual table and the suggestion in front of it; nobody else sees a report."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.programmes.zcsq.plan import cell_key
from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent
from review.pilots.models import AnnualReport, ReportStatus

from ..applications import crafted_files as files
from ..applications.test_transitions import confirm_after_publicity, reach
from ..clock import freeze_time
from ..confirming import confirmed
from ..factories import ApplicationFactory, CallFactory, make_ready
from .pilot_helpers import reporting_round, started_report

GOOD = {
    "i1": "26",
    "i2": "480",
    "i3": "6",
    "i4": "3",
    "i5": "78",
    "i6": "66",
    "i7_this": "132",
    "i7_last": "120",
    "i8_this": "2300",
    "i8_last": "2000",
    "i9": "5",
    "i10": "12",
    "i11": "40",
    "narrative": "本年度新建专业化众创空间两家。",
}


@pytest.fixture
def pilot(application, people):
    pilot = reach(Status.IN_PUBLICITY, application, people)
    return confirm_after_publicity(pilot, people["province"])  # from the plan's first year, as the page offers


@pytest.fixture
def round_(pilot):
    return reporting_round(pilot, pilot.pilot_start_year)


def started(client, people, pilot, round_):
    client.force_login(people["head"])
    page = client.get(reverse("pilots:list")).content.decode()
    assert "开始填报" in page and f"{round_.year}年度" in page
    response = client.post(reverse("pilots:start"), {"pilot": pilot.pk, "round": round_.pk})
    return AnnualReport.objects.get(pilot=pilot, round=round_), response


def test_the_county_fills_checks_and_sends_its_report(client, people, pilot, round_):
    report, response = started(client, people, pilot, round_)
    assert response.url == reverse("pilots:report", args=[report.pk])
    url = response.url
    wrong = client.post(url, {**GOOD, "i2": "四百八十", "i5": "-3"}).content.decode()
    assert "请填写数字" in wrong and "不能为负数" in wrong
    assert 'value="26"' in wrong and "本年度新建专业化众创空间两家" in wrong  # nothing typed is lost
    client.post(url, GOOD)
    report.refresh_from_db()
    assert report.actuals["i7_this"] == "132" and report.narrative.startswith("本年度")
    page = client.get(url).content.decode()
    assert "10.00" in page  # 132 / 120 − 1, the growth rate computed from the two counts
    sent = client.post(reverse("pilots:act", args=[report.pk, "submit"]), follow=True).content.decode()
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    assert f"{report}：已报送年度报告，现为“已报送设区市”。" in sent  # what happened, not "已办理。"
    assert "填写实际完成数据" not in client.get(url).content.decode()  # sent: no longer editable


def test_evidence_is_checked_like_any_upload(client, people, pilot, round_):
    report, _ = started(client, people, pilot, round_)
    upload = reverse("pilots:upload_evidence", args=[report.pk])
    client.post(upload, {"file": SimpleUploadedFile("统计报表.pdf", files.pdf(2), "application/pdf")})
    fake = client.post(upload, {"file": SimpleUploadedFile("照片.png", b"MZ not an image")}, follow=True)
    assert "无法识别的文件类型" in fake.content.decode()
    assert [e.original_name for e in report.evidence.all()] == ["统计报表.pdf"]
    assert AuditEvent.objects.filter(action=AuditAction.UPLOAD_REFUSED).exists()
    evidence = report.evidence.get()
    client.force_login(people["province"])
    assert client.get(reverse("pilots:evidence_file", args=[evidence.pk])).status_code == 200
    client.force_login(people["other_head"])
    assert client.get(reverse("pilots:evidence_file", args=[evidence.pk])).status_code == 404


def test_city_returns_then_forwards_and_province_assesses_with_the_suggestion(client, people, pilot, round_):
    report, _ = started(client, people, pilot, round_)
    client.post(reverse("pilots:report", args=[report.pk]), {**GOOD, "i5": "60"})
    client.post(reverse("pilots:act", args=[report.pk, "submit"]))
    client.force_login(people["city"])
    assert pilot.name in client.get(reverse("pilots:list")).content.decode()
    client.post(reverse("pilots:act", args=[report.pk, "return_to_applicant"]), {"reason": "请补充统计报表"})
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    client.force_login(people["head"])
    client.post(reverse("pilots:act", args=[report.pk, "resubmit"]))
    client.force_login(people["city"])
    client.post(reverse("pilots:act", args=[report.pk, "forward"]))
    client.force_login(people["province"])
    page = client.get(reverse("pilots:report", args=[report.pk])).content.decode()
    assert "系统建议：不通过" in page and "未达到：特色战略新兴产业建设项目投资占比不低于 70%" in page
    refused = client.post(reverse("pilots:act", args=[report.pk, "fail_assessment"]), {"reason": ""}, follow=True)
    assert "“年度考核不通过”须填写理由" in refused.content.decode()
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.FORWARDED
    client.post(reverse("pilots:act", args=[report.pk, "fail_assessment"]), confirmed({"reason": "投资占比未达要求"}))
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.FAILED


def test_other_units_experts_and_administrators_see_no_report(client, people, pilot, round_):
    report = started_report(pilot, round_.year, people["head"], {"i1": "20"})
    for who in ("other_head", "other_city", "expert", "sysadmin"):
        client.force_login(people[who])
        assert client.get(reverse("pilots:report", args=[report.pk])).status_code == 404, who
        assert (
            client.post(reverse("pilots:act", args=[report.pk, "pass_assessment"]), {"reason": "x"}).status_code == 404
        )
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() >= 8


def test_a_closed_round_or_a_year_outside_the_pilot_cannot_be_started(client, people, pilot):
    closing = reporting_round(pilot, pilot.pilot_start_year)
    outside = reporting_round(pilot, pilot.pilot_start_year + 3)

    def refused(round_):
        client.force_login(people["head"])
        response = client.post(reverse("pilots:start"), {"pilot": pilot.pk, "round": round_.pk}, follow=True)
        return "不在填报期内" in response.content.decode()

    assert refused(outside)  # open, but not one of the pilot's years
    with freeze_time(closing.filing_deadline + timedelta(days=1)):  # the round closed yesterday
        assert refused(closing)
    assert not AnnualReport.objects.exists()


def test_the_plan_row_comes_from_the_filed_version(client, people, pilot, round_):
    report, _ = started(client, people, pilot, round_)
    plan = pilot.versions.order_by("-number").first().parts["plan"]
    planned_area = plan[cell_key(1, round_.year)]
    page = client.get(reverse("pilots:report", args=[report.pk])).content.decode()
    assert f">{planned_area}<" in page.replace(" ", "")


def test_deleted_evidence_leaves_the_disk_once_committed(
    client, people, pilot, round_, django_capture_on_commit_callbacks
):
    report, _ = started(client, people, pilot, round_)
    client.post(
        reverse("pilots:upload_evidence", args=[report.pk]),
        {"file": SimpleUploadedFile("统计报表.pdf", files.pdf(1), "application/pdf")},
    )
    evidence = report.evidence.get()
    path = evidence.file.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("pilots:delete_evidence", args=[evidence.pk]))
    assert not report.evidence.exists()
    assert not Path(path).exists()


def test_a_double_start_and_a_double_submit_make_one_report_and_one_move(client, people, pilot, round_):
    report, _ = started(client, people, pilot, round_)
    client.post(reverse("pilots:start"), {"pilot": pilot.pk, "round": round_.pk})
    assert AnnualReport.objects.filter(pilot=pilot, round=round_).count() == 1
    client.post(reverse("pilots:report", args=[report.pk]), GOOD)
    for _ in range(2):
        client.post(reverse("pilots:act", args=[report.pk, "submit"]))
    moves = AuditEvent.objects.for_object(report).filter(action=AuditAction.TRANSITION)
    assert moves.count() == 1 and AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    assert AuditEvent.objects.for_object(report).filter(action=AuditAction.TRANSITION_REFUSED).count() == 1


def test_another_countys_pilot_cannot_be_started_or_edited(client, people, pilot, round_):
    report = started_report(pilot, round_.year, people["head"], {"i1": "20"})
    client.force_login(people["other_head"])
    assert client.post(reverse("pilots:start"), {"pilot": pilot.pk, "round": round_.pk}).status_code == 404
    assert client.post(reverse("pilots:report", args=[report.pk]), GOOD).status_code == 404
    assert AnnualReport.objects.get(pk=report.pk).actuals == {"i1": "20"}
    assert AnnualReport.objects.count() == 1


@pytest.mark.parametrize("more", [0, 2], ids=["one pilot", "three pilots"])
def test_the_report_list_costs_the_same_queries_for_more_pilots(
    client, people, pilot, round_, more, django_assert_num_queries
):
    for _ in range(more):
        call = CallFactory(plan_first_year=pilot.pilot_start_year)
        other = reach(Status.IN_PUBLICITY, make_ready(ApplicationFactory(call=call)), people)
        confirm_after_publicity(other, people["province"], pilot.pilot_start_year)
    client.force_login(people["head"])
    with django_assert_num_queries(12):
        page = client.get(reverse("pilots:list")).content.decode()
    assert page.count("开始填报") == 1 + more
