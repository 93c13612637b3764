import math

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from applications.domain.content import ApplicationContent
from applications.models import Application
from applications.programmes import REGISTRY
from applications.status import Status
from demo.data import DEMO_CALL_TITLE, DEMO_PASSWORD
from demo.spaces import CALL_TITLE as SPACES_CALL_TITLE
from portal.accounts.models import Membership, Unit, User
from portal.accounts.roles import Role
from portal.audit.models import AuditEvent
from portal.calls.models import Call
from portal.notifications.models import Notification
from review.domain.ranking import board
from review.models import Assignment, Purpose
from review.pilots.indicators import plan_against_actual
from review.pilots.models import AnnualReport, ReportingRound, ReportStatus
from review.pilots.reports import ReportRefused, start_report
from review.pilots.rules import suggested_assessment


def _snapshot():
    return (
        User.objects.count(),
        Membership.objects.count(),
        Unit.objects.count(),
        Call.objects.count(),
        sorted(Application.objects.values_list("name", "status")),
        AuditEvent.objects.filter(action="transition").count(),
        sorted(AnnualReport.objects.values_list("pilot__name", "round__year", "status")),
        ReportingRound.objects.count(),
        Assignment.objects.count(),
        Notification.objects.count(),
    )


def test_seed_demo_prints_logins_and_is_idempotent(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for login in ("jiangning_clerk", "jiangning_head", "nanjing_city", "province_admin", "expert_nj", "sysadmin"):
        assert login in out
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


def test_the_sample_pages_of_docs_samples_are_made_from_the_demo(tmp_path):
    """docs/samples/README: `manage.py sample_pages` after `seed_demo` writes the four fixed pages as PNG."""
    with pytest.raises(CommandError, match="请先运行 manage.py seed_demo"):
        call_command("sample_pages", out=str(tmp_path))
    call_command("seed_demo")
    call_command("sample_pages", out=str(tmp_path))
    widths = {}
    for path in sorted(tmp_path.iterdir()):
        with Image.open(path) as image:
            widths[path.name] = image.width
    a4 = {dpi: math.ceil(210 / 25.4 * dpi) for dpi in (45, 60)}  # one A4 page at the resolution named
    assert widths == {
        "application-01.png": a4[45],
        "application-opinion.png": a4[60],
        "certificate-01.png": a4[60],
        "city-01.png": a4[60],
    }


# The tests above seed an empty database themselves; those below share the module's demo world (demo_world),
# built when the first of them runs.


def test_demo_covers_every_role_and_zone(demo_world):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    county_zones = Membership.objects.filter(role=Role.APPLICANT_HEAD).values_list("unit__zone", flat=True)
    assert sorted(county_zones).count("苏南") >= 2 and {"苏中", "苏北"} <= set(county_zones)
    expert_cities = Membership.objects.filter(role=Role.EXPERT).values_list("unit__city", flat=True)
    assert len(set(expert_cities)) == 5
    open_now = Call.objects.open_for_filing().filter(is_demo=True)
    assert sorted(open_now.values_list("programme__code", flat=True)) == ["zcsq", "zyhzckj"]  # one per programme


def test_demo_applications_are_in_several_states_with_audit_trails(demo_world):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.CITY_PASSED, Status.RETURNED_BY_CITY} <= statuses
    returned = Application.objects.get(status=Status.RETURNED_BY_CITY)
    assert "四至边界" in AuditEvent.objects.for_object(returned).get(to_status=Status.RETURNED_BY_CITY).reason
    nantong = Application.objects.filter(filing_unit__city__name="南通市").values_list("name", flat=True)
    assert {"通创社区", "开源众创社区", "蓝谷生命健康众创社区"} <= set(nantong)


def test_demo_login_works(demo_world):
    assert User.objects.get(username="rugao_head").check_password(DEMO_PASSWORD)


def test_demo_sysadmin_keeps_the_reporting_rounds_but_no_review_content_or_log(client, demo_world):
    client.force_login(User.objects.get(username="sysadmin"))
    assert client.get(reverse("admin:review_reportinground_changelist")).status_code == 200
    assert client.get(reverse("admin:review_expertprofile_changelist")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code in (403, 404)


def test_demo_has_an_application_scored_by_three_experts_on_the_board(demo_world):
    call = Call.objects.get(title=DEMO_CALL_TITLE)
    (row,) = [r for r in board(call) if r.name == "如皋高新区软件园众创社区"]
    assert (row.status, row.assigned, row.scored) == (Status.UNDER_REVIEW, 3, 3)
    assert 70 < row.score <= 100 and not row.missing_scores
    experts = set(row.assignments.values_list("expert__memberships__unit__city__name", flat=True))
    assert "南通市" not in experts


# --- the pilot years: Nantong's communities of 通政办发〔2017〕93号 -------------------------------------------

FIRST_BATCH = "关于开展首批江苏省众创社区备案试点工作的通知"  # seed 000, loaded by load_calls
P, F = ReportStatus.PASSED, ReportStatus.FAILED


def _nantong():
    return Application.objects.filter(filing_unit__city__code="320600").exclude(call__title=DEMO_CALL_TITLE)


def test_nantong_pilots_start_in_the_years_of_seed_001_within_the_citys_quota(demo_world):
    pilots = {a.name: (a.pilot_start_year, a.call.title) for a in _nantong().filter(pilot_start_year__isnull=False)}
    assert {name: start for name, (start, _) in pilots.items()} == {
        "通创社区": 2017,
        "新材料众创社区": 2017,
        "开源众创社区": 2017,
        "现代家纺众创社区": 2018,
        "生物医药产业众创社区": 2018,
        "跨江融合众创社区": 2018,
    }
    assert {title for start, title in pilots.values() if start == 2017} == {FIRST_BATCH}
    assert all("2018" in title and "演示" in title for start, title in pilots.values() if start == 2018)
    # 苏中: three per city and call — the fourth of each year was ranked out, not pushed through
    closed = _nantong().filter(status=Status.NOT_RECOMMENDED)
    assert sorted(closed.values_list("name", flat=True)) == ["蓝谷生命健康众创社区", "观音山众创社区"]
    assert all("限于推荐名额" in a.status_reason for a in closed)
    for pilot in _nantong().filter(pilot_start_year__isnull=False):
        path = list(
            AuditEvent.objects.for_object(pilot).filter(action="transition").order_by("pk").values_list("to_status")
        )
        assert [s for (s,) in path][:10] == [
            Status.SUBMITTED,
            Status.CITY_PASSED,
            Status.CITY_SELECTED,
            Status.RECOMMENDED,
            Status.ACCEPTED,
            Status.UNDER_REVIEW,
            Status.REVIEWED,
            Status.PROPOSED,
            Status.IN_PUBLICITY,
            Status.PILOT,
        ]
        assert pilot.submitted_at.year == pilot.pilot_start_year  # filed that spring, not on the day of the seed
        assert pilot.assignments.filter(submitted_at__isnull=False, purpose=Purpose.FILING).count() == 3


def test_one_community_exits_after_two_failed_years_and_one_becomes_a_provincial_community(demo_world):
    outcomes = {
        pilot.name: (pilot.status, list(pilot.annual_reports.values_list("round__year", "status")))
        for pilot in _nantong().filter(pilot_start_year__isnull=False)
    }
    assert outcomes == {
        "通创社区": (Status.RECOGNISED, [(2017, P), (2018, P), (2019, P)]),
        "新材料众创社区": (Status.EXITED, [(2017, P), (2018, F), (2019, F)]),
        "开源众创社区": (Status.PILOT, [(2017, P), (2018, P), (2019, P)]),
        "现代家纺众创社区": (Status.PILOT, [(2018, P), (2019, P), (2020, P)]),
        "生物医药产业众创社区": (Status.PILOT, [(2018, P), (2019, F), (2020, P)]),  # fails once, stays
        "跨江融合众创社区": (Status.PILOT, [(2018, P), (2019, P), (2020, P)]),
    }
    exited = _nantong().get(status=Status.EXITED)
    exit_row = AuditEvent.objects.for_object(exited).get(to_status=Status.EXITED)
    assert exit_row.action == "transition" and "连续两年（2018、2019年度）未通过年度考核" in exit_row.reason
    recognised = _nantong().get(status=Status.RECOGNISED)
    steps = AuditEvent.objects.for_object(recognised).filter(to_status__in=[Status.UNDER_ACCEPTANCE, Status.RECOGNISED])
    assert steps.count() == 2 and recognised.status_changed_at.year == 2020  # after its three years
    acceptance = recognised.assignments.filter(purpose=Purpose.ACCEPTANCE).select_related("expert")
    assert acceptance.count() == 3 and all(a.is_submitted for a in acceptance)
    assert not {a.expert.memberships.get().unit.city_id for a in acceptance} & {recognised.filing_unit.city_id}
    assert {s.criterion.purpose for a in acceptance for s in a.scores.all()} == {Purpose.ACCEPTANCE}


def test_every_report_moved_through_its_table_on_historical_dates_with_figures_that_fit_the_decision(demo_world):
    reports = AnnualReport.objects.select_related("round", "pilot")
    assert reports.count() == 6 * 3  # six pilots, three years each (the one that left had no fourth)
    for report in reports:
        path = AuditEvent.objects.for_object(report).filter(action="transition").order_by("pk")
        assert list(path.values_list("from_status", "to_status")) == [
            (ReportStatus.DRAFT, ReportStatus.SUBMITTED),
            (ReportStatus.SUBMITTED, ReportStatus.FORWARDED),
            (ReportStatus.FORWARDED, report.status),
        ]
        assert path.last().reason == report.status_reason and report.status_reason
        year = report.round.year
        assert report.submitted_at <= report.round.filing_deadline and report.decided_at.year == year + 1
        # the province's decision is the one the figures suggest, and the figures sit around the filed plan
        plan = report.pilot.versions.order_by("-number").first().parts["plan"]
        suggestion = suggested_assessment(plan, year, report.actuals)
        assert suggestion.passes == (report.status == P), (report, suggestion.reasons)
        percentages = [r.percent_of_plan for r in plan_against_actual(plan, year, report.actuals)]
        assert None not in percentages  # every indicator reported against a planned figure
        if report.status == P:
            assert all(90 <= p <= 125 for p in percentages), (report, percentages)
        else:
            assert min(percentages) < 90
        assert report.pilot.name in report.narrative and f"{year}年" in report.narrative


def test_this_years_round_is_open_and_the_community_that_left_files_no_more(demo_world):
    now = timezone.now()
    current = ReportingRound.objects.get(year=timezone.localdate().year)
    assert current.opens_at <= now <= current.filing_deadline < current.recommendation_deadline
    assert set(ReportingRound.objects.values_list("year", flat=True)) == {2017, 2018, 2019, 2020, current.year}
    exited = _nantong().get(status=Status.EXITED)
    with pytest.raises(ReportRefused) as refused:  # the county cannot even start the year's report
        start_report(exited, current, User.objects.get(username="haian_head"))
    assert "已不是备案试点" in str(refused.value) and not AnnualReport.objects.filter(pilot=exited, round=current)
    # the history's notices do not flood the bell of the city's officer
    city = User.objects.get(username="nantong_city")
    assert Notification.objects.filter(user=city, message__contains="通创社区").exists()
    assert not Notification.objects.filter(user=city, read_at__isnull=True, message__contains="通创社区").exists()


def test_kunshan_can_file_this_years_report_of_last_years_pilot(client, demo_world):
    pilot = Application.objects.get(name="昆山智能制造众创社区")
    assert (pilot.status, pilot.pilot_start_year) == (Status.PILOT, timezone.localdate().year - 1)
    client.force_login(User.objects.get(username="kunshan_head"))
    page = client.get(reverse("pilots:list")).content.decode()
    assert "昆山智能制造众创社区" in page and f"{timezone.localdate().year}年度" in page and "开始填报" in page


def test_the_second_programme_has_its_own_call_posts_and_a_recommended_space(demo_world):
    applications = Application.objects.filter(call__title=SPACES_CALL_TITLE).select_related("recommender_unit")
    spaces = {a.name: a for a in applications}
    nano, draft = spaces["纳米新材料专业化众创空间"], spaces["工业软件专业化众创空间"]
    assert nano.status == Status.RECOMMENDED and nano.recommender_unit.name == "苏州市科学技术局"
    assert draft.status == Status.DRAFT and draft.recommender_unit.name == "南京高新技术产业开发区"
    assert REGISTRY["zyhzckj"].missing(ApplicationContent(draft)) == []  # its operator only seals and submits
    for username in ("nano_head", "zijin_clerk", "suzhou_kjj", "njgx_zone", "fhq_admin", "kjt_admin"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD), username
