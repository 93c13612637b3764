"""Recording conflicts of interest, declared by the expert or added by the province (on its expert page or
in the admin site), and what a conflict found after an assignment does to it: the expert can no longer score,
the assignment and progress pages show it, the province withdraws and reassigns, and a score already
submitted is kept out of the standing until the province keeps or discards it (with a reason, audited)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from applications.models import Application
from portal.audit.log import record
from portal.audit.models import AuditAction

from ..models import Assignment, ConflictDeclaration, ConflictRuling
from .standings import refresh_standings


class RulingRefused(Exception):
    pass


def conflict_label(conflict):
    """How a conflict reads on an assignment: what it is with, who declared it and when."""
    who = "专家本人申明" if conflict.declared_by_id == conflict.expert_id else f"{conflict.declared_by}登记"
    target = conflict.application or conflict.unit or conflict.city
    day = timezone.localtime(conflict.declared_at or timezone.now())
    return f"{who}与{target}存在利益冲突（{day:%Y-%m-%d}）"[:200]


def assignments_under(conflict):
    """The expert's assignments that `conflict` covers: its application, filing unit or city."""
    covers = Q()
    if conflict.application_id:
        covers |= Q(application_id=conflict.application_id)
    if conflict.unit_id:
        covers |= Q(application__filing_unit_id=conflict.unit_id)
    if conflict.city_id:
        covers |= Q(application__filing_unit__city_id=conflict.city_id)
    return Assignment.objects.filter(covers, expert_id=conflict.expert_id)


@transaction.atomic
def flag_assignments(conflict, request=None):
    """Mark the assignments a newly recorded conflict covers (already-flagged ones keep their first
    conflict and any ruling); refresh their applications' standings."""
    flagged = list(assignments_under(conflict).filter(conflict="").select_related("application", "expert"))
    label = conflict_label(conflict)
    for assignment in flagged:
        Assignment.objects.filter(pk=assignment.pk).update(conflict=label, conflict_ruling=ConflictRuling.PENDING)
        record(
            AuditAction.TRANSITION,
            request=request,
            user=conflict.declared_by,
            obj=assignment.application,
            verb=f"专家 {assignment.expert} 在分配后出现利益冲突",
            reason=label,
        )
    if flagged:
        refresh_standings(Application.objects.filter(pk__in={a.application_id for a in flagged}))
    return flagged


def declare_conflict(expert, declared_by, *, unit=None, application=None, city=None, reason="", request=None):
    conflict, created = ConflictDeclaration.objects.get_or_create(
        expert=expert,
        unit=unit,
        application=application,
        city=city,
        defaults={"declared_by": declared_by, "reason": reason[:200]},
    )
    if created:
        flag_assignments(conflict, request=request)
    return conflict


@transaction.atomic
def rule_on_conflict(assignment, officer, ruling, reason, request=None):
    """The province keeps or discards a score submitted under a conflict of interest, with a reason."""
    assignment = Assignment.objects.select_for_update().select_related("application", "expert").get(pk=assignment.pk)
    if ruling not in (ConflictRuling.KEPT, ConflictRuling.DISCARDED):
        raise RulingRefused("请选择保留或作废该评分。")
    if not reason.strip():
        raise RulingRefused("请填写处理理由。")
    if not assignment.awaits_ruling:
        raise RulingRefused("该评分没有待处理的利益冲突。")
    assignment.conflict_ruling, assignment.conflict_ruling_reason = ruling, reason.strip()[:200]
    assignment.save(update_fields=["conflict_ruling", "conflict_ruling_reason"])
    refresh_standings(Application.objects.filter(pk=assignment.application_id))
    record(
        AuditAction.TRANSITION,
        request=request,
        user=officer,
        obj=assignment.application,
        verb=f"利益冲突评分{ConflictRuling(ruling).label}（专家 {assignment.expert}）",
        reason=reason.strip(),
    )
    return assignment
