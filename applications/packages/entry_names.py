"""ZIP entry names built from what applicants typed: one plain component each, whatever was typed."""

import re

# Path separators, characters Windows refuses in file names, control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
# Leading dots ("..", hidden files) and leading characters spreadsheet tools or unzip tools read as
# formulas (=, +, @).
LEADING = re.compile(r"^[\s.=+@]+")
MAX_COMPONENT = 120


def clean_component(text):
    """`x/../../evil` → `x_.._.._evil` is still one component; `..` alone, `=cmd` and blanks get a name."""
    cleaned = UNSAFE.sub("_", text or "")
    cleaned = LEADING.sub("", cleaned).strip()[:MAX_COMPONENT].rstrip(" .")
    cleaned = cleaned.replace("..", "_")
    return cleaned or "未命名"


def entry_name(*components):
    """A ZIP entry path from components (folders, then the file name); each is cleaned on its own."""
    return "/".join(clean_component(component) for component in components)
