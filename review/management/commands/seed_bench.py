"""Seed one benchmark call at scale: N applications over the 13 设区市, experts, assignments and S scores.

The data is synthetic and deterministic (a fixed random seed gives the same names, statuses, experts
and points on every run) and is meant for measuring pages and exports (`benchmark_pages`), not for
demonstrating the workflow:

- Rows are written with `bulk_create` in batches, so 3000 applications and 10 000 scores take seconds.
  `bulk_create` bypasses `Application.save()` and therefore the workflow's guard on `status`
  (portal/workflow.py GuardedStatusMixin): applications are created directly in their final status,
  without transitions, audit rows, notifications, seals, files or PDFs. That is acceptable ONLY for
  this synthetic benchmark data; nothing else may write statuses this way.
- Assignment totals are filled by one UPDATE with the same weighted-total subquery the scoring page
  uses (review.domain.aggregation.weighted_total); the standings the board reads are then refreshed
  for the whole call (review.domain.standings).
- The call is flagged in its title and as `is_demo`; it sets no quota, so thousands of applications
  may be at the province at once.
- Logins (password below) persist between runs: `bench_province`, `bench_city_<设区市代码>`,
  `bench_head_<县级代码>` for every county-level unit and zone, `bench_expert_01` …. The audit log
  keeps their logins, so they are reused rather than deleted.

Running it again refuses while the benchmark call exists; `--reset` deletes the previous benchmark
call with everything hanging off it and seeds afresh, `--remove` only deletes.
"""

import random
import time
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.domain.letters import letter_content
from applications.domain.transitions import FILING_OPINION, RECOMMENDER_OPINION
from applications.domain.versions import content_hash, threshold_summary
from applications.models import Application, ApplicationPart, ApplicationVersion, Endorsement, Package, SentLetter
from applications.programmes import REGISTRY
from applications.programmes.zcsq.samples import sample_declaration, sample_plan, sample_scheme
from applications.status import VISIBLE_TO_PROVINCE, Status
from portal.accounts.models import Membership, Unit, UnitKind, User
from portal.accounts.regions import JOINT_OFFICE_CODE
from portal.accounts.roles import Role
from portal.calls.models import Call, Programme
from portal.calls.recommenders import recommender_for
from review.domain.aggregation import weighted_total
from review.domain.rubric import rubric_for
from review.domain.standings import refresh_standings
from review.models import Assignment, Commitment, ExpertProfile, ExportJob, Objection, Publicity, ReviewRound, Score

BENCH_CALL_TITLE = "众创社区规模基准测试申报通知（基准测试数据，非真实申报，可随时删除）"
BENCH_PASSWORD = "Bench@2026zc"
USER_PREFIX = "bench_"
EMPLOYER_PREFIX = "BENCH-EMP-"
BATCH = 1000
DEFAULT_SEED = 2026

# Where the applications stand, in percent of N (largest remainder, so the counts add up to N):
# drafts at the counties, some at the cities, most accepted or under review at the province.
STATUS_SHARES = (
    (Status.DRAFT, 6),
    (Status.SUBMITTED, 4),
    (Status.RETURNED_BY_CITY, 2),
    (Status.CITY_PASSED, 3),
    (Status.CITY_SELECTED, 2),
    (Status.NOT_RECOMMENDED, 2),
    (Status.RECOMMENDED, 4),
    (Status.RETURNED_BY_PROVINCE, 1),
    (Status.ACCEPTED, 8),
    (Status.UNDER_REVIEW, 50),
    (Status.REVIEWED, 14),
    (Status.PROPOSED, 2),
    (Status.REJECTED, 2),
)
# Experts are assigned to these; the first group is scored completely before the second starts.
SCORED_IN_FULL = (Status.REVIEWED, Status.PROPOSED, Status.REJECTED)
BEING_SCORED = (Status.UNDER_REVIEW,)
RANKED_BY_CITY = (Status.CITY_SELECTED, Status.NOT_RECOMMENDED, *VISIBLE_TO_PROVINCE)
REASONS = {
    Status.RETURNED_BY_CITY: "四至边界描述不完整，请补充空间布局图。",
    Status.NOT_RECOMMENDED: "限于推荐名额，本次未予推荐。",
    Status.RETURNED_BY_PROVINCE: "分年度计划表缺少2029年指标，请限期补正。",
    Status.REJECTED: "综合评分未达备案要求。",
}
OUTSIDE_UNIVERSITIES = (
    "北京大学", "清华大学", "浙江大学", "上海交通大学", "复旦大学", "中国科学技术大学", "武汉大学",
    "华中科技大学", "中山大学", "西安交通大学", "哈尔滨工业大学", "同济大学", "天津大学", "山东大学",
    "四川大学", "厦门大学", "湖南大学", "重庆大学", "吉林大学", "大连理工大学",
)  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN_NAMES = ("明远", "清和", "若溪", "思齐", "振华", "建国", "志强", "文博", "海峰", "晓东", "雅琴", "立新")
FIELDS = ("智能制造", "新一代信息技术", "生物医药", "新材料", "高端装备", "科技金融", "现代农业", "节能环保")
PLACES = ("科创", "未来", "智造", "数字", "运河", "滨江", "湖畔", "高铁", "大学城", "软件园", "生命", "新材料")
FILING_TEXT = "经审核，申报材料真实、完整，同意推荐。"
COMMENTS = ("特色鲜明，建议备案。", "载体建设扎实，服务链条尚需完善。", "产业集聚度一般，建议加强规划引领。")


def analyse(vacuum=False):
    """Fresh planner statistics after a bulk load, as a live database would have them; with `vacuum`,
    also the space of the rows a reseed deleted reclaimed, as autovacuum would. VACUUM cannot run in a
    transaction (a test's), where only the statistics are refreshed."""
    if connection.vendor == "postgresql":
        vacuum = vacuum and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def bench_call():
    return Call.objects.filter(title=BENCH_CALL_TITLE).first()


def allocate(total, shares):
    """{status: count} proportional to the shares, adding up to `total` (largest remainder)."""
    whole = sum(share for _, share in shares)
    exact = [(status, total * share / whole) for status, share in shares]
    counts = {status: int(value) for status, value in exact}
    left = total - sum(counts.values())
    by_remainder = sorted(exact, key=lambda item: (-(item[1] - int(item[1])), [s for s, _ in shares].index(item[0])))
    for status, _ in by_remainder[:left]:
        counts[status] += 1
    return counts


@transaction.atomic
def remove_bench_data():
    """Delete the benchmark call and everything hanging off it. Logins, units and the audit log stay."""
    call = bench_call()
    if call is None:
        return 0
    applications = Application.objects.filter(call=call)
    for job in ExportJob.objects.filter(call=call):
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(call=call).delete()
    Objection.objects.filter(publicity__call=call).delete()
    Publicity.objects.filter(call=call).delete()
    Score.objects.filter(assignment__application__call=call).delete()
    Assignment.objects.filter(application__call=call).delete()
    ReviewRound.objects.filter(call=call).delete()
    Commitment.objects.filter(call=call).delete()
    Package.objects.filter(Q(application__call=call) | Q(endorsement__call=call)).delete()
    ApplicationVersion.objects.filter(application__call=call).delete()
    ApplicationPart.objects.filter(application__call=call).delete()
    SentLetter.objects.filter(endorsement__call=call).delete()
    Endorsement.objects.filter(call=call).delete()
    removed = applications.count()
    applications.delete()
    call.delete()
    return removed


class Seeder:
    def __init__(self, applications, scores, experts, seed):
        self.n, self.scores, self.expert_count, self.seed = applications, scores, experts, seed
        self.random = random.Random(seed)
        self.now = timezone.now().replace(microsecond=0)

    # --- reference data -------------------------------------------------------------------------

    def call(self):
        office = Unit.objects.get(code=JOINT_OFFICE_CODE)
        today = timezone.localdate()
        return Call.objects.create(
            programme=Programme.objects.get(code="zcsq"),
            title=BENCH_CALL_TITLE,
            document_number="基准测试〔2026〕1号",
            issuing_body=office,
            receiver=office,
            issue_date=today - timedelta(days=10),
            opens_at=self.now - timedelta(days=10),
            filing_deadline=self.now + timedelta(days=20),
            recommendation_deadline=self.now + timedelta(days=30),
            filing_unit_kinds=[UnitKind.COUNTY, UnitKind.HIGHTECH_ZONE],
            recommender_kinds=[UnitKind.CITY],
            quota_by_zone={},
            paper_copies=2,
            plan_first_year=2027,
            plan_years=3,
            is_demo=True,
        )

    def units(self, call):
        cities = list(Unit.objects.filter(kind=UnitKind.CITY).order_by("code"))
        filing = (
            Unit.objects.filter(kind__in=call.filing_unit_kinds, is_active=True, city__isnull=False)
            .select_related("parent__parent")
            .order_by("code")
        )
        by_city = defaultdict(list)
        self.recommender = {}
        for unit in filing:
            self.recommender[unit.pk] = recommender_for(call, unit)
            by_city[unit.city_id].append(unit)
        if len(cities) != 13 or any(not by_city[c.pk] for c in cities):
            raise CommandError("需要江苏省 13 个设区市及其县级单位：请先运行 manage.py load_regions。")
        return cities, by_city

    def people(self, cities, by_city):
        """Logins for every role, created once and reused by later runs."""
        password = make_password(BENCH_PASSWORD)
        employers = []
        for number in range(1, (self.expert_count + 2) // 3 + 1):
            name = OUTSIDE_UNIVERSITIES[(number - 1) % len(OUTSIDE_UNIVERSITIES)]
            suffix = "" if number <= len(OUTSIDE_UNIVERSITIES) else f"第{number}分部"
            code = f"{EMPLOYER_PREFIX}{number:02d}"
            employers.append(Unit(code=code, name=name + suffix, kind=UnitKind.EMPLOYER, in_jiangsu=False))
        Unit.objects.bulk_create(employers, ignore_conflicts=True)
        employer = {u.code: u for u in Unit.objects.filter(code__startswith=EMPLOYER_PREFIX)}
        office = Unit.objects.get(code=JOINT_OFFICE_CODE)
        wanted = [(f"{USER_PREFIX}province", "基准省联席办管理员", office, Role.PROVINCE)]
        wanted += [(f"{USER_PREFIX}city_{c.code}", f"{c.name}审核人（基准）", c, Role.RECOMMENDER) for c in cities]
        for city in cities:
            for unit in by_city[city.pk]:
                head = (f"{USER_PREFIX}head_{unit.code}", f"{unit.name}负责人（基准）", unit, Role.APPLICANT_HEAD)
                wanted.append(head)
        experts = []
        for number in range(1, self.expert_count + 1):
            name = SURNAMES[(number * 7) % len(SURNAMES)] + GIVEN_NAMES[(number * 5) % len(GIVEN_NAMES)]
            unit = employer[f"{EMPLOYER_PREFIX}{(number - 1) // 3 + 1:02d}"]
            username = f"{USER_PREFIX}expert_{number:02d}"
            wanted.append((username, name, unit, Role.EXPERT))
            experts.append(username)
        now = timezone.now()
        User.objects.bulk_create(
            [
                User(username=u, full_name=n, password=password, must_change_password=False, password_changed_at=now)
                for u, n, _, _ in wanted
            ],
            ignore_conflicts=True,
        )
        # Logins persist between runs: ones made before the password policy existed are brought in line.
        User.objects.filter(username__in=[w[0] for w in wanted]).update(
            must_change_password=False, password_changed_at=now
        )
        users = {u.username: u for u in User.objects.filter(username__in=[w[0] for w in wanted])}
        TOTPDevice.objects.bulk_create(
            [
                TOTPDevice(user=users[u], name="基准身份验证器", confirmed=True)
                for u, _, _, role in wanted
                if role in settings.SECOND_FACTOR_ROLES and not TOTPDevice.objects.filter(user=users[u]).exists()
            ]
        )
        Membership.objects.bulk_create(
            [Membership(user=users[u], unit=unit, role=role) for u, _, unit, role in wanted],
            ignore_conflicts=True,
            batch_size=BATCH,
        )
        ExpertProfile.objects.bulk_create(
            [
                ExpertProfile(
                    user=users[u], title="教授", fields=[FIELDS[i % len(FIELDS)], FIELDS[(i + 3) % len(FIELDS)]]
                )
                for i, u in enumerate(experts)
            ],
            ignore_conflicts=True,
        )
        return users, [users[u] for u in experts]

    # --- applications -----------------------------------------------------------------------------

    def statuses(self):
        counts = allocate(self.n, STATUS_SHARES)
        statuses = [status for status, _ in STATUS_SHARES for _ in range(counts[status])]
        self.random.shuffle(statuses)
        return statuses

    def applications(self, call, cities, by_city, users):
        programme = REGISTRY[call.programme.code]
        years = call.plan_year_range
        statuses = self.statuses()
        rows, parts_of = [], []
        serial, city_rank = Counter(), Counter()
        for index, status in enumerate(statuses):
            city = cities[index % len(cities)]  # every city gets its share
            unit = self.random.choice(by_city[city.pk])
            serial[unit.pk] += 1
            place = self.random.choice(PLACES)
            name = f"{unit.name}{place}众创社区{serial[unit.pk]:03d}（基准）"
            variant = "strong" if self.random.random() < 0.7 else "weak"
            head = users[f"{USER_PREFIX}head_{unit.code}"]
            recommender = self.recommender[unit.pk]
            if status in RANKED_BY_CITY:  # 市级排序 1..n per city, in order of submission
                city_rank[recommender.pk] += 1
            submitted_at = None if status == Status.DRAFT else self.now - timedelta(minutes=7 * (len(statuses) - index))
            rows.append(
                Application(
                    call=call,
                    filing_unit=unit,
                    recommender_unit=recommender,
                    name=name,
                    status=status,
                    version=0 if status == Status.DRAFT else 1,
                    submitted_at=submitted_at,
                    status_changed_at=submitted_at,
                    status_reason=REASONS.get(status, ""),
                    city_rank=city_rank[recommender.pk] if status in RANKED_BY_CITY else None,
                    cluster_pilot=status in VISIBLE_TO_PROVINCE and self.random.random() < 0.05,
                    created_by=head,
                )
            )
            parts = {
                "declaration": sample_declaration(name, unit, variant),
                "scheme": sample_scheme(name, unit, programme.outline_sections, repeat=1),
                "plan": sample_plan(programme, years, variant),
                "spatial": {"started": "no"},
            }
            if status != Status.DRAFT:
                parts[FILING_OPINION] = {"text": FILING_TEXT, "sealed_at": submitted_at.isoformat()}
            if status in VISIBLE_TO_PROVINCE:
                parts[RECOMMENDER_OPINION] = {"text": "同意推荐。", "sealed_at": submitted_at.isoformat()}
            parts_of.append((head, parts))
            if status != Status.DRAFT:
                rows[-1].filed_thresholds = threshold_summary(rows[-1], parts)
        Application.objects.bulk_create(rows, batch_size=BATCH)
        ApplicationPart.objects.bulk_create(
            [
                ApplicationPart(application=a, key=key, data=data, revision=1, saved_by=head, saved_at=self.now)
                for a, (head, parts) in zip(rows, parts_of, strict=True)
                for key, data in parts.items()
            ],
            batch_size=BATCH,
        )
        ApplicationVersion.objects.bulk_create(
            [
                ApplicationVersion(
                    application=a,
                    number=1,
                    frozen_at=a.submitted_at,
                    frozen_by=head,
                    parts=dict(sorted(parts.items())),
                    files=[],
                    content_hash=content_hash(dict(sorted(parts.items())), []),
                    thresholds=a.filed_thresholds,
                )
                for a, (head, parts) in zip(rows, parts_of, strict=True)
                if a.status != Status.DRAFT
            ],
            batch_size=BATCH,
        )
        return rows

    def endorsements(self, call, applications, users):
        sent = sorted({a.recommender_unit_id for a in applications if a.status in VISIBLE_TO_PROVINCE})
        code_of = dict(Unit.objects.filter(pk__in=sent).values_list("pk", "code"))
        Endorsement.objects.bulk_create(
            [
                Endorsement(
                    call=call,
                    recommender_unit_id=unit_id,
                    document_number=f"基准测试〔2026〕{unit_id}号",
                    contact_person="王科长",
                    contact_phone="025-83232116",
                    letter_date=timezone.localdate(),
                    revision=1,
                    sealed_at=self.now - timedelta(days=1),
                    sealed_by=users[f"{USER_PREFIX}city_{code_of[unit_id]}"],
                    submitted_at=self.now - timedelta(days=1),
                )
                for unit_id in sent
            ]
        )
        self.sent_letters(call, applications)
        return len(sent)

    def sent_letters(self, call, applications):
        """Each city's letter as sent, listing what it sent on (the inbox and the export read these)."""
        by_city = {}
        for application in sorted(applications, key=lambda a: (a.city_rank or 0, a.pk)):
            if application.status in VISIBLE_TO_PROVINCE:
                by_city.setdefault(application.recommender_unit_id, []).append(application)
        endorsements = Endorsement.objects.filter(call=call).select_related("recommender_unit", "call__programme")
        SentLetter.objects.bulk_create(
            [
                SentLetter(
                    endorsement=endorsement,
                    number=1,
                    content=letter_content(endorsement, by_city[endorsement.recommender_unit_id]),
                    entries=[
                        {"application": a.pk, "version": a.version, "rank": a.city_rank, "name": a.name}
                        for a in by_city[endorsement.recommender_unit_id]
                    ],
                    sent_at=endorsement.submitted_at,
                    sent_by=endorsement.sealed_by,
                )
                for endorsement in endorsements
            ],
            batch_size=BATCH,
        )

    # --- review -----------------------------------------------------------------------------------

    def review(self, call, applications, experts, officer):
        criteria = rubric_for(call)
        per_assignment = len(criteria)
        wanted, partial = divmod(self.scores, per_assignment)
        round_ = ReviewRound.objects.create(call=call, per_application=3, seed=self.seed, created_by=officer)
        in_full = [a for a in applications if a.status in SCORED_IN_FULL]
        in_progress = [a for a in applications if a.status in BEING_SCORED]
        planned = []  # (application, expert, submit order key)
        for group, application_list in enumerate((in_full, in_progress)):
            for position, application in enumerate(application_list):
                panel = 5 if self.random.random() < 0.12 else 3
                for seat, expert in enumerate(self.random.sample(experts, min(panel, len(experts)))):
                    # complete applications first; then the others one expert at a time, round-robin
                    order = (group, position, seat) if group == 0 else (group, seat, position)
                    planned.append((order, application, expert))
        capacity = len(planned) * per_assignment
        if self.scores > capacity:
            raise CommandError(
                f"--scores {self.scores} 超过可容纳的评分数 {capacity}"
                f"（{len(planned)} 项分配 × {per_assignment} 个评审维度）："
                "请减少 --scores 或增加 --applications。"
            )
        planned.sort(key=lambda item: item[0])
        assignments = []
        for index, (_, application, expert) in enumerate(planned):
            submitted = index < wanted
            assignments.append(
                Assignment(
                    application=application,
                    expert=expert,
                    round=round_,
                    submitted_at=self.now - timedelta(minutes=index) if submitted else None,
                    comment=COMMENTS[index % len(COMMENTS)] if submitted else "",
                )
            )
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        quality = {a.pk: self.random.uniform(9.0, 18.0) for a in applications}
        leniency = {e.pk: self.random.uniform(-3.0, 2.0) for e in experts}
        scores = []
        for index, assignment in enumerate(assignments[: wanted + (1 if partial else 0)]):
            count = per_assignment if index < wanted else partial
            for criterion in criteria[:count]:
                raw = quality[assignment.application.pk] + leniency[assignment.expert.pk] + self.random.gauss(0, 1.5)
                points = min(float(criterion.max_points), max(0.0, round(raw * 2) / 2))
                scores.append(Score(assignment=assignment, criterion=criterion, points=Decimal(f"{points:.1f}")))
        Score.objects.bulk_create(scores, batch_size=BATCH)
        Assignment.objects.filter(round=round_, submitted_at__isnull=False).update(total=weighted_total())
        analyse()  # without fresh statistics PostgreSQL plans the refresh as nested loops (40 s instead of 0.4 s)
        refresh_standings(Application.objects.filter(call=call))
        Commitment.objects.bulk_create(
            [Commitment(expert=e, call=call) for e in {a.expert for a in assignments}], ignore_conflicts=True
        )
        return len(assignments), wanted, len(scores)

    @transaction.atomic
    def run(self):
        call = self.call()
        cities, by_city = self.units(call)
        users, experts = self.people(cities, by_city)
        applications = self.applications(call, cities, by_city, users)
        letters = self.endorsements(call, applications, users)
        assignments, submitted, scores = self.review(call, applications, experts, users[f"{USER_PREFIX}province"])
        return {
            "call": call,
            "applications": len(applications),
            "cities": len({a.filing_unit.city_id for a in applications}),
            "statuses": Counter(a.status for a in applications),
            "endorsements": letters,
            "experts": len(experts),
            "assignments": assignments,
            "submitted": submitted,
            "scores": scores,
        }


def seed_bench(applications=3000, scores=10_000, experts=60, seed=DEFAULT_SEED):
    return Seeder(applications, scores, experts, seed).run()


class Command(BaseCommand):
    help = "生成规模基准测试数据：N 份申报分布于 13 个设区市、专家、分配与评分（确定性，批量写入）。"

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=3000, help="申报数（默认 3000）")
        parser.add_argument("--scores", type=int, default=10_000, help="Score 行数（默认 10000）")
        parser.add_argument("--experts", type=int, default=60, help="评审专家数（默认 60）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子（默认 2026）")
        parser.add_argument("--reset", action="store_true", help="先删除上一次的基准数据再生成")
        parser.add_argument("--remove", action="store_true", help="只删除基准数据")

    def handle(self, *args, applications, scores, experts, seed, reset, remove, **options):
        if remove:
            removed = remove_bench_data()
            self.stdout.write(f"已删除基准通知及其 {removed} 份申报。")
            return
        if applications < 1 or scores < 0 or experts < 5:
            raise CommandError("--applications 须 ≥ 1，--scores 须 ≥ 0，--experts 须 ≥ 5。")
        existing = bench_call()
        if existing and not reset:
            raise CommandError(
                f"基准数据已存在（通知 #{existing.pk}“{existing.title}”）。"
                "使用 --reset 删除后重新生成，或 --remove 只删除。"
            )
        started = time.perf_counter()
        if existing:
            removed = remove_bench_data()
            self.stdout.write(f"已删除上一次的基准数据（{removed} 份申报）：{time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        result = seed_bench(applications, scores, experts, seed)
        elapsed = time.perf_counter() - started
        counts = result["statuses"]
        statuses = "、".join(f"{s.label} {counts[s]}" for s, _ in STATUS_SHARES if counts[s])
        self.stdout.write(
            f"基准通知 #{result['call'].pk}：{result['applications']} 份申报"
            f"（{result['cities']} 个设区市；{statuses}），"
            f"{result['endorsements']} 份推荐函，{result['experts']} 位专家，{result['assignments']} 项分配"
            f"（已提交 {result['submitted']}），{result['scores']} 条评分；用时 {elapsed:.1f} s。"
        )
        self.stdout.write(
            f"登录：{USER_PREFIX}province、{USER_PREFIX}city_320100、{USER_PREFIX}head_320115、"
            f"{USER_PREFIX}expert_01 …，密码 {BENCH_PASSWORD}"
        )
