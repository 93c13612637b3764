"""The pilot years' pages: the report list for each post, one report (fill, review, assess), its evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from applications.validators.uploads import check_upload, clean_filename
from portal.accounts.roles import Role
from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.irreversible import Consequences, ask_once_more, confirmed
from portal.permissions import deny, get_visible_or_404
from portal.workflow import TransitionRefused

from ..refused import Refused
from . import reports as report_rules
from .access import may_edit, pilots_assessed_by, pilots_of, takes_part_in_pilots, visible_reports
from .forms import AnnualReportForm, ReasonForm
from .indicators import earlier_actuals, plan_against_actual, thresholds_of_the_year
from .models import ReportEvidence, ReportingRound
from .plans import filed_plan
from .rules import failing_takes_off_the_list, suggested_assessment
from .workflow import FAIL_OVERDUE, perform, report_workflow


@login_required
def report_list(request):
    """By post, like the dashboards: the county, the city and the province each see their own (maybe none);
    a post of a programme without pilot years (a 专业化众创空间's operator, bureau, association) has none."""
    if not takes_part_in_pilots(request.user):
        deny(request, "pilots:list")
    return _render_list(request)


def _render_list(request, refused=None):
    """The report list; `refused` carries a refused 逾期未报送 assessment back to its row (target: pilot, round)."""
    reports = visible_reports(request.user).order_by("-round__year", "pilot__filing_unit__code")
    started = set(reports.values_list("pilot_id", "round_id"))
    startable = report_rules.startable(pilots_of(request.user), started)
    assessed = pilots_assessed_by(request.user)
    overdue = (
        report_rules.overdue(assessed, assessed.values("call__programme_id"))
        if request.user.has_role(Role.PROVINCE)
        else []
    )
    # each overdue row with the refusal of its own form, if that was the one posted
    overdue = [
        (pilot, round_, refused if refused and refused.target == (pilot.pk, round_.pk) else None)
        for pilot, round_ in overdue
    ]
    context = {"reports": reports, "startable": startable, "overdue": overdue, "refused": refused}
    return render(request, "pilots/list.html", context)


@login_required
@require_POST
def fail_overdue(request):
    """The province assesses a year whose report never reached it by the round's deadline as 不通过."""
    pilot = get_visible_or_404(request, pilots_assessed_by(request.user), request.POST.get("pilot"))
    round_ = get_object_or_404(ReportingRound, pk=request.POST.get("round"))
    reason = request.POST.get("reason", "").strip()
    row = next(t for t in report_workflow.transitions if t.action == FAIL_OVERDUE)
    if not row.reason_refusal(reason) and not confirmed(request):
        consequences = failing_consequences(pilot, round_.year, row.label, reason)
        return ask_once_more(request, consequences, revise_to=reverse("pilots:list"))
    try:
        report = report_rules.fail_overdue(pilot, round_, request.user, reason, request=request)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
        return _render_list(request, Refused(request.POST, "reason", refusal.message, target=(pilot.pk, round_.pk)))
    messages.success(request, f"已将“{pilot.name}”{round_.year}年度评定为年度考核不通过（逾期未报送）。")
    return redirect("pilots:report", report.pk)


@login_required
@require_POST
def start_report(request):
    pilot = get_visible_or_404(request, pilots_of(request.user), request.POST.get("pilot"))
    round_ = get_object_or_404(ReportingRound, pk=request.POST.get("round"))
    try:
        report = report_rules.start_report(pilot, round_, request.user)
    except report_rules.ReportRefused as refused:
        messages.error(request, str(refused))
        return redirect("pilots:list")
    return redirect("pilots:report", report.pk)


@login_required
def report_page(request, pk):
    report = get_visible_or_404(request, visible_reports(request.user), pk)
    editable = may_edit(request.user, report)
    form = _report_form(report, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not editable:
            deny(request, f"pilots:edit:{pk}")
        if form.is_valid():
            report_rules.save_report(report, form.actuals(), form.cleaned_data["narrative"])
            messages.success(request, "已保存。")
            return redirect("pilots:report", pk)
    return render(request, "pilots/report.html", _report_context(request, report, form, editable))


def _report_form(report, data=None):
    return AnnualReportForm(data, year=report.year, initial=AnnualReportForm.initial_from(report))


def _report_context(request, report, form, editable):
    plan = filed_plan(report.pilot)
    earlier = earlier_actuals(report)
    context = {
        "report": report,
        "form": form,
        "editable": editable,
        "results": plan_against_actual(plan, report.year, report.actuals),
        "thresholds": thresholds_of_the_year(report.year, report.actuals, earlier),
        "actions": report_workflow.available(report, request.user),
        "reason_form": ReasonForm(),
        "revising": {"action": request.GET.get("action"), "reason": request.GET.get("reason", "")},
        "evidence": report.evidence.all(),
    }
    if any(t.action in ("pass_assessment", "fail_assessment") for t in context["actions"]):
        context["suggestion"] = suggested_assessment(plan, report.year, report.actuals, earlier)
    return context


def failing_consequences(pilot, year, label, reason):
    """年度考核不通过, and what follows from it: a second failed year in a row takes the pilot off the list."""
    exits = failing_takes_off_the_list(pilot, year)
    return Consequences(
        act=label,
        recipient=f"{pilot.filing_unit.official_name}及{pilot.recommender_unit.official_name}",
        happens=(
            f"“{pilot.name}”{year}年度评定为年度考核不通过，申报单位和推荐单位将看到下面的理由；",
            f"这是连续第二个年度不通过：确认后“{pilot.name}”随即退出试点名单。"
            if exits
            else "连续两个年度不通过的，退出试点名单。",
        ),
        listed=(f"{pilot.name}（{year}年度）",),
        typed=(("理由", reason),),
        cannot_undo="年度考核结论一经确认不能撤销。",
    )


@login_required
@require_POST
def act(request, pk, action):
    report = get_visible_or_404(request, visible_reports(request.user), pk)
    reason = request.POST.get("reason", "").strip()
    transition = report_workflow.find(report.status, action)
    may_act = transition and report_workflow.acting_membership(transition, request.user, report)
    if may_act and transition.irreversible and not confirmed(request) and not transition.reason_refusal(reason):
        consequences = failing_consequences(report.pilot, report.year, transition.label, reason)
        return ask_once_more(request, consequences, revise_to=reverse("pilots:report", args=[pk]) + f"?action={action}")
    try:
        report = perform(report, action, request.user, reason=reason, request=request)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
        if may_act and transition.needs_reason:  # the form comes back as typed, the refusal by its reason
            report.refresh_from_db()
            refused = Refused(request.POST, "reason", refusal.message, target=action)
            context = _report_context(request, report, _report_form(report), may_edit(request.user, report))
            return render(request, "pilots/report.html", context | {"refused": refused})
    else:
        done = report_workflow.label_of(action)
        messages.success(request, f"{report}：已{done}，现为“{report.get_status_display()}”。")
    return redirect("pilots:report", pk)


@login_required
@require_POST
def upload_evidence(request, pk):
    report = get_visible_or_404(request, visible_reports(request.user), pk)
    if not may_edit(request.user, report):
        deny(request, f"pilots:evidence:{pk}")
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, "请选择要上传的文件。")
        return redirect("pilots:report", pk)
    try:
        checked = check_upload(uploaded, report_rules.EVIDENCE_ACCEPTS, report_rules.stored_bytes(report))
    except ValidationError as refused:
        messages.error(request, f"“{clean_filename(uploaded.name)}”未上传：{refused.messages[0]}")
        record(AuditAction.UPLOAD_REFUSED, request=request, obj=report, reason=refused.messages[0])
    else:
        report_rules.add_evidence(report, uploaded, checked, request.user)
        messages.success(request, f"已上传“{checked.original_name}”。")
    return redirect("pilots:report", pk)


@login_required
@require_POST
def delete_evidence(request, pk):
    evidence = get_visible_or_404(request, _visible_evidence(request), pk)
    if not may_edit(request.user, evidence.report):
        deny(request, f"pilots:evidence_delete:{pk}")
    report_rules.remove_evidence(evidence)
    messages.success(request, f"已删除“{evidence.original_name}”。")
    return redirect("pilots:report", evidence.report_id)


@login_required
def evidence_file(request, pk):
    evidence = get_visible_or_404(request, _visible_evidence(request), pk)
    record(AuditAction.DOWNLOAD, request=request, obj=evidence.report, verb=evidence.original_name[:64])
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _visible_evidence(request):
    return ReportEvidence.objects.filter(report__in=visible_reports(request.user)).select_related("report__pilot")
