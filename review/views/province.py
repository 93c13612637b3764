"""Provincial office pages: inbox of city submissions, 受理/形式审查, expert assignment and progress."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from applications.domain.access import manages_call, visible_applications
from applications.models import Application, Endorsement, Package, SentLetter
from applications.status import VISIBLE_TO_PROVINCE
from portal.accounts.models import Unit, UnitKind, User
from portal.accounts.roles import Role
from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.calls.deadlines import stage_deadline
from portal.calls.models import Call, Stage
from portal.notifications.delivery import notify
from portal.permissions import deny, get_visible_or_404
from portal.workflow import TransitionRefused

from ..domain import formal_review
from ..domain.aggregation import aggregate_expression, counted
from ..domain.conflicts_declared import RulingRefused, declare_conflict, rule_on_conflict
from ..domain.rounds import (
    EXPERT_REVIEWS,
    AssignmentRefused,
    assign_by_hand,
    experts_of_pool,
    run_automatic_assignment,
    withdraw_assignment,
)
from ..domain.scoring import reopen
from ..forms import AutoAssignmentForm, ManualAssignmentForm, PoolConflictForm
from ..models import Assignment, Commitment, Purpose
from ..refused import Refused

INBOX_PAGE = 50  # applications a page, grouped by the city that sent them
# what the inbox rows print: the rest of each row stays in the database
INBOX_FIELDS = ("name", "status", "city_rank", "recommender_unit_id", "filing_unit__name", "filing_unit__kind")
FILING_KINDS = (UnitKind.COUNTY, UnitKind.HIGHTECH_ZONE, UnitKind.DEVELOPMENT_ZONE, UnitKind.OPERATOR)


def managed_call(request, call_pk):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=call_pk)
    if not manages_call(request.user, call):
        deny(request, f"province_call:{call_pk}")
    return call


@login_required
def inbox(request, call_pk):
    call = managed_call(request, call_pk)
    applications = (
        Application.objects.filter(call=call, status__in=VISIBLE_TO_PROVINCE)
        .select_related("filing_unit")
        .only(*INBOX_FIELDS)
        .order_by("recommender_unit__code", "city_rank", "pk")
    )
    page = Paginator(applications, INBOX_PAGE).get_page(request.GET.get("page"))
    by_recommender = {}
    for application in page:
        by_recommender.setdefault(application.recommender_unit_id, []).append(application)
    endorsements = (
        Endorsement.objects.filter(call=call, submitted_at__isnull=False, recommender_unit_id__in=by_recommender)
        .select_related("recommender_unit")
        .order_by("recommender_unit__code")
    )
    letters = {}
    for letter in SentLetter.objects.filter(endorsement__in=endorsements, withdrawn_at__isnull=True).order_by("number"):
        letters.setdefault(letter.endorsement_id, []).append(letter)
    packages = {
        p.letter_id: p
        for p in Package.objects.filter(letter__in=[x for group in letters.values() for x in group])
        .filter(state=Package.State.READY)
        .order_by("rendered_at")
    }
    for letter in (x for group in letters.values() for x in group):
        letter.package = packages.get(letter.pk)
    rows = [
        {
            "endorsement": e,
            "applications": by_recommender.get(e.recommender_unit_id, []),
            "letters": letters.get(e.pk, []),
        }
        for e in endorsements
    ]
    return render(
        request,
        "province/inbox.html",
        {
            "call": call,
            "rows": rows,
            "page": page,
            "deadline": stage_deadline(call, Stage.RECOMMENDATION),
        },
    )


@login_required
def package_file(request, call_pk, package_pk, fmt):
    call = managed_call(request, call_pk)
    package = get_visible_or_404(
        request, Package.objects.filter(endorsement__call=call, state=Package.State.READY), package_pk
    )
    field = package.archive if fmt == "zip" else package.file
    if not field or fmt not in ("pdf", "zip"):
        deny(request, f"package:{package_pk}:{fmt}")
    record(AuditAction.DOWNLOAD, request=request, obj=package.endorsement, verb=f"{fmt} {package.verify_code}")
    return FileResponse(field.open("rb"), filename=f"{package.endorsement.recommender_unit.name}-推荐材料.{fmt}")


def application_for_province(request, pk):
    application = get_visible_or_404(request, visible_applications(request.user).with_list_relations(), pk)
    if not request.user.has_role(Role.PROVINCE):
        deny(request, f"formal_review:{pk}")
    return application


@login_required
def review_formally(request, pk):
    application = application_for_province(request, pk)
    refused = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "accept":
                formal_review.accept(application, request.user, set(request.POST.getlist("confirmed")), request=request)
                messages.success(request, "已受理。")
            else:
                fix_by = parse_date(request.POST.get("fix_by"))
                formal_review.return_for_correction(
                    application, request.user, request.POST.get("reason", ""), fix_by, request=request
                )
                messages.success(request, "已退回推荐单位限期修改。")
            return redirect("province:inbox", application.call_id)
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
            refused = Refused(request.POST, FORMAL_REVIEW_FIELDS.get(refusal.code, ""), refusal.message)
    return render(
        request,
        "province/formal_review.html",
        {
            "application": application,
            "items": formal_review.checklist(application),
            "confirmed": set(request.POST.getlist("confirmed")),
            "refused": refused,
        },
    )


# the field each refusal of 形式审查 is about
FORMAL_REVIEW_FIELDS = {"fix_by_missing": "fix_by", "reason_required": "reason", "checklist_incomplete": "confirmed"}


def parse_ids(values):
    """The selected rows' ids, in the order ticked, each once; anything not a number is ignored."""
    ids = []
    for value in values:
        if value.isdigit() and int(value) not in ids:
            ids.append(int(value))
    return ids


def parse_date(text):
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def expert_review_of(request):
    """The review a page is about: 备案评审 unless ?purpose= names another (an unknown one is a 404)."""
    value = request.POST.get("purpose") or request.GET.get("purpose") or Purpose.FILING
    if value not in EXPERT_REVIEWS:
        deny(request, f"purpose:{value[:20]}")
    return EXPERT_REVIEWS[Purpose(value)]


def _review_page(name, call, purpose):
    """A province page of one expert review (备案评审 or 评估验收): `name` is assignment or progress."""
    return f"{reverse(f'province:{name}', args=[call.pk])}?purpose={purpose}"


@login_required
def assignment(request, call_pk):
    call = managed_call(request, call_pk)
    review = expert_review_of(request)
    form = AutoAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        per_application, seed = form.cleaned_data["per_application"], form.cleaned_data["seed"]
        round_, plan = run_automatic_assignment(call, request.user, per_application, seed, purpose=review.purpose)
        verb = f"自动分配专家（{review.label}）"
        record(AuditAction.TRANSITION, request=request, obj=call, verb=verb, reason=f"种子 {round_.seed}")
        messages.success(request, f"已分配 {len(plan.assignments)} 份申报（随机种子 {round_.seed}，可据此复核）。")
        names = dict(Application.objects.filter(pk__in=map(int, plan.impossible)).values_list("pk", "name"))
        for application_id, reason in plan.impossible.items():
            messages.warning(request, f"“{names[int(application_id)]}”无法分配专家：{reason}")
        return redirect(_review_page("assignment", call, review.purpose))
    return _render_assignment(request, call, review, form)


def _render_assignment(request, call, review, form=None, refused=None, unassign_refused=None):
    """The assignment page; `form` (自动分配), `refused` (application pk, 人工增加 form) or `unassign_refused`
    (撤销, by assignment) carry a refused post back to it, values and messages beside the fields."""
    of_review = Assignment.objects.filter(purpose=review.purpose).select_related("expert")
    applications = (
        counted(Application.objects.filter(call=call, status__in=review.listed), review.purpose)
        .annotate(score=aggregate_expression(call, review.purpose))
        .select_related("filing_unit")
        .prefetch_related(Prefetch("assignments", of_review))
        .order_by("filing_unit__code", "pk")
    )
    if refused:
        applications = list(applications)
        for application in applications:
            application.refused = refused[1] if application.pk == refused[0] else None
    return render(
        request,
        "province/assignment.html",
        {
            "call": call,
            "review": review,
            "form": form or AutoAssignmentForm(),
            "applications": applications,
            "experts": experts_of_pool().order_by("username"),
            "rounds": call.review_rounds.filter(purpose=review.purpose)[:5],
            "unassign_refused": unassign_refused,
        },
    )


@login_required
@require_POST
def assign_manually(request, pk):
    application = application_for_province(request, pk)
    review = expert_review_of(request)
    form = ManualAssignmentForm(request.POST, experts=experts_of_pool())
    if form.is_valid():
        expert, reason = form.cleaned_data["expert"], form.cleaned_data["reason"].strip()
        try:
            assign_by_hand(application, expert, reason, request, review.purpose)
        except AssignmentRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect(_review_page("assignment", application.call, review.purpose))
    reason = "；".join(message for errors in form.errors.values() for message in errors)
    record(AuditAction.TRANSITION_REFUSED, request=request, obj=application, verb="人工分配专家", reason=reason[:500])
    return _render_assignment(request, application.call, review, refused=(application.pk, form))


@login_required
def progress(request, call_pk):
    call = managed_call(request, call_pk)
    review = expert_review_of(request)
    if request.method == "POST":
        late = experts_behind(call, review.purpose)
        notify(late, f"《{call.title}》{review.label}尚有评审任务未提交，请尽快完成评分。", "/review/expert/")
        record(AuditAction.TRANSITION, request=request, obj=call, verb="提醒专家", reason=f"{len(late)} 位")
        messages.success(request, f"已提醒 {len(late)} 位专家。")
        return redirect(_review_page("progress", call, review.purpose))
    return _render_progress(request, call, review)


def _experts_of(call, purpose):
    of_call = Q(assignments__application__call=call, assignments__purpose=purpose)
    return (
        User.objects.filter(of_call)
        .annotate(
            total=Count("assignments", filter=of_call),
            done=Count("assignments", filter=of_call & Q(assignments__submitted_at__isnull=False)),
        )
        .order_by("username")
    )


def experts_behind(call, purpose):
    return [e for e in _experts_of(call, purpose) if e.done < e.total]


def _render_progress(request, call, review, refused=None):
    """The progress page; `refused` carries a refused 利益冲突 ruling back to its row, reason and message."""
    committed = set(Commitment.objects.filter(call=call, purpose=review.purpose).values_list("expert_id", flat=True))
    assignments = (
        Assignment.objects.filter(application__call=call, purpose=review.purpose)
        .select_related("application", "expert")
        .order_by("application__pk", "expert__username")
    )
    return render(
        request,
        "province/progress.html",
        {
            "call": call,
            "assignments": assignments,
            "experts": _experts_of(call, review.purpose),
            "committed": committed,
            "review": review,
            "refused": refused,
        },
    )


@login_required
def expert_pool(request):
    if not request.user.has_role(Role.PROVINCE):
        deny(request, "expert_pool")
    experts = experts_of_pool().select_related("expert_profile").prefetch_related("memberships__unit__city")
    experts = experts.annotate(conflict_count=Count("conflicts", distinct=True)).order_by("username")
    units = Unit.objects.filter(kind__in=FILING_KINDS, is_active=True).order_by("code")
    form = PoolConflictForm(request.POST or None, units=units, experts=experts_of_pool().order_by("username"))
    if request.method == "POST" and form.is_valid():
        expert, unit = form.cleaned_data["expert"], form.cleaned_data["unit"]
        declare_conflict(expert, request.user, unit=unit, reason=form.cleaned_data["reason"], request=request)
        record(AuditAction.TRANSITION, request=request, obj=expert, verb="登记利益冲突", reason=unit.name)
        messages.success(request, f"已登记 {expert} 与 {unit.official_name} 的利益冲突。")
        return redirect("province:experts")
    page = Paginator(experts, 30).get_page(request.GET.get("page"))
    return render(request, "province/experts.html", {"page": page, "form": form})


@login_required
@require_POST
def reopen_scores(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("application__call"), pk=pk)
    managed_call(request, assignment.application.call_id)
    try:
        reopen(assignment, request.user, request.POST.get("reason", ""), request=request)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
        refused = Refused(request.POST, "reason", refusal.messages[0], target=assignment.pk)
        review = EXPERT_REVIEWS[assignment.purpose]
        return _render_progress(request, assignment.application.call, review, refused=refused)
    messages.success(request, "已重新开放该专家的评分。")
    return redirect(_review_page("progress", assignment.application.call, assignment.purpose))


@login_required
@require_POST
def unassign(request, pk):
    """Take an expert off an application (with a reason) while they have not submitted."""
    assignment = get_object_or_404(Assignment.objects.select_related("application__call", "expert"), pk=pk)
    managed_call(request, assignment.application.call_id)
    try:
        withdraw_assignment(assignment, request.POST.get("reason", "").strip(), request)
    except AssignmentRefused as refusal:
        messages.error(request, str(refusal))
        record(
            AuditAction.TRANSITION_REFUSED,
            request=request,
            obj=assignment.application,
            verb="撤销专家分配",
            reason=str(refusal),
        )
        refused = Refused(request.POST, "reason", str(refusal), target=assignment.pk)
        review = EXPERT_REVIEWS[assignment.purpose]
        return _render_assignment(request, assignment.application.call, review, unassign_refused=refused)
    messages.success(request, "已撤销该专家的分配。")
    return redirect(_review_page("assignment", assignment.application.call, assignment.purpose))


@login_required
@require_POST
def conflict_ruling(request, pk):
    """Keep or discard a score submitted by an expert who has a conflict with the application."""
    assignment = get_object_or_404(Assignment.objects.select_related("application__call"), pk=pk)
    managed_call(request, assignment.application.call_id)
    try:
        ruled = rule_on_conflict(
            assignment, request.user, request.POST.get("ruling", ""), request.POST.get("reason", ""), request=request
        )
    except RulingRefused as refusal:
        messages.error(request, str(refusal))
        refused = Refused(request.POST, "reason", str(refusal), target=assignment.pk)
        review = EXPERT_REVIEWS[assignment.purpose]
        return _render_progress(request, assignment.application.call, review, refused=refused)
    messages.success(request, f"已{ruled.get_conflict_ruling_display()}。")
    return redirect(_review_page("progress", assignment.application.call, assignment.purpose))
