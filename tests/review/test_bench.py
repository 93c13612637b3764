"""seed_bench builds the benchmark call deterministically and fast; benchmark_pages measures it and
writes only its own section of BENCHMARKS.md."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from applications.models import Application, ApplicationPart, ApplicationVersion, Endorsement
from applications.status import VISIBLE_TO_PROVINCE, Status
from portal.accounts.models import Membership, UnitKind
from portal.accounts.roles import Role
from portal.benchmarks import read_section, replace_section
from review.domain.ranking import ON_THE_BOARD, board
from review.management.commands.seed_bench import USER_PREFIX, allocate, bench_call
from review.models import Assignment, ExpertProfile, Score

APPLICATIONS, SCORES = 40, 150


def seed(**options):
    call_command("seed_bench", applications=APPLICATIONS, scores=SCORES, stdout=StringIO(), **options)
    return bench_call()


def snapshot(call):
    applications = sorted(Application.objects.filter(call=call).values_list("name", "status", "filing_unit__code"))
    scores = sorted(
        Score.objects.filter(assignment__application__call=call).values_list(
            "assignment__application__name", "assignment__expert__username", "criterion__order", "points"
        )
    )
    return applications, scores


def test_seed_bench_builds_the_requested_call():
    call = seed()
    applications = Application.objects.filter(call=call)
    assert applications.count() == APPLICATIONS
    assert Score.objects.filter(assignment__application__call=call).count() == SCORES
    assert applications.values("filing_unit__city").distinct().count() == 13
    assert set(applications.values_list("filing_unit__kind", flat=True)) <= {UnitKind.COUNTY, UnitKind.HIGHTECH_ZONE}
    assert all(a.recommender_unit_id == a.filing_unit.city_id for a in applications.select_related("filing_unit"))
    statuses = set(applications.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.UNDER_REVIEW, Status.REVIEWED} <= statuses
    assert applications.filter(status__in=VISIBLE_TO_PROVINCE).count() > APPLICATIONS / 2

    for key in ("declaration", "plan"):
        assert ApplicationPart.objects.filter(application__call=call, key=key).count() == APPLICATIONS
    declaration = ApplicationPart.objects.filter(application__call=call, key="declaration").first()
    assert declaration.data["community_name"] == declaration.application.name
    assert (
        ApplicationVersion.objects.filter(application__call=call).count()
        == applications.exclude(status=Status.DRAFT).count()
    )
    assert Endorsement.objects.filter(call=call, submitted_at__isnull=False).exists()

    # 150 scores over 5 criteria: 30 submitted assignments, their totals written by the database
    submitted = Assignment.objects.filter(application__call=call, submitted_at__isnull=False)
    assert submitted.count() == SCORES // 5
    for assignment in submitted:
        assert assignment.total == assignment.scores.aggregate(t=Sum("points"))["t"]
    assert not Assignment.objects.filter(application__call=call, submitted_at__isnull=True, total__isnull=False)

    experts = Membership.objects.filter(role=Role.EXPERT, user__username__startswith=USER_PREFIX)
    assert experts.count() == 60
    assert not experts.filter(unit__in_jiangsu=True).exists()
    assert ExpertProfile.objects.filter(user__username__startswith=USER_PREFIX).count() == 60
    for role in (Role.PROVINCE, Role.RECOMMENDER, Role.APPLICANT_HEAD):
        assert Membership.objects.filter(role=role, user__username__startswith=USER_PREFIX).exists()


def test_seed_bench_is_deterministic_and_refuses_to_duplicate():
    first = snapshot(seed())
    with pytest.raises(CommandError, match="--reset"):
        seed()
    assert Application.objects.filter(call=bench_call()).count() == APPLICATIONS
    second = snapshot(seed(reset=True))
    assert second == first
    assert Application.objects.filter(call__title=bench_call().title).count() == APPLICATIONS

    call_command("seed_bench", remove=True, stdout=StringIO())
    assert bench_call() is None


def test_the_board_is_computable_on_bench_data():
    call = seed()
    rows = list(board(call))
    assert len(rows) == Application.objects.filter(call=call, status__in=ON_THE_BOARD).count()
    scored = [row for row in rows if row.score is not None]
    assert scored and all(Decimal(0) <= Decimal(str(row.score)) <= 100 for row in scored)
    assert rows[0].score == max(row.score for row in scored)


def test_too_many_scores_are_refused_with_a_reason():
    with pytest.raises(CommandError, match="--scores"):
        call_command("seed_bench", applications=13, scores=100_000, stdout=StringIO())
    assert bench_call() is None


def test_allocation_adds_up():
    shares = (("a", 6), ("b", 50), ("c", 44))
    for total in (1, 13, 40, 301, 3000):
        assert sum(allocate(total, shares).values()) == total


def test_a_section_is_replaced_and_the_others_kept(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    replace_section(path, "packages", "## PDF\n\nold figures")
    replace_section(path, "pages", "## Pages\n\nfirst")
    replace_section(path, "packages", "## PDF\n\nnew figures")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n")
    assert read_section(path, "packages") == "## PDF\n\nnew figures"
    assert read_section(path, "pages") == "## Pages\n\nfirst"
    assert "old figures" not in text and text.index("packages:start") < text.index("pages:start")

    path.write_text("# Benchmarks\n\n<!-- pages:start -->\nno end\n", encoding="utf-8")
    with pytest.raises(ValueError, match="pages"):
        replace_section(path, "pages", "x")


def test_benchmark_pages_writes_its_section_only(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    replace_section(path, "packages", "## PDF 材料生成\n\n典型申报：0.81 s")
    out, err = StringIO(), StringIO()
    call_command("benchmark_pages", sizes=[20], runs=1, export_runs=1, output=str(path), stdout=out, stderr=err)
    assert read_section(path, "packages") == "## PDF 材料生成\n\n典型申报：0.81 s"
    pages = read_section(path, "pages")
    for label in ("县级申报列表", "设区市收件箱", "省级受理", "省级排名", "专家评审列表", "对照：无岗位提示页"):
        assert label in pages
    assert "N = 20" in pages and "Excel 导出" in pages and "### 目标" in pages
    assert "cores" in pages and ("SQLite" in pages or "PostgreSQL" in pages)
    # only one size and not 3000: the timing targets are reported as not measured, never as met
    assert "未测" in pages and "达标：省级受理：N=" not in pages
    assert bench_call() is None  # the benchmark data is removed afterwards
