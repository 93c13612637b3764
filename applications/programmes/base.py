"""The shapes a programme's forms are declared in. A programme is data in these shapes plus its rules;
forms, completeness checks, the read-only layout and exports are all built from the declarations."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str = "text"  # text, textarea, decimal, integer, percent, growth, yesno, choice, email, phone
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


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    url_name: str


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
