"""Every line of the portal that writes a row or a cell into a workbook or CSV goes through portal.spreadsheets
(formula injection is defused in that one place). A new export that writes raw values fails here."""

import re
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
# Files a person never opens in a spreadsheet: the burst benchmark's session list for the load generator.
NOT_EXPORTS = {"demo/management/commands/seed_burst.py"}
SOURCES = [
    path
    for folder in ("applications", "review", "portal", "demo")
    for path in (BASE / folder).rglob("*.py")
    if "migrations" not in path.parts and path.relative_to(BASE).as_posix() not in NOT_EXPORTS
]
# what is written follows the match: a row appended to a sheet, a CSV line, a cell set by its address
ROW_WRITES = re.compile(r"\bsheet\w*\.append\(\s*|\.writerows?\(\s*")
CELL_WRITES = re.compile(r"\bsheet\w*\[[^\]]+\]\s*=(?!=)\s*")


def writes(pattern):
    """(file:line, what follows the write) for each write in the portal's source."""
    for path in SOURCES:
        text = path.read_text()
        for match in pattern.finditer(text):
            where = f"{path.relative_to(BASE)}:{text.count(chr(10), 0, match.start()) + 1}"
            yield where, text[match.end() : match.end() + 40]


def test_every_row_written_to_a_workbook_or_csv_is_made_safe():
    found = list(writes(ROW_WRITES))
    assert len(found) >= 8  # audit CSV and Excel, the call's workbook, the charts, the late reports
    assert not [(where, what) for where, what in found if not what.startswith("safe_row(")]


def test_every_cell_written_by_address_is_made_safe():
    found = list(writes(CELL_WRITES))
    assert found
    assert not [(where, what) for where, what in found if not what.startswith("safe_cell(")]
