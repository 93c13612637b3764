"""Turn the database into assignment facts, run the automatic assignment, and record it."""

import re
import secrets
from dataclasses import dataclass

from django.db import transaction

from applications.domain.transitions import perform
from applications.models import Application, ApplicationPart
from applications.status import VISIBLE_TO_PROVINCE, Status
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.audit.log import record
from portal.audit.models import AuditAction

from ..models import Assignment, ConflictDeclaration, ExpertProfile, Purpose, ReviewRound
from .assignment import plan_assignment
from .conflicts import ApplicationFacts, ExpertFacts, conflict_reason
from .standings import refresh_standing, refresh_standings


@dataclass(frozen=True)
class ExpertReview:
    """Which applications a kind of expert review takes, and the move made once experts are assigned."""

    purpose: str
    statuses: tuple  # the stage in which experts are assigned
    on_assignment: dict  # status -> transition action
    listed: tuple  # the statuses its assignment page lists

    @property
    def label(self):
        return Purpose(self.purpose).label

    def takes(self, application):
        """Whether the application is in this review's stage: experts are assigned and scores reopened then."""
        return application.status in self.statuses


EXPERT_REVIEWS = {
    # 通知三、1 专家论证 of the accepted applications
    Purpose.FILING: ExpertReview(
        Purpose.FILING,
        (Status.ACCEPTED, Status.UNDER_REVIEW),
        {Status.ACCEPTED: "start_expert_review"},
        VISIBLE_TO_PROVINCE,
    ),
    # 实施意见三（二）试点期满后评估验收
    Purpose.ACCEPTANCE: ExpertReview(
        Purpose.ACCEPTANCE,
        (Status.UNDER_ACCEPTANCE,),
        {},
        (Status.UNDER_ACCEPTANCE, Status.RECOGNISED, Status.NOT_RECOGNISED),
    ),
}


def experts_of_pool():
    return User.objects.filter(memberships__role=Role.EXPERT, memberships__is_active=True, is_active=True).distinct()


def expert_facts(experts):
    """ExpertFacts for the given users, in three queries whatever their number."""
    experts = list(experts)
    ids = [e.pk for e in experts]
    city_of = {}
    for user_id, city_id in User.objects.filter(pk__in=ids, memberships__role=Role.EXPERT).values_list(
        "pk", "memberships__unit__city_id"
    ):
        city_of.setdefault(user_id, city_id)
    fields = dict(ExpertProfile.objects.filter(user_id__in=ids).values_list("user_id", "fields"))
    conflicts = {pk: {"a": set(), "u": set(), "c": set()} for pk in ids}
    for expert_id, application_id, unit_id, city_id in ConflictDeclaration.objects.filter(
        expert_id__in=ids
    ).values_list("expert_id", "application_id", "unit_id", "city_id"):
        for key, value in (("a", application_id), ("u", unit_id), ("c", city_id)):
            if value:
                conflicts[expert_id][key].add(value)
    return [
        ExpertFacts(
            id=pk,
            city_id=city_of.get(pk),
            fields=frozenset(fields.get(pk) or []),
            conflict_applications=frozenset(conflicts[pk]["a"]),
            conflict_units=frozenset(conflicts[pk]["u"]),
            conflict_cities=frozenset(conflicts[pk]["c"]),
        )
        for pk in ids
    ]


def industry_fields(declaration):
    """The 特色产业领域 of an application as separate fields, to match the experts' fields."""
    text = (declaration or {}).get("featured_industry", "")
    return frozenset(part.strip() for part in re.split(r"[、，,；;/\s]+", text) if part.strip())


def application_facts(application, declaration=None):
    if declaration is None:
        declaration = application.parts.filter(key="declaration").values_list("data", flat=True).first()
    unit = application.filing_unit
    return ApplicationFacts(
        id=application.pk, city_id=unit.city_id, unit_id=unit.pk, fields=industry_fields(declaration)
    )


def _declarations(applications):
    rows = ApplicationPart.objects.filter(application__in=applications, key="declaration")
    return dict(rows.values_list("application_id", "data"))


class AssignmentRefused(Exception):
    pass


def check_manual_assignment(application, expert, purpose=Purpose.FILING):
    """The same rules as the automatic assignment, for a change made by hand (or forged by POST)."""
    if not EXPERT_REVIEWS[purpose].takes(application):
        raise AssignmentRefused(
            f"这份申报当前为“{application.get_status_display()}”，不在{Purpose(purpose).label}阶段。"
        )
    reason = conflict_reason(expert_facts([expert])[0], application_facts(application))
    if reason:
        raise AssignmentRefused(f"不能分配：{reason}。")
    if Assignment.objects.filter(application=application, expert=expert, purpose=purpose).exists():
        raise AssignmentRefused("该专家已分配给这份申报。")


@transaction.atomic
def assign_by_hand(application, expert, reason, request, purpose=Purpose.FILING):
    """An officer adds one expert (with a reason), under the same rules as the automatic assignment."""
    if not reason:
        raise AssignmentRefused("人工调整须填写理由。")
    check_manual_assignment(application, expert, purpose)
    Assignment.objects.create(application=application, expert=expert, manual_reason=reason, purpose=purpose)
    refresh_standing(application)
    record(AuditAction.TRANSITION, request=request, obj=application, verb=f"人工分配专家 {expert}", reason=reason)


@transaction.atomic
def withdraw_assignment(assignment, reason, request):
    """Take an expert off an application (with a reason) while they have not submitted."""
    if assignment.is_submitted:
        raise AssignmentRefused("已提交评分的分配不能撤销。")
    if not reason:
        raise AssignmentRefused("撤销分配须填写理由。")
    assignment.scores.all().delete()
    assignment.delete()
    refresh_standing(assignment.application)
    record(
        AuditAction.TRANSITION,
        request=request,
        obj=assignment.application,
        verb=f"撤销专家分配 {assignment.expert}",
        reason=reason,
    )


def awaiting_experts(call, purpose):
    """The call's applications in this review's stage that have no expert of this review yet."""
    review = EXPERT_REVIEWS[purpose]
    assigned = Assignment.objects.filter(purpose=purpose).values("application_id")
    return Application.objects.filter(call=call, status__in=review.statuses).exclude(pk__in=assigned)


@transaction.atomic
def run_automatic_assignment(call, user, per_application=3, seed=None, purpose=Purpose.FILING):
    """Assign every application of the call awaiting this review's experts; report the impossible ones."""
    seed = secrets.randbits(31) if seed is None else seed
    applications = list(awaiting_experts(call, purpose).select_related("filing_unit"))
    declarations = _declarations(applications)
    facts = [application_facts(a, declarations.get(a.pk, {})) for a in applications]
    plan = plan_assignment(facts, expert_facts(experts_of_pool()), per_application, seed)
    round_ = ReviewRound.objects.create(
        call=call,
        purpose=purpose,
        per_application=per_application,
        seed=seed,
        impossible={str(k): v for k, v in plan.impossible.items()},
        created_by=user,
    )
    by_id = {a.pk: a for a in applications}
    Assignment.objects.bulk_create(
        [
            Assignment(application_id=application_id, expert_id=expert_id, round=round_, purpose=purpose)
            for application_id, expert_ids in plan.assignments.items()
            for expert_id in expert_ids
        ]
    )
    refresh_standings(Application.objects.filter(pk__in=plan.assignments))
    moves = EXPERT_REVIEWS[purpose].on_assignment
    for application_id in plan.assignments:
        application = by_id[application_id]
        if application.status in moves:
            perform(application, moves[application.status], user)
    return round_, plan
