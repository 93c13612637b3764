"""Tests take only paths a user can take (issue #18, property 6): no test module writes a status the acts write
(an application's or a report's status, a score's submission, a letter's sealing, a pilot's start year) and none
backdates a date by subtracting from now; a test moves the clock instead (tests/clock.py, freezegun, an act's
injected `now`). An AST scan of tests/, with the few exceptions named below and why."""

import ast
from pathlib import Path

from django.apps import apps

TESTS = Path(__file__).resolve().parent.parent

# Fields only an act writes (the transition tables, the scoring, sealing and confirming acts, the renderers).
WRITTEN_BY_ACTS = {
    "status",
    "state",
    "outcome",
    "sending",
    "sealed_at",
    "sealed_by",
    "submitted_at",
    "frozen_at",
    "decided_at",
    "decided_by",
    "withdrawn_at",
    "sent_at",
    "status_changed_at",
    "pilot_start_year",
    "accepted_at",
}
# Dates the rules constrain: written with a subtraction, they put the world past a rule it never waited for.
RULED_DATES = {
    "opens_at",
    "filing_deadline",
    "recommendation_deadline",
    "correction_deadline",
    "deadline",
    "starts_on",
    "ends_on",
    "received_on",
    "letter_date",
    "issue_date",
}
WRITING_METHODS = {"create", "update", "get_or_create", "update_or_create", "bulk_create"}
CLOCK_READS = {"now", "localdate", "today"}
CLOCK_MOVES = {"freeze_time", "clock_at", "move_to"}  # a moment handed to these is the clock's, not data

STATUS_WRITE, BACKDATED = "writes a field only an act writes", "subtracts from now"

# (module under tests/, enclosing function or <module>, kind): why it may.
REFUSED = "the test proves that the model refuses this write"
RENDERED = (
    "a finished file stands in for the renderer's (rendering is the worker's act, no user's, and costs seconds); "
    "the test is about who may fetch it"
)
BAD_INPUT = "a date the rule refuses: the test types it and expects the refusal"
ALLOWED = {
    ("applications/test_status_guard.py", "test_saving_a_changed_status_is_refused", STATUS_WRITE): REFUSED,
    ("applications/test_status_guard.py", "test_queryset_update_of_status_is_refused", STATUS_WRITE): REFUSED,
    ("applications/test_status_guard.py", "test_bulk_update_of_status_is_refused", STATUS_WRITE): REFUSED,
    ("applications/test_status_guard.py", "test_creating_an_application_past_draft_is_refused", STATUS_WRITE): REFUSED,
    (
        "applications/test_submission.py",
        "test_existing_applications_take_their_latest_versions_summary_on_migration",
        STATUS_WRITE,
    ): "a data migration's input: a version row as an older release stored it",
    ("audit/conftest.py", "chain", STATUS_WRITE): RENDERED,
    ("portal/test_permission_matrix.py", "world", STATUS_WRITE): RENDERED,
    ("review/test_exports.py", "ready_packages", STATUS_WRITE): RENDERED,
    ("applications/test_pdf_fidelity.py", "early_morning_beijing", BACKDATED): (
        "a moment the test freezes the clock at (yesterday 23:30 UTC), not a date written into the world"
    ),
    ("audit/test_retention.py", "days_ago", BACKDATED): "the cut-off date the operator types into purge_audit",
    ("factories.py", "<module>", BACKDATED): (
        "the world's seed: a call the office issued and opened ten days ago, as the notices are loaded "
        "(no rule keeps a call's opening out of the past; its deadlines are ahead)"
    ),
    ("portal/test_date_rules.py", "check", BACKDATED): BAD_INPUT,
    ("review/test_decisions.py", "test_the_board_refuses_a_backdated_start_and_says_why", BACKDATED): BAD_INPUT,
}


def enclosing_names(tree):
    """{node: name of the function it is in}, '<module>' outside any."""
    names = {}

    def visit(node, name):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else name
            names[child] = inner
            visit(child, inner)

    visit(tree, "<module>")
    return names


def _called_name(func):
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _writes_a_model(call):
    """A manager's writing method, a model's constructor or a factory."""
    name = _called_name(call.func)
    return name in WRITING_METHODS or name.endswith("Factory") or name in {m.__name__ for m in apps.get_models()}


def _status_writes(node):
    if isinstance(node, ast.Call) and _writes_a_model(node):
        for keyword in node.keywords:
            if keyword.arg in WRITTEN_BY_ACTS:
                yield node
            defaults = keyword.value if keyword.arg == "defaults" and isinstance(keyword.value, ast.Dict) else None
            if defaults and any(isinstance(k, ast.Constant) and k.value in WRITTEN_BY_ACTS for k in defaults.keys):
                yield node
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr in WRITTEN_BY_ACTS:
                    yield node
    if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "sealed_at" for k in node.keys):
        yield node  # an opinion part as only the sealing acts write it (seal_and_submit, the city's letter)
    if isinstance(node, ast.Call) and _called_name(node.func) == "setattr" and len(node.args) >= 2:
        field = node.args[1]
        if isinstance(field, ast.Constant) and field.value in WRITTEN_BY_ACTS:
            yield node


def _subtracts(value):
    return any(isinstance(part, ast.BinOp) and isinstance(part.op, ast.Sub) for part in ast.walk(value))


def _ruled_dates_set_back(node):
    if isinstance(node, ast.Call) and _writes_a_model(node):
        for keyword in node.keywords:
            if keyword.arg in RULED_DATES and _subtracts(keyword.value):
                yield node
    if isinstance(node, ast.Assign) and _subtracts(node.value):
        for target in node.targets:
            if any(isinstance(part, ast.Attribute) and part.attr in RULED_DATES for part in ast.walk(target)):
                yield node


def _backdating(node):
    yield from _ruled_dates_set_back(node)
    if isinstance(node, ast.Call) and _called_name(node.func) in CLOCK_MOVES:
        return
    for part in ast.iter_child_nodes(node):
        subtracted = isinstance(part, ast.BinOp) and isinstance(part.op, ast.Sub) and isinstance(part.left, ast.Call)
        if subtracted and _called_name(part.left.func) in CLOCK_READS:
            yield part


def findings(source, path="<test>"):
    """[(path, function, kind, line)] of the writes and the backdating in `source`."""
    tree = ast.parse(source)
    names = enclosing_names(tree)
    found = []
    for node in ast.walk(tree):
        for kind, check in ((STATUS_WRITE, _status_writes), (BACKDATED, _backdating)):
            for hit in check(node):
                found.append((path, names.get(hit, "<module>"), kind, hit.lineno))
    return sorted(set(found), key=lambda hit: (hit[0], hit[3], hit[2]))


def modules_of_the_suite():
    return [
        (path.relative_to(TESTS).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(TESTS.rglob("*.py"))
        if path.resolve() != Path(__file__).resolve()
    ]


def test_no_test_writes_a_status_or_backdates_a_date_outside_the_allow_list():
    found = [hit for path, source in modules_of_the_suite() for hit in findings(source, path)]
    stepped_around = [
        f"{path}:{line} {function}: {kind}"
        for path, function, kind, line in found
        if (path, function, kind) not in ALLOWED
    ]
    assert stepped_around == [], "take the user's path or move the clock (tests/clock.py):\n" + "\n".join(
        stepped_around
    )
    still_needed = {(path, function, kind) for path, function, kind, _ in found}
    assert set(ALLOWED) <= still_needed, f"no longer needed, remove: {set(ALLOWED) - still_needed}"


def test_the_scan_sees_each_way_round_a_rule():
    source = """
def world(application, report, round_):
    Application.objects.filter(pk=application.pk).update(status="pilot")
    report.status = "passed"
    AnnualReport.objects.create(pilot=application, round=round_, status="failed")
    Assignment(application=application, submitted_at=timezone.now())
    ReportingRound.objects.get_or_create(year=2019, defaults={"decided_at": None})
    letter.sending, letter.sealed_at = True, None
    setattr(application, "pilot_start_year", 2017)
    save_part(application, "filing_opinion", {"text": "同意", "sealed_at": now.isoformat()}, 0, None)
    round_.filing_deadline = timezone.now() - timedelta(minutes=1)
    starts = timezone.localdate() - timedelta(days=3)
    now = timezone.now()
    ReportingRound.objects.filter(year=2019).update(filing_deadline=now - timedelta(minutes=1))
"""
    assert [(function, kind, line) for _, function, kind, line in findings(source)] == [
        ("world", STATUS_WRITE, 3),
        ("world", STATUS_WRITE, 4),
        ("world", STATUS_WRITE, 5),
        ("world", STATUS_WRITE, 6),
        ("world", STATUS_WRITE, 7),
        ("world", STATUS_WRITE, 8),
        ("world", STATUS_WRITE, 9),
        ("world", STATUS_WRITE, 10),
        ("world", BACKDATED, 11),
        ("world", BACKDATED, 12),
        ("world", BACKDATED, 14),
    ]


def test_the_scan_lets_lookups_posts_and_a_moved_clock_pass():
    source = """
def fine(client, application):
    Application.objects.filter(status="pilot").exclude(status="draft").get(state="ready")
    client.post(url, {"status": "x", "outcome": "upheld"})
    with freeze_time(round_.filing_deadline + timedelta(minutes=1)):
        perform(report, "submit", head, now=deadline - timedelta(seconds=1))
    assert report.status == "submitted"
    with freeze_time(timezone.now() - timedelta(days=400)):
        Answer(status=404, location="")
"""
    assert findings(source) == []
