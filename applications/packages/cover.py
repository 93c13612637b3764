"""The cover page both programmes print: title, the rows of the form's cover, the maker and the year."""

from .assemble import Piece
from .dates import chinese_date, chinese_year

# Above this many characters in all the rows, the cover is set smaller so that it stays on one page.
COMPACT_AFTER = 120


def cover_piece(title, rows, maker, submitted_at):
    """`rows`: [{"label", "value", "stamp": a seal goes here, "seal": the seal's file URI or None}].
    The 申报日期 row and the year under the maker come from `submitted_at` (blank for a draft)."""
    rows = [*rows, {"label": "申 报 日 期", "value": chinese_date(submitted_at)}]
    context = {
        "title": title,
        "rows": rows,
        "maker": maker,
        "year_text": chinese_year(submitted_at),
        "compact": sum(len(str(row["value"] or "")) for row in rows) > COMPACT_AFTER,
    }
    return Piece("packages/cover.html", context)
