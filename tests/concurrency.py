"""Two acts at the same moment, made deterministic: the first is held inside its transaction (its row
locked) until the second has either blocked on a row lock or finished; only then does the first go on.

With the lock, the second always waits and sees what the first left; without it, the second always runs
in the gap — so the outcome never depends on how the threads happen to be scheduled."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection

from portal.workflow import TransitionRefused
from review.domain.batches import BatchRefused

from .conftest import ensure_reference_data

SAFETY_SECONDS = 60  # a hang is a failure, never a pass


def needs_row_locks():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL: CI runs this on PostgreSQL")


class Outcome:
    def __init__(self):
        self.value = None
        self.refusal = None
        self.error = None
        self.backend_pid = None  # the act's own database session, known once it has connected

    @property
    def won(self):
        return self.refusal is None and self.error is None


def _run(act, outcome):
    from django.db import connection as own

    try:
        own.ensure_connection()
        outcome.backend_pid = own.connection.info.backend_pid
        outcome.value = act()
    except (TransitionRefused, BatchRefused) as refusal:
        outcome.refusal = refusal
    except Exception as error:  # noqa: BLE001 — reported by the test, not lost in the thread
        outcome.error = error
    finally:
        own.close()


def world_of_the_module(django_db_blocker, build):
    """The body of a module fixture: what `build` makes is committed once (the racing acts, each on a
    connection of its own, must see it) and wiped once when the module is done — where a transactional
    test would empty every table after every single pair."""
    with django_db_blocker.unblock():
        ensure_reference_data()
        world = build()
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
            ensure_reference_data()  # committed, or every later test of the worker would load it again


def committed(build):
    """Run `build` on a connection of its own, so what it makes is committed and seen by the racing acts
    while the test itself stays inside its rolled-back transaction; return what it made."""
    outcome = Outcome()
    builder = threading.Thread(target=_run, args=(build, outcome), name="builder")
    builder.start()
    builder.join(SAFETY_SECONDS)
    assert not builder.is_alive(), "building the world took longer than the safety limit"
    for failure in (outcome.error, outcome.refusal):
        if failure is not None:
            raise failure
    return outcome.value


def _waiting_for_a_lock(outcome):
    """Whether the act's session waits for a lock. pg_locks is read live; pg_stat_activity would be a
    snapshot frozen at its first reading inside the test's transaction."""
    if outcome.backend_pid is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", [outcome.backend_pid])
        return cursor.fetchone()[0]


class Hold:
    """A pause point: `pause` holds the thread named "first" until released."""

    def __init__(self):
        self.reached = threading.Event()
        self.release = threading.Event()

    def pause(self, *args, **kwargs):
        if threading.current_thread().name == "first":
            self.reached.set()
            self.release.wait(SAFETY_SECONDS)


def hold_inside(monkeypatch, workflow):
    """Hold the first act inside `workflow.perform`, after the status is saved and before the commit."""
    hold = Hold()
    monkeypatch.setattr(workflow, "listeners", [*workflow.listeners, hold.pause])
    return hold


def hold_after(monkeypatch, owner, name):
    """Hold the first act right after it calls `owner.name` (a lock it takes before the application rows)."""
    hold = Hold()
    original = getattr(owner, name)

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        hold.pause()
        return result

    monkeypatch.setattr(owner, name, held)
    return hold


def at_the_same_moment(first, second, hold):
    """Run `first` until it reaches `hold`, then `second`; return both Outcomes once both are done."""
    outcomes = Outcome(), Outcome()
    one = threading.Thread(target=_run, args=(first, outcomes[0]), name="first")
    two = threading.Thread(target=_run, args=(second, outcomes[1]), name="second")
    one.start()
    try:
        assert hold.reached.wait(SAFETY_SECONDS), "the first act never reached its pause point"
        two.start()
        give_up = time.monotonic() + SAFETY_SECONDS
        while two.is_alive() and not _waiting_for_a_lock(outcomes[1]):
            assert time.monotonic() < give_up, "the second act neither finished nor waited for the lock"
            time.sleep(0.005)
    finally:
        hold.release.set()
        one.join(SAFETY_SECONDS)
        if two.is_alive() or two.ident:
            two.join(SAFETY_SECONDS)
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error
    return outcomes


def exactly_one_won(outcomes):
    return sum(outcome.won for outcome in outcomes) == 1


def all_at_once(acts):
    """Start every act in its own thread (its own connection) at one moment; their Outcomes once all are done.
    For acts that compete for one lock (a quota's), where only the count of winners matters."""
    barrier = threading.Barrier(len(acts))
    outcomes = [Outcome() for _ in acts]

    def start_together(act):
        barrier.wait(SAFETY_SECONDS)
        return act()

    threads = [
        threading.Thread(target=_run, args=(lambda a=act: start_together(a), outcome))
        for act, outcome in zip(acts, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SAFETY_SECONDS)
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error
    return outcomes


def choose_at_once(applications, city_users):
    """Each official chooses one application (列为推荐对象) at the same moment; how many were chosen."""
    from applications.domain.transitions import perform

    acts = [
        lambda a=application, u=user: perform(a, "select_for_recommendation", u)
        for application, user in zip(applications, city_users, strict=True)
    ]
    return sum(outcome.won for outcome in all_at_once(acts))
