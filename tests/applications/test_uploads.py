import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ImageFile

from applications.models import Attachment
from applications.validators.uploads import check_upload, clean_filename
from portal.audit.models import AuditAction, AuditEvent

from . import crafted_files as files

ANY = ("pdf", "jpeg", "png")


def upload(data, name="file.pdf"):
    return SimpleUploadedFile(name, data)


REFUSED = [  # (builder, name, code, what the message says)
    (lambda: b"MZ\x90\x00 this is an exe", "report.pdf", "file_type_unknown", "无法识别的文件类型"),
    (lambda: b"just some text", "report.pdf", "file_type_unknown", "只接受 PDF、JPEG、PNG"),
    (files.zip_bomb_named_pdf, "map.pdf", "file_type_unknown", "按文件内容识别，不看扩展名"),
    (lambda: b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", "broken.pdf", "pdf_broken", "已损坏或无法读取"),
    (files.truncated_pdf, "cut.pdf", "pdf_truncated", "被截断"),
    (files.encrypted_pdf, "locked.pdf", "pdf_encrypted", "已加密"),
    (files.javascript_pdf, "script.pdf", "pdf_javascript", "含有 JavaScript 脚本"),
    (files.disguised_javascript_pdf, "script2.pdf", "pdf_javascript", "含有 JavaScript 脚本"),
    (files.compressed_javascript_pdf, "script3.pdf", "pdf_javascript", "含有 JavaScript 脚本"),
    (lambda: files.compressed_javascript_pdf(escaped=True), "script4.pdf", "pdf_javascript", "JavaScript"),
    (files.launch_pdf, "launch.pdf", "pdf_launch_action", "启动外部程序或打开外部文件"),
    (files.embedded_file_pdf, "carrier.pdf", "pdf_embedded_file", "内嵌了其他文件"),
    (files.many_pages_pdf, "long.pdf", "pdf_too_many_pages", "共 10000 页，超过 300 页的上限"),
    (lambda: files.many_pages_pdf(declared=1), "liar.pdf", "pdf_too_many_pages", "页数超过 300 页的上限"),
    (files.object_stream_bomb_pdf, "bomb.pdf", "pdf_too_complex", "超出安全上限"),
    (files.pdf_behind_html, "page.pdf", "pdf_markup", "夹带网页代码"),
    (files.png_bomb, "bomb.png", "image_too_many_pixels", "超过 4000 万像素的上限"),
    (files.huge_pixel_png, "big.png", "image_too_many_pixels", "8000×6000 像素过大"),
    (lambda: files.png()[:60], "cut.png", "image_broken", "已损坏或无法识别"),
    (files.polyglot_jpeg_html, "photo.jpg", "image_markup", "夹带网页代码"),
    (files.jpeg_with_html_after_the_end, "photo2.jpg", "image_markup", "夹带网页代码"),
    (files.png_with_script_text, "map.png", "image_markup", "夹带网页代码"),
]


@pytest.mark.parametrize("build, name, code, says", REFUSED, ids=[name for _, name, _, _ in REFUSED])
def test_crafted_files_are_refused_quickly_with_their_own_reason(build, name, code, says):
    data = build()
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(data, name), ANY)
    assert time.perf_counter() - started < 3  # bombs and long files are refused without being unpacked
    assert refused.value.code == code
    assert says in refused.value.messages[0]


@pytest.mark.parametrize(
    "build",
    [
        files.pdf,
        lambda: files.pdf(pages=300),
        files.opens_at_first_page_pdf,
        files.png,
        files.jpeg,
        files.jpeg_with_xmp,
    ],
    ids=["pdf", "pdf-300-pages", "pdf-opening-at-page-1", "png", "jpeg", "jpeg-with-exif-and-xmp"],
)
def test_ordinary_files_still_pass(build):
    checked = check_upload(upload(build(), "材料"), ANY)
    assert checked.original_name in ("材料.pdf", "材料.png", "材料.jpg")


@pytest.mark.parametrize("lenient", [False, True])
def test_a_png_text_bomb_is_cut_short_either_way(monkeypatch, lenient):
    """Pillow inflates text chunks to 1 MB at most; past that it refuses the image, unless its
    LOAD_TRUNCATED_IMAGES switch is on (WeasyPrint turns it on for the whole process when a PDF is
    first rendered), in which case the text is dropped and the small image itself is fine."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient)
    data = files.png_text_bomb()
    started = time.perf_counter()
    if lenient:
        assert check_upload(upload(data, "text.png"), ANY).kind == "png"
    else:
        with pytest.raises(ValidationError) as refused:
            check_upload(upload(data, "text.png"), ANY)
        assert refused.value.code == "image_broken"
    assert time.perf_counter() - started < 3


def test_page_limit_reads_the_page_tree_not_the_declared_count(settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "pdf_max_pages": 3}
    assert check_upload(upload(files.many_pages_pdf(pages=3, declared=99)), ("pdf",)).pages == 3


def test_type_is_recognised_by_content_not_extension():
    checked = check_upload(upload(files.jpeg(), "photo.png"), ANY)
    assert (checked.kind, checked.content_type, checked.original_name) == ("jpeg", "image/jpeg", "photo.jpg")


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
    "name, kind, cleaned",
    [
        ("../../etc/passwd.pdf", None, "passwd.pdf"),
        ("C:\\temp\\规划.pdf", None, "规划.pdf"),
        ("..\\..\\x.pdf", "pdf", "x.pdf"),
        ("a\x00b\x1f.pdf", None, "ab.pdf"),
        ("申报\n材料\u202efdp.exe", "pdf", "申报材料fdp.pdf"),  # RTL override would show "申报材料exe.pdf"
        ("map.html", "jpeg", "map.jpg"),
        ("photo.JPEG", "jpeg", "photo.JPEG"),
        ("布局图", "png", "布局图.png"),
        ("...", None, "未命名文件"),
        ("..", "png", "未命名文件.png"),
    ],
)
def test_file_names_are_cleaned_for_display(name, kind, cleaned):
    assert clean_filename(name, kind) == cleaned


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


def test_the_file_picker_offers_only_the_types_the_categories_take(client, people, bare_application):
    client.force_login(people["clerk"])
    page = client.get(reverse("applications:attachments", args=[bare_application.pk])).content.decode()
    assert 'accept="image/jpeg,application/pdf,image/png,.jpg,.jpeg,.pdf,.png"' in page


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
