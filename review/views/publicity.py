"""公示: the officer's page (objections, confirmation of 备案试点) and the public pages (no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from applications.status import Status
from portal.irreversible import Consequences, ask_once_more, confirmed, revising
from portal.workflow import TransitionRefused

from ..domain import publicity as rules
from ..domain.batches import BatchRefused, rows_in_order
from ..models import Objection, Publicity
from ..refused import Refused
from .province import managed_call, parse_date, parse_ids


def _managed_publicity(request, pk):
    publicity = get_object_or_404(Publicity.objects.select_related("call", "call__programme"), pk=pk)
    managed_call(request, publicity.call_id)
    return publicity


@login_required
def publicity_detail(request, pk):
    return _render_publicity(request, _managed_publicity(request, pk))


def _render_publicity(request, publicity, refused=None):
    applications = publicity.applications.select_related("filing_unit", "filing_unit__city").order_by(
        "filing_unit__city__code", "pk"
    )
    objections = {}
    for objection in publicity.objections.order_by("received_on", "pk"):
        objections.setdefault(objection.application_id, []).append(objection)
    typed_ids = set(parse_ids(request.GET.getlist("ids")))  # brought back by 返回修改 of the confirmation
    for application in applications:
        application.objection_list = objections.get(application.pk, [])
        application.checked = application.pk in typed_ids
    return render(
        request,
        "province/publicity.html",
        {
            "publicity": publicity,
            "applications": applications,
            "running": rules.is_running(publicity),
            "over": rules.is_over(publicity),
            "outcomes": [Objection.Outcome.DISMISSED, Objection.Outcome.UPHELD],
            "default_year": request.GET.get("start_year") or _offered_start_year(publicity.call),
            "today": timezone.localdate(),
            "refused": refused,
        },
    )


# the field each refusal of the 公示 rules is about
FIELD_OF = {
    "summary_required": "summary",
    "received_on": "received_on",
    "not_in_publicity": "application",
    "outcome_required": "outcome",
    "reason_required": "note",
}


def _refused(request, publicity, refusal, target=None):
    field = FIELD_OF.get(refusal.code, "")
    return _render_publicity(request, publicity, Refused(request.POST, field, refusal.message, target))


@login_required
@require_POST
def record_objection(request, pk):
    publicity = _managed_publicity(request, pk)
    application = get_object_or_404(publicity.applications.all(), pk=request.POST.get("application") or 0)
    try:
        rules.record_objection(
            publicity,
            application,
            request.user,
            received_on=parse_date(request.POST.get("received_on"))
            if request.POST.get("received_on")
            else timezone.localdate(),
            summary=request.POST.get("summary", ""),
        )
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return _refused(request, publicity, refused)
    messages.success(request, f"已登记对“{application.name}”的异议，核查结论记录前不能确认备案试点。")
    return redirect("province:publicity", publicity.pk)


def upholding_consequences(objection, note):
    application = objection.application
    return Consequences(
        act="公示异议成立，不予备案",
        recipient=f"{application.filing_unit.official_name}及{application.recommender_unit.official_name}",
        happens=(
            f"记录核查结论“异议成立”，“{application.name}”不予备案，不再确认为备案试点；",
            "申报单位和推荐单位将收到通知，并看到下面的核查说明。",
        ),
        listed=(application.name,),
        typed=(("核查说明", note),),
        cannot_undo="异议成立、不予备案的决定一经确认不能撤销。",
    )


@login_required
@require_POST
def decide_objection(request, pk):
    objection = get_object_or_404(
        Objection.objects.select_related("application__filing_unit", "application__recommender_unit"), pk=pk
    )
    publicity = _managed_publicity(request, objection.publicity_id)
    outcome, note = request.POST.get("outcome", ""), request.POST.get("note", "")
    if revising(request):  # back from the confirmation, with what was chosen and typed
        return _render_publicity(request, publicity, Refused(request.POST, "", "", objection.pk))
    upholding = outcome == Objection.Outcome.UPHELD and objection.outcome == Objection.Outcome.PENDING
    if upholding and note.strip() and not confirmed(request):
        return ask_once_more(request, upholding_consequences(objection, note.strip()))
    try:
        rules.decide_objection(objection, outcome, note, request.user, request=request)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return _refused(request, publicity, refused, target=objection.pk)
    messages.success(request, f"已记录核查结论：{objection.get_outcome_display()}。")
    return redirect("province:publicity", publicity.pk)


def _offered_start_year(call):
    """The call's first plan year when the rule allows it, else this year."""
    first = call.plan_first_year
    return first if first and not rules.start_year_problem(first) else timezone.localdate().year


@login_required
@require_POST
def confirm_pilots(request, pk):
    publicity = _managed_publicity(request, pk)
    ids = parse_ids(request.POST.getlist("ids"))
    year = request.POST.get("start_year", "").strip()
    message = rules.start_year_problem(year)
    if message:
        messages.error(request, f"未作任何更改：{message}")
        return _render_publicity(request, publicity, Refused(request.POST, "start_year", message))
    if not confirmed(request):
        try:
            rows = rows_in_order(publicity.applications.select_related("filing_unit"), ids, "不在本次公示名单中")
        except BatchRefused as refused:
            messages.error(request, f"未作任何更改：{refused.message}")
            return _render_publicity(request, publicity, Refused(request.POST, "ids", refused.message))
        consequences = Consequences(
            act="确认备案试点",
            recipient="各申报单位、推荐单位，并列入备案试点名单",
            happens=(
                f"确认下列 {len(rows)} 家为备案试点，试点期 3 年，自 {year or '（未填写）'} 年起；",
                "此后每年须报送试点年度报告、接受年度考核，期满后评估验收。",
            ),
            listed=tuple(f"{row.name}（{row.filing_unit.official_name}）" for row in rows),
            cannot_undo="确认备案试点后不能撤销。",
        )
        return ask_once_more(request, consequences, revise_to=reverse("province:publicity", args=[publicity.pk]))
    try:
        rules.confirm_pilots(publicity, ids, user=request.user, start_year=int(year), request=request)
    except BatchRefused as refused:
        messages.error(request, f"未作任何更改：{refused.message}")
        return _render_publicity(request, publicity, Refused(request.POST, "ids", refused.message))
    messages.success(request, f"已确认 {len(ids)} 家为备案试点（{year}年起，试点期3年）。")
    return redirect("province:publicity", publicity.pk)


def public_list(request):
    publicities = Publicity.objects.filter(starts_on__lte=timezone.localdate()).select_related("call")
    return render(request, "publicity/list.html", {"publicities": publicities[:50]})


def public_detail(request, pk):
    publicity = get_object_or_404(
        Publicity.objects.select_related("call__programme", "call__issuing_body"),
        pk=pk,
        starts_on__lte=timezone.localdate(),
    )
    published = publicity.published
    withdrawn = set(publicity.applications.filter(status=Status.REJECTED).values_list("pk", flat=True))
    rows = [{**row, "withdrawn": row["id"] in withdrawn} for row in published["rows"]]
    return render(
        request,
        "publicity/detail.html",
        {"publicity": publicity, "published": published, "rows": rows, "running": rules.is_running(publicity)},
    )
