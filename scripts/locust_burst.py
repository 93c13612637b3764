"""Deadline-day burst (scripts/benchmark-burst.sh): every simulated head opens the submit page of their own draft,
then all submit at the same moment. Reads the sessions that `manage.py seed_burst` wrote (BURST_SESSIONS)."""

import csv
import itertools
import json
import os
import re
import time

import gevent.event
from locust import HttpUser, events, task
from locust.exception import StopUser

with open(os.environ.get("BURST_SESSIONS", "var/burst/sessions.csv")) as sessions:
    SESSIONS = list(csv.reader(sessions))
_next = itertools.count()
_ready = 0
_go = gevent.event.Event()
_timings = []  # (sent, answered) of every submission


def _all_done():
    if len(_timings) == len(SESSIONS):
        runner = _environment.runner
        gevent.spawn_later(0.1, runner.quit)


@events.init.add_listener
def _init(environment, **kwargs):
    global _environment
    _environment = environment


@events.quitting.add_listener
def _write(environment, **kwargs):
    with open(os.environ.get("BURST_RESULT", "var/burst/result.json"), "w") as handle:
        json.dump({"timings": _timings}, handle)


class Head(HttpUser):
    wait_time = staticmethod(lambda: 0)

    def on_start(self):
        global _ready
        session, self.application = SESSIONS[next(_next)]
        self.client.cookies.set("sessionid", session)
        url = f"/applications/{self.application}/submit/"
        page = self.client.get(url, name="打开报送页")
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        # 盖章并报送 first shows what the act does; the burst is everybody confirming at once
        self.client.post(url, data=self.form(), headers=self.referer(), name="报送前确认页")
        _ready += 1
        if _ready == len(SESSIONS):
            with open(os.environ.get("BURST_RESULT", "var/burst/result.json") + ".ready", "w"):
                pass  # the server's CPU is counted from here
            _go.set()  # everybody is on the page: submit together
        _go.wait()

    def form(self):
        return {"csrfmiddlewaretoken": self.csrf, "apply_seal": "on", "opinion": "同意报送。"}

    def referer(self):
        return {"Referer": f"{self.host}/applications/{self.application}/submit/"}

    @task
    def submit(self):
        sent = time.monotonic()
        with self.client.post(
            f"/applications/{self.application}/submit/",
            data={**self.form(), "confirm_act": "yes"},
            headers=self.referer(),
            allow_redirects=False,
            name="报送（盖章并报送）",
            catch_response=True,
        ) as response:
            ok = response.status_code == 302 and "/submit/" not in response.headers.get("Location", "")
            if not ok:
                response.failure(f"{response.status_code}: 报送未成功")
        _timings.append((sent, time.monotonic(), ok))
        _all_done()
        raise StopUser
