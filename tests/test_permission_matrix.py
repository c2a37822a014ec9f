"""Every URL of the portal × every role: allowed or denied, GET and POST, file downloads included.

The matrix below is the specification. Each row is one (method, URL) and gives the expected
outcome for the five roles, in this order:

    anonymous · owner (officer of 자치행정과, which owns task 15) · other (officer of 주차계획과)
    · reviewer (정보기획담당관) · admin (superuser: counts as a reviewer, is not an officer)

Outcomes:
    ALLOWED  2xx, or a redirect that is not to a login page (a successful POST redirects back)
    LOGIN    redirect to /accounts/login/ or /admin/login/
    DENIED   403 — the object is visible but the action is not the user's to take
    HIDDEN   404 — the object is outside the user's reach (other departments' reports)
    METHOD   405 — the route does not accept that method

The report under test is task 15's Q1 report, started by its officer, with one uploaded PDF.
Every POST that is not ALLOWED must leave the database exactly as it was; every ALLOWED POST
must have had its effect (a 302 back with an error message does not count as allowed).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from initiatives.models import Department, IndicatorTargetChange
from reports.api import tokens
from reports.evaluation.annual import weights_current
from reports.models import (
    ApiToken,
    Evaluation,
    Evidence,
    Job,
    LateChangeException,
    MailOptOut,
    Notification,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
    ScoringWeights,
    TaskScore,
)
from reports.progress import services
from tests.conftest import complete_data, post_data

ALLOWED, LOGIN, DENIED, HIDDEN, METHOD = "allowed", "login", "denied", "hidden", "not allowed method"
A, L, D, H, M = ALLOWED, LOGIN, DENIED, HIDDEN, METHOD

ROLES = ("anonymous", "owner", "other", "reviewer", "admin")
PDF = b"%PDF-1.4 test"
PASSWORD = "pw-for-tests-only"  # tests.conftest.make_user

# Placeholders: {task} task 15 · {department} 자치행정과 · {report} task 15's Q1 report · {evidence} its PDF
# · {q2} the 2nd quarter (opened for the start cells) · {q3} a scheduled quarter · {indicator} a 2017
# indicator of task 15 · {job} the reviewer's finished workbook job · {upload_job} the owner's finished upload preview.
# fmt: off
MATRIX = [
    # name                 method  path                                        anon owner other review admin
    # -- public plan pages: readable by anyone, read-only
    ("plan-overview",      "GET",  "/",                                          A,   A,    A,    A,     A),
    ("plan-overview",      "POST", "/",                                          M,   M,    M,    M,     M),
    ("task-list",          "GET",  "/tasks/",                                    A,   A,    A,    A,     A),
    ("task-list",          "POST", "/tasks/",                                    M,   M,    M,    M,     M),
    ("task-detail",        "GET",  "/tasks/{task}/",                             A,   A,    A,    A,     A),
    ("task-detail",        "POST", "/tasks/{task}/",                             M,   M,    M,    M,     M),
    ("department-list",    "GET",  "/departments/",                              A,   A,    A,    A,     A),
    ("department-list",    "POST", "/departments/",                              M,   M,    M,    M,     M),
    ("department-detail",  "GET",  "/departments/{department}/",                 A,   A,    A,    A,     A),
    ("department-detail",  "POST", "/departments/{department}/",                 M,   M,    M,    M,     M),
    ("agency-list",        "GET",  "/agencies/",                                 A,   A,    A,    A,     A),
    ("agency-list",        "POST", "/agencies/",                                 M,   M,    M,    M,     M),
    ("plan-api",           "GET",  "/api/plans/2017/",                           A,   A,    A,    A,     A),
    ("plan-api",           "POST", "/api/plans/2017/",                           M,   M,    M,    M,     M),
    # -- landing page after login: redirects each role to its own start page
    ("home",               "GET",  "/work/",                                     L,   A,    A,    A,     A),
    ("home",               "POST", "/work/",                                     L,   M,    M,    M,     M),
    # -- officers' pages
    ("my-tasks",           "GET",  "/my/",                                       L,   A,    A,    D,     D),
    ("my-tasks",           "POST", "/my/",                                       L,   M,    M,    M,     M),
    ("report-start",       "GET",  "/tasks/{task}/periods/{q2}/start/",          L,   M,    M,    M,     M),
    ("report-start",       "POST", "/tasks/{task}/periods/{q2}/start/",          L,   A,    H,    D,     D),
    # -- reviewers' pages
    ("inbox",              "GET",  "/review/",                                   L,   D,    D,    A,     A),
    ("inbox",              "POST", "/review/",                                   L,   M,    M,    M,     M),
    ("reports-approve",    "GET",  "/review/approve/",                           L,   M,    M,    M,     M),
    ("reports-approve",    "POST", "/review/approve/",                           L,   D,    D,    A,     A),
    ("period-list",        "GET",  "/periods/",                                  L,   D,    D,    A,     A),
    ("period-list",        "POST", "/periods/",                                  L,   M,    M,    M,     M),
    ("period-state",       "GET",  "/periods/{q3}/state/",                       L,   M,    M,    M,     M),
    ("period-state",       "POST", "/periods/{q3}/state/",                       L,   D,    D,    A,     A),
    ("register",           "GET",  "/register/",                                 L,   D,    D,    A,     A),
    ("register",           "POST", "/register/",                                 L,   M,    M,    M,     M),
    ("indicator-target",   "GET",  "/indicators/{indicator}/target/",            L,   D,    D,    A,     A),
    ("indicator-target",   "POST", "/indicators/{indicator}/target/",            L,   D,    D,    A,     A),
    # -- one report: the owner writes, the reviewer reviews, other departments do not see it
    ("report-detail",      "GET",  "/reports/{report}/",                         L,   A,    H,    A,     A),
    ("report-detail",      "POST", "/reports/{report}/",                         L,   M,    M,    M,     M),
    ("report-edit",        "GET",  "/reports/{report}/edit/",                    L,   A,    H,    D,     D),
    ("report-edit",        "POST", "/reports/{report}/edit/",                    L,   A,    H,    D,     D),
    ("report-comment",     "GET",  "/reports/{report}/comments/",                L,   M,    M,    M,     M),
    ("report-comment",     "POST", "/reports/{report}/comments/",                L,   A,    H,    A,     A),
    ("report-figures",     "GET",  "/reports/{report}/figures/",                 L,   A,    H,    A,     A),
    ("report-figures",     "POST", "/reports/{report}/figures/",                 L,   M,    M,    M,     M),
    ("report-approve",     "GET",  "/reports/{report}/approve/",                 L,   M,    M,    M,     M),
    ("report-approve",     "POST", "/reports/{report}/approve/",                 L,   D,    H,    A,     A),
    ("report-return",      "GET",  "/reports/{report}/return/",                  L,   M,    M,    M,     M),
    ("report-return",      "POST", "/reports/{report}/return/",                  L,   D,    H,    A,     A),
    ("report-reopen",      "GET",  "/reports/{report}/reopen/",                  L,   M,    M,    M,     M),
    ("report-reopen",      "POST", "/reports/{report}/reopen/",                  L,   D,    H,    A,     A),
    ("exception-grant",    "GET",  "/reports/{report}/exception/",               L,   M,    M,    M,     M),
    ("exception-grant",    "POST", "/reports/{report}/exception/",               L,   D,    H,    A,     A),
    ("evidence-upload",    "GET",  "/reports/{report}/evidence/",                L,   M,    M,    M,     M),
    ("evidence-upload",    "POST", "/reports/{report}/evidence/",                L,   A,    H,    D,     D),
    # the same upload while the report is returned, and while submitted (until the reviewer decides)
    ("evidence-upload@returned", "POST", "/reports/{report}/evidence/",          L,   A,    H,    D,     D),
    ("evidence-upload@submitted", "POST", "/reports/{report}/evidence/",         L,   A,    H,    D,     D),
    # -- file download
    ("evidence-download",  "GET",  "/evidence/{evidence}/",                      L,   A,    H,    A,     A),
    ("evidence-download",  "POST", "/evidence/{evidence}/",                      L,   M,    M,    M,     M),
    # -- dashboards and the annual evaluation: the planning office only; rules and open results are public
    ("dashboard",          "GET",  "/dashboard/",                                L,   D,    D,    A,     A),
    ("dashboard",          "POST", "/dashboard/",                                L,   M,    M,    M,     M),
    ("dashboard-departments", "GET", "/dashboard/departments/",                  L,   D,    D,    A,     A),
    ("dashboard-departments", "POST", "/dashboard/departments/",                 L,   M,    M,    M,     M),
    ("dashboard-gantt",    "GET",  "/dashboard/schedule/",                       L,   D,    D,    A,     A),
    ("dashboard-gantt",    "POST", "/dashboard/schedule/",                       L,   M,    M,    M,     M),
    ("criteria",           "GET",  "/criteria/",                                 A,   A,    A,    A,     A),
    ("criteria",           "POST", "/criteria/",                                 M,   M,    M,    M,     M),
    ("workbook-download",  "GET",  "/exports/workbook/",                         L,   D,    D,    A,     A),
    ("workbook-download",  "POST", "/exports/workbook/",                         L,   M,    M,    M,     M),
    # the briefing book: not even an officer's own department's (decided: the office's report upward)
    ("book-pdf",           "GET",  "/exports/book.pdf",                          L,   D,    D,    A,     A),
    ("book-pdf",           "POST", "/exports/book.pdf",                          L,   M,    M,    M,     M),
    ("book-hwpx",          "GET",  "/exports/book.hwpx",                         L,   D,    D,    A,     A),
    ("book-hwpx",          "POST", "/exports/book.hwpx",                         L,   M,    M,    M,     M),
    # -- offline reporting (xlsx): any officer, for their own departments' tasks; not reviewers
    ("offline-template",   "GET",  "/offline/{q2}/template/",                    L,   A,    A,    D,     D),
    ("offline-template",   "POST", "/offline/{q2}/template/",                    L,   M,    M,    M,     M),
    ("offline-upload",     "GET",  "/offline/{q2}/upload/",                      L,   A,    A,    D,     D),
    ("offline-upload",     "POST", "/offline/{q2}/upload/",                      L,   A,    A,    D,     D),
    ("offline-confirm",    "GET",  "/offline/{q2}/confirm/",                     L,   M,    M,    M,     M),
    ("offline-confirm",    "POST", "/offline/{q2}/confirm/",                     L,   A,    A,    D,     D),
    ("open-results",       "GET",  "/results/",                                  A,   A,    A,    A,     A),
    ("open-results",       "POST", "/results/",                                  M,   M,    M,    M,     M),
    ("open-data",          "GET",  "/open-data/",                                A,   A,    A,    A,     A),
    ("open-data",          "POST", "/open-data/",                                M,   M,    M,    M,     M),
    ("open-data-package",  "GET",  "/open-data/2017/datapackage.json",           A,   A,    A,    A,     A),
    ("open-data-package",  "POST", "/open-data/2017/datapackage.json",           M,   M,    M,    M,     M),
    ("open-data-file",     "GET",  "/open-data/2017/results-q1.csv",             A,   A,    A,    A,     A),
    ("open-data-file",     "POST", "/open-data/2017/results-q1.csv",             M,   M,    M,    M,     M),
    ("evaluation",         "GET",  "/evaluation/",                               L,   D,    D,    A,     A),
    ("evaluation",         "POST", "/evaluation/",                               L,   M,    M,    M,     M),
    ("evaluation-run",     "GET",  "/evaluation/run/",                           L,   M,    M,    M,     M),
    ("evaluation-run",     "POST", "/evaluation/run/",                           L,   D,    D,    A,     A),
    ("evaluation-finalise", "GET", "/evaluation/finalise/",                      L,   M,    M,    M,     M),
    ("evaluation-finalise", "POST", "/evaluation/finalise/",                     L,   D,    D,    A,     A),
    ("weights",            "GET",  "/evaluation/weights/",                       L,   D,    D,    A,     A),
    ("weights",            "POST", "/evaluation/weights/",                       L,   D,    D,    A,     A),
    ("score-detail",       "GET",  "/evaluation/scores/{score}/",                L,   D,    D,    A,     A),
    ("score-detail",       "POST", "/evaluation/scores/{score}/",                L,   D,    D,    A,     A),
    # -- accounts and the Django admin (only staff get past /admin/login/)
    ("login",              "GET",  "/accounts/login/",                           A,   A,    A,    A,     A),
    ("login",              "POST", "/accounts/login/",                           A,   A,    A,    A,     A),
    # -- one's own notifications and mail settings; someone else's notification is not found
    ("notifications",      "GET",  "/notifications/",                            L,   A,    A,    A,     A),
    ("notifications",      "POST", "/notifications/",                            L,   M,    M,    M,     M),
    ("notification-open",  "GET",  "/notifications/{notification}/",             L,   A,    H,    H,     H),
    ("notification-open",  "POST", "/notifications/{notification}/",             L,   M,    M,    M,     M),
    ("notifications-read", "GET",  "/notifications/read/",                       L,   M,    M,    M,     M),
    ("notifications-read", "POST", "/notifications/read/",                       L,   A,    A,    A,     A),
    ("mail-settings",      "GET",  "/notifications/settings/",                   L,   A,    A,    A,     A),
    ("mail-settings",      "POST", "/notifications/settings/",                   L,   A,    A,    A,     A),
    # -- a background job and its result: only the person who started it (not even an administrator)
    ("job-detail",         "GET",  "/jobs/{job}/",                               L,   H,    H,    A,     H),
    ("job-detail",         "POST", "/jobs/{job}/",                               L,   M,    M,    M,     M),
    ("job-status",         "GET",  "/jobs/{job}/status/",                        L,   H,    H,    A,     H),
    ("job-status",         "POST", "/jobs/{job}/status/",                        L,   M,    M,    M,     M),
    ("job-download",       "GET",  "/jobs/{job}/download/",                      L,   H,    H,    A,     H),
    ("job-download",       "POST", "/jobs/{job}/download/",                      L,   M,    M,    M,     M),
    ("offline-job-preview", "GET", "/offline/jobs/{upload_job}/",                L,   A,    H,    H,     H),
    ("offline-job-preview", "POST", "/offline/jobs/{upload_job}/",               L,   M,    M,    M,     M),
    # -- the API's guide and schema are public; each user makes and revokes their own keys (the owner's key here)
    ("guide",              "GET",  "/api/v1/",                                   A,   A,    A,    A,     A),
    ("guide",              "POST", "/api/v1/",                                   M,   M,    M,    M,     M),
    ("schema",             "GET",  "/api/v1/schema/",                            A,   A,    A,    A,     A),
    ("schema",             "POST", "/api/v1/schema/",                            M,   M,    M,    M,     M),
    ("tokens",             "GET",  "/account/tokens/",                           L,   A,    A,    A,     A),
    ("tokens",             "POST", "/account/tokens/",                           L,   A,    A,    A,     A),
    ("token-revoke",       "GET",  "/account/tokens/{token}/revoke/",            L,   M,    M,    M,     M),
    ("token-revoke",       "POST", "/account/tokens/{token}/revoke/",            L,   A,    H,    H,     H),
    ("logout",             "GET",  "/accounts/logout/",                          M,   M,    M,    M,     M),
    ("logout",             "POST", "/accounts/logout/",                          A,   A,    A,    A,     A),
    ("admin-index",        "GET",  "/admin/",                                    L,   L,    L,    L,     A),
]
# fmt: on


def cells():
    for name, method, path, *expected in MATRIX:
        assert len(expected) == len(ROLES), name
        for role, outcome in zip(ROLES, expected):
            yield pytest.param(name, method, path, role, outcome, id=f"{role}-{method}-{name}")


# ---------------------------------------------------------------- the world every cell runs in


@dataclass
class World:
    users: dict
    report: ProgressReport
    evidence: Evidence
    ids: dict


@pytest.fixture
def world(settings, tmp_path, report, task, periods, officer, other_officer, reviewer, administrator):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile("증빙.pdf", PDF, content_type="application/pdf")
    evidence = services.evidence_add(report=report, user=officer, upload=upload, kind="증빙")
    report.refresh_from_db()
    weights_current()
    ids = {
        "task": task.pk,
        "department": Department.objects.get(name="자치행정과").pk,
        "report": report.pk,
        "evidence": evidence.pk,
        "q2": periods[1].pk,
        "q3": periods[2].pk,
        "indicator": task.indicators.filter(year=2017).order_by("pk").first().pk,
        "notification": _notification(officer, report).pk,
        "job": _workbook_job(reviewer).pk,
        "upload_job": _upload_job(officer, periods[1]).pk,
        "token": tokens.token_create(user=officer, name="매트릭스", days=30)[0].pk,
    }
    for user in (other_officer, reviewer, administrator):
        _notification(user, report)
    users = {"anonymous": None, "owner": officer, "other": other_officer, "reviewer": reviewer, "admin": administrator}
    return World(users=users, report=report, evidence=evidence, ids=ids)


def _notification(user, report) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=Notification.Kind.RETURNED,
        key=f"matrix:{user.pk}",
        subject="반려",
        body="",
        path=f"/reports/{report.pk}/",
        created_at=timezone.now(),
    )


def _workbook_job(reviewer) -> Job:
    kept = default_storage.save("jobs/matrix.xlsx", ContentFile(b"PK matrix"))
    return Job.objects.create(
        kind=Job.Kind.WORKBOOK,
        owner=reviewer,
        state=Job.State.SUCCEEDED,
        percent=100,
        created_at=timezone.now(),
        result_file=kept,
        result_name="평가자료.xlsx",
    )


def _upload_job(officer, period) -> Job:
    job = Job.objects.create(
        kind=Job.Kind.UPLOAD_PREVIEW,
        owner=officer,
        state=Job.State.SUCCEEDED,
        created_at=timezone.now(),
        params={"period": period.pk, "upload": "jobs/uploads/gone.xlsx"},
    )
    job.result = {"rows": [], "pending": "", "next": f"/offline/jobs/{job.pk}/"}
    job.save(update_fields=["result"])
    return job


def set_period_state(period_pk, state):
    ReportingPeriod.objects.filter(pk=period_pk).update(state=state)


def submit(world):
    report = world.report
    services.report_submit(report=report, user=world.users["owner"], version=report.version, data=complete_data(report))


def offline_template(world) -> bytes:
    from io import BytesIO

    from reports.spreadsheets.offline import template_workbook

    buffer = BytesIO()
    period = ReportingPeriod.objects.get(pk=world.ids["q2"])
    template_workbook(buffer, user=world.users["owner"], period=period)
    return buffer.getvalue()


def run_evaluation(world):
    from reports.evaluation.annual import evaluation_run

    evaluation_run(plan=world.report.task.plan, user=world.users["reviewer"])
    world.ids["score"] = TaskScore.objects.get(task_id=world.ids["task"]).pk


def approve(world):
    submit(world)
    services.report_approve(report=world.report, user=world.users["reviewer"], version=world.report.version)


def send_back(world):
    submit(world)
    report = world.report
    services.report_return(report=report, user=world.users["reviewer"], version=report.version, comment="보완 요청")


# What each route needs to be in a state where the action can succeed (so a refusal is the permission's).
ARRANGE = {
    "report-start": lambda w: set_period_state(w.ids["q2"], "open"),
    "report-approve": submit,
    "reports-approve": submit,
    "report-return": submit,
    "report-reopen": approve,
    "exception-grant": lambda w: set_period_state(w.report.period_id, "closed"),
    "evidence-upload@returned": send_back,
    "evidence-upload@submitted": submit,
    "evaluation-finalise": run_evaluation,
    "score-detail": run_evaluation,
}


PAYLOADS = {
    "tokens": lambda w, name: {"name": name, "days": "30"},
    "report-approve": lambda w, comment: {"version": w.report.version, "comment": comment},
    "reports-approve": lambda w, comment: {"reports": [f"{w.report.pk}:{w.report.version}"]},
    "report-return": lambda w, comment: {"version": w.report.version, "comment": comment},
    "report-reopen": lambda w, comment: {"version": w.report.version, "comment": comment},
    "exception-grant": lambda w, comment: {"reason": comment},
    "report-comment": lambda w, comment: {"text": comment},
    "period-state": lambda w, comment: {"state": "open"},
    "indicator-target": lambda w, comment: {"new_target": "400", "reason": comment},
    "offline-upload": lambda w, comment: {
        "file": SimpleUploadedFile("양식.xlsx", offline_template(w), content_type="application/octet-stream")
    },
    "weights": lambda w, comment: {
        "indicator": "25",
        "milestone": "25",
        "budget": "25",
        "timeliness": "25",
        "note": comment,
    },
    "score-detail": lambda w, comment: {"total": "90", "reason": comment},
    "evidence-upload": lambda w, comment: {
        "kind": "증빙",
        "file": SimpleUploadedFile("추가증빙.pdf", PDF, content_type="application/pdf"),
    },
}
PAYLOADS["evidence-upload@returned"] = PAYLOADS["evidence-upload@submitted"] = PAYLOADS["evidence-upload"]


def payload(name, world, role):
    world.report.refresh_from_db()
    if name == "report-edit":
        return post_data(world.report)
    if name == "login":
        user = world.users[role] or world.users["owner"]  # anonymous logs in as the owner
        return {"username": user.get_username(), "password": PASSWORD}
    return PAYLOADS[name](world, "권한 매트릭스 시험") if name in PAYLOADS else {}


def snapshot(world) -> dict:
    """Everything a POST of this portal can change."""
    report = ProgressReport.objects.get(pk=world.report.pk)
    indicator = world.ids["indicator"]
    return {
        "report": (report.status, report.version, report.achievements, report.problems, report.next_steps),
        "events": ReportEvent.objects.filter(report=report).count(),
        "reports": ProgressReport.objects.count(),
        "evidence": Evidence.objects.count(),
        "exceptions": LateChangeException.objects.count(),
        "periods": dict(ReportingPeriod.objects.values_list("pk", "state")),
        "target": IndicatorTargetChange.objects.filter(indicator_id=indicator).count(),
        "indicator": str(world.report.task.indicators.get(pk=indicator).target),
        "weights": ScoringWeights.objects.count(),
        "evaluations": list(Evaluation.objects.values_list("status", "run_at")),
        "adjusted": TaskScore.objects.exclude(adjusted_total=None).count(),
        "unread": Notification.objects.filter(read_at=None).count(),
        "opt_outs": MailOptOut.objects.count(),
        "jobs": list(Job.objects.order_by("pk").values_list("state", "result_file")),
        "keys": list(ApiToken.objects.order_by("pk").values_list("user_id", "revoked_at")),
    }


def _started(w):
    return ProgressReport.objects.filter(task_id=w.ids["task"], period_id=w.ids["q2"]).exists()


# What an allowed POST must have done, judged on snapshots taken before and after the request.
EFFECTS = {
    "report-edit": lambda w, b, a: a["report"][1] > b["report"][1] and a["report"][2] == "3단계 확대 대상 59개 동 선정",
    "report-approve": lambda w, b, a: a["report"][0] == "approved",
    "reports-approve": lambda w, b, a: a["report"][0] == "approved" and a["events"] == b["events"] + 1,
    "report-return": lambda w, b, a: a["report"][0] == "returned",
    "report-reopen": lambda w, b, a: a["report"][0] == "returned",
    "exception-grant": lambda w, b, a: a["exceptions"] == b["exceptions"] + 1,
    "report-comment": lambda w, b, a: a["events"] == b["events"] + 1 and a["report"] == b["report"],
    "evidence-upload": lambda w, b, a: a["evidence"] == b["evidence"] + 1,
    "evidence-upload@returned": lambda w, b, a: a["evidence"] == b["evidence"] + 1,
    "evidence-upload@submitted": lambda w, b, a: a["evidence"] == b["evidence"] + 1,
    "report-start": lambda w, b, a: _started(w),
    "period-state": lambda w, b, a: a["periods"][w.ids["q3"]] == "open",
    "indicator-target": lambda w, b, a: a["indicator"] == "400.00" and a["target"] == b["target"] + 1,
    "evaluation-run": lambda w, b, a: a["evaluations"] and a["evaluations"] != b["evaluations"],
    "evaluation-finalise": lambda w, b, a: a["evaluations"][0][0] == "final",
    "weights": lambda w, b, a: a["weights"] == b["weights"] + 1,
    "score-detail": lambda w, b, a: a["adjusted"] == b["adjusted"] + 1,
    # an upload only previews; confirming without a pending upload changes nothing (tests/test_offline_reporting.py)
    "offline-upload": lambda w, b, a: a == b,
    "offline-confirm": lambda w, b, a: a == b,
    # everyone has one unread notification (``world``): reading them all marks exactly one, one's own
    "notifications-read": lambda w, b, a: a["unread"] == b["unread"] - 1,
    "mail-settings": lambda w, b, a: a["opt_outs"] > b["opt_outs"],  # nothing ticked: every optional mail off
    "tokens": lambda w, b, a: len(a["keys"]) == len(b["keys"]) + 1,
    "token-revoke": lambda w, b, a: a["keys"][0][1] is not None and b["keys"][0][1] is None,
    "login": lambda w, b, a: a == b,
    "logout": lambda w, b, a: a == b,
}


def check_effect(name, world, before, after, client, role):
    """An allowed POST really did what it was asked (not merely redirected back with an error)."""
    assert EFFECTS[name](world, before, after), f"{role} POST {name} was let through but had no effect"
    session_user = client.session.get("_auth_user_id")
    if name == "login":
        assert str(session_user) == str((world.users[role] or world.users["owner"]).pk)
    elif name == "logout":
        assert session_user is None


# ---------------------------------------------------------------- outcome of a response

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def classify(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        return LOGIN if urlsplit(response["Location"]).path in LOGIN_PATHS else ALLOWED
    if 200 <= code < 300:
        return ALLOWED
    return {403: DENIED, 404: HIDDEN, 405: METHOD}.get(code, f"unexpected {code}")


def describe(response) -> str:
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def body(response) -> bytes:
    # Exhausting a streamed response lets the test client close it; closing it again by hand would send
    # request_finished and close the database connection under the test's transaction (PostgreSQL).
    return b"".join(response.streaming_content) if response.streaming else response.content


# ---------------------------------------------------------------- the matrix


@pytest.mark.django_db
@pytest.mark.parametrize("name,method,path,role,expected", list(cells()))
def test_permission_matrix(client, world, name, method, path, role, expected):
    if name in ARRANGE:
        ARRANGE[name](world)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = path.format(**world.ids)
    before = snapshot(world)

    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, payload(name, world, role))
    content = body(response)
    outcome = classify(response)

    assert outcome == expected, f"{role} {method} {url}: got {outcome} ({describe(response)}), expected {expected}"
    if outcome == LOGIN:
        assert "next=" in response["Location"]
    after = snapshot(world)
    if method == "POST" and outcome == ALLOWED:
        check_effect(name, world, before, after, client, role)
    else:
        if name == "notification-open" and outcome == ALLOWED:  # opening one's notification marks it read
            assert after.pop("unread") == before.pop("unread") - 1
        assert after == before, f"{role} {method} {url} was refused ({describe(response)}) but changed data"
    if name == "evidence-download" and method == "GET" and outcome == ALLOWED:
        assert content == PDF
        assert "attachment" in response["Content-Disposition"]


def test_matrix_covers_every_portal_route():
    """A new route in reports/urls.py must get its row here before the suite passes."""
    from reports.api.urls import urlpatterns as api_urlpatterns
    from reports.urls import urlpatterns

    urlpatterns = urlpatterns + [
        p for p in api_urlpatterns if getattr(p, "name", None)
    ]  # the API's pages; its endpoints: test_api_*
    named = {row[0] for row in MATRIX}
    assert {p.name for p in urlpatterns} <= named
    assert {"login", "logout", "admin-index"} <= named
    for name in {p.name for p in urlpatterns}:
        methods = {row[1] for row in MATRIX if row[0] == name}
        assert methods == {"GET", "POST"}, name
    allowed_posts = {row[0] for row in MATRIX if row[1] == "POST" and ALLOWED in row[3:]}
    assert allowed_posts <= set(EFFECTS), allowed_posts - set(EFFECTS)


# ---------------------------------------------------------------- the download, spelled out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,status",
    [("owner", 200), ("reviewer", 200), ("admin", 200), ("other", 404), ("anonymous", 302)],
)
def test_evidence_download_by_role(client, world, role, status):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    response = client.get(f"/evidence/{world.evidence.pk}/")
    content = body(response)
    assert response.status_code == status
    if status == 200:
        assert content == PDF
        assert response["Content-Disposition"].startswith("attachment")
    elif status == 302:
        assert urlsplit(response["Location"]).path == "/accounts/login/"
    else:
        assert PDF not in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/reports/{pk}/", "/reports/{pk}/edit/", "/evidence/{pk}/"], ids=["report", "edit", "evidence"]
)
def test_other_department_cannot_tell_an_existing_report_from_a_missing_one(client, world, path):
    client.force_login(world.users["other"])
    missing = max(ProgressReport.objects.order_by("-pk").first().pk, Evidence.objects.order_by("-pk").first().pk) + 1
    pk = world.evidence.pk if path.startswith("/evidence/") else world.report.pk
    assert client.get(path.format(pk=pk)).status_code == client.get(path.format(pk=missing)).status_code == 404
