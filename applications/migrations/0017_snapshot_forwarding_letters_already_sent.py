"""推荐公函 sent before they were snapshotted: record each as it reads today, so that from now on it stays so.

The wording is a frozen copy of applications.domain.letters at this migration (historical models have no
methods); later changes to that module do not rewrite these letters, as they do not rewrite any sent one.
"""

from django.db import migrations

# The next level each programme's 推荐公函 goes to, and its verb, as applications.programmes read at this migration.
FORWARDING = {"zyhzckj": ("中华人民共和国科学技术部", "择优推荐")}
OFFICE_ENDINGS = "厅委局办"


def official_name(unit):
    if unit.kind in ("city", "county", "province"):
        return f"{unit.name}人民政府"
    if unit.kind in ("hightech_zone", "development_zone") and not unit.name.endswith("管委会"):
        return f"{unit.name}管委会"
    return unit.name


def self_reference(unit):
    name = official_name(unit)
    if unit.kind == "provincial_office" and name[-1:] in OFFICE_ENDINGS:
        return f"我{name[-1]}"
    return "我单位"


def wording(letter, applications):
    call, unit = letter.call, letter.recommender_unit
    programme = call.programme
    to, verb = FORWARDING[programme.code]
    reference = f"《{call.title}》" + (f"（{call.document_number}）" if call.document_number else "")
    date = letter.letter_date
    return {
        "issuer": official_name(unit),
        "number": letter.document_number,
        "title": f"{official_name(unit)}关于推荐{programme.name.removesuffix('推荐')}对象的函",
        "addressee": to + "：",
        "body": (
            f"根据{reference}，{self_reference(unit)}组织开展了{programme.name}工作。"
            f"经各推荐单位审核推荐、受理和形式审查、专家评审，现{verb}以下{len(applications)}家"
            f"{programme.subject_label}，请予审核备案。"
        ),
        "items": [f"{a.name}（{official_name(a.filing_unit)}）" for a in applications],
        "note": letter.letter_note,
        "contact": f"联系人：{letter.contact_person}　联系电话：{letter.contact_phone}",
        "date": f"{date.year}年{date.month}月{date.day}日" if date else "",
    }


def snapshot_forwarding_letters_already_sent(apps, schema_editor):
    import hashlib

    Endorsement = apps.get_model("applications", "Endorsement")
    Application = apps.get_model("applications", "Application")
    SentLetter = apps.get_model("applications", "SentLetter")
    sent = Endorsement.objects.filter(
        level="forwarding", submitted_at__isnull=False, sealed_by__isnull=False, letters__isnull=True
    ).select_related("call__programme", "recommender_unit")
    for letter in sent:
        if letter.call.programme.code not in FORWARDING:
            continue
        by_id = Application.objects.select_related("filing_unit").in_bulk(letter.forwarded)
        applications = [by_id[pk] for pk in letter.forwarded if pk in by_id]
        seal = letter.recommender_unit.seal
        digest = ""
        if seal:
            try:
                with seal.open("rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                seal = None
        SentLetter.objects.create(
            endorsement=letter,
            number=1,
            content=wording(letter, applications),
            entries=[
                {
                    "application": a.pk,
                    "version": a.version,
                    "rank": place,
                    "name": a.name,
                    "unit": official_name(a.filing_unit),
                    "opinion": "",
                }
                for place, a in enumerate(applications, start=1)
            ],
            seal=seal.name if seal else "",
            seal_sha256=digest,
            sent_at=letter.submitted_at,
            sent_by_id=letter.sealed_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0016_certificate_as_issued")]

    operations = [migrations.RunPython(snapshot_forwarding_letters_already_sent, migrations.RunPython.noop)]
