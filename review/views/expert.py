from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import TemplateView

from portal.accounts.models import Unit, UnitKind
from portal.accounts.roles import Role
from portal.audit.log import client_ip, record
from portal.audit.models import AuditAction
from portal.calls.models import Call
from portal.irreversible import Consequences, ask_once_more, confirmed, revising
from portal.permissions import PermissionRequiredMixin, deny, get_visible_or_404

from ..domain.conflicts_declared import declare_conflict
from ..domain.rubric import rubric_for
from ..domain.scoring import COMMENT, accept_commitment, check_scores, has_committed, save_scores
from ..forms import ConflictForm
from ..models import Assignment, Commitment, ConflictDeclaration, Purpose
from ..refused import Refused

CONFLICT_KINDS = (UnitKind.CITY, UnitKind.COUNTY, UnitKind.HIGHTECH_ZONE, UnitKind.DEVELOPMENT_ZONE, UnitKind.OPERATOR)

COMMITMENT_TEXT = (
    "本人承诺：对评审材料和评审结果严格保密，不复制、不外传；与所评申报单位不存在利益冲突，存在或发现利益冲突时立即申明"
    "并回避；独立、客观、公正地作出评价，不受任何单位和个人影响。"
)


class ExpertDashboard(PermissionRequiredMixin, TemplateView):
    permission_required = "review.view_expert_dashboard"
    template_name = "dashboards/expert.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        assignments = Assignment.objects.filter(expert=user).select_related(
            "application", "application__call", "application__filing_unit"
        )
        committed = set(Commitment.objects.filter(expert=user).values_list("call_id", "purpose"))
        page = Paginator(assignments, 20).get_page(self.request.GET.get("page"))
        for assignment in page:
            assignment.committed = (assignment.application.call_id, assignment.purpose) in committed
        return super().get_context_data(page=page, **kwargs)


def _purpose(request):
    value = request.GET.get("purpose", Purpose.FILING)
    return Purpose(value) if value in Purpose.values else None


@login_required
def commitment(request, call_pk):
    """The 评审承诺书 of one call's review (?purpose=acceptance for its 评估验收)."""
    call = get_object_or_404(Call, pk=call_pk)
    purpose = _purpose(request)
    mine = Assignment.objects.filter(expert=request.user, application__call=call, purpose=purpose)
    if purpose is None or not mine.exists():
        deny(request, f"commitment:{call_pk}")
    refusal = ""
    if request.method == "POST":
        if request.POST.get("agree") != "on":
            refusal = "须勾选同意后才能开始评审。"
        else:
            accept_commitment(request.user, call, ip=client_ip(request), purpose=purpose)
            record(AuditAction.TRANSITION, request=request, obj=call, verb=f"接受评审承诺书（{purpose.label}）")
            return redirect("review:expert_dashboard")
    return render(
        request,
        "review/commitment.html",
        {
            "call": call,
            "purpose": purpose,
            "text": COMMITMENT_TEXT,
            "accepted": has_committed(request.user, call, purpose),
            "refusal": refusal,
        },
    )


def scoring_consequences(assignment, cleaned, comment):
    total = sum(cleaned.values())
    return Consequences(
        act="提交评分",
        recipient=f"{assignment.application.call.receiver.official_name}（汇总得分与排名）",
        happens=(
            f"提交对“{assignment.application.name}”的{assignment.get_purpose_display()}评分，合计 {total:g} 分；",
            "提交后评分锁定，本人不能再修改；只有省级管理员写明理由才能重新开放。",
        ),
        listed=tuple(f"{criterion.name}：{points:g} 分" for criterion, points in cleaned.items()),
        typed=(("评审意见", comment),),
        cannot_undo="提交的评分不能由本人撤回或修改。",
    )


@login_required
def score(request, pk):
    assignment = get_visible_or_404(
        request, Assignment.objects.filter(expert=request.user).select_related("application__call"), pk
    )
    call = assignment.application.call
    if not has_committed(request.user, call, assignment.purpose):
        if request.method == "POST":
            record(
                AuditAction.TRANSITION_REFUSED, request=request, obj=assignment, verb="评分", reason="未接受评审承诺书"
            )
        return redirect(f"{reverse('review:commitment', args=[call.pk])}?purpose={assignment.purpose}")
    criteria = rubric_for(call, assignment.purpose)
    errors, values = {}, _stored_scores(assignment)
    comment = assignment.comment
    if request.method == "POST":
        values = {c.pk: request.POST.get(f"criterion-{c.pk}", "").strip() for c in criteria}
        comment = request.POST.get("comment", "")
        submit = request.POST.get("action") == "submit"
        if submit and not confirmed(request) and not revising(request) and not assignment.is_submitted:
            problems, cleaned = check_scores(criteria, values, submit=True, comment=comment)
            if not problems:
                return ask_once_more(request, scoring_consequences(assignment, cleaned, comment))
    if request.method == "POST" and not revising(request):
        try:
            errors = save_scores(assignment, request.user, values, comment, submit=submit)
        except ValidationError as refused:
            messages.error(request, refused.messages[0])
            record(
                AuditAction.TRANSITION_REFUSED, request=request, obj=assignment, verb="评分", reason=refused.messages[0]
            )
        else:
            if not errors:
                messages.success(request, "评分已提交，不能再修改。" if submit else "评分草稿已保存。")
                return redirect("review:score", assignment.pk)
            record(
                AuditAction.TRANSITION_REFUSED,
                request=request,
                obj=assignment,
                verb="评分",
                reason="；".join(errors.values())[:500],
            )
        assignment.refresh_from_db()
    return _render_score(request, assignment, criteria, values, comment, errors)


def _render_score(request, assignment, criteria, values, comment, errors, conflict_refused=None):
    """The score page; `conflict_refused` carries a refused 申明利益冲突 back to its form."""
    rows = [{"criterion": c, "value": values.get(c.pk, ""), "error": errors.get(c.pk)} for c in criteria]
    if assignment.is_submitted:
        comment = assignment.comment
    return render(
        request,
        "review/score.html",
        {
            "assignment": assignment,
            "rows": rows,
            "call": assignment.application.call,
            "comment": comment,
            "comment_error": errors.get(COMMENT),
            "conflict_refused": conflict_refused,
        },
    )


def _stored_scores(assignment):
    return {s.criterion_id: s.points for s in assignment.scores.all()}


@login_required
def declare_conflicts(request):
    """Before a round the expert declares the units, cities or applications they must stay away from."""
    if not request.user.has_role(Role.EXPERT):
        deny(request, "declare_conflicts")
    if request.method == "POST" and request.POST.get("assignment"):
        mine = Assignment.objects.filter(expert=request.user).select_related("application")
        assignment = get_visible_or_404(request, mine, request.POST["assignment"])
        reason, limit = request.POST.get("reason", ""), ConflictForm.base_fields["reason"].max_length
        if len(reason) > limit:
            refused = Refused(request.POST, "reason", f"说明不能超过 {limit} 个字，未申明利益冲突。")
            criteria = rubric_for(assignment.application.call, assignment.purpose)
            values, comment = _stored_scores(assignment), assignment.comment
            return _render_score(request, assignment, criteria, values, comment, {}, conflict_refused=refused)
        declare_conflict(
            request.user, request.user, application=assignment.application, reason=reason, request=request
        )  # fmt: skip
        messages.success(request, f"已申明与“{assignment.application.name}”的利益冲突，您不再评审这份申报。")
        return redirect("review:expert_dashboard")
    units = Unit.objects.filter(kind__in=CONFLICT_KINDS, is_active=True).order_by("code")
    form = ConflictForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        field = "city" if unit.kind == UnitKind.CITY else "unit"
        declare_conflict(
            request.user, request.user, reason=form.cleaned_data["reason"], request=request, **{field: unit}
        )  # fmt: skip
        messages.success(request, f"已申明与 {unit.official_name} 的利益冲突，分配时将回避，已分配的不再评审。")
        return redirect("review:conflicts")
    return render(
        request,
        "review/conflicts.html",
        {
            "conflicts": ConflictDeclaration.objects.filter(expert=request.user).select_related(
                "unit", "city", "application"
            ),
            "form": form,
        },
    )
