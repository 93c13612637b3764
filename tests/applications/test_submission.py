from datetime import timedelta
from importlib import import_module

from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from applications.domain.content import save_part
from applications.models import Application, ApplicationVersion
from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent

from ..clock import freeze_time
from ..confirming import confirmed
from ..factories import drive

OPINION = confirmed({"opinion": "同意推荐。", "apply_seal": "on"})


def submit_url(application):
    return reverse("applications:submit", args=[application.pk])


def test_head_seals_and_submits_a_complete_application(client, people, application):
    client.force_login(people["head"])
    response = client.post(submit_url(application), OPINION, follow=True)
    assert "已盖章并报送设区市" in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.version) == (Status.SUBMITTED, 1)
    opinion = application.parts.get(key="filing_opinion").data
    assert opinion["text"] == "同意推荐。" and opinion["sealed_by"] == "jn_head"


def test_submission_freezes_every_part_and_file_hash(client, people, application):
    client.force_login(people["head"])
    client.post(submit_url(application), OPINION)
    version = ApplicationVersion.objects.get(application=application)
    assert version.number == 1 and version.frozen_by == people["head"]
    assert set(version.parts) >= {"declaration", "scheme", "plan", "spatial", "filing_opinion"}
    assert version.parts["declaration"]["planned_area"] == "298.5"
    hashes = sorted(f["sha256"] for f in version.files)
    assert hashes == sorted(application.attachments.values_list("sha256", flat=True))
    assert len(version.content_hash) == 64


def test_incomplete_application_is_refused_and_the_opinion_kept(client, people, bare_application):
    from portal.accounts.seals import give_demo_seal

    give_demo_seal(bare_application.filing_unit)
    client.force_login(people["head"])
    response = client.post(submit_url(bare_application), OPINION)
    page = response.content.decode()
    assert "申报材料不完整，尚缺" in page and "同意推荐。" in page
    bare_application.refresh_from_db()
    assert bare_application.status == Status.DRAFT


def test_the_seal_must_be_confirmed(client, people, application):
    client.force_login(people["head"])
    page = client.post(submit_url(application), {"opinion": "同意"}).content.decode()
    assert "须确认并加盖本单位公章后才能报送" in page
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_unit_without_a_seal_image_cannot_submit(client, people, application):
    application.filing_unit.seal.delete(save=True)
    client.force_login(people["head"])
    page = client.post(submit_url(application), OPINION).content.decode()
    assert "本单位尚未上传印章图片" in page


def test_double_submit_makes_one_version(client, people, application):
    client.force_login(people["head"])
    client.post(submit_url(application), OPINION)
    second = client.post(submit_url(application), OPINION)
    assert second.status_code == 404  # no longer a draft: the submit page is gone
    assert ApplicationVersion.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(application.pk)).count() == 1


def test_late_submission_names_the_deadline(client, people, application):
    call = application.call
    with freeze_time(call.filing_deadline + timedelta(seconds=1)):  # the clock passes the deadline
        client.force_login(people["head"])
        page = client.post(submit_url(application), OPINION).content.decode()
    local = timezone.localtime(call.filing_deadline)
    assert "逾期不予受理" in page and local.strftime("%H:%M:%S") in page
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_clerk_prepares_but_cannot_reach_the_submit_page(client, people, application):
    client.force_login(people["clerk"])
    assert client.get(submit_url(application)).status_code == 404
    assert client.post(submit_url(application), OPINION).status_code == 404


def test_return_edit_and_resubmit_makes_version_two(client, people, application):
    drive(application, ("submit", people["head"]), ("return_to_applicant", people["city"], "请补充实景图"))
    client.force_login(people["clerk"])
    part = application.parts.get(key="declaration")
    client.post(
        reverse("applications:edit_declaration", args=[application.pk]),
        {"leader": "新负责人", "revision": part.revision},
    )
    client.force_login(people["head"])
    client.post(submit_url(application), OPINION)
    application.refresh_from_db()
    assert (application.status, application.version) == (Status.SUBMITTED, 2)
    first, second = ApplicationVersion.objects.filter(application=application).order_by("number")
    assert first.parts["declaration"]["leader"] == "张建国"
    assert second.parts["declaration"]["leader"] == "新负责人"
    assert first.content_hash != second.content_hash


def test_existing_applications_take_their_latest_versions_summary_on_migration(people, application):
    """applications/0009 fills the new column from each application's latest filed version."""
    drive(application, ("submit", people["head"]), ("return_to_applicant", people["city"], "请核实载体面积"))
    ApplicationVersion.objects.create(
        application=application,
        number=2,
        frozen_at=timezone.now(),
        frozen_by=people["head"],
        parts={},
        files=[],
        content_hash="x",
        thresholds={"met": 5, "total": 6, "failed": ["载体面积"]},
    )
    Application.objects.filter(pk=application.pk).update(filed_thresholds={})
    migration = import_module("applications.migrations.0009_filed_thresholds_on_application")
    migration.copy_latest_summaries(django_apps, None)
    application.refresh_from_db()
    assert application.filed_thresholds == {"met": 5, "total": 6, "failed": ["载体面积"]}


def test_submitted_application_is_no_longer_editable(client, people, application):
    drive(application, ("submit", people["head"]))
    client.force_login(people["clerk"])
    assert client.get(reverse("applications:edit_declaration", args=[application.pk])).status_code == 404
    response = client.post(reverse("applications:edit_declaration", args=[application.pk]), {"leader": "改"})
    assert response.status_code == 404
    assert application.parts.get(key="declaration").data["leader"] == "张建国"


def test_city_reads_the_submitted_version_with_the_seal(client, people, application):
    drive(application, ("submit", people["head"]))
    client.force_login(people["city"])
    page = client.get(application.get_absolute_url()).content.decode()
    assert "以下为第 1 版" in page and "经审核，申报材料真实、完整，同意推荐。" in page
    assert f"/units/{application.filing_unit.pk}/seal.png" in page
    assert "江苏省众创社区建设分年度计划表" in page and "高新技术产业年产值占比" in page


def test_each_version_keeps_the_thresholds_it_was_filed_with(client, people, application):
    drive(application, ("submit", people["head"]), ("return_to_applicant", people["city"], "请核实载体面积"))
    part = application.parts.get(key="declaration")
    save_part(application, "declaration", {"carrier_floor_area": "12"}, part.revision, people["clerk"])
    client.force_login(people["city"])
    inbox = client.get(reverse("city:inbox", args=[application.call_id])).content.decode()
    assert "载体建筑面积" not in inbox  # the draft edit is not what the city received

    client.force_login(people["head"])
    client.post(submit_url(application), OPINION)
    first, second = ApplicationVersion.objects.filter(application=application).order_by("number")
    assert first.thresholds["failed"] == []
    assert second.thresholds["failed"] == ["创新创业服务载体建筑面积不低于 20 万平方米"]
    assert second.thresholds["met"] == second.thresholds["total"] - 1
    application.refresh_from_db()
    assert application.filed_thresholds == second.thresholds  # the lists read the latest filed summary
    client.force_login(people["city"])
    inbox = client.get(reverse("city:inbox", args=[application.call_id])).content.decode()
    assert "未达到：创新创业服务载体建筑面积不低于 20 万平方米" in inbox


# Session, user, posts, the application; the act (a savepoint of its own): the locked row with its call, programme
# and units, the content (parts, files), the sealed opinion's update, the version, the row, the audit row, whom to
# tell and the notice; the package (inserted in a savepoint: its version is new); the session (in a savepoint).
# Here the test's transaction adds savepoints and never commits, so the package's publication is not noted (one
# more query in production). It was 39 before the act read the content once under its lock, wrote the opinion
# into that reading and fetched the locked row's relations with it.
SUBMISSION_QUERIES = 23


def test_a_submission_costs_a_fixed_number_of_queries(client, people, application, django_assert_num_queries):
    client.force_login(people["head"])
    with django_assert_num_queries(SUBMISSION_QUERIES):
        response = client.post(submit_url(application), OPINION)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
