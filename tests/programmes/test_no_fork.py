"""A programme is data plus its own form modules: the shared machinery never asks which programme it
serves. This reads the shared modules' source and fails on any mention of a programme by code — a string
compared, a module imported — so that a third programme needs no edit to them."""

import ast
from pathlib import Path

from applications.programmes import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
# transitions, deadlines, quota, assignment, scoring, aggregation, PDF pipeline, exports, dashboards, pages
SHARED = (
    "applications/domain",
    "applications/views",
    "applications/forms",
    "applications/packages",
    "applications/queries.py",
    "applications/status.py",
    "applications/tasks.py",
    "portal/calls",
    "portal/workflow.py",
    "portal/charts.py",
    "review/domain",
    "review/views",
    "review/pilots/dashboard_views.py",
    "templates/applications",
    "templates/city",
    "templates/province",
    "templates/packages",
    "templates/dashboards",
)
CODES = tuple(REGISTRY)


def shared_files(suffix):
    for entry in SHARED:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob(f"*{suffix}"))
        yield from (f for f in files if f.suffix == suffix and "migrations" not in f.parts)


def test_the_registry_holds_both_programmes():
    assert set(CODES) == {"zcsq", "zyhzckj"}


def programme_mentions(source):
    """The programme codes a module's source compares or imports by name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in CODES:
            found.append(node.value)
        if isinstance(node, ast.ImportFrom) and node.module and set(node.module.split(".")) & set(CODES):
            found.append(node.module)
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if set(alias.name.split(".")) & set(CODES)]
    return found


def test_shared_python_never_names_a_programme():
    files = list(shared_files(".py"))
    assert len(files) > 40  # the scan reads the modules it claims to
    mentions = {str(f.relative_to(ROOT)): programme_mentions(f.read_text(encoding="utf-8")) for f in files}
    assert {path: found for path, found in mentions.items() if found} == {}


def test_shared_templates_never_name_a_programme():
    def named(text):
        return [code for code in CODES if f'"{code}"' in text or f"'{code}'" in text or f"/{code}/" in text]

    files = list(shared_files(".html"))
    assert len(files) > 20
    mentions = {str(f.relative_to(ROOT)): named(f.read_text(encoding="utf-8")) for f in files}
    assert {path: found for path, found in mentions.items() if found} == {}


def test_the_scan_catches_a_branch_and_an_import():
    """Not vacuous: the forms a fork would take are found."""
    assert programme_mentions('if call.programme.code == "zyhzckj":\n    pass\n') == ["zyhzckj"]
    assert programme_mentions("from applications.programmes.zcsq.plan import INDICATORS\n") == [
        "applications.programmes.zcsq.plan"
    ]
    assert programme_mentions("import applications.programmes.zyhzckj\n") == ["applications.programmes.zyhzckj"]
    assert programme_mentions('label = "众创社区"\n') == []
