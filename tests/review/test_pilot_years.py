"""The pilot years: annual reports through county → city → province, 年度考核 with the automatic exit after
two failed years in a row, plan-vs-actual arithmetic, and when the 评估验收 may start."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.transitions import perform as perform_on_application
from applications.models import Application
from applications.programmes.zcsq.plan import cell_key
from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent
from portal.notifications.models import Notification
from portal.workflow import TransitionRefused
from review.pilots.indicators import growth_rate, plan_against_actual, thresholds_of_the_year
from review.pilots.models import AnnualReport, ReportStatus
from review.pilots.reports import ReportRefused, save_report, start_report
from review.pilots.rules import exit_year, pilot_period_over, suggested_assessment
from review.pilots.workflow import perform

from ..applications.test_transitions import confirm_after_publicity, reach
from ..clock import freeze_time
from ..confirming import confirmed
from .pilot_helpers import assess, beijing, file_report, reporting_round, started_report

F, P = False, True


@pytest.mark.parametrize(
    ("outcomes", "exits_in"),
    [
        ([F, P, F, F], 4),  # the issue's case: out in the fourth year
        ([F, P, F], None),  # never two in a row
        ([F, F], 2),
        ([P, F, None, F], None),  # an undecided year breaks the run
        ([P, P, P], None),
    ],
)
def test_two_failed_years_in_a_row_and_only_then(outcomes, exits_in):
    results = [(2017 + n, passed) for n, passed in enumerate(outcomes)]
    expected = None if exits_in is None else 2017 + exits_in - 1
    assert exit_year(results) == expected
    assert exit_year(list(reversed(results))) == expected  # order of the records does not matter


def test_a_year_missing_between_two_failures_is_not_a_row():
    assert exit_year([(2017, F), (2019, F)]) is None


@pytest.fixture
def pilot(application, people):
    with freeze_time(beijing(2017, 5, 2)):  # a pilot of the first year: filed, published and confirmed in 2017
        pilot = reach(Status.IN_PUBLICITY, application, people)
        return confirm_after_publicity(pilot, people["province"], 2017)


def test_pass_fail_fail_takes_the_community_off_the_list(pilot, people):
    # Three pilot years hold at most three reports: the issue's four-year sequence is checked on the rule above.
    for year, passed in ((2017, P), (2018, F)):
        assess(pilot, year, passed, people)
        assert Application.objects.get(pk=pilot.pk).status == Status.PILOT
    assess(pilot, 2019, F, people)
    pilot.refresh_from_db()
    assert pilot.status == Status.EXITED
    assert "连续两年（2018、2019年度）未通过年度考核" in pilot.status_reason
    exit_row = AuditEvent.objects.for_object(pilot).get(to_status=Status.EXITED)
    assert exit_row.action == AuditAction.TRANSITION and exit_row.user == people["province"]
    assert Notification.objects.filter(user=people["head"], message__contains="退出备案试点名单").exists()
    assert Notification.objects.filter(user=people["city"], message__contains="退出备案试点名单").exists()


def test_fail_pass_fail_stays_a_pilot(pilot, people):
    for year, passed in ((2017, F), (2018, P), (2019, F)):
        assess(pilot, year, passed, people)
    assert Application.objects.get(pk=pilot.pk).status == Status.PILOT


def test_the_exit_cannot_be_taken_by_hand_without_two_failures(pilot, people):
    assess(pilot, 2017, F, people)
    with pytest.raises(TransitionRefused) as refused:
        perform_on_application(pilot, "exit_pilot", people["province"], reason="想让它退出")
    assert refused.value.code == "not_two_failures"


def test_a_report_goes_county_to_city_to_province_and_only_they_act(pilot, people):
    report = started_report(pilot, 2018, people["head"], {"i1": "22"})
    for who in ("clerk", "other_head", "city", "province"):
        with pytest.raises(TransitionRefused):
            perform(report, "submit", people[who])
    report = perform(report, "submit", people["head"])
    with pytest.raises(TransitionRefused):
        perform(report, "forward", people["other_city"])
    report = perform(report, "return_to_applicant", people["city"], reason="请补充佐证材料")
    assert report.status == ReportStatus.RETURNED
    report = perform(perform(report, "resubmit", people["head"]), "forward", people["city"])
    with pytest.raises(TransitionRefused):
        perform(report, "pass_assessment", people["city"], reason="好")
    with pytest.raises(TransitionRefused) as no_reason:
        perform(report, "pass_assessment", people["province"], reason=" ")
    assert no_reason.value.code == "reason_required"
    report = perform(report, "pass_assessment", people["province"], reason="各项指标达到计划")
    assert (report.status, report.decided_by) == (ReportStatus.PASSED, people["province"])


def test_a_late_report_is_refused_and_an_empty_one_too(pilot, people):
    deadline = timezone.now() + timedelta(days=1)
    reporting_round(pilot, 2019, deadline=deadline)
    report = started_report(pilot, 2019, people["head"])
    with pytest.raises(TransitionRefused) as empty:
        perform(report, "submit", people["head"])
    assert empty.value.code == "incomplete"
    save_report(report, {"i1": "21"}, "")
    with pytest.raises(TransitionRefused) as late:
        perform(report, "submit", people["head"], now=deadline + timedelta(seconds=1))
    assert late.value.code == "deadline_passed" and "逾期不予受理" in late.value.message


def test_an_exited_community_files_no_more_reports(pilot, people):
    report = started_report(pilot, 2019, people["head"], {"i1": "30"})  # started while still a pilot
    assess(pilot, 2017, F, people)
    assess(pilot, 2018, F, people)
    with pytest.raises(TransitionRefused) as refused:
        perform(report, "submit", people["head"])
    assert "已不是备案试点" in refused.value.message
    pilot.refresh_from_db()
    with pytest.raises(ReportRefused) as not_started:
        start_report(pilot, reporting_round(pilot, 2019), people["head"])
    assert "已不是备案试点" in str(not_started.value)


PLAN_2018 = {
    cell_key(1, 2018): "24",  # 万平方米
    cell_key(2, 2018): "500",
    cell_key(5, 2018): "75",  # %
    cell_key(7, 2018): "12",  # planned growth %
    cell_key(8, 2018): "0",
}


def by_number(results):
    return {r.number: r for r in results}


def test_level_indicators_against_plan_by_hand():
    results = by_number(plan_against_actual(PLAN_2018, 2018, {"i1": "27", "i2": "450", "i5": "75"}))
    assert (results[1].met, results[1].percent_of_plan) == (True, Decimal("112.50"))
    assert (results[2].met, results[2].percent_of_plan) == (False, Decimal("90.00"))
    assert (results[5].met, results[5].percent_of_plan) == (True, Decimal("100.00"))  # equal to plan is met
    assert results[3].met is None and results[3].percent_of_plan is None  # nothing planned, nothing reported


def test_growth_indicators_are_computed_from_the_two_counts():
    actuals = {"i7_this": "224", "i7_last": "200", "i8_this": "990", "i8_last": "1000"}
    results = by_number(plan_against_actual(PLAN_2018, 2018, actuals))
    # 224 / 200 − 1 = 12.00 %, exactly the planned 12 %
    assert (results[7].actual, results[7].met, results[7].percent_of_plan) == (
        Decimal("12.00"),
        True,
        Decimal("100.00"),
    )
    # −1.00 % against a planned 0 %: not met, and no percentage of a zero plan
    assert (results[8].actual, results[8].met, results[8].percent_of_plan) == (Decimal("-1.00"), False, None)


@pytest.mark.parametrize(
    ("this", "last", "rate"),
    [("110", "100", Decimal("10.00")), ("1", "3", Decimal("-66.67")), ("5", "0", None), ("", "100", None)],
)
def test_growth_rate_rounding_and_the_cases_without_a_rate(this, last, rate):
    from applications.programmes.zcsq.checks import number

    assert growth_rate(number(this), number(last)) == rate


def test_the_year_is_held_to_the_implementation_opinions_thresholds():
    actuals = {
        "i1": "20",
        "i5": "70",
        "i6": "60",
        "i7_this": "1099",
        "i7_last": "1000",
        "i8_this": "11",
        "i8_last": "10",
    }
    results = {t.label: t.met for t in thresholds_of_the_year(2018, actuals)}
    assert results["创新创业服务载体建筑面积不低于 20 万平方米"] is True
    assert results["特色战略新兴产业建设项目投资占比不低于 70%"] is True
    assert results["高新技术产业年产值占比超过 60%"] is False  # must exceed 60
    assert results["新登记注册的初创企业数年均增长 10% 以上"] is False  # 9.90 %
    assert results["吸纳从业人员数年均增长 10% 以上"] is True


def test_the_suggestion_names_what_fails_and_the_officer_still_decides(pilot, people):
    good = {"i1": "25", "i5": "80", "i6": "65", "i7_this": "120", "i7_last": "100", "i8_this": "12", "i8_last": "10"}
    assert suggested_assessment(PLAN_2018, 2018, good).passes is True
    weak = {**good, "i5": "69"}
    suggestion = suggested_assessment(PLAN_2018, 2018, weak)
    assert not suggestion.passes
    assert "未达到：特色战略新兴产业建设项目投资占比不低于 70%" in suggestion.reasons
    assert any("完成计划的 92.00%" in reason for reason in suggestion.reasons)  # 69 of a planned 75
    report = file_report(pilot, 2018, people, actuals=weak)
    assert perform(report, "pass_assessment", people["province"], reason="综合评定通过").status == ReportStatus.PASSED


def test_acceptance_may_start_from_the_first_day_after_three_pilot_years(pilot, people):
    assert pilot_period_over(pilot, today=beijing(2019, 12, 31).date()) is False
    assert pilot_period_over(pilot, today=beijing(2020, 1, 1).date()) is True
    with pytest.raises(TransitionRefused) as early:
        perform_on_application(pilot, "start_acceptance", people["province"], now=beijing(2019, 12, 31, 23, 59, 59))
    assert early.value.code == "pilot_not_over" and "2017年起" in early.value.message
    moved = perform_on_application(pilot, "start_acceptance", people["province"], now=beijing(2020, 1, 1))
    assert moved.status == Status.UNDER_ACCEPTANCE
    recognised = perform_on_application(moved, "recognise", people["province"], reason="评估验收通过")
    assert recognised.status == Status.RECOGNISED


def test_recognition_issues_a_signed_certificate_through_the_pdf_pipeline(
    pilot, people, client, django_capture_on_commit_callbacks, tmp_path
):
    from applications.domain.certificates import certificate_of
    from applications.models import Package
    from applications.packages.build import verify_url
    from applications.packages.dates import chinese_date
    from applications.packages.signing import signature_status
    from portal.accounts.seals import SIZE as SEAL_PIXELS
    from portal.accounts.seals import give_demo_seal

    from ..applications.fidelity import Paper
    from ..applications.test_packages import page_texts, pdf_bytes

    moved = perform_on_application(pilot, "start_acceptance", people["province"], now=beijing(2020, 1, 2))
    give_demo_seal(moved.call.receiver)
    with django_capture_on_commit_callbacks(execute=True):  # rendered after commit, in-process here
        recognised = perform_on_application(moved, "recognise", people["province"], reason="评估验收合格")
    certificate = certificate_of(recognised)
    certificate.refresh_from_db()
    assert certificate.kind == Package.Kind.CERTIFICATE and certificate.state == Package.State.READY
    data = pdf_bytes(certificate)
    (text,) = page_texts(data, layout=False)  # one page
    flat = "".join(text.split())
    assert "认定证书" in flat and recognised.name in flat and "认定为省级众创社区" in flat  # seed 002's name
    assert "江苏省省级众创社区" not in flat and f"自{recognised.pilot_start_year}年起" in flat
    paper = Paper(data)
    issued = chinese_date(recognised.status_changed_at)
    assert issued in flat
    problems, seals = paper.seal_problems((SEAL_PIXELS, SEAL_PIXELS), [recognised.call.receiver.name, issued])
    assert (problems, seals) == ([], 1)  # the office's seal over its name and the date, nothing else
    assert paper.chars_out_of_place() == [] and paper.missing_glyphs() == []
    assert paper.qr_payloads(tmp_path) == [verify_url(certificate.verify_code)]
    paper.close()
    assert certificate.verify_code in flat
    assert signature_status(data)["intact"] is True
    client.force_login(people["head"])
    page = client.get(reverse("applications:detail", args=[recognised.pk])).content.decode()
    assert "省级众创社区认定证书" in page
    download = client.get(reverse("applications:download_package", args=[recognised.pk, certificate.pk]))
    assert "%E8%AE%A4%E5%AE%9A%E8%AF%81%E4%B9%A6" in download["Content-Disposition"]  # “认定证书” in the name


def test_a_report_for_a_year_outside_the_three_pilot_years_is_refused(pilot, people):
    with pytest.raises(ReportRefused) as refused:
        start_report(pilot, reporting_round(pilot, 2020), people["head"])
    assert "不是本试点的试点年度" in str(refused.value) and not AnnualReport.objects.exists()


# 逾期未报送: a year whose report never reached the province is assessable as 不通过 once the round has closed


def closed(round_):
    """A moment just past the round's last deadline (设区市报送省截止)."""
    return round_.recommendation_deadline + timedelta(seconds=1)


def test_a_report_never_filed_fails_the_year_once_the_round_has_closed(pilot, people):
    from freezegun import freeze_time

    from review.pilots.reports import fail_overdue, overdue

    first, second = reporting_round(pilot, 2017), reporting_round(pilot, 2018)
    started_report(pilot, second.year, people["head"], {"i1": "20"})  # started, never sent
    assessed = Application.objects.filter(pk=pilot.pk)
    assert overdue(assessed, [pilot.call.programme_id]) == []
    with pytest.raises(TransitionRefused) as early:
        fail_overdue(pilot, first, people["province"], "逾期未报送")
    assert early.value.code == "round_open" and not AnnualReport.objects.filter(round=first).exists()
    with freeze_time(closed(second)):
        assert {(p.pk, r.year) for p, r in overdue(assessed, [pilot.call.programme_id])} == {
            (pilot.pk, 2017),
            (pilot.pk, 2018),
        }
        for who in ("head", "city", "other_city"):
            with pytest.raises(TransitionRefused):
                fail_overdue(pilot, first, people[who], "逾期未报送")
        report = fail_overdue(pilot, first, people["province"], "逾期未报送年度报告")
        assert (report.status, report.decided_by) == (ReportStatus.FAILED, people["province"])
        assert Application.objects.get(pk=pilot.pk).status == Status.PILOT
        fail_overdue(pilot, second, people["province"], "逾期未报送年度报告")
    pilot.refresh_from_db()
    assert pilot.status == Status.EXITED and "连续两年（2017、2018年度）未通过年度考核" in pilot.status_reason


def test_a_report_forwarded_in_time_cannot_be_failed_as_overdue(pilot, people):
    from freezegun import freeze_time

    from review.pilots.reports import fail_overdue

    report = file_report(pilot, 2017, people)
    with freeze_time(closed(report.round)), pytest.raises(TransitionRefused) as refused:
        fail_overdue(pilot, report.round, people["province"], "逾期未报送")
    assert refused.value.code == "not_in_table"


def test_the_province_fails_an_overdue_year_from_the_report_list(client, pilot, people):
    from freezegun import freeze_time

    round_ = reporting_round(pilot, 2017)
    client.force_login(people["province"])
    assert "逾期未报送的年度报告" not in client.get(reverse("pilots:list")).content.decode()
    with freeze_time(closed(round_)):
        client.force_login(people["province"])  # the session of a month ago has expired
        page = client.get(reverse("pilots:list")).content.decode()
        assert "逾期未报送的年度报告" in page and pilot.name in page
        response = client.post(
            reverse("pilots:fail_overdue"),
            confirmed({"pilot": pilot.pk, "round": round_.pk, "reason": "逾期未报送年度报告"}),
        )
    report = AnnualReport.objects.get(pilot=pilot, round=round_)
    assert response.url == reverse("pilots:report", args=[report.pk]) and report.status == ReportStatus.FAILED
    event = AuditEvent.objects.for_object(report).get(to_status=ReportStatus.FAILED)
    assert event.reason == "逾期未报送年度报告" and event.user == people["province"]


def test_growth_is_held_to_the_average_over_the_years_reported(pilot, people):
    """Seed 002's 年均增长10%以上: 20% then 5% averages 12.25% a year (√(1.20 × 1.05) − 1), which is met, though
    the second year alone is not."""
    base = {"i1": "25", "i5": "80", "i6": "65"}
    first = {**base, "i7_this": "120", "i7_last": "100", "i8_this": "120", "i8_last": "100"}
    second = {**base, "i7_this": "126", "i7_last": "120", "i8_this": "126", "i8_last": "120"}
    label = "新登记注册的初创企业数年均增长 10% 以上"
    assert {t.label: t.met for t in thresholds_of_the_year(2018, second)}[label] is False  # one year: 5%
    file_report(pilot, 2017, people, actuals=first)
    report = file_report(pilot, 2018, people, actuals=second)
    from review.pilots.indicators import earlier_actuals

    growth = {t.label: t for t in thresholds_of_the_year(2018, second, earlier_actuals(report))}[label]
    assert growth.met is True and "年均（复合）增长 12.25%" in growth.detail
    assert suggested_assessment(PLAN_2018, 2018, second, earlier_actuals(report)).passes is True
