"""通过评估验收的，认定为省级众创社区: the recognition is issued as a certificate, rendered (and signed) by the
same PDF pipeline as every package."""

from ..models import Package
from ..packages.build import request_certificate_package
from ..tasks import queue_render


def issue_certificate(application, transition, user, reason):
    """Listener of the application's table: on 认定为省级众创社区, queue the certificate's rendering."""
    if transition.action != "recognise":
        return
    package, created = request_certificate_package(application)
    if created:
        queue_render(package)


def certificate_of(application):
    return application.packages.filter(kind=Package.Kind.CERTIFICATE).order_by("-created_at").first()
