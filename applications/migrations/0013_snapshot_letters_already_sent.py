"""Letters sent before snapshots existed: record each as it reads today, so that from now on it stays so.

The wording is a frozen copy of applications.domain.letters at this migration (historical models have no
methods); later changes to that module do not rewrite these letters, as they do not rewrite any sent one.
"""

from django.db import migrations

# What a recommender's letter sent on, as applications.status.VISIBLE_TO_PROVINCE read at this migration.
SENT_ON = (
    "recommended",
    "returned_by_province",
    "correcting",
    "corrected",
    "accepted",
    "under_review",
    "reviewed",
    "proposed",
    "rejected",
    "in_publicity",
    "forwarded",
    "pilot",
    "exited",
    "under_acceptance",
    "recognised",
    "not_recognised",
)
SELF_BY_KIND = {"city": "我市", "city_sti_bureau": "我局", "hightech_zone": "我区", "development_zone": "我区"}
SELF_BY_COUNTY_TYPE = {"市辖区": "我区", "县级市": "我市", "县": "我县"}


def official_name(unit):
    if unit.kind in ("city", "county", "province"):
        return f"{unit.name}人民政府"
    if unit.kind in ("hightech_zone", "development_zone") and not unit.name.endswith("管委会"):
        return f"{unit.name}管委会"
    return unit.name


def self_reference(unit):
    if unit.kind == "county":
        return SELF_BY_COUNTY_TYPE.get(unit.county_type, "我单位")
    return SELF_BY_KIND.get(unit.kind, "我单位")


def wording(endorsement, applications):
    call, unit = endorsement.call, endorsement.recommender_unit
    receiver, parent = call.receiver, call.receiver.parent
    to = official_name(receiver)
    if parent is not None and parent.kind == "provincial_office":
        to = f"{to}（{parent.short_name or parent.name}）"
    reference = f"《{call.title}》" + (f"（{call.document_number}）" if call.document_number else "")
    subject = call.programme.subject_label
    date = endorsement.letter_date
    return {
        "issuer": official_name(unit),
        "title": f"{official_name(unit)}关于推荐{call.programme.name.removesuffix('推荐')}对象的函",
        "addressee": to + "：",
        "body": (
            f"根据{reference}要求，{self_reference(unit)}组织开展了{subject}申报工作，"
            f"对申报材料进行了初审，确认申报材料真实完整。经研究，现按排序推荐以下{len(applications)}家{subject}，请予审核。"
        ),
        "items": [f"{a.name}（{official_name(a.filing_unit)}）" for a in applications],
        "note": endorsement.letter_note,
        "contact": f"联系人：{endorsement.contact_person}　联系电话：{endorsement.contact_phone}",
        "date": f"{date.year}年{date.month}月{date.day}日" if date else "",
    }


def snapshot_letters_already_sent(apps, schema_editor):
    import hashlib

    Endorsement = apps.get_model("applications", "Endorsement")
    Application = apps.get_model("applications", "Application")
    ApplicationPart = apps.get_model("applications", "ApplicationPart")
    SentLetter = apps.get_model("applications", "SentLetter")
    sent = Endorsement.objects.filter(
        level="recommendation", submitted_at__isnull=False, sealed_by__isnull=False, letters__isnull=True
    ).select_related("call__programme", "call__receiver__parent", "recommender_unit")
    for endorsement in sent:
        applications = list(
            Application.objects.filter(
                call_id=endorsement.call_id, recommender_unit_id=endorsement.recommender_unit_id, status__in=SENT_ON
            )
            .select_related("filing_unit")
            .order_by("city_rank", "submitted_at", "pk")
        )
        opinions = dict(
            ApplicationPart.objects.filter(application__in=applications, key="recommender_opinion").values_list(
                "application_id", "data__text"
            )
        )
        seal = endorsement.recommender_unit.seal
        digest = ""
        if seal:
            try:
                with seal.open("rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                seal = None
        SentLetter.objects.create(
            endorsement=endorsement,
            number=1,
            content=wording(endorsement, applications),
            entries=[
                {
                    "application": a.pk,
                    "version": a.version,
                    "rank": a.city_rank,
                    "name": a.name,
                    "unit": official_name(a.filing_unit),
                    "opinion": opinions.get(a.pk) or "",
                }
                for a in applications
            ],
            seal=seal.name if seal else "",
            seal_sha256=digest,
            sent_at=endorsement.submitted_at,
            sent_by_id=endorsement.sealed_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0012_correction_by_filing_unit")]

    operations = [migrations.RunPython(snapshot_letters_already_sent, migrations.RunPython.noop)]
