"""Every page, for every role, reads in Korean: no English interface text (the rule: tests/korean_text.py).

Each role opens every page of the portal and of the admin, whatever the answer (a 403 or 404 is a page
people read too); a redirect is followed to where it lands. Charts are drawn by plotly.js in the browser,
so their axis text is checked in tests/browser/test_charts_in_korean.py.
"""

import pytest
from django.contrib import admin
from django.urls import get_resolver, reverse
from django.utils import timezone

from reports.evaluation import annual
from reports.models import ProgressReport
from reports.progress.permissions import OFFICER, REVIEWER
from reports.progress.sample import sample_progress_load
from tests.conftest import make_user
from tests.korean_text import english_in, visible_text

# fmt: off
PAGES = [
    "/", "/tasks/", "/tasks/?non_budget=true", "/tasks/{task}/", "/departments/", "/departments/{department}/",
    "/agencies/", "/criteria/", "/results/", "/accounts/login/", "/work/", "/my/", "/review/", "/periods/",
    "/register/", "/indicators/{indicator}/target/", "/reports/{report}/", "/reports/{report}/edit/",
    "/reports/{draft}/", "/reports/{draft}/edit/", "/dashboard/", "/dashboard/?quarter=2",
    "/dashboard/departments/", "/dashboard/schedule/", "/evaluation/", "/evaluation/weights/",
    "/evaluation/scores/{score}/", "/offline/{q3}/upload/", "/admin/login/", "/no-such-page/",
    "/notifications/", "/notifications/settings/", "/jobs/{job}/", "/offline/jobs/{upload_job}/", "/open-data/",
    "/api/v1/", "/account/tokens/",
]
# Routes that answer with a file, JSON or a redirect only, or take POST only: not pages.
NOT_PAGES = {
    "open-data-package", "open-data-file",
    "plan-api", "report-start", "report-figures", "report-approve", "reports-approve", "report-return", "report-reopen",
    "exception-grant", "evidence-upload", "evidence-download", "period-state", "evaluation-run", "report-comment",
    "notification-open", "notifications-read", "job-status", "job-download",
    "evaluation-finalise", "workbook-download", "book-pdf", "book-hwpx", "offline-template", "offline-confirm", "logout",
    "schema", "token-revoke",
}
# The route names PAGES opens.
SCANNED = {
    "guide", "tokens",
    "plan-overview", "task-list", "task-detail", "department-list", "department-detail", "agency-list",
    "criteria", "open-results", "open-data", "login", "home", "my-tasks", "inbox", "period-list", "register",
    "indicator-target", "report-detail", "report-edit", "dashboard", "dashboard-departments",
    "dashboard-gantt", "evaluation", "weights", "score-detail", "offline-upload", "notifications", "mail-settings",
    "job-detail", "offline-job-preview",
}
# fmt: on
ROLES = ("anonymous", "officer", "other officer", "reviewer", "administrator")


@pytest.fixture
def portal(plan):
    """The demo's world: Q1–Q2 approved, Q3 submitted, returned and draft; the annual evaluation run."""
    officers = {d.pk: make_user(f"{d.name} 담당", OFFICER, (d.name,)) for d in {t.department for t in plan.tasks.all()}}
    reviewer = make_user("정보기획 검토", REVIEWER)
    sample_progress_load(plan=plan, officers=officers, reviewer=reviewer)
    score = annual.evaluation_run(plan=plan, user=reviewer).scores.get(task__number=15)
    task = plan.tasks.get(number=15)
    q3 = plan.periods.get(quarter=3)
    users = {
        "anonymous": None,
        "officer": officers[task.department_id],
        "other officer": make_user("다른 부서 담당", OFFICER, ("주차계획과",)),
        "reviewer": reviewer,
        "administrator": make_user("관리 책임자", None, is_superuser=True, is_staff=True),
    }
    ids = {
        "task": task.pk,
        "department": task.department_id,
        "indicator": task.indicators.first().pk,
        "report": ProgressReport.objects.get(task=task, period__quarter=1).pk,
        "draft": ProgressReport.objects.filter(period=q3, status="draft").first().pk,
        "score": score.pk,
        "q3": q3.pk,
        **jobs_shown(users["reviewer"], users["officer"], q3),
    }
    return users, ids


def jobs_shown(reviewer, officer, period) -> dict:
    """A workbook job under way (the reviewer's) and a finished upload preview with a row of each kind (the
    officer's), as their pages show them."""
    from reports.models import Job

    now = timezone.now()
    running = Job.objects.create(
        kind="workbook", owner=reviewer, state="running", percent=40, stage="성과지표 시트 작성 중", created_at=now
    )
    preview = Job.objects.create(
        kind="upload_preview",
        owner=officer,
        state="succeeded",
        percent=100,
        created_at=now,
        params={"period": period.pk, "upload": "jobs/uploads/shown.xlsx"},
    )
    rows = [
        {
            "sheet": "서술",
            "number": 2,
            "task": "15. 찾아가는 동주민센터",
            "status": "변경",
            "changes": [["주요 추진실적", "achievements", "이전", "새 실적"]],
            "errors": [],
        },
        {
            "sheet": "성과지표",
            "number": 3,
            "task": "15. 찾아가는 동주민센터",
            "status": "오류",
            "changes": [],
            "errors": ["실적은 0 이상의 숫자로 적어 주세요."],
        },
    ]
    preview.result = {"rows": rows, "pending": "", "next": f"/offline/jobs/{preview.pk}/"}
    preview.save(update_fields=["result"])
    return {"job": running.pk, "upload_job": preview.pk}


def admin_pages(ids: dict) -> list[str]:
    """The admin's index, each app, and each model's list, add, change and history pages, plus import and export."""
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        pages.append(reverse("admin:app_list", args=[opts.app_label]))
        names = ["changelist", "add"] + (["import", "export"] if hasattr(model_admin, "import_action") else [])
        pages += [reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}") for name in names]
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages += [
                reverse(f"admin:{opts.app_label}_{opts.model_name}_{n}", args=[first.pk]) for n in ("change", "history")
            ]
    return sorted(set(pages))


def english_on(client, path: str) -> list[str]:
    response = client.get(path, follow=True)
    if "text/html" not in response.get("Content-Type", ""):
        return []
    return english_in(visible_text(response.content.decode()))


def test_every_page_is_listed():
    """A new route joins PAGES (or NOT_PAGES), so that this scan keeps covering the whole portal."""
    routes = set()
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) in {"initiatives", "reports", "api"}:
            routes |= {p.name for p in pattern.url_patterns if getattr(p, "name", None)}
        elif getattr(pattern, "name", None):
            routes.add(pattern.name)
    assert routes - NOT_PAGES <= SCANNED


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_english_interface_text_on_any_page(client, portal, role):
    users, ids = portal
    if users[role]:
        client.force_login(users[role])
    paths = [p.format(**ids) for p in PAGES] + (admin_pages(ids) if role == "administrator" else [])
    found = {path: words for path in paths if (words := english_on(client, path))}
    assert not found, "\n".join(f"{role} {path}: {', '.join(words)}" for path, words in found.items())
