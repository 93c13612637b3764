"""An expert's scores: within each criterion's range, only after the commitment, locked once submitted."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.accounts.roles import Role
from portal.audit.log import record
from portal.audit.models import AuditAction

from ..models import Assignment, Commitment, Purpose, Score
from .aggregation import record_total
from .rounds import EXPERT_REVIEWS
from .rubric import rubric_for
from .standings import refresh_standing

CONFLICT_BLOCKS_SCORING = "您与这份申报存在利益冲突，不能评分；省级管理员将重新分配。"


def has_committed(expert, call, purpose=Purpose.FILING):
    return Commitment.objects.filter(expert=expert, call=call, purpose=purpose).exists()


def assigned_and_committed(expert):
    """Q over applications an expert sees: assigned to them, and only after accepting that review's 评审承诺书
    (None for a user who is no expert). Added to who sees an application (applications.domain.access)."""
    if not expert.has_role(Role.EXPERT):
        return None
    committed = Commitment.objects.filter(
        call=OuterRef("application__call"), expert=expert, purpose=OuterRef("purpose")
    )
    assigned = Assignment.objects.filter(application=OuterRef("pk"), expert=expert).filter(Exists(committed))
    return Exists(assigned)


def accept_commitment(expert, call, ip=None, purpose=Purpose.FILING):
    commitment, _ = Commitment.objects.get_or_create(expert=expert, call=call, purpose=purpose, defaults={"ip": ip})
    return commitment


def clean_points(criterion, value):
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(f"“{criterion.name}”须为数字。", code="not_a_number") from exc
    if points < 0 or points > criterion.max_points:
        raise ValidationError(
            f"“{criterion.name}”的得分须在 0 到 {format(criterion.max_points.normalize(), 'f')} 之间。",
            code="out_of_range",
        )
    if points != points.quantize(Decimal("0.1")):
        raise ValidationError(f"“{criterion.name}”最多保留一位小数。", code="too_precise")
    return points


COMMENT = "comment"  # the key of the 评审意见's error among the criteria's


def check_scores(criteria, values, submit, comment=""):
    """({criterion id (or COMMENT): error}, {criterion: points}) for the posted values; a submission needs
    every score and the expert's written 评审意见."""
    errors, cleaned = {}, {}
    for criterion in criteria:
        raw = values.get(criterion.pk, "")
        if raw in ("", None):
            if submit:
                errors[criterion.pk] = f"“{criterion.name}”尚未评分。"
            continue
        try:
            cleaned[criterion] = clean_points(criterion, raw)
        except ValidationError as problem:
            errors[criterion.pk] = problem.messages[0]
    if submit and not comment.strip():
        errors[COMMENT] = "提交评分须填写评审意见（对照评审标准说明打分理由）。"
    return errors, cleaned


@transaction.atomic
def save_scores(assignment, expert, values, comment="", submit=False):
    """values: {criterion id: points}. Returns the errors by criterion id (and COMMENT); nothing is
    saved when any. A score is locked only with the expert's written 评审意见: it is what a 论证 records."""
    assignment = Assignment.objects.select_for_update().select_related("application__call").get(pk=assignment.pk)
    if assignment.expert_id != expert.pk:
        raise PermissionError("不是分配给您的评审任务。")
    call = assignment.application.call
    if not has_committed(expert, call, assignment.purpose):
        raise ValidationError("请先阅读并接受评审承诺书。", code="no_commitment")
    if assignment.conflict:
        raise ValidationError(CONFLICT_BLOCKS_SCORING, code="conflict")
    if assignment.is_submitted:
        raise ValidationError("评分已提交，不能修改；如需修改请联系省级管理员重新开放。", code="locked")
    errors, cleaned = check_scores(rubric_for(call, assignment.purpose), values, submit, comment)
    if errors:
        return errors
    for criterion, points in cleaned.items():
        Score.objects.update_or_create(assignment=assignment, criterion=criterion, defaults={"points": points})
    assignment.comment = comment
    if submit:
        assignment.submitted_at = timezone.now()
    assignment.save()
    if submit:
        record_total(assignment)
        refresh_standing(assignment.application)
    return {}


@transaction.atomic
def reopen(assignment, officer, reason, request=None):
    if not reason.strip():
        raise ValidationError("重新开放须填写理由。", code="reason_required")
    application = assignment.application
    if assignment.conflict:
        raise ValidationError("该专家与这份申报存在利益冲突，不能重新开放评分；请撤销分配后重新分配。", code="conflict")
    if not EXPERT_REVIEWS[assignment.purpose].takes(application):
        raise ValidationError(
            f"这份申报当前为“{application.get_status_display()}”，{Purpose(assignment.purpose).label}已结束，不能重新开放评分。",
            code="review_over",
        )
    Assignment.objects.filter(pk=assignment.pk).update(submitted_at=None, reopened_reason=reason, total=None)
    refresh_standing(assignment.application)
    record(AuditAction.TRANSITION, request=request, user=officer, obj=assignment, verb="重新开放评分", reason=reason)
