"""The shapes a programme's forms are declared in. A programme is data in these shapes plus its rules;
forms, completeness checks, the read-only layout and exports are all built from the declarations."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.urls import reverse


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    # text, textarea, decimal, integer, percent, growth, yesno, choice, email, phone,
    # date (saved as YYYY-MM-DD), ticks (several of `choices`, saved as a list of their values)
    kind: str = "text"
    unit: str = ""
    choices: tuple = ()
    names_key: str = ""  # for yes/no questions: the field that must name the partners when "是"
    required: bool = True
    help: str = ""
    max_length: int = 200


@dataclass(frozen=True)
class Group:
    title: str
    fields: tuple


def number(value):
    """A saved figure as a Decimal; None when blank or not a number."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def is_blank(value):
    """Nothing entered: None, an empty or all-space string, an empty list."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == ()


@dataclass(frozen=True)
class RepeatGroup:
    """Fields filled once per item (one per case, per partner, ...), saved under `key` as a list of dicts
    keyed by the fields' keys. A complete application holds `min_items`..`max_items` items (0: no bound)."""

    key: str
    number: str  # the heading's number in its outline, or ""
    title: str
    item_label: str  # what one item is called, numbered on screen: 成功案例1, 成功案例2, ...
    fields: tuple
    min_items: int = 0
    max_items: int = 0

    def filled(self, rows):
        """The items with anything entered; blank rows are not items."""
        keys = [spec.key for spec in self.fields]
        return [row for row in rows or [] if isinstance(row, dict) and not all(is_blank(row.get(k)) for k in keys)]

    def count_problem(self, count):
        """A message when `count` items are too few or too many, else None."""
        low, high = self.min_items, self.max_items
        if (low and count < low) or (high and count > high):
            if low and high:
                wanted = f"须填写{low}-{high}个{self.item_label}" if low != high else f"须填写{low}个{self.item_label}"
            elif low:
                wanted = f"至少须填写{low}个{self.item_label}"
            else:
                wanted = f"最多填写{high}个{self.item_label}"
            return f"{wanted}，目前填写了{count}个。"
        return None

    def blank_required(self, rows):
        """(item number from 1, field spec) for every required field left blank in a filled item."""
        return [
            (number, spec)
            for number, row in enumerate(self.filled(rows), start=1)
            for spec in self.fields
            if spec.required and is_blank(row.get(spec.key))
        ]


@dataclass(frozen=True)
class Section:
    """One heading of a written outline (建设方案), with the outline's own guidance."""

    key: str
    number: str
    title: str
    guidance: str


@dataclass(frozen=True)
class Indicator:
    number: int
    label: str
    unit: str
    kind: str = "decimal"  # decimal, integer, percent, growth


@dataclass(frozen=True)
class AttachmentKind:
    key: str
    label: str
    accepts: tuple = ("pdf", "jpeg", "png")
    required: bool = True
    help: str = ""


GENERIC_PART_PAGE = "applications:edit_part"


@dataclass(frozen=True)
class Part:
    """One part of an application. A part with its own page names it (url_name); the others are edited on
    the generic part page, laid out by `layout`: groups (fields in fieldsets), outline (written sections),
    checklist (yes/no items) or repeat (a repeatable group)."""

    key: str
    title: str
    url_name: str = GENERIC_PART_PAGE
    layout: str = ""
    note: str = ""  # shown under the form: who fills what else, and when

    def url(self, application_pk):
        if self.url_name == GENERIC_PART_PAGE:
            return reverse(self.url_name, args=[application_pk, self.key])
        return reverse(self.url_name, args=[application_pk])


@dataclass(frozen=True)
class Missing:
    part: str
    anchor: str
    label: str


@dataclass(frozen=True)
class ThresholdResult:
    label: str
    article: str
    met: bool | None  # None: not enough data yet
    detail: str


@dataclass
class Problem:
    """A consistency problem found on saved data, shown beside its field."""

    part: str
    field: str
    message: str


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    parts: tuple
    attachment_kinds: tuple
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ExportColumn:
    """One column of the applications sheet: a saved field of a part, with how to write its value."""

    part: str
    key: str
    header: str
    kind: str = "text"  # text, number, yesno


@dataclass(frozen=True)
class Priority:
    """A 优先支持 rule of a call's notice, shown as a badge and usable as a sort key on the ranking board.

    kind "zone": the filing unit's city lies in zone `value`; "criterion": the experts' average on the
    rubric line named `value`; "flag": the application's boolean field `value`, confirmed by the province.
    """

    key: str
    label: str
    kind: str
    value: str


@dataclass(frozen=True)
class Chain:
    """Who files and who recommends, in the notice's own words, for the pages every programme shares.

    When a programme's applicant (or recommender) signs a fixed text (a 信用承诺书) instead of writing
    an opinion, `filing_pledge` (or `recommender_pledge`) holds it; the sealed opinion then records it."""

    applicant: str
    recommender: str
    filing_opinion: str
    recommender_opinion: str
    seal_confirmation: str
    filing_pledge: str = ""
    recommender_pledge: str = ""


@dataclass(frozen=True)
class Forwarding:
    """A programme whose province picks the best and sends them on to the next level in a 推荐公函
    (the letter is an Endorsement of the issuing body, level FORWARDING, in the same PDF pipeline)."""

    addressee: str  # 主送机关
    verb: str = "择优推荐"


@dataclass(frozen=True)
class RecommenderChecklist:
    """Items the applicant answers (in `applicant_part`) and its recommender confirms one by one at 初审
    (saved in `part`): 初审通过 waits until every item answered 是 is confirmed."""

    part: str
    applicant_part: str
    items: tuple  # each with .key and .label
    title: str = "推荐条件核实"
