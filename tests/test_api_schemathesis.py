"""schemathesis, run against a live server from the served schema, anonymously and with each role's key:
no server error, and no answer (status, type, headers, body) the schema does not describe."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from reports.api import tokens
from reports.evaluation.annual import evaluation_run
from reports.progress import services
from tests.conftest import complete_data

ROLES = ("anonymous", "owner", "other", "reviewer", "admin")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance," + (
    "response_schema_conformance"
)
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.fixture
def committed_world(plan_reloaded_after_the_module, transactional_db, settings):
    """Reports in every state the lists show, an evaluation, and a key per role, committed for the server."""
    from initiatives.models import Plan
    from reports.models import ReportingPeriod
    from reports.progress.permissions import OFFICER, REVIEWER
    from tests.conftest import make_user

    settings.GOV30_API_RATE_ANON = settings.GOV30_API_RATE_KEY = "100000/minute"
    call_command("load_plan", verbosity=0, stdout=StringIO())  # the previous test's flush took it away
    plan = Plan.objects.get(year=2017)
    periods = services.periods_ensure(plan=plan)
    ReportingPeriod.objects.filter(pk=periods[0].pk).update(state="open")
    periods[0].refresh_from_db()
    owner = make_user("owner", OFFICER, ("자치행정과",))
    users = {
        "owner": owner,
        "other": make_user("other", OFFICER, ("주차계획과",)),
        "reviewer": make_user("reviewer", REVIEWER),
        "admin": make_user("admin", None, is_superuser=True, is_staff=True),
    }
    for number, end in ((15, "approved"), (6, "submitted"), (1, "returned")):
        task = plan.tasks.get(number=number)
        writer = (
            owner if task.department.name == "자치행정과" else make_user(f"o{number}", OFFICER, (task.department.name,))
        )
        report = services.report_start(task=task, period=periods[0], user=writer)
        services.report_submit(report=report, user=writer, version=report.version, data=complete_data(report))
        if end == "approved":
            services.report_approve(report=report, user=users["reviewer"], version=report.version)
        elif end == "returned":
            services.report_return(report=report, user=users["reviewer"], version=report.version, comment="보완")
    evaluation_run(plan=plan, user=users["reviewer"])
    return {role: tokens.token_create(user=user, name="시험", days=1)[1] for role, user in users.items()}


@pytest.mark.parametrize("role", ROLES)
def test_schemathesis_finds_no_server_error_and_nothing_against_the_schema(
    committed_world, live_server, role, tmp_path
):
    command = [
        str(SCHEMATHESIS), "run", f"{live_server.url}/api/v1/schema/",
        "--url", live_server.url, "--checks", CHECKS, "--max-examples", "25", "--seed", "1",
        "--phases", "examples,coverage,fuzzing", "--workers", "1", "--no-color",
    ]  # fmt: skip
    if role != "anonymous":
        command += ["--header", f"Authorization: Bearer {committed_world[role]}"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)  # its .schemathesis/ there
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout or "passed" in run.stdout, run.stdout[-3000:]
