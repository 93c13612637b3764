import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Attachment
from applications.validators.uploads import check_upload, clean_filename
from portal.audit.models import AuditAction, AuditEvent

from . import crafted_files as files

ANY = ("pdf", "jpeg", "png")


def upload(data, name="file.pdf"):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    "data, name, code",
    [
        (b"MZ\x90\x00 this is an exe", "report.pdf", "file_type_unknown"),
        (b"just some text", "report.pdf", "file_type_unknown"),
        (files.zip_bomb_named_pdf(), "map.pdf", "file_type_unknown"),
        (b"%PDF-1.4\n1 0 obj garbage", "broken.pdf", "pdf_broken"),
        (files.encrypted_pdf(), "locked.pdf", "pdf_encrypted"),
        (files.javascript_pdf(), "script.pdf", "pdf_active_content"),
        (files.disguised_javascript_pdf(), "script2.pdf", "pdf_active_content"),
        (files.launch_pdf(), "launch.pdf", "pdf_active_content"),
        (files.embedded_file_pdf(), "carrier.pdf", "pdf_active_content"),
        (files.huge_pixel_png(), "big.png", "image_too_many_pixels"),
        (files.png()[:60], "cut.png", "image_broken"),
    ],
)
def test_crafted_files_are_refused_with_a_reason(data, name, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(data, name), ANY)
    assert refused.value.code == code
    assert refused.value.messages[0]


def test_type_is_recognised_by_content_not_extension():
    checked = check_upload(upload(files.jpeg(), "photo.png"), ANY)
    assert (checked.kind, checked.content_type) == ("jpeg", "image/jpeg")


def test_pdf_page_count_is_read():
    assert check_upload(upload(files.pdf(pages=4)), ("pdf",)).pages == 4


def test_kind_that_takes_only_pdf_refuses_an_image():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(files.png(), "policy.pdf"), ("pdf",))
    assert refused.value.code == "file_type_not_accepted"
    assert "此处只接受 PDF，上传的文件实际是 PNG 图片" in refused.value.messages[0]


def test_size_limits_per_file_and_per_application(settings):
    settings.UPLOAD_LIMITS = {
        **settings.UPLOAD_LIMITS,
        "file_max_bytes": 1024 * 1024,
        "application_max_bytes": 3 * 1024 * 1024,
    }
    with pytest.raises(ValidationError) as too_big:
        check_upload(upload(b"%PDF-" + b"0" * (1024 * 1024)), ANY)
    assert too_big.value.code == "file_too_large"
    with pytest.raises(ValidationError) as too_much:
        check_upload(upload(files.pdf()), ANY, already_stored=3 * 1024 * 1024)
    assert too_much.value.code == "application_too_large"


def test_too_many_pages(settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "pdf_max_pages": 3}
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(files.pdf(pages=4)), ANY)
    assert refused.value.code == "pdf_too_many_pages"


@pytest.mark.parametrize(
    "name, cleaned",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\temp\\规划.pdf", "规划.pdf"),
        ("a\x00b\x1f.pdf", "ab.pdf"),
        ("...", "未命名文件"),
    ],
)
def test_file_names_are_cleaned_for_display(name, cleaned):
    assert clean_filename(name) == cleaned


def _post_upload(client, application, kind, data, name):
    return client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, data)},
    )


def test_refused_upload_says_why_beside_the_field_and_is_logged(client, people, bare_application, settings, tmp_path):
    client.force_login(people["clerk"])
    response = _post_upload(client, bare_application, "support_policy", files.javascript_pdf(), "政策.pdf")
    page = response.content.decode()
    assert response.status_code == 200 and "出于安全原因不予接收" in page
    assert not Attachment.objects.exists()
    assert list((settings.MEDIA_ROOT / "applications").rglob("*.*")) == []
    event = AuditEvent.objects.get(action=AuditAction.UPLOAD_REFUSED)
    assert "政策.pdf" in event.reason


def test_accepted_upload_is_stored_outside_web_root_under_a_random_name(client, people, bare_application, settings):
    client.force_login(people["clerk"])
    response = _post_upload(client, bare_application, "spatial_layout", files.png(), "../../布局图.png")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "布局图.png"
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "布局图" not in attachment.file.name and attachment.file.name.endswith(".png")
    assert len(attachment.sha256) == 64


def test_download_checks_permission_and_is_logged(client, people, application):
    attachment = application.attachments.first()
    download = reverse("applications:download_attachment", args=[application.pk, attachment.pk])
    for who in ("other_head", "city", "province", "expert"):
        client.force_login(people[who])
        assert client.get(download).status_code == 404, who
    client.force_login(people["clerk"])
    response = client.get(download)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).count() == 1


def test_delete_attachment_removes_the_file(client, people, application):
    attachment = application.attachments.first()
    path = attachment.file.path
    client.force_login(people["clerk"])
    client.post(reverse("applications:delete_attachment", args=[application.pk, attachment.pk]))
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    import os

    assert not os.path.exists(path)
