"""The wording of a recommender's 推荐函 (and of the province's 推荐公函 to the next level), shared by the
browser preview and the PDF."""

from django.utils import formats

from portal.accounts.models import CountyType, UnitKind

from ..programmes import REGISTRY

# How a body calls itself in its own letters (我市、我县、我区…), by kind; offices by their last character.
SELF_BY_KIND = {
    UnitKind.CITY: "我市",
    UnitKind.CITY_STI_BUREAU: "我局",
    UnitKind.HIGHTECH_ZONE: "我区",
    UnitKind.DEVELOPMENT_ZONE: "我区",
}
SELF_BY_COUNTY_TYPE = {CountyType.DISTRICT: "我区", CountyType.COUNTY_CITY: "我市", CountyType.COUNTY: "我县"}
OFFICE_ENDINGS = "厅委局办"


def addressee(call):
    receiver = call.receiver
    parent = receiver.parent
    if parent is not None and parent.kind == UnitKind.PROVINCIAL_OFFICE:
        return f"{receiver.official_name}（{parent.short_name or parent.name}）"
    return receiver.official_name


def call_reference(call):
    title = f"《{call.title}》"
    return f"{title}（{call.document_number}）" if call.document_number else title


def self_reference(unit):
    """我市 for a city government, 我县/我区/我市 for a county by its type, 我厅 for a 厅, else 我单位."""
    if unit.kind == UnitKind.COUNTY:
        return SELF_BY_COUNTY_TYPE.get(unit.county_type, "我单位")
    if unit.kind == UnitKind.PROVINCIAL_OFFICE and unit.official_name[-1:] in OFFICE_ENDINGS:
        return f"我{unit.official_name[-1]}"
    return SELF_BY_KIND.get(unit.kind, "我单位")


def _recommendation(endorsement, subject, count, supplementary):
    we = self_reference(endorsement.recommender_unit)
    verb = "补充推荐" if supplementary else "按排序推荐"
    body = (
        f"根据{call_reference(endorsement.call)}要求，{we}组织开展了{subject}申报工作，"
        f"对申报材料进行了初审，确认申报材料真实完整。经研究，现{verb}以下{count}家{subject}，请予审核。"
    )
    return addressee(endorsement.call), body


def _forwarding(endorsement, subject, count, supplementary):
    forwarding = REGISTRY[endorsement.call.programme.code].forwarding
    body = (
        f"根据{call_reference(endorsement.call)}，{self_reference(endorsement.recommender_unit)}组织开展了"
        f"{endorsement.call.programme.name}工作。"
        f"经各推荐单位审核推荐、受理和形式审查、专家评审，现{forwarding.verb}以下{count}家{subject}，请予审核备案。"
    )
    return forwarding.addressee, body


def letter_title(endorsement, supplementary=False):
    """…关于推荐<programme>对象的函; a programme named “…推荐” does not say 推荐 twice."""
    programme = endorsement.call.programme.name.removesuffix("推荐")
    verb = "补充推荐" if supplementary else "推荐"
    return f"{endorsement.recommender_unit.official_name}关于{verb}{programme}对象的函"


def letter_content(endorsement, applications, supplementary=False):
    """The letter's wording, from the letter's fields and the applications it sends (in order)."""
    unit = endorsement.recommender_unit
    subject = endorsement.call.programme.subject_label
    forwarding = endorsement.level == endorsement.Level.FORWARDING
    write = _forwarding if forwarding else _recommendation
    to, body = write(endorsement, subject, len(applications), supplementary)
    return {
        "issuer": unit.official_name,
        "number": endorsement.document_number,
        "title": letter_title(endorsement, supplementary),
        "addressee": to + "：",
        "body": body,
        "items": [f"{a.name}（{a.filing_unit.official_name}）" for a in applications],
        "note": endorsement.letter_note,
        "contact": f"联系人：{endorsement.contact_person}　联系电话：{endorsement.contact_phone}",
        "date": formats.date_format(endorsement.letter_date, "Y年n月j日") if endorsement.letter_date else "",
    }
