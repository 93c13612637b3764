"""MEDIA in an S3-compatible object store (moto's server, a real process speaking the protocol): uploads, the
generated PDF package with its seal and images, and exports all go through Django's storage into the bucket,
nothing into MEDIA_ROOT; downloads still pass the permission-checked views."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Package
from review.models import ExportJob

from ..factories import make_ready
from ..object_storage import stored_names
from .test_exports import export, ready_packages

pytestmark = pytest.mark.worker  # starts a server process


def local_media_files():
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_the_application_package_lives_in_the_bucket_and_downloads_only_through_the_view(
    object_storage, bare_application, people, client, django_capture_on_commit_callbacks
):
    s3, bucket = object_storage
    application = make_ready(bare_application, people["clerk"])
    uploaded = [a.file.name for a in application.attachments.all()]
    assert uploaded and set(uploaded) <= set(stored_names(s3, bucket))

    client.force_login(people["head"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:submit", args=[application.pk]),
            {"apply_seal": "on", "opinion": "同意报送。", "confirm_act": "yes"},
        )
    assert response.status_code == 302
    package = Package.objects.get(application=application, version_number=1)
    assert package.state == Package.State.READY, package.error
    assert package.file.name in stored_names(s3, bucket)
    stored = s3.get_object(Bucket=bucket, Key=package.file.name)["Body"].read()
    # the unit's seal and the three layout images were read from the bucket into the PDF
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(stored)).pages) >= 4
    assert local_media_files() == []

    url = reverse("applications:download_package", args=[application.pk, package.pk])
    answer = client.get(url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == stored
    client.force_login(people["other_head"])
    assert client.get(url).status_code == 404


def test_exports_are_written_to_the_bucket(
    object_storage, board_rows, people, client, django_capture_on_commit_callbacks
):
    s3, bucket = object_storage
    call = board_rows["pizhou"].call
    ready_packages(board_rows.values())
    client.force_login(people["province"])
    for kind in (ExportJob.Kind.PACKAGES, ExportJob.Kind.WORKBOOK):
        job = export(client, call, kind, django_capture_on_commit_callbacks)
        assert job.file.name in stored_names(s3, bucket)
        response = client.get(reverse("province:download_export", args=[job.pk]))
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        if kind == ExportJob.Kind.PACKAGES:
            archive = zipfile.ZipFile(io.BytesIO(content))
            pizhou = f"徐州市/01-{board_rows['pizhou'].name}.pdf"
            assert archive.read(pizhou) == b"%PDF-1.7 " + board_rows["pizhou"].name.encode()
    assert local_media_files() == []
