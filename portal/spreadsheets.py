"""The one way a value goes into any workbook or CSV the portal writes.

Text a spreadsheet would take for a formula — starting with = + - @, or tab or carriage return (OWASP, CSV
injection) — is prefixed with an apostrophe, so it is shown as typed and never evaluated; the control
characters a workbook may not hold are dropped. Numbers, dates and empty cells pass through unchanged.
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cell(value):
    """Any value bound for a cell; a styled cell has its value made safe in place."""
    if isinstance(value, Cell):
        value.value = safe_cell(value.value)
        return value
    return cell_text(value) if isinstance(value, str) else value


def safe_row(values):
    return [safe_cell(value) for value in values]
