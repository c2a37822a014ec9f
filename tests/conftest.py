import os
from pathlib import Path

import hypothesis
import pytest
from django.conf import settings
from django.core.management import call_command

# ``smtp``: a real SMTP server on loopback; ``task_backend``: each job test on the database backend and on RQ
pytest_plugins = ["tests.mailserver", "tests.jobqueue"]

SEED_PATH = Path(
    os.environ.get("PLAN_SEED_PATH", Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_650be32f74d3c900.txt")
)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher():
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the real 2017 plan, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture
def plan_reloaded_afterwards(django_db_setup, django_db_blocker):
    """A test that must commit (another process reads its rows) flushes the test database afterwards; the
    session's plan is put back for the tests that run later. Ask for it before ``transactional_db``."""
    yield
    plan_reload(django_db_blocker)


@pytest.fixture(scope="module")
def plan_reloaded_after_the_module(django_db_setup, django_db_blocker):
    """The same for a module whose tests use ``live_server``: pytest-django sets its ``transactional_db`` up
    before any other fixture, so its flush comes after a function-scoped reload."""
    yield
    plan_reload(django_db_blocker)


def plan_reload(django_db_blocker) -> None:
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture
def plan(db):
    from initiatives.models import Plan

    return Plan.objects.get(year=2017)


@pytest.fixture
def seed_text() -> str:
    """The plan text, whitespace folded. CI must have it; elsewhere a missing copy skips."""
    if not SEED_PATH.exists():
        if os.environ.get("CI"):
            pytest.fail(f"plan text missing at {SEED_PATH}")
        pytest.skip(f"plan text not found at {SEED_PATH} (set PLAN_SEED_PATH)")
    return fold(SEED_PATH.read_text(encoding="utf-8"))


def fold(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- the cast


def make_user(username: str, role: str | None, department_names: tuple[str, ...] = (), **extra):
    from django.contrib.auth import get_user_model

    from initiatives.models import Department
    from reports.progress.permissions import ensure_roles_exist

    groups = {g.name: g for g in ensure_roles_exist()}
    user = get_user_model().objects.create_user(username, password="pw-for-tests-only", first_name=username, **extra)
    if role:
        user.groups.add(groups[role])
    for name in department_names:
        Department.objects.get(name=name).members.add(user)
    return user


@pytest.fixture
def officer(db):
    """An officer of 자치행정과, which owns tasks 6 and 15 (찾아가는 동주민센터)."""
    from reports.progress.permissions import OFFICER

    return make_user("자치행정과 담당자", OFFICER, ("자치행정과",))


@pytest.fixture
def other_officer(db):
    from reports.progress.permissions import OFFICER

    return make_user("주차계획과 담당자", OFFICER, ("주차계획과",))


@pytest.fixture
def reviewer(db):
    from reports.progress.permissions import REVIEWER

    return make_user("정보기획 검토자", REVIEWER)


@pytest.fixture
def administrator(db):
    return make_user("관리자", None, is_superuser=True, is_staff=True)


@pytest.fixture
def periods(plan):
    from reports.progress.services import periods_ensure

    return periods_ensure(plan=plan)


@pytest.fixture
def open_q1(periods):
    from reports.models import ReportingPeriod

    ReportingPeriod.objects.filter(pk=periods[0].pk).update(state="open")
    periods[0].refresh_from_db()
    return periods[0]


@pytest.fixture
def task(plan):
    """Task 15 (찾아가는 동주민센터): indicators, 2017 milestones and a 2017 budget line."""
    return plan.tasks.get(number=15)


@pytest.fixture
def report(task, open_q1, officer):
    """Task 15's Q1 report, freshly started by its officer."""
    from reports.progress.services import report_start

    return report_start(task=task, period=open_q1, user=officer)


def complete_data(report, **overrides) -> dict:
    """Values that make the report submittable; overrides replace report-level fields."""
    data = {
        "achievements": "3단계 확대 대상 59개 동 선정",
        "problems": "특이사항 없음",
        "next_steps": "2분기 인력 충원",
        "self_assessment": "on_track",
        "indicator_results": {
            r.pk: {"actual": r.indicator.target, "comment": ""} for r in report.indicator_results.all()
        },
        "milestone_progress": {
            m.pk: {"status": "in_progress", "actual_start": None, "actual_end": None, "delay_reason": ""}
            for m in report.milestone_progress.all()
        },
        "budget_executions": {b.pk: {"spent_to_date": 10, "explanation": ""} for b in report.budget_executions.all()},
    }
    data.update(overrides)
    return data


def post_data(report, **overrides) -> dict:
    """The report form as the browser would post it, filled with submittable values."""
    report.refresh_from_db()
    data = {
        "report-version": str(report.version),
        "report-achievements": "3단계 확대 대상 59개 동 선정",
        "report-problems": "특이사항 없음",
        "report-next_steps": "2분기 인력 충원",
        "report-self_assessment": "on_track",
    }
    groups = {
        "indicator_results": [
            (r.pk, {"actual": str(r.indicator.target), "comment": ""}) for r in report.indicator_results.all()
        ],
        "milestone_progress": [
            (m.pk, {"status": "in_progress", "actual_start": "", "actual_end": "", "delay_reason": ""})
            for m in report.milestone_progress.all()
        ],
        "budget_executions": [
            (b.pk, {"spent_to_date": "10", "explanation": ""}) for b in report.budget_executions.all()
        ],
    }
    for prefix, rows in groups.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, (pk, values) in enumerate(rows):
            data[f"{prefix}-{i}-id"] = str(pk)
            for name, value in values.items():
                data[f"{prefix}-{i}-{name}"] = value
    data.update(overrides)
    return data


# ---------------------------------------------------------------- hypothesis

# Bounded for CI and derandomized there, so that a failure is reproduced by running the suite again;
# HYPOTHESIS_PROFILE=thorough runs the fuzz longer by hand.
hypothesis.settings.register_profile(
    "ci",
    max_examples=20,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow, hypothesis.HealthCheck.function_scoped_fixture],
)
hypothesis.settings.register_profile("dev", hypothesis.settings.get_profile("ci"), derandomize=False)
hypothesis.settings.register_profile("thorough", hypothesis.settings.get_profile("dev"), max_examples=300)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
