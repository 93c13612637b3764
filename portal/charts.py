"""The charts on the dashboards: one Chart feeds the canvas (static/js/charts.js reads it through
``json_script``), the table of numbers beside it (templates/includes/chart.html) and the Excel download,
so the picture, the table and the workbook can never disagree.

A target is a name and either one number (a level line, e.g. 目标 100 家 by 2020) or one number per label
(e.g. the plan of each year); it is drawn as a dashed line and gets its own column in the table.
"""

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.spreadsheets import safe_cell, safe_row

KINDS = {"bar": "柱状图", "line": "折线图", "doughnut": "环形图", "stacked-bar": "堆积柱状图"}
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Characters a worksheet title may not hold, and its length limit (Excel's).
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


def as_number(value):
    """A JSON- and Excel-friendly number: Decimal becomes int or float, NaN and infinity become a gap."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"chart values must be numbers or None, not {value!r}")
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def shown(value):
    """A number as the HTML table shows it: at most two decimals, no trailing zeros, a dash for a gap."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


class Table(NamedTuple):
    header: list[str]
    rows: list[list]

    @property
    def shown_rows(self):
        return [[label, *(shown(value) for value in values)] for label, *values in self.rows]


@dataclass(frozen=True)
class Chart:
    """One chart. ``series`` and ``targets`` are sequences of (name, values); a target's values may be a
    single number. ``label_header`` heads the column of labels in the table (设区市, 年度 …)."""

    key: str
    title: str
    kind: str
    labels: Sequence[str]
    series: Sequence[tuple[str, Sequence]]
    unit: str = ""
    targets: Sequence[tuple[str, object]] = ()
    note: str = ""
    label_header: str = "项目"

    def __post_init__(self):
        if not KEY.match(self.key):
            raise ValueError(f"chart key {self.key!r}: lower-case letters, digits and hyphens only")
        if self.kind not in KINDS:
            raise ValueError(f"chart kind {self.kind!r}: one of {', '.join(KINDS)}")
        object.__setattr__(self, "labels", tuple(str(label) for label in self.labels))
        object.__setattr__(self, "series", tuple(self._named_values(s) for s in self.series))
        object.__setattr__(self, "targets", tuple(self._named_values(t, broadcast=True) for t in self.targets))
        if not self.series:
            raise ValueError(f"chart {self.key}: at least one series")
        if self.kind == "doughnut" and (len(self.series) > 1 or self.targets):
            raise ValueError(f"chart {self.key}: a doughnut has one series and no target")

    def _named_values(self, pair, broadcast=False):
        name, values = pair
        if broadcast and not isinstance(values, list | tuple):
            values = [values] * len(self.labels)
        values = tuple(as_number(v) for v in values)
        if len(values) != len(self.labels):
            raise ValueError(f"chart {self.key}: {name} has {len(values)} values for {len(self.labels)} labels")
        return str(name), values

    @property
    def data_id(self):
        """The id of the JSON block the canvas points to."""
        return f"chart-{self.key}-data"

    def column_title(self, name):
        return f"{name}（{self.unit}）" if self.unit else name

    def as_table(self):
        """The numbers as the table beside the chart and the worksheet show them: one row per label,
        one column per series and per target, numbers as numbers (None where there is none)."""
        columns = [*self.series, *self.targets]
        header = [self.label_header, *(self.column_title(name) for name, _ in columns)]
        rows = [[label, *(values[i] for _, values in columns)] for i, label in enumerate(self.labels)]
        return Table(header, rows)

    def as_data(self):
        """What static/js/charts.js draws (rendered with json_script, so it is data, never executed)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "labels": list(self.labels),
            "series": [{"name": name, "values": list(values)} for name, values in self.series],
            "targets": [{"name": name, "values": list(values)} for name, values in self.targets],
        }


def sheet_title(chart, taken):
    """The chart's title as a worksheet name: no forbidden characters, at most 31, unique in the workbook."""
    base = SHEET_FORBIDDEN.sub("_", chart.title).strip("'") or chart.key
    title, n = base[:SHEET_TITLE_MAX], 1
    while title in taken:
        n += 1
        title = f"{base[: SHEET_TITLE_MAX - len(str(n)) - 1]}_{n}"
    taken.add(title)
    return title


def write_chart_sheet(sheet, chart):
    """A1 the title, A2 the unit and note, row 3 the header, then one row per label."""
    table = chart.as_table()
    sheet["A1"] = safe_cell(chart.title)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = safe_cell("；".join(filter(None, [chart.unit and f"单位：{chart.unit}", chart.note]))) or None
    sheet.append(safe_row(table.header))
    for header in sheet[3]:
        header.font = Font(bold=True)
    for values in table.rows:
        sheet.append(safe_row(values))
    sheet.column_dimensions["A"].width = max([12, *(2 * len(label) + 2 for label in chart.labels)])
    sheet.freeze_panes = "B4"


def charts_workbook(charts):
    """An .xlsx workbook with one sheet per chart."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken = set()
    for chart in charts:
        write_chart_sheet(workbook.create_sheet(sheet_title(chart, taken)), chart)
    return workbook


def workbook_response(workbook, filename):
    """A workbook as an .xlsx download; ``filename`` (without .xlsx) may be Chinese, Django sends it
    RFC 5987-encoded (filename*=utf-8''…)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{filename}.xlsx")
