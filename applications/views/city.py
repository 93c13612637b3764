"""Recommender pages: inbox with 初审, ranking within the quota, the 推荐函 and its submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.accounts.roles import Role
from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.calls.deadlines import is_before_deadline, stage_deadline
from portal.calls.models import Call, Stage
from portal.irreversible import Consequences, ask_once_more, confirmed, revising
from portal.permissions import deny, get_visible_or_404
from portal.workflow import TransitionRefused

from .. import queries
from ..domain.access import visible_applications
from ..domain.confirmation import checklist_of, confirm_items, may_confirm, unconfirmed_items
from ..domain.diff import version_diff
from ..domain.endorsement import (
    RankingRefused,
    check_sending,
    default_reason,
    draft_texts,
    letters_in_force,
    missing_reasons,
    move_in_ranking,
    places_already_sent,
    ranked_applications,
    set_ranking,
    submit_to_province,
    withdraw_submission,
)
from ..domain.quota import endorsement_for, quota_for, recommended_count
from ..domain.transitions import RECOMMENDER_OPINION, perform
from ..forms.endorsement import LetterForm
from ..models import ApplicationPart, Package, SentLetter
from ..packages.build import request_letter_package as package_of_letter
from ..programmes import REGISTRY, programme_for
from ..status import Status, statuses_of
from ..tasks import queue_render
from .packages import package_status

DEFAULT_OPINION = "经初审，该申报材料真实、完整，同意推荐。"


def _recommender_unit(request, call):
    """The user's recommending unit for this call, or a logged 404."""
    for membership in request.user.memberships_with(Role.RECOMMENDER):
        if membership.unit.kind in call.recommender_kinds:
            return membership.unit
    deny(request, f"city_call:{call.pk}")


def _call_and_unit(request, call_pk):
    call = get_object_or_404(Call.objects.select_related("programme", "receiver"), pk=call_pk)
    return call, _recommender_unit(request, call)


def _quota_context(call, unit):
    return {"quota": quota_for(call, unit), "used": recommended_count(call, unit)}


@login_required
def inbox(request, call_pk):
    call, unit = _call_and_unit(request, call_pk)
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "-submitted_at")
    applications = queries.recommender_inbox(call, unit, status, sort)
    page = Paginator(applications, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "city/inbox.html",
        {
            "call": call,
            "unit": unit,
            "page": page,
            "status": status,
            "sort": sort,
            "statuses": [s for s in statuses_of(REGISTRY[call.programme.code]) if s != Status.DRAFT],
            "sorts": queries.INBOX_SORTS,
            "query": query.urlencode(),
            "deadline": stage_deadline(call, Stage.RECOMMENDATION),
            "open": is_before_deadline(call, Stage.RECOMMENDATION),
            **_quota_context(call, unit),
        },
    )


@login_required
def ranking(request, call_pk, typed=None, refusal=None):
    call, unit = _call_and_unit(request, call_pk)
    endorsement = endorsement_for(call, unit)
    ranked = list(ranked_applications(call, unit))
    for place, application in enumerate(ranked, start=1):
        application.typed_place = (typed or {}).get(application.pk, place)
    return render(
        request,
        "city/ranking.html",
        {
            "call": call,
            "unit": unit,
            "endorsement": endorsement,
            "ranked": ranked,
            "refusal": refusal,
            "sent": list(ranked_applications(call, unit, (Status.RECOMMENDED, Status.NOT_RECOMMENDED))),
            "open": is_before_deadline(call, Stage.RECOMMENDATION),
            "deadline": stage_deadline(call, Stage.RECOMMENDATION),
            **_quota_context(call, unit),
        },
    )


@login_required
@require_POST
def reorder(request, call_pk):
    """The places the city typed in the 排序 column, all at once; a wrong one is shown with everything typed."""
    call, unit = _call_and_unit(request, call_pk)
    typed = {
        int(key.removeprefix("place-")): value
        for key, value in request.POST.items()
        if key.startswith("place-") and key.removeprefix("place-").isdigit()
    }
    if not is_before_deadline(call, Stage.RECOMMENDATION):
        messages.error(request, "推荐已截止，不能再调整排序。")
        return redirect("city:ranking", call.pk)
    try:
        set_ranking(call, unit, typed)
    except RankingRefused as refusal:
        return ranking(request, call.pk, typed=typed, refusal=refusal)
    messages.success(request, "已按填写的序号调整排序。")
    return redirect("city:ranking", call.pk)


def _ranked_application(request, pk):
    application = get_visible_or_404(request, visible_applications(request.user).with_list_relations(), pk)
    if application.recommender_unit_id not in request.user.unit_ids_for(Role.RECOMMENDER):
        deny(request, f"rank:{pk}")
    return application


@login_required
@require_POST
def move(request, pk, direction):
    application = _ranked_application(request, pk)
    if direction not in ("up", "down"):
        deny(request, f"move:{direction}")
    if application.status not in (Status.CITY_PASSED, Status.CITY_SELECTED):
        messages.error(request, "只能调整初审通过且尚未报送的申报的排序。")
    else:
        move_in_ranking(application, -1 if direction == "up" else 1)
    return redirect("city:ranking", application.call_id)


@login_required
@require_POST
def choose(request, pk, action):
    """Mark or unmark an application for the letter; the quota is the transition's guard."""
    application = _ranked_application(request, pk)
    if action not in ("select_for_recommendation", "deselect"):
        deny(request, f"choose:{action}")
    try:
        perform(application, action, request.user, request=request)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    return redirect("city:ranking", application.call_id)


def _typed(request, applications, prefix):
    """What was posted for each listed application; a field not posted is not a cleared one."""
    posted = {a.pk: request.POST.get(f"{prefix}-{a.pk}") for a in applications}
    return {pk: text for pk, text in posted.items() if text is not None}


def letter_consequences(call, unit, chosen, others, opinions, reasons, supplementary=False):
    """What sending does, named as the letter it seals: a first 推荐函, or a 补充推荐函 whose places follow the
    ones earlier letters took."""
    chain = REGISTRY[call.programme.code].chain
    kind = "补充推荐函" if supplementary else "推荐函"
    first_place = places_already_sent(call, unit) + 1 if supplementary else 1
    return Consequences(
        act=f"加盖公章并报送{kind}",
        recipient=call.receiver.official_name,
        happens=(
            f"以“{unit.official_name}”的名义加盖公章，出具{kind}，随函报送下列 {len(chosen)} 个推荐对象及其申报材料；",
            f"{len(others)} 个初审通过但未列为推荐对象的申报“不予推荐”，申报单位将看到下面填写的理由；"
            if others
            else "没有“不予推荐”的申报；",
            f"报送后{kind}和各项意见不能修改；省级受理前、推荐截止前可整体撤回（连同已报送的各函）。"
            if supplementary
            else "报送后推荐函和各项意见不能修改；省级受理前、推荐截止前可整体撤回。",
        ),
        listed=tuple(f"第 {i} 名：{a.name}" for i, a in enumerate(chosen, first_place)),
        typed=(
            *((f"{chain.recommender_opinion}：{a.name}", opinions.get(a.pk, DEFAULT_OPINION)) for a in chosen),
            *((f"不予推荐理由：{a.name}", reasons.get(a.pk, default_reason(call, unit))) for a in others),
        ),
        cannot_undo=f"加盖公章的{kind}一经报送不能修改。",
    )


@login_required
def letter(request, call_pk):
    call, unit = _call_and_unit(request, call_pk)
    endorsement, chosen, others, letters, drafting = _letter_state(call, unit)
    sending = request.POST.get("action") == "submit" and not revising(request)
    form = LetterForm(
        request.POST or None, instance=endorsement, supplementary=bool(letters) and drafting, sending=sending
    )
    opinions = {**draft_texts(endorsement, "opinions"), **_typed(request, chosen, "opinion")}
    reasons = {**draft_texts(endorsement, "reasons"), **_typed(request, others, "reason")}
    refusal_code = None
    drafts = {"opinions": _keyed(opinions), "reasons": _keyed(reasons)}
    if sending and not confirmed(request) and form.is_valid():
        try:
            check_sending(form.instance, chosen, others, opinions, reasons, timezone.now())
        except TransitionRefused as refusal:  # refused before asking once more, with the message by the field
            form.add_error(None, refusal.message)
            refusal_code = refusal.code
        else:
            consequences = letter_consequences(call, unit, chosen, others, opinions, reasons, bool(letters))
            return ask_once_more(request, consequences)
    posting = request.method == "POST" and not revising(request) and refusal_code is None
    if posting and form.is_valid() and form.saved(request.user, drafts):
        endorsement = form.instance
        if request.POST.get("action") == "submit":
            try:
                submit_to_province(endorsement, request.user, opinions=opinions, reasons=reasons, request=request)
            except TransitionRefused as refusal:
                form.add_error(None, refusal.message)
                refusal_code = refusal.code
            else:
                messages.success(request, f"推荐函及推荐对象已报送{call.receiver.name}。")
                return redirect("city:letter", call.pk)
        else:
            messages.success(request, "推荐函草稿已保存。")
            return redirect("city:letter", call.pk)
    return _render_letter(
        request, call, unit, form, (endorsement, chosen, others, letters, drafting), opinions, reasons, refusal_code
    )


def _letter_state(call, unit):
    """The endorsement, its applications chosen and not, the letters in force, and whether one is being written."""
    endorsement = endorsement_for(call, unit)
    chosen = list(ranked_applications(call, unit, (Status.CITY_SELECTED,)))
    others = list(ranked_applications(call, unit, (Status.CITY_PASSED,)))
    letters = list(letters_in_force(endorsement))
    for sent in letters:
        sent.seal_url = reverse("city:letter_seal", args=[sent.pk]) if sent.seal else ""
    # 补充推荐: once a letter stands, the form writes a further one for what has passed 初审 since
    drafting = not letters or bool(chosen or others)
    return endorsement, chosen, others, letters, drafting


def _render_letter(request, call, unit, form, state, opinions, reasons, refusal_code=None, withdraw_refused=None):
    endorsement, chosen, others, letters, drafting = state
    saved_opinions = _saved_opinions(chosen)
    for application in chosen:
        application.opinion_text = opinions.get(application.pk, saved_opinions.get(application.pk, DEFAULT_OPINION))
        application.opinion_missing = refusal_code == "opinion_missing" and not application.opinion_text.strip()
    default = default_reason(call, unit)
    unexplained = {a.pk for a in missing_reasons(others, reasons, default)} if refusal_code == "reason_required" else ()
    for application in others:
        application.reason_text = reasons.get(application.pk, default)
        application.reason_missing = application.pk in unexplained
    endorsement.refresh_from_db()
    return render(
        request,
        "city/letter.html",
        {
            "call": call,
            "unit": unit,
            "endorsement": endorsement,
            "form": form,
            "chosen": chosen,
            "others": others,
            "letters": letters,
            "drafting": drafting,
            "supplementary": bool(letters),
            "reason_required": not default,
            "chain": REGISTRY[call.programme.code].chain,
            "open": is_before_deadline(call, Stage.RECOMMENDATION),
            "deadline": stage_deadline(call, Stage.RECOMMENDATION),
            "today": timezone.localdate(),
            "withdraw_refused": withdraw_refused,
            **_quota_context(call, unit),
        },
    )


def _keyed(texts):
    return {str(pk): text for pk, text in texts.items()}


def _saved_opinions(applications):
    parts = ApplicationPart.objects.filter(application__in=applications, key=RECOMMENDER_OPINION)
    return {part.application_id: part.data.get("text", "") for part in parts}


@login_required
def letter_seal(request, pk):
    """The seal a sent letter was sealed with, even after the unit has a new one. Seals are printed on every
    document of the chain (see unit_seal), so any signed-in user may see them."""
    letter = get_object_or_404(SentLetter.objects.exclude(seal=""), pk=pk)
    response = FileResponse(default_storage.open(letter.seal, "rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def withdraw(request, call_pk):
    call, unit = _call_and_unit(request, call_pk)
    try:
        withdraw_submission(endorsement_for(call, unit), request.user, request.POST.get("reason", ""), request=request)
    except TransitionRefused as refusal:
        state = _letter_state(call, unit)
        endorsement, letters, drafting = state[0], state[3], state[4]
        form = LetterForm(instance=endorsement, supplementary=bool(letters) and drafting)
        opinions, reasons = draft_texts(endorsement, "opinions"), draft_texts(endorsement, "reasons")
        typed = {"reason": request.POST.get("reason", ""), "message": refusal.message}  # beside the reason
        return _render_letter(request, call, unit, form, state, opinions, reasons, withdraw_refused=typed)
    messages.success(request, "已撤回本市的推荐，可重新排序后再次报送。")
    return redirect("city:letter", call.pk)


@login_required
def diff(request, pk):
    application = get_visible_or_404(request, visible_applications(request.user).with_list_relations(), pk)
    versions = {v.number: v for v in application.versions.all()}
    newest = max(versions, default=0)
    try:
        older = versions[int(request.GET.get("from", newest - 1))]
        newer = versions[int(request.GET.get("to", newest))]
    except (KeyError, ValueError):
        return render(request, "city/diff.html", {"application": application, "versions": versions, "changes": None})
    changes = version_diff(programme_for(application), application.call, older, newer)
    return render(
        request,
        "city/diff.html",
        {
            "application": application,
            "versions": versions,
            "older": older,
            "newer": newer,
            "changes": changes,
        },
    )


@login_required
@require_POST
def request_letter_package(request, call_pk):
    call, unit = _call_and_unit(request, call_pk)
    letters = list(letters_in_force(endorsement_for(call, unit)))
    if not letters:
        messages.error(request, "推荐函报送后才能生成 PDF 材料。")
        return redirect("city:letter", call.pk)
    chosen = next((x for x in letters if str(x.pk) == request.POST.get("letter")), letters[-1])
    package, _ = package_of_letter(chosen)
    if package.state in (Package.State.QUEUED, Package.State.FAILED):
        queue_render(package)
    return redirect("city:package", call.pk, package.pk)


def _letter_package(request, call_pk, package_pk):
    call, unit = _call_and_unit(request, call_pk)
    # Looked up, not endorsement_for(): a refused request must not leave a blank letter behind.
    packages = Package.objects.filter(endorsement__call=call, endorsement__recommender_unit=unit)
    return call, get_visible_or_404(request, packages.select_related("endorsement"), package_pk)


@login_required
def letter_package(request, call_pk, package_pk):
    call, package = _letter_package(request, call_pk, package_pk)
    if request.headers.get("X-Requested-With") == "fetch":
        return package_status(package)
    return render(
        request,
        "packages/pages/package.html",
        {
            "package": package,
            "title": f"{call.title} 推荐函",
            "back_url": reverse("city:letter", args=[call.pk]),
            "status_url": reverse("city:package", args=[call.pk, package.pk]),
            "download_url": reverse("city:package_file", args=[call.pk, package.pk, "pdf"]),
            "archive_url": reverse("city:package_file", args=[call.pk, package.pk, "zip"]),
        },
    )


@login_required
def letter_package_file(request, call_pk, package_pk, fmt):
    call, package = _letter_package(request, call_pk, package_pk)
    field = package.archive if fmt == "zip" else package.file
    if package.state != Package.State.READY or not field or fmt not in ("pdf", "zip"):
        deny(request, f"package:{package_pk}:{fmt}")
    record(AuditAction.DOWNLOAD, request=request, obj=package.endorsement, verb=f"{fmt} {package.verify_code}")
    content_type = "application/zip" if fmt == "zip" else "application/pdf"
    return FileResponse(field.open("rb"), content_type=content_type, filename=f"{call.title}-推荐函.{fmt}")


@login_required
@require_POST
def confirm_checklist(request, pk):
    """初审: the recommender confirms, item by item, what the applicant answered in its checklist."""
    application = get_visible_or_404(request, visible_applications(request.user).with_list_relations(), pk)
    if not may_confirm(request.user, application):
        deny(request, f"confirm_checklist:{pk}")
    checklist = checklist_of(application)
    confirm_items(application, request.user, set(request.POST.getlist("confirmed")))
    left = unconfirmed_items(application)
    if left:
        messages.warning(request, f"已保存{checklist.title}，尚有 {len(left)} 项未确认。")
    else:
        messages.success(request, f"{checklist.title}已全部确认，可以初审通过。")
    return redirect(application)
