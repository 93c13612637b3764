"""What changed between two submitted versions: fields by their form labels, files by their hashes."""

from dataclasses import dataclass
from difflib import SequenceMatcher

# Unchanged text longer than this is cut to its ends around a change, so the change is what one reads.
CONTEXT = 40


@dataclass(frozen=True)
class Segment:
    kind: str  # same / removed / added
    text: str


def marked_changes(before, after):
    """The two texts as one, character by character (Chinese has no spaces to split words on): what stayed,
    what was removed, what was added — unchanged stretches shortened to their ends."""
    segments = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            text = before[i1:i2]
            first, last = not segments, i2 == len(before)
            if len(text) > 2 * CONTEXT:
                text = ("" if first else text[:CONTEXT]) + "…" + ("" if last else text[-CONTEXT:])
            segments.append(Segment("same", text))
            continue
        if i2 > i1:
            segments.append(Segment("removed", before[i1:i2]))
        if j2 > j1:
            segments.append(Segment("added", after[j1:j2]))
    return segments


@dataclass(frozen=True)
class FieldChange:
    part: str
    label: str
    before: str
    after: str

    @property
    def segments(self):
        return marked_changes(self.before, self.after)


@dataclass(frozen=True)
class FileChange:
    change: str  # 新增 / 删除
    kind: str
    name: str
    sha256: str


def _text(value):
    """A saved value as the reader wrote it: ticked items and repeated entries (cases) joined, not repr'd."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "；".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "，".join(_text(item) for item in value.values() if item not in (None, ""))
    return str(value)


def field_changes(labels, older, newer):
    """`labels` maps (part, key) to (part title, field label), in the order the forms show them."""
    changes = []
    for (part, key), (part_title, label) in labels.items():
        before = _text(older.get(part, {}).get(key))
        after = _text(newer.get(part, {}).get(key))
        if before != after:
            changes.append(FieldChange(part_title, label, before, after))
    return changes


def file_changes(kind_labels, older, newer):
    before = {(f["kind"], f["sha256"]): f for f in older}
    after = {(f["kind"], f["sha256"]): f for f in newer}
    removed = [FileChange("删除", kind_labels.get(k, k), before[(k, h)]["name"], h) for k, h in before.keys() - after]
    added = [FileChange("新增", kind_labels.get(k, k), after[(k, h)]["name"], h) for k, h in after.keys() - before]
    return sorted(removed + added, key=lambda c: (c.kind, c.change, c.name))


def version_diff(programme, call, older, newer):
    kinds = {kind.key: kind.label for kind in programme.attachment_kinds}
    return {
        "fields": field_changes(programme.field_labels(call), older.parts, newer.parts),
        "files": file_changes(kinds, older.files, newer.files),
    }
