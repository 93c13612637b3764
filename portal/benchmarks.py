"""BENCHMARKS.md is written by several commands; each owns one section between HTML comment markers
(`<!-- name:start -->` … `<!-- name:end -->`) and replaces only that section."""

from pathlib import Path

from django.conf import settings

TITLE = "# Benchmarks"


def default_path():
    return Path(settings.BASE_DIR) / "BENCHMARKS.md"


def markers(name):
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def replace_section(path, name, body):
    """Put `body` between the markers of `name` in the file at `path`, leaving everything else as it is.

    A file without that section gets it appended; a missing file is created with the title. A file
    with only one of the two markers, or with them in the wrong order, is refused rather than guessed at.
    """
    path = Path(path)
    start, end = markers(name)
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else f"{TITLE}\n"
    has_start, has_end = start in text, end in text
    if has_start != has_end or (has_start and text.index(start) > text.index(end)):
        raise ValueError(f"{path}: the markers of section “{name}” are incomplete; fix them by hand.")
    if has_start:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def read_section(path, name):
    """The text between the markers of `name`, or None."""
    start, end = markers(name)
    text = Path(path).read_text(encoding="utf-8") if Path(path).exists() else ""
    if start not in text or end not in text:
        return None
    return text.split(start, 1)[1].split(end, 1)[0].strip()
