"""A bounded load run against a running portal on loopback: logins, dashboards, task pages, report saves.

Each virtual user logs in through the login form first (not timed), then for ``seconds`` picks actions
by weight with no think time. Reviewers read the dashboards, the task table and the inbox; officers read
their 내 과제 page and the task table, and save one of their own open-quarter drafts through the real
report form (CSRF token, version and every row field taken from the page, as a browser would). Then every
save the server acknowledged (its redirect back to the report form) is looked up in the database: each must
have left its history entry carrying the text that user typed.

Only the standard library is used on the client side (threads and ``http.client``).
"""

import http.client
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class LoadRunRefused(Exception):
    """The run cannot start (not loopback, no accounts); the message says why in Korean."""


# ---------------------------------------------------------------- one browser-like session


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


class Session:
    """One virtual user: its own keep-alive connection and cookies."""

    def __init__(self, base_url: str, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "", parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        """(status, Location header, body). One retry on a dropped keep-alive connection."""
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "gov30-load-run"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urlencode(form).encode() if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), data

    def login(self, username: str, password: str) -> None:
        status, _, body = self.request("GET", "/accounts/login/")
        form = post_form(body.decode(), "username") if status == 200 else None
        if form is None:
            raise LoadRunRefused(f"로그인 화면을 열 수 없습니다 (HTTP {status}).")
        form.update(username=username, password=password)
        status, location, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "/accounts/login/" in location:
            raise LoadRunRefused(f"{username} 로그인 실패 (HTTP {status}).")


# ---------------------------------------------------------------- what the users do


@dataclass
class Sample:
    action: str
    seconds: float
    ok: bool
    status: int


@dataclass
class Save:
    report_id: int
    marker: str


@dataclass
class User:
    username: str
    role: str  # "reviewer" or "officer"
    reports: list[int] = field(default_factory=list)  # open-quarter drafts this officer may save
    samples: list[Sample] = field(default_factory=list)
    saves: list[Save] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """The URLs the run visits, prepared from the database before it starts."""

    year: int
    areas: list[int]
    tasks: list[int]


REVIEWER_MIX = [("대시보드", 40), ("부서별 대시보드", 20), ("과제 표", 25), ("검토함", 15)]
OFFICER_MIX = [("내 과제", 25), ("과제 표", 20), ("과제 상세", 15), ("보고 저장", 40)]


def _get(session: Session, path: str) -> tuple[bool, int]:
    status, _, _ = session.request("GET", path)
    return status == 200, status


def _save(session: Session, user: User, run: str, rng: random.Random) -> tuple[bool, int]:
    """Open one of the user's drafts, change its text, press 임시 저장; ok when redirected back to the form."""
    report_id = rng.choice(user.reports)
    status, _, body = session.request("GET", f"/reports/{report_id}/edit/")
    form = post_form(body.decode(), "report-version") if status == 200 else None
    if form is None:
        return False, status
    marker = f"[부하 {run} {user.username} {len(user.saves) + 1}] 오프라인 점검 결과 반영"
    form["report-achievements"] = marker
    form["save"] = ""
    status, location, _ = session.request("POST", f"/reports/{report_id}/edit/", form)
    ok = status == 302 and location.rstrip("/").endswith(f"/reports/{report_id}/edit")
    if ok:
        user.saves.append(Save(report_id, marker))
    return ok, status


def _action(name: str, session: Session, user: User, plan: Plan, run: str, rng: random.Random) -> tuple[bool, int]:
    year = f"year={plan.year}"
    if name == "대시보드":
        return _get(session, f"/dashboard/?{year}&quarter={rng.randint(1, 4)}")
    if name == "부서별 대시보드":
        return _get(session, f"/dashboard/departments/?{year}&quarter={rng.randint(1, 4)}")
    if name == "과제 표":
        sort = rng.choice(["-budget_total", "number", "department", "title"])
        return _get(session, f"/tasks/?area={rng.choice(plan.areas)}&sort={sort}&page={rng.randint(1, 3)}")
    if name == "검토함":
        return _get(session, "/review/")
    if name == "내 과제":
        return _get(session, "/my/")
    if name == "과제 상세":
        return _get(session, f"/tasks/{rng.choice(plan.tasks)}/")
    return _save(session, user, run, rng)


def _work(user: User, session: Session, plan: Plan, run: str, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    mix = REVIEWER_MIX if user.role == "reviewer" else OFFICER_MIX
    if not user.reports:
        mix = [(name, weight) for name, weight in mix if name != "보고 저장"]
    names, weights = [n for n, _ in mix], [w for _, w in mix]
    while time.monotonic() < deadline:
        name = rng.choices(names, weights)[0]
        started = time.perf_counter()
        try:
            ok, status = _action(name, session, user, plan, run, rng)
        except (OSError, http.client.HTTPException) as error:
            ok, status = False, 0
            user.failures.append(f"{name}: {error!r}")
        user.samples.append(Sample(name, time.perf_counter() - started, ok, status))


# ---------------------------------------------------------------- the run


@dataclass
class Result:
    run: str
    users: list[User]
    seconds: float
    login_seconds: float

    @property
    def samples(self) -> list[Sample]:
        return [s for u in self.users for s in u.samples]

    @property
    def saves(self) -> list[Save]:
        return [s for u in self.users for s in u.saves]

    @property
    def errors(self) -> int:
        return sum(not s.ok for s in self.samples)


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise LoadRunRefused(f"부하 시험은 이 컴퓨터(127.0.0.1)의 서버에만 보낼 수 있습니다: {host}")


def _parallel(users: list[User], target: Callable[[int, User], None]) -> None:
    threads = [threading.Thread(target=target, args=(i, u), daemon=True) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run(*, url: str, users: list[User], password: str, plan: Plan, seconds: float, timeout: float = 120) -> Result:
    """Log every user in (in parallel, untimed), then let them work for ``seconds``."""
    check_loopback(url)
    sessions = [Session(url, timeout) for _ in users]
    problems: list[str] = []

    def log_in(i: int, user: User) -> None:
        try:
            sessions[i].login(user.username, password)
        except (LoadRunRefused, OSError, http.client.HTTPException) as error:
            problems.append(str(error))

    started = time.perf_counter()
    _parallel(users, log_in)
    if problems:
        raise LoadRunRefused(f"로그인하지 못한 사용자가 있습니다: {problems[0]}")
    login_seconds = time.perf_counter() - started
    tag = uuid.uuid4().hex[:8]
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    _parallel(users, lambda i, user: _work(user, sessions[i], plan, tag, deadline, seed=i))
    return Result(tag, users, time.perf_counter() - started, login_seconds)


# ---------------------------------------------------------------- the report


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(result: Result) -> list[str]:
    lines = ["| 동작 | 요청 | 오류 | p50 | p95 |", "|---|---:|---:|---:|---:|"]
    actions = sorted({s.action for s in result.samples})
    for action in [*actions, "합계"]:
        samples = [s for s in result.samples if action in (s.action, "합계")]
        times = [s.seconds for s in samples]
        errors = sum(not s.ok for s in samples)
        p50, p95 = statistics.median(times) if times else 0, _percentile(times, 0.95)
        lines.append(f"| {action} | {len(samples):,} | {errors:,} | {p50 * 1000:,.0f} ms | {p95 * 1000:,.0f} ms |")
    rate = len(result.samples) / result.seconds if result.seconds else 0
    lines.append("")
    lines.append(f"처리량: {rate:.1f} 요청/초 ({len(result.samples):,}건 / {result.seconds:.1f}초)")
    return lines


# ---------------------------------------------------------------- the database side (same DATABASE_URL as the server)


def prepare(*, users: int, reviewers: int) -> tuple[list[User], str, Plan]:
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
    chosen = [User(name, "officer", drafts[department]) for name, department in officers[: users - reviewers]]
    if len(chosen) < users - reviewers:
        raise LoadRunRefused(f"저장할 보고가 있는 담당자가 {len(chosen)}명뿐입니다. 더 큰 합성 계획을 만드세요.")
    virtual = [User("synth-reviewer", "reviewer") for _ in range(reviewers)] + chosen
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
