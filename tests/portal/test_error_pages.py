"""400, 403 (CSRF included), 404 and 500 answer in Chinese; a form too large, with too many fields or a file
name too long is told which limit it broke."""

from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from portal.audit.models import AuditAction, AuditEvent

ENGLISH = ("Bad Request", "Forbidden", "Not Found", "Server Error", "CSRF")


def chinese_page(response, status, *phrases):
    text = response.content.decode()
    assert response.status_code == status
    assert '<html lang="zh-Hans">' in text and not [word for word in ENGLISH if word in text]
    assert all(phrase in text for phrase in phrases), text
    return text


def test_an_unknown_address_answers_a_chinese_404(client):
    chinese_page(client.get("/no-such-page/"), 404, "页面不存在")


def test_a_forbidden_admin_page_answers_a_chinese_403(client, people):
    client.force_login(people["head"])
    people["head"].is_staff = True
    people["head"].save(update_fields=["is_staff"])
    chinese_page(client.get("/admin/accounts/user/"), 403, "无权访问")


def test_a_server_error_answers_a_chinese_500():
    chinese_page(server_error(RequestFactory().get("/")), 500, "系统内部错误", "稍后再试")


def test_a_form_posted_without_its_csrf_token_gets_a_chinese_page_and_is_audited(people):
    browser = Client(enforce_csrf_checks=True)
    answer = browser.post(reverse("login"), {"username": "jn_head", "password": "x"}, REMOTE_ADDR="10.4.4.4")
    chinese_page(answer, 403, "页面已过期", "刷新")
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, verb__startswith="CSRF", ip="10.4.4.4")


def test_a_six_megabyte_form_is_told_the_five_megabyte_limit(client, people, application):
    client.force_login(people["clerk"])
    answer = client.post(
        reverse("applications:edit_declaration", args=[application.pk]), {"text": "众" * (2 * 1024 * 1024)}
    )
    chinese_page(answer, 400, "超过 5 MB 的上限")


def test_too_many_fields_are_told_the_limit(client, people, application, settings):
    client.force_login(people["clerk"])
    fields = {f"field{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    answer = client.post(reverse("applications:edit_declaration", args=[application.pk]), fields)
    chinese_page(answer, 400, f"超过 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个字段的上限")


def test_a_file_name_too_long_is_told_to_shorten_it(client, people, application):
    """As a client sends it: the whole name in the part's header (Django reads at most 1,024 bytes of it)."""
    client.force_login(people["clerk"])
    name = "众创社区空间规划图件" * 40 + ".pdf"
    body = (
        "--X\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--X--\r\n"
    ).encode()
    url = reverse("applications:attachments", args=[application.pk])
    answer = client.generic("POST", url, body, content_type="multipart/form-data; boundary=X")
    chinese_page(answer, 400, "文件名过长", "不超过 100 个汉字")
