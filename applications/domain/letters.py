"""The wording of a recommender's 推荐函 (and of the province's 推荐公函 to the next level), shared by the
browser preview and the PDF."""

from django.utils import formats

from portal.accounts.models import UnitKind


def addressee(call):
    receiver = call.receiver
    parent = receiver.parent
    if parent is not None and parent.kind == UnitKind.PROVINCIAL_OFFICE:
        return f"{receiver.official_name}（{parent.short_name or parent.name}）"
    return receiver.official_name


def call_reference(call):
    title = f"《{call.title}》"
    return f"{title}（{call.document_number}）" if call.document_number else title


def _recommendation(endorsement, subject, count):
    body = (
        f"根据{call_reference(endorsement.call)}要求，我单位组织开展了{subject}申报工作，"
        f"对申报材料进行了初审，确认申报材料真实完整。经研究，现按排序推荐以下{count}家{subject}，请予审核。"
    )
    return addressee(endorsement.call), body


def _forwarding(endorsement, subject, count):
    from ..programmes import REGISTRY

    forwarding = REGISTRY[endorsement.call.programme.code].forwarding
    body = (
        f"根据{call_reference(endorsement.call)}，我厅组织开展了{endorsement.call.programme.name}工作。"
        f"经各推荐单位审核推荐、受理和形式审查、专家评审，现{forwarding.verb}以下{count}家{subject}，请予审核备案。"
    )
    return forwarding.addressee, body


def letter_content(endorsement, applications):
    unit = endorsement.recommender_unit
    subject = endorsement.call.programme.subject_label
    forwarding = endorsement.level == endorsement.Level.FORWARDING
    to, body = (_forwarding if forwarding else _recommendation)(endorsement, subject, len(applications))
    return {
        "issuer": unit.official_name,
        "title": f"{unit.official_name}关于推荐{endorsement.call.programme.name}对象的函",
        "addressee": to + "：",
        "body": body,
        "items": [f"{a.name}（{a.filing_unit.official_name}）" for a in applications],
        "note": endorsement.letter_note,
        "contact": f"联系人：{endorsement.contact_person}　联系电话：{endorsement.contact_phone}",
        "date": formats.date_format(endorsement.letter_date, "Y年n月j日") if endorsement.letter_date else "",
    }
