"""Locust users of ``manage.py load_run``, which runs this file headless in a subprocess and reads back its files.

The run's setup comes from the JSON file named by ``GOV30_LOAD_PLAN`` (accounts, password, URLs, pause, the
files to write). Every request is written to the samples file and every acknowledged save to the saves file;
``bench.loadrun`` turns them into the report and the database check. Django is not imported here.
"""

import json
import os
import random
import time
from itertools import count
from pathlib import Path
from urllib.parse import urlencode

import gevent
from gevent.event import Event
from locust import FastHttpUser, constant, events, task

from bench.loadrun import LOGIN, OFFICER_MIX, REVIEWER_MIX, START, post_form

SETUP = json.loads(Path(os.environ["GOV30_LOAD_PLAN"]).read_text(encoding="utf-8"))
PLAN = SETUP["plan"]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_samples = open(SETUP["samples"], "a", encoding="utf-8")
_saves = open(SETUP["saves"], "a", encoding="utf-8")
_numbers = count()
_ready = count(1)
everyone_in = Event()  # the measured window opens when every user has logged in


def _write(handle, line: dict) -> None:
    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    handle.flush()


@events.request.add_listener
def _record(name, response_time, exception, start_time, **_):
    error = "" if exception is None else str(exception)[:300]
    _write(
        _samples,
        {"action": name, "start": start_time, "seconds": response_time / 1000, "ok": not error, "error": error},
    )


@events.quitting.add_listener
def _close(**_):
    _samples.close()
    _saves.close()


def _after_everyone_in(rng: random.Random) -> None:
    """Wait for the window; then, with a pause, start somewhere in the first pause so that not every user's
    first request lands at the same instant (with no pause, all start together: that is the closed loop)."""
    everyone_in.wait()
    gevent.sleep(rng.uniform(0, SETUP["pause"]))


def _user_ready(environment) -> None:
    """Open the window when the last user is in, and close the run ``seconds`` later."""
    if next(_ready) == SETUP["users"]:
        _write(_samples, {"action": START, "start": time.time(), "seconds": 0, "ok": True})
        everyone_in.set()
        gevent.spawn_later(SETUP["seconds"], environment.runner.quit)


class PortalUser(FastHttpUser):
    """A reviewer or an officer of the synthetic plan, as ``bench.loadrun.prepare`` chose them, in order."""

    wait_time = constant(SETUP["pause"])
    network_timeout = connection_timeout = SETUP["timeout"]

    def on_start(self) -> None:
        self.number = next(_numbers)
        self.account = SETUP["accounts"][self.number % len(SETUP["accounts"])]
        self.rng = random.Random(self.number)
        self.saved = 0
        mix = REVIEWER_MIX if self.account["role"] == "reviewer" else OFFICER_MIX
        self.mix = [(n, w) for n, w in mix if n != "보고 저장" or self.account["reports"]]
        self._log_in()
        _user_ready(self.environment)
        _after_everyone_in(self.rng)

    def _log_in(self) -> None:
        page = self.client.get("/accounts/login/", name=LOGIN[0], allow_redirects=False)
        form = post_form(page.text, "username") if page.status_code == 200 else None
        if form is None:
            return  # recorded as a failed request already (or the form is missing: the next requests fail)
        form.update(username=self.account["username"], password=SETUP["password"])
        with self._post("/accounts/login/", form, LOGIN[1]) as answer:
            if answer.status_code != 302 or "/accounts/login/" in answer.headers.get("Location", ""):
                answer.failure(f"{self.account['username']} 로그인 실패 (HTTP {answer.status_code})")

    def _post(self, path: str, form: dict, name: str):
        body = urlencode(form)
        return self.client.post(path, data=body, headers=FORM, name=name, allow_redirects=False, catch_response=True)

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")

    @task
    def step(self) -> None:
        names, weights = zip(*self.mix)
        name = self.rng.choices(names, weights)[0]
        if name == "보고 저장":
            return self._save()
        year, rng = f"year={PLAN['year']}", self.rng
        paths = {
            "대시보드": lambda: f"/dashboard/?{year}&quarter={rng.randint(1, 4)}",
            "부서별 대시보드": lambda: f"/dashboard/departments/?{year}&quarter={rng.randint(1, 4)}",
            "과제 표": lambda: (
                f"/tasks/?area={rng.choice(PLAN['areas'])}&sort="
                f"{rng.choice(['-budget_total', 'number', 'department', 'title'])}&page={rng.randint(1, 3)}"
            ),
            "검토함": lambda: "/review/",
            "내 과제": lambda: "/my/",
            "과제 상세": lambda: f"/tasks/{rng.choice(PLAN['tasks'])}/",
        }
        self._page(paths[name](), name)

    def _save(self) -> None:
        """Open one of the officer's drafts, change its text, press 임시 저장; acknowledged when sent back to it."""
        report_id = self.rng.choice(self.account["reports"])
        path = f"/reports/{report_id}/edit/"
        with self.client.get(path, name="보고 양식", allow_redirects=False, catch_response=True) as page:
            form = post_form(page.text, "report-version") if page.status_code == 200 else None
            if form is None:
                return page.failure(f"보고 양식 없음 (HTTP {page.status_code})")
        self.saved += 1
        marker = f"[부하 {SETUP['run']} {self.account['username']}#{self.number} {self.saved}] 오프라인 점검 결과 반영"
        form.update({"report-achievements": marker, "save": ""})
        with self._post(path, form, "보고 저장") as answer:
            if answer.status_code == 302 and answer.headers.get("Location", "").rstrip("/").endswith(path.rstrip("/")):
                _write(_saves, {"report_id": report_id, "marker": marker})
            else:
                answer.failure(f"저장 응답 HTTP {answer.status_code}")


class TrivialUser(FastHttpUser):
    """The same number of users asking a view that does nothing, on the same server: its ceiling."""

    wait_time = constant(SETUP["pause"])
    network_timeout = connection_timeout = SETUP["timeout"]

    def on_start(self) -> None:
        _user_ready(self.environment)
        _after_everyone_in(random.Random())

    @task
    def trivial(self) -> None:
        with self.client.get("/bench/trivial/", name="빈 화면", allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")
