"""A bounded load run with Locust against a running portal on loopback: logins, dashboards, task pages, saves.

``manage.py load_run`` prepares the accounts and the URLs from the database, then runs Locust headless as a
subprocess (``bench/locustfile.py``; Locust is never imported in the Django process: gevent patches the
standard library at import). Each virtual user logs in through the login form (CSRF token and all), waits until
every user has, then for ``seconds`` picks actions by weight, pausing ``pause`` seconds between them. Reviewers
read the dashboards, the task table and the inbox; officers read their 내 과제 page, the task table and task pages,
and save one of their own open-quarter drafts through the real report form (every field read from the page, as
a browser sends it). Each request and each acknowledged save (its redirect back to the form) is written to a file;
afterwards every acknowledged save is looked up in the database: each must have left its history entry with the
text that user typed. In a closed-loop run a trivial Django view on the same server is loaded first, with the
same users, so that the portal's throughput stands beside the most that server gives.

This module keeps to the standard library at import: the locustfile imports it for reading forms.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


class LoadRunRefused(Exception):
    """The run cannot start (not loopback, no accounts); the message says why in Korean."""


# ---------------------------------------------------------------- reading forms as a browser submits them


class FormReader(HTMLParser):
    """The fields of every POST form on a page, as a browser would submit them (no JavaScript)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and "name" in a:
            self._input(a)
        elif tag == "textarea" and "name" in a:
            self._textarea, self._text = a["name"], []
        elif tag == "select" and "name" in a:
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in self._form):
            self._form[self._select] = a.get("value", "")

    def _input(self, a: dict[str, str]) -> None:
        kind = a.get("type", "text").lower()
        if kind in ("radio", "checkbox"):
            if "checked" in a:
                self._form[a["name"]] = a.get("value", "on")
        elif kind not in ("submit", "button", "image", "file", "reset"):
            self._form[a["name"]] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text)
            self._form[self._textarea] = text[1:] if text.startswith("\n") else text
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def post_form(html: str, field: str) -> dict[str, str] | None:
    """The POST form of ``html`` that has ``field`` (the page may hold others, e.g. log-out)."""
    reader = FormReader()
    reader.feed(html)
    return next((form for form in reader.forms if field in form), None)


@dataclass
class Sample:
    action: str
    start: float  # seconds since the epoch
    seconds: float
    ok: bool
    error: str = ""


@dataclass
class Save:
    report_id: int
    marker: str


@dataclass
class Account:
    username: str
    role: str  # "reviewer" or "officer"
    reports: list[int] = field(default_factory=list)  # open-quarter drafts this officer may save


@dataclass
class Plan:
    """The URLs the run visits, prepared from the database before it starts."""

    year: int
    areas: list[int]
    tasks: list[int]


REVIEWER_MIX = [("대시보드", 40), ("부서별 대시보드", 20), ("과제 표", 25), ("검토함", 15)]
OFFICER_MIX = [("내 과제", 25), ("과제 표", 20), ("과제 상세", 15), ("보고 저장", 40)]
LOGIN = ("로그인 화면", "로그인")  # requests before the measured window
START = "__start__"  # the line a run writes when every user has logged in


# ---------------------------------------------------------------- running Locust


@dataclass
class Result:
    run: str
    users: str  # the Locust user class: PortalUser or TrivialUser
    samples: list[Sample]  # the measured window only (after every login)
    logins: list[Sample]
    saves: list[Save]
    begun: float  # when every user was in (seconds since the epoch)
    seconds: float  # the window's length

    @property
    def errors(self) -> int:
        return sum(not s.ok for s in self.samples + self.logins)

    @property
    def completed(self) -> int:
        """Requests finished inside the window (those still running at its end finish, and count for latency)."""
        end = self.begun + self.seconds
        return sum(s.start + s.seconds <= end for s in self.samples)

    @property
    def rate(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0


def locust_command(*, url: str, users: int, seconds: float, login_allowance: float, csv: Path, user_class: str):
    """Headless and bounded: Locust's own limit is the run plus the time allowed for logging in; the locustfile
    ends the run ``seconds`` after the last login."""
    limit = int(seconds + login_allowance) + 1
    return [
        sys.executable, "-m", "locust", "--headless", "-f", str(LOCUSTFILE), "--host", url,
        "-u", str(users), "-r", str(users), "-t", f"{limit}s", "--stop-timeout", "30",
        "--csv", str(csv), "--only-summary", "--loglevel", "WARNING", user_class,
    ]  # fmt: skip


def run(
    *,
    url: str,
    accounts: list[Account],
    password: str,
    plan: Plan,
    seconds: float,
    pause: float = 0,
    timeout: float = 120,
    user_class: str = "PortalUser",
    login_allowance: float = 120,
) -> Result:
    """One Locust run in a subprocess; its requests and acknowledged saves read back from its files."""
    check_loopback(url)
    work = Path(tempfile.mkdtemp(prefix="gov30-load-"))
    tag = uuid.uuid4().hex[:8]
    files = {"samples": str(work / "samples.jsonl"), "saves": str(work / "saves.jsonl")}
    setup = {
        "run": tag, "password": password, "pause": pause, "timeout": timeout, "seconds": seconds,
        "users": len(accounts), "accounts": [asdict(a) for a in accounts], "plan": asdict(plan), **files,
    }  # fmt: skip
    (work / "plan.json").write_text(json.dumps(setup, ensure_ascii=False), encoding="utf-8")
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "GOV30_LOAD_PLAN": str(work / "plan.json"), "PYTHONPATH": root}
    command = locust_command(
        url=url, users=len(accounts), seconds=seconds, login_allowance=login_allowance, csv=work / "locust",
        user_class=user_class,
    )  # fmt: skip
    finished = subprocess.run(command, env=env, cwd=root, capture_output=True, timeout=seconds + login_allowance + 90)
    if not Path(files["samples"]).exists():
        raise LoadRunRefused(f"Locust가 아무 요청도 보내지 못했습니다: {finished.stderr.decode()[-1500:]}")
    return read_result(tag, user_class, Path(files["samples"]), Path(files["saves"]), window=seconds)


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_result(run_tag: str, user_class: str, samples_path: Path, saves_path: Path, *, window: float) -> Result:
    lines = _lines(samples_path)
    starts = [line["start"] for line in lines if line["action"] == START]
    begun = starts[0] if starts else min((line["start"] for line in lines), default=0.0)
    every = [Sample(**line) for line in lines if line["action"] != START]
    logins = [s for s in every if s.action in LOGIN]
    samples = [s for s in every if s.action not in LOGIN]
    saves = [Save(**line) for line in _lines(saves_path)]
    return Result(run_tag, user_class, samples, logins, saves, begun, window)


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise LoadRunRefused(f"부하 시험은 이 컴퓨터(127.0.0.1)의 서버에만 보낼 수 있습니다: {host}")


# ---------------------------------------------------------------- the report


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def p95(result: Result) -> float:
    return _percentile([s.seconds for s in result.samples], 0.95)


def summary(result: Result) -> list[str]:
    lines = ["| 동작 | 요청 | 오류 | p50 | p95 |", "|---|---:|---:|---:|---:|"]
    actions = sorted({s.action for s in result.samples})
    for action in [*actions, "합계"]:
        samples = [s for s in result.samples if action in (s.action, "합계")]
        times = [s.seconds for s in samples]
        errors = sum(not s.ok for s in samples)
        p50, high = statistics.median(times) if times else 0, _percentile(times, 0.95)
        lines.append(f"| {action} | {len(samples):,} | {errors:,} | {p50 * 1000:,.0f} ms | {high * 1000:,.0f} ms |")
    lines.append("")
    lines.append(
        f"처리량: {result.rate:.1f} 요청/초 (측정 {result.seconds:g}초 안에 끝난 {result.completed:,}건; 끝날 때 "
        f"진행 중이던 {len(result.samples) - result.completed:,}건은 지연 시간에만 포함)"
    )
    return lines


def failures(result: Result, limit: int = 5) -> list[str]:
    return [f"{s.action}: {s.error}" for s in result.logins + result.samples if not s.ok][:limit]


# ---------------------------------------------------------------- the database side (same DATABASE_URL as the server)


def prepare(*, users: int, reviewers: int) -> tuple[list[Account], str, Plan]:
    """Virtual users from the synthetic accounts, one shared random password (hashed once), and the URLs.

    Officers are taken from departments that have open-quarter drafts or returned reports to save."""
    import secrets

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from initiatives.selectors import plan_latest
    from reports.models import ProgressReport, ReportingPeriod

    plan = plan_latest()
    accounts = get_user_model().objects
    if plan is None or not accounts.filter(username="synth-reviewer").exists():
        raise LoadRunRefused("합성 계획과 계정이 없습니다. 먼저 'manage.py generate_synthetic'을 실행하세요.")
    editable = (
        ProgressReport.objects.filter(
            period__plan=plan,
            period__state=ReportingPeriod.State.OPEN,
            status__in=[ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED],
        )
        .order_by("task__department", "pk")
        .values_list("task__department", "pk")
    )
    drafts: dict[int, list[int]] = {}
    for department, report in editable:
        drafts.setdefault(department, []).append(report)
    officers = (
        accounts.filter(username__startswith="synth0", departments__in=list(drafts))
        .order_by("username")
        .values_list("username", "departments")
    )
    chosen = [Account(name, "officer", drafts[department]) for name, department in officers[: users - reviewers]]
    if len(chosen) < users - reviewers:
        raise LoadRunRefused(f"저장할 보고가 있는 담당자가 {len(chosen)}명뿐입니다. 더 큰 합성 계획을 만드세요.")
    virtual = [Account("synth-reviewer", "reviewer") for _ in range(reviewers)] + chosen
    password = secrets.token_urlsafe(18)
    accounts.filter(username__in={u.username for u in virtual}).update(password=make_password(password))
    areas = list(plan.strategic_areas.values_list("pk", flat=True))
    tasks = list(plan.tasks.order_by("number").values_list("pk", flat=True)[:500])
    return virtual, password, Plan(year=plan.year, areas=areas, tasks=tasks)


def verify(result: Result) -> tuple[int, list[Save]]:
    """(saves found, saves missing): each acknowledged save must have its history entry with the typed text."""
    from reports.models import ReportEvent

    saves = result.saves
    found: set[tuple[int, str]] = set()
    events = ReportEvent.objects.filter(
        report__in={s.report_id for s in saves}, action=ReportEvent.Action.SAVE, changes__icontains=result.run
    ).values_list("report_id", "changes")
    for report_id, changes in events:
        for change in changes:
            if change.get("field") == "achievements":
                found.add((report_id, change.get("new")))
    missing = [s for s in saves if (s.report_id, s.marker) not in found]
    return len(saves) - len(missing), missing
