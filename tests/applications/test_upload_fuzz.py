"""Crafted files and hostile file names sent through every page that takes an upload: the attachments
page (空间规划 images and policy PDFs), the public /verify/ page and the unit seal in the admin site.
Each is refused beside its field with a Chinese reason, audited, and leaves no file anywhere."""

import html
import io
import re
import time
from urllib.parse import quote, unquote

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Attachment
from portal.accounts.models import Unit
from portal.accounts.validators import validate_seal_image
from portal.audit.models import AuditAction, AuditEvent

from . import crafted_files as files

BOUNDARY = "----uploadfuzzboundary7MA4YWxkTrZu0gW"
# Names as a hostile client sends them in the multipart header (the test client's own encoder would
# strip the folders): folders up and out, Windows separators, and NUL, newline and a right-to-left
# override (which makes "文件\u202efdp.exe" display as "文件exe.pdf") in an RFC 2231 name.
TRAVERSAL = 'filename="../../etc/passwd.pdf"'
BACKSLASHES = 'filename="..\\..\\x.pdf"'
CONTROL = "filename*=UTF-8''" + quote("申报\x00材料\n\u202efdp.pdf")
HTML_NAME = 'filename="layout.html"'


def multipart(fields, filename_header, data, file_field="file"):
    """A multipart body written by hand, so the file name reaches the server exactly as given."""
    lines = []
    for name, value in fields.items():
        lines += [f"--{BOUNDARY}", f'Content-Disposition: form-data; name="{name}"', "", value]
    head = "\r\n".join(
        [*lines, f"--{BOUNDARY}", f'Content-Disposition: form-data; name="{file_field}"; {filename_header}']
    )
    head += "\r\nContent-Type: application/octet-stream\r\n\r\n"
    return head.encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def post_file(client, url, fields, filename_header, data, file_field="file"):
    body = multipart(fields, filename_header, data, file_field)
    started = time.perf_counter()
    response = client.post(url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    return response, time.perf_counter() - started


def files_under(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def file_trees(settings):
    """Every file under the media root and beside it (the test's temporary root, where a name
    climbing out of the media root would land), to compare before and after a request."""
    roots = [settings.MEDIA_ROOT, settings.MEDIA_ROOT.parent]
    return lambda: [files_under(root) for root in roots]


def field_block(page, field_id):
    """The markup crispy-forms renders for one field: its input, help and errors."""
    start = page.index(f'id="div_{field_id}"')
    end = page.find('id="div_id_', start + 1)
    return page[start : end if end != -1 else len(page)]


def refusals():
    return AuditEvent.objects.filter(action=AuditAction.UPLOAD_REFUSED)


# --- the attachments page: 空间规划 images and policy PDFs --------------------------------------

NASTY_ATTACHMENTS = [  # (builder, attachment kind, file name header, what the message says)
    (files.zip_bomb_named_pdf, "support_policy", TRAVERSAL, "无法识别的文件类型"),
    (files.truncated_pdf, "support_policy", BACKSLASHES, "被截断"),
    (files.encrypted_pdf, "support_policy", CONTROL, "已加密"),
    (files.javascript_pdf, "support_policy", TRAVERSAL, "含有 JavaScript 脚本"),
    (files.compressed_javascript_pdf, "governance_documents", CONTROL, "含有 JavaScript 脚本"),
    (files.launch_pdf, "governance_documents", BACKSLASHES, "启动外部程序"),
    (files.embedded_file_pdf, "support_policy", TRAVERSAL, "内嵌了其他文件"),
    (files.many_pages_pdf, "support_policy", CONTROL, "共 10000 页，超过 300 页的上限"),
    (files.object_stream_bomb_pdf, "spatial_layout", TRAVERSAL, "超出安全上限"),
    (files.png_bomb, "spatial_layout", TRAVERSAL, "超过 4000 万像素的上限"),
    (files.huge_pixel_png, "functional_layout", CONTROL, "8000×6000 像素过大"),
    (files.polyglot_jpeg_html, "spatial_layout", HTML_NAME, "夹带网页代码"),
    (files.jpeg_with_html_after_the_end, "project_sketch", BACKSLASHES, "夹带网页代码"),
]


@pytest.mark.parametrize(
    "build, kind, filename_header, says", NASTY_ATTACHMENTS, ids=[b.__name__ for b, *_ in NASTY_ATTACHMENTS]
)
def test_crafted_attachment_is_refused_beside_the_field_audited_and_never_written(
    client, people, bare_application, file_trees, build, kind, filename_header, says
):
    client.force_login(people["clerk"])
    url = reverse("applications:attachments", args=[bare_application.pk])
    before = file_trees()
    response, seconds = post_file(client, url, {"kind": kind}, filename_header, build())
    assert response.status_code == 200 and seconds < 3
    file_field = html.unescape(field_block(response.content.decode(), "id_file"))
    assert says in file_field and "is-invalid" in file_field
    assert file_trees() == before and not Attachment.objects.exists()
    event = refusals().get()
    assert event.user == people["clerk"] and event.object_id == str(bare_application.pk) and says in event.reason
    assert not re.search(r"[\x00-\x1f\u202e/\\]", event.reason)  # the name in the log is the cleaned one


@pytest.mark.parametrize(
    "build, kind, filename_header, stored_as, shown_as",
    [
        (files.png, "spatial_layout", TRAVERSAL, ".png", "passwd.png"),
        (files.jpeg_with_xmp, "site_photos", BACKSLASHES, ".jpg", "x.jpg"),
        (files.jpeg, "project_sketch", HTML_NAME, ".jpg", "layout.jpg"),
        (files.pdf, "support_policy", CONTROL, ".pdf", "申报材料fdp.pdf"),
    ],
)
def test_good_file_under_a_hostile_name_is_stored_under_a_random_one_inside_the_media_root(
    client, people, bare_application, settings, file_trees, build, kind, filename_header, stored_as, shown_as
):
    client.force_login(people["clerk"])
    url = reverse("applications:attachments", args=[bare_application.pk])
    media_before, beside_before = file_trees()
    response, _ = post_file(client, url, {"kind": kind}, filename_header, build())
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == shown_as
    assert re.fullmatch(rf"applications/{bare_application.pk}/[0-9a-f]{{32}}\{stored_as}", attachment.file.name)
    media_after, beside_after = file_trees()
    assert set(media_after) - set(media_before) == {settings.MEDIA_ROOT / attachment.file.name}
    assert set(beside_after) - set(beside_before) == {settings.MEDIA_ROOT / attachment.file.name}
    download = client.get(reverse("applications:download_attachment", args=[bare_application.pk, attachment.pk]))
    assert download["Content-Type"] == attachment.content_type and download["X-Content-Type-Options"] == "nosniff"
    assert shown_as in unquote(download["Content-Disposition"])  # saved with the extension of its content


# --- the public /verify/ page ---------------------------------------------------------------------


@pytest.fixture
def verify_unthrottled(settings):
    """These tests post more files from one address than a person would in a minute."""
    settings.VERIFY_RATE_LIMIT = "1000/m"


NASTY_TO_VERIFY = [
    (files.zip_bomb_named_pdf, "不是 PDF"),
    (files.png_bomb, "不是 PDF"),
    (files.truncated_pdf, "被截断"),
    (files.encrypted_pdf, "已加密"),
    (files.javascript_pdf, "含有 JavaScript 脚本"),
    (files.launch_pdf, "启动外部程序"),
    (files.embedded_file_pdf, "内嵌了其他文件"),
    (files.object_stream_bomb_pdf, "超出安全上限"),
]


@pytest.mark.parametrize("build, says", NASTY_TO_VERIFY, ids=[b.__name__ for b, _ in NASTY_TO_VERIFY])
def test_verify_page_refuses_crafted_files_before_reading_signatures(
    client, verify_unthrottled, file_trees, build, says
):
    before = file_trees()
    response, seconds = post_file(client, reverse("verify"), {}, TRAVERSAL, build())
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and seconds < 3
    refusal = re.search(r"<div class=\"invalid-feedback\" data-refusal>(.*?)</div>", page)
    assert refusal and says in refusal[1]
    assert 'data-verdict="mismatch"' in page and "data-signature" not in page
    assert file_trees() == before
    event = refusals().get()
    assert event.user is None and event.verb == "材料核验" and event.reason.startswith("passwd.pdf：")


def test_verify_page_answers_a_10000_page_file_quickly_without_counting_its_pages(
    client, verify_unthrottled, file_trees
):
    before = file_trees()
    response, seconds = post_file(client, reverse("verify"), {}, TRAVERSAL, files.many_pages_pdf())
    page = response.content.decode()
    assert seconds < 3 and 'data-verdict="mismatch"' in page and "data-refusal" not in page
    assert file_trees() == before and not refusals().exists()


# --- unit seals, uploaded by the 系统管理员 in the admin site ----------------------------------------


def transparent_png_with_script():
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGBA", (400, 400), (200, 0, 0, 0)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "build, code",
    [
        (files.png_bomb, "seal_too_many_pixels"),
        (files.zip_bomb_named_pdf, "seal_not_image"),
        (files.polyglot_jpeg_html, "seal_not_png"),
        (transparent_png_with_script, "seal_markup"),
    ],
)
def test_crafted_seal_images_are_refused_quickly(build, code):
    data = build()
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        validate_seal_image(SimpleUploadedFile("seal.png", data))
    assert time.perf_counter() - started < 3 and refused.value.code == code


@pytest.fixture
def staff_sysadmin(people):
    user = people["sysadmin"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return user


def unit_page_fields(client, unit):
    form = client.get(reverse("admin:accounts_unit_change", args=[unit.pk])).context["adminform"].form
    fields = {}
    for name in form.fields:
        value = form[name].value()
        if name != "seal" and value not in (None, False):
            fields[name] = "on" if value is True else str(value)
    return fields


def test_admin_refuses_a_seal_bomb_beside_the_field_and_stores_a_good_seal_under_a_random_name(
    client, staff_sysadmin, settings, file_trees
):
    unit = Unit.objects.get(code="320115")
    client.force_login(staff_sysadmin)
    url = reverse("admin:accounts_unit_change", args=[unit.pk])
    fields = unit_page_fields(client, unit)
    before = file_trees()
    response, seconds = post_file(client, url, fields, TRAVERSAL, files.png_bomb(), "seal")
    assert response.status_code == 200 and seconds < 3
    assert "印章图片像素过多" in html.unescape(response.content.decode())
    assert file_trees() == before
    unit.refresh_from_db()
    assert not unit.seal

    seal = files.png(size=(400, 400), mode="RGBA")
    response, _ = post_file(client, url, fields, TRAVERSAL, seal, "seal")
    assert response.status_code == 302
    unit.refresh_from_db()
    assert re.fullmatch(r"seals/[0-9a-f]{32}\.png", unit.seal.name)
    replaced = AuditEvent.objects.get(verb="更换单位印章", object_id=str(unit.pk))
    assert (replaced.user, replaced.reason) == (staff_sysadmin, unit.seal.name)
    assert set(files_under(settings.MEDIA_ROOT.parent)) - set(before[1]) == {settings.MEDIA_ROOT / unit.seal.name}
