"""The city's part of the chain: rank the passed applications, choose within the quota, write the
设区市人民政府意见 and the 推荐函, and send everything to the province in one act — or take it back."""

import hashlib

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.calls.models import Stage
from portal.workflow import TransitionRefused

from ..models import Application, SentLetter
from ..packages.build import request_letter_package
from ..programmes import programme_for
from ..status import VISIBLE_TO_PROVINCE, Status
from ..tasks import queue_render
from .content import ApplicationContent, save_part
from .letters import letter_content
from .quota import lock_endorsement, quota_for, recommended_count
from .transitions import RECOMMENDER_OPINION, opinion_missing, perform, stage_open

QUOTA_REASON = "限于推荐名额，本次未予推荐。"
RANKED = (Status.CITY_PASSED, Status.CITY_SELECTED)
SENT = (Status.RECOMMENDED, Status.NOT_RECOMMENDED)


def ranked_applications(call, recommender_unit, statuses=RANKED):
    """The recommender's passed applications in its order (unranked ones last, by submission)."""
    return (
        Application.objects.filter(call=call, recommender_unit=recommender_unit, status__in=statuses)
        .select_related("filing_unit", "call")
        .order_by(F("city_rank").asc(nulls_last=True), "submitted_at", "pk")
    )


def move_in_ranking(application, direction):
    """Swap the application with its neighbour above (-1) or below (+1) and renumber 1..n."""
    with transaction.atomic():
        lock_endorsement(application.call, application.recommender_unit)
        ordered = list(ranked_applications(application.call, application.recommender_unit))
        index = next(i for i, a in enumerate(ordered) if a.pk == application.pk)
        target = index + direction
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
        for rank, item in enumerate(ordered, start=1):
            if item.city_rank != rank:
                item.city_rank = rank
                item.save(update_fields=["city_rank"])
    return ordered


class RankingRefused(ValueError):
    """Positions the city typed that cannot be an order; message names the application and what to type,
    `application_pk` the place it is said next to."""

    def __init__(self, message, application_pk=None):
        super().__init__(message)
        self.message, self.application_pk = message, application_pk


def set_ranking(call, recommender_unit, positions):
    """The city types each application's place (application pk -> text typed); the list is put in that order.

    An application typed at a new place is taken out and put there; the others close up around it, as in a
    list moved by hand. Every place must be a whole number from 1 to the number of applications, or nothing
    changes."""
    with transaction.atomic():
        lock_endorsement(call, recommender_unit)
        ordered = list(ranked_applications(call, recommender_unit))
        count = len(ordered)
        moved = []
        for index, application in enumerate(ordered, start=1):
            typed = str(positions.get(application.pk, index)).strip()
            if not typed.isdigit() or not 1 <= int(typed) <= count:
                raise RankingRefused(
                    f"“{application.name}”的排序须为 1 至 {count} 之间的整数（填写的是“{typed}”）。", application.pk
                )
            if int(typed) != index:
                moved.append((int(typed), index, application))
        staying = [a for a in ordered if a.pk not in {m.pk for _, _, m in moved}]
        for place, _, application in sorted(moved, key=lambda item: item[:2]):
            staying.insert(place - 1, application)
        for rank, item in enumerate(staying, start=1):
            if item.city_rank != rank:
                item.city_rank = rank
                item.save(update_fields=["city_rank"])
    return staying


def letters_in_force(endorsement):
    """The letters the province holds from this recommender: sent and not withdrawn, first one first."""
    return endorsement.letters.filter(withdrawn_at__isnull=True).order_by("number")


def places_already_sent(call, recommender_unit):
    """The highest 市级排序 of the applications an earlier letter sent on; a 补充推荐 ranks after them."""
    ranks = Application.objects.filter(
        call=call, recommender_unit=recommender_unit, status__in=VISIBLE_TO_PROVINCE, city_rank__isnull=False
    ).values_list("city_rank", flat=True)
    return max(ranks, default=0)


def fix_ranking(ordered, after=0):
    """The order sent with the letter becomes the 市级排序 the province reads: chosen first, after the
    places earlier letters took."""
    for rank, application in enumerate(ordered, start=after + 1):
        if application.city_rank != rank:
            Application.objects.filter(pk=application.pk).update(city_rank=rank)
            application.city_rank = rank


def default_reason(call, recommender_unit):
    """The reason a county reads when the city wrote none: only true when every place is taken.
    With places free there is no default — the city writes its reason."""
    limit = quota_for(call, recommender_unit)
    if limit is not None and recommended_count(call, recommender_unit) >= limit:
        return QUOTA_REASON
    return ""


def missing_reasons(others, reasons, default):
    """The passed applications left out of the letter whose 不予推荐理由 is still to be written."""
    if default:
        return []
    return [application for application in others if not (reasons.get(application.pk) or "").strip()]


def draft_texts(endorsement, kind):
    """What the city typed and saved as a draft ("opinions" or "reasons"), by application pk."""
    return {int(pk): text for pk, text in (endorsement.drafts or {}).get(kind, {}).items()}


def _refuse_and_log(endorsement, user, request, verb, refusal):
    record(
        AuditAction.TRANSITION_REFUSED, request=request, user=user, obj=endorsement, verb=verb, reason=refusal.message
    )


def check_letter(endorsement):
    """What a letter must carry before it is sealed; a 函 goes out under its 发文字号 (GB/T 9704 10.1), so
    the number is asked for at sending (a draft may wait for the office to allot it)."""
    missing = [
        label
        for label, value in (
            ("发文字号", endorsement.document_number),
            ("联系人", endorsement.contact_person),
            ("联系电话", endorsement.contact_phone),
            ("落款日期", endorsement.letter_date),
        )
        if not value
    ]
    if missing:
        raise TransitionRefused(
            f"{endorsement.get_level_display()}尚缺：{'、'.join(missing)}。", code="letter_incomplete"
        )


def _seal_city_opinions(selected, opinions, user, now):
    """The recommender's opinion on each chosen application, or the 承诺书 its programme has it sign;
    returns what was sealed, by application."""
    sealed = {}
    for application in selected:
        pledge = programme_for(application).chain.recommender_pledge
        text = (pledge or opinions.get(application.pk) or "").strip()
        if not text:
            continue  # the transition's guard refuses it, naming the application
        sealed[application.pk] = text
        content = ApplicationContent(application)
        values = {
            "text": text,
            "sealed_by": user.get_username(),
            "sealed_at": now.isoformat(),
            "unit": application.recommender_unit.official_name,
        }
        save_part(application, RECOMMENDER_OPINION, values, content.revision(RECOMMENDER_OPINION), user)
    return sealed


def _file_sha256(field_file):
    with field_file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def snapshot_letter(endorsement, selected, opinions, closed, user, now, supplementary=False):
    """What was sent, as sent: the letter page and its PDF read this and never the live applications. A
    recommender's letter lists its applications at their 市级排序; the province's 推荐公函 in the order chosen."""
    seal = endorsement.recommender_unit.seal
    forwarding = endorsement.level == endorsement.Level.FORWARDING
    return SentLetter.objects.create(
        endorsement=endorsement,
        number=(endorsement.letters.order_by("-number").values_list("number", flat=True).first() or 0) + 1,
        supplementary=supplementary,
        content=letter_content(endorsement, selected, supplementary),
        entries=[
            {
                "application": a.pk,
                "version": a.version,
                "rank": place if forwarding else a.city_rank,
                "name": a.name,
                "unit": a.filing_unit.official_name,
                "opinion": opinions.get(a.pk, ""),
            }
            for place, a in enumerate(selected, start=1)
        ],
        closed=[{"application": a.pk, "name": a.name, "reason": reason} for a, reason in closed],
        seal=seal.name if seal else "",
        seal_sha256=_file_sha256(seal) if seal else "",
        sent_at=now,
        sent_by=user,
    )


def check_sending(endorsement, selected, others, opinions, reasons, now):
    """Raise the refusal a letter meets before anything is sealed, or return the default 不予推荐理由; the
    confirmation page asks once more only when this passes."""
    if endorsement.is_submitted and not selected:
        raise TransitionRefused(
            "本推荐函已报送，请勿重复提交；如需补充推荐，请先在“排序与推荐”中选定补充推荐对象。",
            code="already_submitted",
        )
    stage_open(endorsement.call, Stage.RECOMMENDATION, now)
    check_letter(endorsement)
    if not selected:
        raise TransitionRefused("尚未列出推荐对象。", code="nothing_selected")
    for application in selected:
        if not (programme_for(application).chain.recommender_pledge or opinions.get(application.pk) or "").strip():
            raise opinion_missing(application)
    default = default_reason(endorsement.call, endorsement.recommender_unit)
    unexplained = missing_reasons(others, reasons, default)
    if unexplained:
        names = "、".join(f"“{application.name}”" for application in unexplained)
        raise TransitionRefused(
            f"推荐名额未用满，请写明不予推荐{names}的理由（将告知申报单位）。", code="reason_required"
        )
    return default


def submit_to_province(endorsement, user, *, opinions, reasons=None, request=None, now=None, render=True):
    """通知一、2 + 三、1: every chosen application and the letter go to the province together, before
    the deadline, or nothing moves. Passed applications not chosen are closed as 未推荐 with a reason.
    `render=False` leaves the letter's PDF to be asked for on the letter page (historical demo letters)."""
    now = now or timezone.now()
    reasons = reasons or {}
    verb = "推荐函报送省级"
    try:
        with transaction.atomic():
            locked = lock_endorsement(endorsement.call, endorsement.recommender_unit)
            selected = list(ranked_applications(locked.call, locked.recommender_unit, (Status.CITY_SELECTED,)))
            # 补充推荐: with a letter standing, a further one may send what has been chosen since
            supplementary = locked.is_submitted
            others = list(ranked_applications(locked.call, locked.recommender_unit, (Status.CITY_PASSED,)))
            default = check_sending(locked, selected, others, opinions, reasons, now)
            sealed = _seal_city_opinions(selected, opinions, user, now)
            fix_ranking(selected + others, after=places_already_sent(locked.call, locked.recommender_unit))
            locked.sending, locked.sealed_at, locked.sealed_by = True, now, user
            locked.save()
            for application in selected:
                perform(application, "recommend", user, request=request, now=now)
            closed = []
            for application in others:
                reason = (reasons.get(application.pk) or "").strip() or default
                perform(application, "close_not_recommended", user, reason=reason, request=request, now=now)
                closed.append((application, reason))
            locked.sending, locked.submitted_at = False, now
            locked.withdrawn_at, locked.withdraw_reason = None, ""
            locked.save()
            sent = snapshot_letter(locked, selected, sealed, closed, user, now, supplementary)
            if render:
                queue_letter_package(sent)
    except TransitionRefused as refusal:
        _refuse_and_log(endorsement, user, request, verb, refusal)
        raise
    record(
        AuditAction.TRANSITION,
        request=request,
        user=user,
        obj=locked,
        verb=f"{verb}（{sent.content['title']}）",
        membership=_membership(user, locked),
    )
    return locked


def queue_letter_package(letter):
    """The letter's package (and each application's) render in the background once it is sent. The package row
    is written in the sending transaction: a commit cannot leave the letter without it (see queue_render)."""
    package, created = request_letter_package(letter)
    if created:
        queue_render(package)


def withdraw_submission(endorsement, user, reason, *, request=None, now=None):
    """撤回: before the deadline and before the province accepts, take the whole submission back."""
    now = now or timezone.now()
    verb = "撤回推荐函"
    try:
        with transaction.atomic():
            locked = lock_endorsement(endorsement.call, endorsement.recommender_unit)
            if not locked.is_submitted:
                raise TransitionRefused("尚未报送，无需撤回。", code="not_submitted")
            if not reason.strip():
                raise TransitionRefused("撤回须填写理由。", code="reason_required")
            sent = list(ranked_applications(locked.call, locked.recommender_unit, SENT))
            for application in sent:
                action = "withdraw_recommendation" if application.status == Status.RECOMMENDED else "reopen"
                perform(application, action, user, reason=reason, request=request, now=now)
            if not sent:
                raise TransitionRefused("省级已受理本市报送的申报，不能撤回。", code="already_accepted")
            locked.submitted_at, locked.sealed_at = None, None
            locked.withdrawn_at, locked.withdraw_reason = now, reason
            locked.save()
            letters_in_force(locked).update(withdrawn_at=now, withdraw_reason=reason)
    except TransitionRefused as refusal:
        _refuse_and_log(endorsement, user, request, verb, refusal)
        raise
    record(
        AuditAction.TRANSITION,
        request=request,
        user=user,
        obj=locked,
        verb=verb,
        reason=reason,
        membership=_membership(user, locked),
    )
    return locked


def _membership(user, endorsement):
    return next((m for m in user.active_memberships if m.unit_id == endorsement.recommender_unit_id), None)
