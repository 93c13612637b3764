"""What was sent, sealed or published stays as it was: later edits through the pages users have (the
county's edits after a return, the 系统管理员 renaming a unit or editing the call, a second decision) do not
alter a frozen version, a published 公示 or a decision with its reasons. (The sent 推荐函: see
tests/applications/test_letter_snapshot*.)"""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, ApplicationPart, ApplicationVersion
from applications.status import Status
from portal.accounts.models import Unit
from portal.audit.models import AuditAction, AuditEvent
from review.domain.batches import BatchRefused
from review.domain.decisions import decide
from review.domain.publicity import open_publicity

from ..audit.conftest import staff_sysadmin  # noqa: F401 — the 系统管理员 with the admin site
from ..factories import drive
from .conftest import expert_pool
from .scoring_helpers import give_scores


def frozen(version):
    version = ApplicationVersion.objects.get(pk=version.pk)
    return version.parts, version.files, version.content_hash, version.frozen_at


def test_a_frozen_version_survives_the_edits_after_a_return(client, application, people):
    drive(application, ("submit", people["head"]), ("return_to_applicant", people["city"], "请补充建设基础"))
    first = application.versions.get(number=1)
    as_sent = frozen(first)
    client.force_login(people["clerk"])
    scheme = ApplicationPart.objects.get(application=application, key="scheme")
    client.post(
        reverse("applications:edit_scheme", args=[application.pk]),
        {"foundation": "退回后重写的建设基础", "revision": scheme.revision},
    )
    attachment = application.attachments.first()
    client.post(reverse("applications:delete_attachment", args=[application.pk, attachment.pk]))
    assert "退回后重写的建设基础" in str(ApplicationPart.objects.get(pk=scheme.pk).data)
    assert not application.attachments.filter(pk=attachment.pk).exists()
    assert frozen(first) == as_sent
    assert "退回后重写的建设基础" not in str(as_sent[0]) and attachment.sha256 in str(as_sent[1])


def published_world(call, people, accepted):
    application = accepted[0]
    give_scores(application, expert_pool(3), [80, 85, 90])
    decide(call, [application.pk], "propose_filing", user=people["province"])
    publicity = open_publicity(
        call, [application.pk], user=people["province"], starts_on=timezone.localdate(), objection_contact="省科技厅"
    )
    return application, publicity


def test_a_published_publicity_keeps_its_list_and_wording(client, call, people, accepted, staff_sysadmin):  # noqa: F811
    application, publicity = published_world(call, people, accepted)
    page = reverse("publicity:detail", args=[publicity.pk])
    as_published = client.get(page).content.decode()
    assert application.name in as_published and "江宁区人民政府" in as_published and call.title in as_published

    client.force_login(staff_sysadmin)
    county = application.filing_unit
    renamed = client.post(
        reverse("admin:accounts_unit_change", args=[county.pk]),
        {"code": county.code, "name": "江宁新区", "kind": county.kind, "parent": county.parent_id, "is_active": "on"},
    )
    assert renamed.status_code == 302 and Unit.objects.get(pk=county.pk).name == "江宁新区"
    call.title = "改写后的通知标题"
    call.save()  # what an edit of the call in the admin site saves

    client.logout()
    later = client.get(page).content.decode()
    assert "江宁区人民政府" in later and "江宁新区" not in later
    assert call.title not in later and publicity.published["call_title"] in later
    assert application.name in later


def test_a_decision_and_its_reasons_stay_as_decided(call, people, accepted):
    rejected, other = accepted
    experts = expert_pool(3)
    for application in accepted:
        give_scores(application, experts, [60, 62, 65])
    decide(call, [rejected.pk], "reject", user=people["province"], reason="产业特色不鲜明")
    with pytest.raises(BatchRefused, match=rejected.name):  # a second decision on it is refused whole
        decide(call, [other.pk, rejected.pk], "propose_filing", user=people["province"], reason="")
    row = Application.objects.get(pk=rejected.pk)
    assert (row.status, row.status_reason) == (Status.REJECTED, "产业特色不鲜明")
    logged = AuditEvent.objects.for_object(row).filter(action=AuditAction.TRANSITION, to_status=Status.REJECTED)
    assert list(logged.values_list("reason", flat=True)) == ["产业特色不鲜明"]
