"""受理 and 形式审查: what the receiving office checks on each recommended application, and the 限期修改
return to the recommender."""

from dataclasses import dataclass

from django.utils import timezone

from applications.domain.content import ApplicationContent, save_part
from applications.domain.corrections import FORMAL_REVIEW
from applications.domain.transitions import perform
from applications.models import Endorsement
from applications.programmes import programme_for
from portal.workflow import TransitionRefused


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str
    found: bool  # what the portal can see for itself


def checklist(application):
    """The items of 形式审查, with what the data already shows; the officer confirms each: the letter, each
    part of the programme's materials, the two sealed opinions (or 承诺书), and the paper copies."""
    programme = programme_for(application)
    content = ApplicationContent(application)
    missing_parts = {item.part for item in programme.missing(content)}
    opinion = content.data("filing_opinion")
    city_opinion = content.data("recommender_opinion")
    endorsement = Endorsement.objects.filter(
        call=application.call, recommender_unit=application.recommender_unit
    ).first()
    chain = programme.chain
    items = [
        CheckItem("letter", "推荐函已随报（加盖推荐单位公章）", bool(endorsement and endorsement.is_submitted)),
        *(CheckItem(part.key, f"{part.title}齐全", part.key not in missing_parts) for part in programme.parts),
        CheckItem(
            "seals",
            f"{chain.filing_opinion}、{chain.recommender_opinion}均已盖章",
            bool(opinion.get("sealed_at") and city_opinion.get("sealed_at")),
        ),
    ]
    if application.call.requires_paper:
        items.append(CheckItem("paper", f"纸质材料一式{_count(application.call.paper_copies)}份已收到", False))
    return items


def _count(number):
    """通知三、1 writes 一式两份: two is 两 when counting copies."""
    return "一两三四五六七八九十"[number - 1] if 1 <= number <= 10 else str(number)


def recording(user, values):
    """The officer's findings, written inside the act's own transaction once its row is locked and its status
    checked (Workflow.perform's `prepare`): an act refused, or beaten by a colleague's, leaves no finding behind."""

    def record(locked, now):
        save_part(locked, FORMAL_REVIEW, values, ApplicationContent(locked).revision(FORMAL_REVIEW), user)

    return record


def accept(application, user, confirmed, request=None):
    """已受理: every item of the checklist confirmed by the officer."""
    unconfirmed = [item.label for item in checklist(application) if item.key not in confirmed]
    if unconfirmed:
        raise TransitionRefused(f"形式审查尚未全部确认：{'；'.join(unconfirmed)}。", code="checklist_incomplete")
    findings = {"confirmed": sorted(confirmed), "accepted_at": timezone.now().isoformat()}
    return perform(application, "accept", user, request=request, prepare=recording(user, findings))


def return_for_correction(application, user, reason, fix_by, request=None):
    """限期修改: back to the recommender with reasons and the date by which the fix must arrive."""
    if fix_by is None or fix_by < timezone.localdate():
        raise TransitionRefused("请填写不早于今天的修改期限。", code="fix_by_missing")
    full_reason = f"{reason}（请于{fix_by:%Y年%m月%d日}前修改后重新报送）" if reason.strip() else ""
    findings = {"fix_by": fix_by.isoformat(), "reason": reason}
    return perform(
        application,
        "return_to_recommender",
        user,
        reason=full_reason,
        request=request,
        prepare=recording(user, findings),
    )
