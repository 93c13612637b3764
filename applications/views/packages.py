"""Package pages: ask for the PDF of an application, watch its progress, download it; and the public
/verify page that says whether a paper or file is an authentic, current version."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.permissions import get_visible_or_404

from ..domain.access import visible_applications
from ..models import Package
from ..packages.build import request_application_package
from ..packages.signing import footer_code, signature_status
from ..tasks import queue_render
from ..validators.uploads import check_pdf_to_verify, clean_filename


def _application(request, pk):
    return get_visible_or_404(request, visible_applications(request.user).with_list_relations(), pk)


@login_required
@require_POST
def request_package(request, pk):
    application = _application(request, pk)
    package, _ = request_application_package(application)
    if package.state in (Package.State.QUEUED, Package.State.FAILED):
        queue_render(package)  # rendering is idempotent: a duplicate finds the package ready
    return redirect("applications:package", application.pk, package.pk)


@login_required
def package_page(request, pk, package_pk):
    application = _application(request, pk)
    package = get_visible_or_404(request, application.packages.all(), package_pk)
    if request.headers.get("X-Requested-With") == "fetch":
        return package_status(package)
    return render(
        request,
        "packages/pages/package.html",
        {
            "package": package,
            "title": application.name,
            "back_url": application.get_absolute_url(),
            "status_url": reverse("applications:package", args=[application.pk, package.pk]),
            "download_url": reverse("applications:download_package", args=[application.pk, package.pk]),
        },
    )


@login_required
def download_package(request, pk, package_pk):
    application = _application(request, pk)
    package = get_visible_or_404(request, application.packages.filter(state=Package.State.READY), package_pk)
    record(AuditAction.DOWNLOAD, request=request, obj=application, verb=f"PDF {package.verify_code}")
    filename = f"{application.name}-{package.document_label}.pdf"
    response = FileResponse(package.file.open("rb"), content_type="application/pdf", filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def package_status(package):
    """What the progress bar polls."""
    return JsonResponse({"state": package.state, "progress": package.progress, "label": package.get_state_display()})


def _issues_of(package):
    """The ready packages of the same document: one application, or one sent letter (a 补充推荐函 is a
    document of its own), or one certificate."""
    siblings = Package.objects.filter(kind=package.kind, state=Package.State.READY)
    if package.application_id:
        return siblings.filter(application=package.application)
    if package.letter_id:
        return siblings.filter(letter=package.letter)
    return siblings.filter(endorsement=package.endorsement)


def _current(package):
    """Is this the newest ready package of its document?"""
    return _issues_of(package).order_by("-rendered_at", "-id").values_list("pk", flat=True).first() == package.pk


def _refusal_of_unknown_file(request, uploaded, data):
    """A file the portal did not produce is read by pyHanko for its signature only after it passed
    the upload guards: a bomb or a crafted PDF is refused (and audited) before any parser digs in."""
    try:
        check_pdf_to_verify(data)
    except ValidationError as refused:
        name = clean_filename(uploaded.name)
        record(
            AuditAction.UPLOAD_REFUSED, request=request, verb="材料核验", reason=f"{name[:80]}：{refused.messages[0]}"
        )
        return refused.messages[0]
    return None


def _issued_by_code(data, signature):
    """A PDF the portal signed whole but stored only inside a larger one (the 推荐函 in a city's ZIP): an
    intact, trusted signature proves it is ours, and its pages name the package by 核验码."""
    if not (signature and signature["intact"] and signature["trusted"]):
        return None
    code = footer_code(data)
    return Package.objects.filter(verify_code=code, state=Package.State.READY).first() if code else None


def _version_label(package):
    """第 N 版 of an application as submitted; a letter or certificate counts its own issues."""
    if package.kind == Package.Kind.APPLICATION:
        return "草稿" if package.is_draft else f"第 {package.version_number} 版"
    issued = _issues_of(package).filter(created_at__lte=package.created_at).count()
    return f"第 {max(issued, 1)} 版"


def verify(request):
    """Public: no content, only whether the code or file matches a package the portal produced."""
    package, checked, signature, refusal = None, False, None, None
    code = (request.GET.get("code") or request.POST.get("code") or "").strip().upper()[:16]
    uploaded = request.FILES.get("file")
    if uploaded:
        checked = True
        if uploaded.size <= 200 * 1024 * 1024:
            data = uploaded.read()
            package = Package.objects.filter(sha256=hashlib.sha256(data).hexdigest(), state=Package.State.READY).first()
            refusal = None if package else _refusal_of_unknown_file(request, uploaded, data)
            signature = None if refusal else signature_status(data)
            if package is None and refusal is None:
                package = _issued_by_code(data, signature)
    elif code:
        checked = True
        package = Package.objects.filter(verify_code=code, state=Package.State.READY).first()
    context = {"checked": checked, "package": package, "code": code, "signature": signature, "refusal": refusal}
    if package:
        context["current"] = _current(package)
        context["subject"] = package.application or package.endorsement
        context["version"] = _version_label(package)
    return render(request, "packages/pages/verify.html", context)
