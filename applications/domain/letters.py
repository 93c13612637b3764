"""The wording of a recommender's 推荐函, shared by the browser preview and the PDF."""

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


def letter_content(endorsement, applications):
    unit = endorsement.recommender_unit
    subject = endorsement.call.programme.subject_label
    count = len(applications)
    body = (
        f"根据{call_reference(endorsement.call)}要求，我单位组织开展了{subject}申报工作，"
        f"对申报材料进行了初审，确认申报材料真实完整。经研究，现按排序推荐以下{count}家{subject}，请予审核。"
    )
    return {
        "issuer": unit.official_name,
        "title": f"{unit.official_name}关于推荐{endorsement.call.programme.name}对象的函",
        "addressee": addressee(endorsement.call) + "：",
        "body": body,
        "items": [f"{a.name}（{a.filing_unit.official_name}）" for a in applications],
        "note": endorsement.letter_note,
        "contact": f"联系人：{endorsement.contact_person}　联系电话：{endorsement.contact_phone}",
        "date": formats.date_format(endorsement.letter_date, "Y年n月j日") if endorsement.letter_date else "",
    }
