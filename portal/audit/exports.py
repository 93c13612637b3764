"""The audit log as CSV (streamed) or Excel (written row by row to a temporary file).

Either way rows are read from the database in chunks, never held in memory all at once. Every text cell
passes through portal.spreadsheets (a failed login's user name is whatever a stranger typed).
"""

import csv
import tempfile

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from portal.spreadsheets import safe_row

from .models import ROLE_LABELS, AuditAction

COLUMNS = (
    ("at", "时间", 20),
    ("username", "用户名", 16),
    ("unit_name", "单位", 24),
    ("role", "角色", 12),
    ("action", "类别", 14),
    ("verb", "操作", 24),
    ("object_type", "对象类型", 22),
    ("object_id", "对象编号", 10),
    ("object_repr", "对象", 30),
    ("from_status", "原状态", 12),
    ("to_status", "新状态", 12),
    ("reason", "理由", 40),
    ("ip", "IP 地址", 16),
    ("path", "请求路径", 30),
)
HEADER = [title for _, title, _ in COLUMNS]
ACTION_LABELS = dict(AuditAction.choices)
CHUNK = 2000
# Excel's own limit, header row included.
EXCEL_MAX_ROWS = 1_048_575


def rows(queryset):
    """Each audit row as the export shows it: local time, Chinese labels, defused text."""
    for values in queryset.values_list(*(field for field, _, _ in COLUMNS)).iterator(chunk_size=CHUNK):
        row = dict(zip((field for field, _, _ in COLUMNS), values, strict=True))
        row["at"] = timezone.localtime(row["at"]).replace(tzinfo=None)
        row["action"] = ACTION_LABELS.get(row["action"], row["action"])
        row["role"] = ROLE_LABELS.get(row["role"], row["role"])
        row["ip"] = row["ip"] or ""
        yield safe_row(row[field] for field, _, _ in COLUMNS)


class _Echo:
    """csv.writer writes into this and hands the line back, so each line can be streamed."""

    def write(self, value):
        return value


def csv_lines(queryset):
    writer = csv.writer(_Echo())
    # The byte-order mark makes Excel read the file as UTF-8 (Chinese otherwise comes out garbled).
    yield "\ufeff" + writer.writerow(safe_row(HEADER))
    for row in rows(queryset):
        yield writer.writerow(safe_row([f"{row[0]:%Y-%m-%d %H:%M:%S}", *row[1:]]))


def excel_file(queryset):
    """An open temporary .xlsx file (deleted when closed), positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    for index, (_, _, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(safe_row(HEADER))
    for row in rows(queryset):
        moment = WriteOnlyCell(sheet, value=row[0])
        moment.number_format = "yyyy-mm-dd hh:mm:ss"
        sheet.append(safe_row([moment, *row[1:]]))
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it, which deletes it)
    workbook.save(handle)
    handle.seek(0)
    return handle
