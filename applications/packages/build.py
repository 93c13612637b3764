"""Which package an application (or a recommender's letter) needs, and building it."""

import hashlib
import io
import json
import secrets
import tempfile
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ..domain.content import ApplicationContent
from ..domain.letters import letter_content
from ..domain.versions import latest_version
from ..models import Application, Package
from ..programmes import programme_for
from .assemble import Assembled, Piece, assemble, merge_pdfs
from .dates import chinese_date
from .entry_names import entry_name
from .html import media_uri
from .signing import sign_pdf

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper without mistakes


def new_verify_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def verify_url(code):
    return f"{settings.PORTAL_BASE_URL}{reverse('verify')}?code={code}"


def _file_hash(field_file):
    if not field_file:
        return ""
    with field_file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def application_input(application, content=None):
    """Everything the package shows: content, files, seals and the state it is in."""
    content = content or ApplicationContent(application)
    version = None if application.is_draft else latest_version(application)
    parts = dict(version.parts) if version else {k: p.data for k, p in content.parts.items()}
    if "recommender_opinion" in content.parts:
        parts["recommender_opinion"] = content.parts["recommender_opinion"].data
    return {
        "kind": Package.Kind.APPLICATION,
        "application": application.pk,
        "version": version.number if version else 0,
        "submitted_at": application.submitted_at.isoformat() if version and application.submitted_at else "",
        "parts": parts,
        "files": sorted([a.kind, a.sha256] for a in content.attachments),
        "seals": [_file_hash(application.filing_unit.seal), _file_hash(application.recommender_unit.seal)],
        "template_revision": 1,
    }


def input_hash(data):
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _package_for(data, new_input=False, **fields):
    """The package of exactly this input, created when the input is new; (package, created). `new_input`: the
    input names a version frozen in this very transaction, so no package can have it yet (it is created at once)."""
    digest = input_hash(data)
    existing = None if new_input else Package.objects.filter(input_hash=digest).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Package.objects.create(input_hash=digest, verify_code=new_verify_code(), **fields), True
    except IntegrityError:  # another request created it in between
        return Package.objects.get(input_hash=digest), False


def request_application_package(application, content=None, just_frozen=False):
    """The package for the application as it stands; created (and queued) only when its input is new."""
    data = application_input(application, content)
    return _package_for(
        data, just_frozen, kind=Package.Kind.APPLICATION, application=application, version_number=data["version"]
    )


def _seal_uri(unit, applies):
    if not applies or not unit.seal:
        return None
    return media_uri(unit.seal.name)


def build_application_pdf(package, progress=None):
    application = package.application
    programme = programme_for(application)
    data = application_input(application)
    paper = programme.paper_layout(application.call, data["parts"])
    draft = package.is_draft
    opinion = paper["opinion"]
    city_opinion = paper["city_opinion"]
    seals = {
        "county_seal": _seal_uri(application.filing_unit, not draft and opinion.get("sealed_at")),
        "city_seal": _seal_uri(application.recommender_unit, not draft and city_opinion.get("sealed_at")),
        "county_date": chinese_date(application.submitted_at) if not draft else "",
        "city_date": chinese_date(city_opinion.get("sealed_at") or ""),
    }
    attachments = ApplicationContent(application).attachments
    module = programme.package
    cover = module.cover(application, paper, seals["county_seal"], None if draft else application.submitted_at)
    sections = module.sections(application, paper, attachments, programme.attachment_kinds, seals)
    return _assemble(package, cover, sections, draft=draft, progress=progress)


def _assemble(package, front, sections=(), **options):
    """The pieces as one PDF with the package's verification code on every page."""
    with tempfile.TemporaryDirectory() as workdir:
        return assemble(
            front,
            list(sections),
            code=package.verify_code,
            verify_url=verify_url(package.verify_code),
            workdir=workdir,
            **options,
        )


def store(package, assembled, archive=None):
    signed = sign_pdf(assembled.pdf)
    package.file.save(f"{package.verify_code}.pdf", ContentFile(signed), save=False)
    if archive is not None:
        package.archive.save(f"{package.verify_code}.zip", ContentFile(archive), save=False)
    package.sha256 = hashlib.sha256(signed).hexdigest()
    package.pages = assembled.pages
    package.problems = assembled.problems
    package.state = Package.State.READY
    package.progress = 100
    package.rendered_at = timezone.now()
    package.error = ""
    package.save()


def sent_applications(endorsement):
    """The applications the province's 推荐公函 lists, in its order (a recommender's letters are
    SentLetter snapshots: see letter_applications)."""
    by_id = Application.objects.select_related("filing_unit").in_bulk(endorsement.forwarded)
    return [by_id[pk] for pk in endorsement.forwarded if pk in by_id]


def letter_applications(letter):
    """The applications a sent letter went with, in the letter's order."""
    by_id = Application.objects.select_related("filing_unit", "recommender_unit").in_bulk(letter.application_ids)
    return [by_id[pk] for pk in letter.application_ids]


def endorsement_input(endorsement, application_packages):
    return {
        "kind": Package.Kind.ENDORSEMENT,
        "endorsement": endorsement.pk,
        "letter": [
            endorsement.document_number,
            endorsement.contact_person,
            endorsement.contact_phone,
            str(endorsement.letter_date),
            endorsement.letter_note,
            endorsement.submitted_at.isoformat() if endorsement.submitted_at else "",
            endorsement.level,
        ],
        "applications": [p.input_hash for p in application_packages],
        "seal": _file_hash(endorsement.recommender_unit.seal),
        "template_revision": 1,
    }


def letter_input(letter, application_packages):
    return {
        "kind": Package.Kind.ENDORSEMENT,
        "sent_letter": letter.pk,
        "content": letter.content,
        "entries": letter.entries,
        "applications": [p.input_hash for p in application_packages],
        "seal": letter.seal_sha256,
        "template_revision": 1,
    }


def request_endorsement_package(endorsement):
    """The letter's package, and (created on the way) the package of every application it sends: the latest
    letter in force as sent (a recommender's 推荐函, the province's 推荐公函); a 推荐公函 sent before snapshots
    existed, from its list."""
    sent = endorsement.letters.filter(withdrawn_at__isnull=True).order_by("number").last()
    if sent is not None:
        return request_letter_package(sent)
    application_packages = [request_application_package(a)[0] for a in sent_applications(endorsement)]
    return _package_for(
        endorsement_input(endorsement, application_packages), kind=Package.Kind.ENDORSEMENT, endorsement=endorsement
    )


def request_letter_package(letter):
    """A sent 推荐函's package, and (created on the way) the package of every application it sent."""
    application_packages = [request_application_package(a)[0] for a in letter_applications(letter)]
    return _package_for(
        letter_input(letter, application_packages),
        kind=Package.Kind.ENDORSEMENT,
        endorsement=letter.endorsement,
        letter=letter,
    )


def _ready(package):
    if package.state != Package.State.READY:
        store(package, build_application_pdf(package))
    with package.file.open("rb") as handle:
        return handle.read()


def _letter_front(package):
    """(letter wording, applications in order, seal) — a sent letter's from its snapshot."""
    endorsement, letter = package.endorsement, package.letter
    if letter is None:
        applications = sent_applications(endorsement)
        seal = _seal_uri(endorsement.recommender_unit, endorsement.sealed_at)
        return letter_content(endorsement, applications), applications, seal
    seal = media_uri(letter.seal) if letter.seal else None
    return letter.content, letter_applications(letter), seal


def build_endorsement_pdf(package, progress=None):
    """The 推荐函 and the ranked list, then every recommended application's own package in rank order."""
    endorsement = package.endorsement
    content, applications, seal = _letter_front(package)
    application_packages = [request_application_package(a)[0] for a in applications]
    documents = []
    for index, application_package in enumerate(application_packages):
        documents.append(_ready(application_package))
        if progress:
            progress(10 + 70 * (index + 1) // max(len(application_packages), 1))
    ranked = [
        {"name": a.name, "unit": a.filing_unit.official_name, "code": p.verify_code}
        for a, p in zip(applications, application_packages, strict=True)
    ]
    if package.letter is not None:  # names as the letter listed them
        for row, entry in zip(ranked, package.letter.entries, strict=True):
            row.update(name=entry["name"], unit=entry["unit"])
    letter = Piece("packages/letter.html", {"letter": content, "seal": seal, "ranked": ranked})
    front = _assemble(package, letter, draft=False, toc=False)
    merged = merge_pdfs([front.pdf, *documents])
    supplementary = package.letter is not None and package.letter.supplementary
    title = "补充推荐函" if supplementary else endorsement.get_level_display()  # 推荐函, or the province's 推荐公函
    names = [f"00-{endorsement.recommender_unit.official_name}{title}及排序名单.pdf"]
    names += [f"{rank:02d}-{row['name']}.pdf" for rank, row in enumerate(ranked, start=1)]
    # The letter travels on its own in the ZIP: signed, so that /verify/ recognises it (its pages carry
    # this package's 核验码).
    archive = zip_documents(zip(names, [sign_pdf(front.pdf), *documents], strict=True))
    return Assembled(merged, front.pages + sum(p.pages for p in application_packages), [], front.problems), archive


def zip_documents(named_documents):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in named_documents:
            archive.writestr(entry_name(name), data)
    return buffer.getvalue()


def certificate_input(application):
    """What a 省级众创社区 certificate shows: who, since when, and the seal of the office that recognised it."""
    office = application.call.receiver
    return {
        "kind": Package.Kind.CERTIFICATE,
        "application": application.pk,
        "name": application.name,
        "unit": application.filing_unit.official_name,
        "recognised_at": application.status_changed_at.isoformat() if application.status_changed_at else "",
        "pilot_start_year": application.pilot_start_year,
        "seal": _file_hash(office.seal),
        "template_revision": 1,
    }


def certificate_wording(application):
    """The certificate as issued at the 认定: the PDF is rendered from this, whenever the worker gets to it."""
    office = application.call.receiver
    return {
        "name": application.name,
        "unit": application.filing_unit.official_name,
        "issuer": office.name,
        "start_year": application.pilot_start_year,
        "date": chinese_date(application.status_changed_at),
        "number": f"证书编号：{timezone.localtime(application.status_changed_at):%Y}-{application.pk:05d}",
        "seal": office.seal.name if office.seal else "",
    }


def request_certificate_package(application):
    return _package_for(
        certificate_input(application),
        kind=Package.Kind.CERTIFICATE,
        application=application,
        issued=certificate_wording(application),
    )


def build_certificate_pdf(package, progress=None):
    certificate = package.issued or certificate_wording(package.application)  # issued before it was kept
    seal = media_uri(certificate["seal"]) if certificate["seal"] else None
    piece = Piece("packages/certificate.html", {"certificate": certificate, "seal": seal})
    return _assemble(package, piece, draft=False, toc=False)


def build(package, progress=None):
    """Build any package: (assembled PDF, zip archive or None)."""
    if package.kind == Package.Kind.ENDORSEMENT:
        return build_endorsement_pdf(package, progress)
    if package.kind == Package.Kind.CERTIFICATE:
        return build_certificate_pdf(package, progress), None
    return build_application_pdf(package, progress), None
