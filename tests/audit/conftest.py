from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from portal.accounts.roles import Role

from ..factories import user_with_role


@pytest.fixture
def auditor():
    return user_with_role(Role.AUDITOR, "320000-KJT", username="auditor")


@pytest.fixture
def staff_sysadmin(people):
    """The 系统管理员 as seed_demo sets him up: admin site access with the account and call permissions
    (and Django's view permission on audit rows, which the audit admin must still not honour)."""
    user = people["sysadmin"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["accounts", "calls"])
        | Permission.objects.filter(content_type__app_label="audit", codename="view_auditevent")
    )
    return user


@contextmanager
def clock_at(monkeypatch, moment):
    """Rows written inside carry `moment` as their time (`at` is set from Django's clock on insert)."""
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: moment)
        yield


@pytest.fixture
def chain(call, people, application):
    """What each post owns along the chain, with every kind of file ready to download: a draft of
    江宁 (`draft`), an application of 江宁 sent by 南京 to the province (`sent`) with its PDF, the city's
    letter package (PDF and ZIP) and a finished province export."""
    from django.core.files.base import ContentFile

    from applications.domain.quota import endorsement_for
    from applications.models import Package
    from review.models import ExportJob

    from ..factories import ApplicationFactory, drive, make_ready, send_to_province

    sent = make_ready(ApplicationFactory(call=call))
    drive(
        sent,
        ("submit", people["head"]),
        ("pass_initial_review", people["city"]),
        ("select_for_recommendation", people["city"]),
    )
    send_to_province(call, sent.recommender_unit, people["city"])
    sent.refresh_from_db()
    pdf = Package.objects.create(
        kind=Package.Kind.APPLICATION,
        application=sent,
        version_number=1,
        input_hash="audit-application",
        verify_code="AUDITAPP",
        state=Package.State.READY,
    )
    pdf.file.save("application.pdf", ContentFile(b"%PDF-1.7 application"))
    letter = Package.objects.create(
        kind=Package.Kind.ENDORSEMENT,
        endorsement=endorsement_for(call, sent.recommender_unit),
        input_hash="audit-letter",
        verify_code="AUDITLET",
        state=Package.State.READY,
    )
    letter.file.save("letter.pdf", ContentFile(b"%PDF-1.7 letter"))
    letter.archive.save("letter.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    export = ExportJob.objects.create(
        call=call, kind=ExportJob.Kind.WORKBOOK, state=ExportJob.State.READY, created_by=people["province"]
    )
    export.file.save("export.xlsx", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    return {"draft": application, "sent": sent, "pdf": pdf, "letter": letter, "export": export}
