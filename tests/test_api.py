"""The read API (/api/v1/): tokens made, used, revoked and expired; refusals in Korean; what each user sees."""

import datetime
import json
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone
from openapi_spec_validator import validate

from reports.api import tokens
from reports.models import ApiToken, ProgressReport
from reports.progress import permissions, services
from tests.conftest import complete_data


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def key_for(user, days: int = 30) -> str:
    return tokens.token_create(user=user, name="시험", days=days)[1]


def korean_refusal(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) >= {"detail", "code"}
    assert any("가" <= ch <= "힣" for ch in data["detail"]), data
    return data


@pytest.mark.django_db
def test_token_made_on_its_page_is_shown_once_and_kept_only_as_a_hash(client, officer, report, caplog):
    client.force_login(officer)
    caplog.set_level(logging.DEBUG)
    page = client.post("/account/tokens/", {"name": "예산 시스템", "days": "30"})
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=officer)
    html = page.content.decode()
    key = html.split('id="new-key" class="form-control font-monospace" readonly value="')[1].split('"')[0]
    assert key.startswith(tokens.KEY_START) and len(key) > 40
    assert token.key_hash == tokens.key_hash(key) and key not in token.key_hash
    assert key.startswith(token.prefix) and len(token.prefix) < len(key) // 3

    used = client.get("/api/v1/reports/", **bearer(key))
    assert used.status_code == 200 and [r["id"] for r in used.json()["results"]] == [report.pk]
    again = client.get("/account/tokens/")
    assert key not in again.content.decode() and "사용 중" in again.content.decode()  # shown once only

    # nothing keeps the key in clear: not the database (every table, as the backup writes it), not the logs
    dump = call_command_output("dumpdata")
    assert key not in dump and token.key_hash in dump
    assert all(key not in record.getMessage() for record in caplog.records)


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_revoked_and_expired_tokens_get_401_in_korean(client, officer, report):
    key = key_for(officer)
    assert client.get("/api/v1/reports/", **bearer(key)).status_code == 200
    client.force_login(officer)
    token = ApiToken.objects.get(user=officer)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    client.logout()
    refused = korean_refusal(client.get("/api/v1/reports/", **bearer(key)), 401)
    assert "폐기" in refused["detail"]

    old = key_for(officer, days=1)
    later = timezone.now() + datetime.timedelta(days=1, seconds=1)
    assert "기한" in korean_refusal(_at(client, later, "/api/v1/reports/", old), 401)["detail"]
    assert korean_refusal(client.get("/api/v1/reports/", **bearer("gov30_없는토큰")), 401)
    response = client.get("/api/v1/reports/")
    assert "토큰" in korean_refusal(response, 401)["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def _at(client, moment, path, key):
    import time_machine

    with time_machine.travel(moment, tick=False):
        return client.get(path, **bearer(key))


@pytest.mark.django_db
def test_a_user_revokes_only_their_own_tokens(client, officer, other_officer):
    key = key_for(officer)
    token = ApiToken.objects.get(user=officer)
    client.force_login(other_officer)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.get("/api/v1/periods/", **bearer(key)).status_code == 200


@pytest.mark.django_db
def test_token_form_refuses_bad_input_in_korean_and_keeps_it(client, officer):
    client.force_login(officer)
    page = client.post("/account/tokens/", {"name": "연계 프로그램", "days": "100000"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'value="연계 프로그램"' in html and "이하" in html
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_reports_answer_what_the_same_user_sees_in_the_pages(client, plan, report, officer, other_officer, reviewer):
    elsewhere = plan.tasks.exclude(department=report.task.department).order_by("number").first()
    other = services.report_start(task=elsewhere, period=report.period, user=_officer_of(elsewhere))
    for user in (officer, other_officer, reviewer):
        listed = client.get("/api/v1/reports/", **bearer(key_for(user))).json()
        expected = sorted(permissions.reports_for_user(user).values_list("pk", flat=True))
        assert sorted(r["id"] for r in listed["results"]) == expected
        assert listed["count"] == len(expected)
    assert client.get(f"/api/v1/reports/{other.pk}/", **bearer(key_for(officer))).status_code == 404
    shown = client.get(f"/api/v1/reports/{report.pk}/", **bearer(key_for(officer))).json()
    assert shown["task_number"] == 15 and shown["status_label"] == "작성중"
    assert len(shown["indicator_results"]) == report.indicator_results.count()


def _officer_of(task):
    from tests.conftest import make_user

    return make_user(f"officer-{task.pk}", permissions.OFFICER, (task.department.name,))


@pytest.mark.django_db
def test_reviewer_only_lists_refuse_officers_with_the_pages_reason(client, officer, reviewer, report):
    key = key_for(officer)
    for path in ("/api/v1/assessments/", "/api/v1/scores/", "/api/v1/inbox/waiting/", "/api/v1/inbox/overdue/"):
        data = korean_refusal(client.get(path, **bearer(key)), 403)
        assert data["detail"] == "정보기획담당관 검토자만 할 수 있는 작업입니다."
        assert client.get(path, **bearer(key_for(reviewer))).status_code == 200


@pytest.mark.django_db
def test_inbox_lists_the_submitted_report_as_the_page_does(client, officer, reviewer, report):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    key = key_for(reviewer)
    waiting = client.get("/api/v1/inbox/waiting/", **bearer(key)).json()
    assert [r["id"] for r in waiting["results"]] == [report.pk]
    assert client.get("/api/v1/inbox/returned/", **bearer(key)).json()["count"] == 0


@pytest.mark.django_db
def test_assessments_are_the_dashboards_rows(client, plan, reviewer, report):
    key = key_for(reviewer)
    answer = client.get("/api/v1/assessments/?quarter=1", **bearer(key)).json()
    assert answer["count"] == plan.tasks.count()
    assert {row["quarter"] for row in answer["results"]} == {1}
    board = client.get("/dashboard/?quarter=1&status=delayed", **bearer(key))  # no session: the page refuses
    assert board.status_code == 302
    delayed = client.get("/api/v1/assessments/?quarter=1&status=delayed", **bearer(key)).json()
    assert all(row["status"] == "delayed" for row in delayed["results"])
    assert korean_refusal(client.get("/api/v1/assessments/?quarter=9", **bearer(key)), 400)["errors"]["quarter"]


@pytest.mark.django_db
def test_filters_pages_and_bad_values(client, plan):
    tasks = client.get("/api/v1/tasks/?year=2017").json()
    assert tasks["count"] == 16 and tasks["results"][0]["number"] == 1
    department = plan.tasks.get(number=15).department
    only = client.get(f"/api/v1/tasks/?department={department.pk}").json()
    assert {t["department"] for t in only["results"]} == {department.name}
    assert korean_refusal(client.get("/api/v1/tasks/?department=999999"), 400)["errors"]["department"]
    assert korean_refusal(client.get("/api/v1/tasks/?page=9"), 404)["detail"] == "찾는 자료가 없습니다."
    assert korean_refusal(client.get("/api/v1/tasks/999999/"), 404)["detail"] == "과제를 찾을 수 없습니다."
    assert "GET" in korean_refusal(client.post("/api/v1/tasks/"), 405)["detail"]


@pytest.mark.django_db
def test_requests_over_the_rate_get_429_with_retry_after(client, settings, plan, officer):
    from django.core.cache import cache

    cache.clear()
    settings.GOV30_API_RATE_ANON = "2/minute"
    assert [client.get("/api/v1/periods/").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/periods/")
    assert "요청이 너무 많습니다" in korean_refusal(refused, 429)["detail"]
    assert int(refused["Retry-After"]) > 0
    assert client.get("/api/v1/periods/", **bearer(key_for(officer))).status_code == 200  # a key has its own count
    cache.clear()


@pytest.mark.django_db
def test_the_old_plan_address_still_answers_as_v1(client, plan):
    old = client.get("/api/plans/2017/").json()
    assert old == client.get("/api/v1/plans/2017/").json()
    assert len(old["tasks"]) == 16


@pytest.mark.django_db
def test_schema_is_valid_openapi_3_and_the_guide_lists_every_path(client, plan):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    document = json.loads(schema.content)
    validate(document)
    assert document["openapi"].startswith("3.")
    guide = client.get("/api/v1/").content.decode()
    for path in document["paths"]:
        assert f"<code>{path}</code>" in guide
    assert {"/api/v1/reports/", "/api/v1/assessments/", "/api/v1/scores/", "/api/v1/inbox/waiting/"} <= set(
        document["paths"]
    )


@pytest.mark.django_db
def test_an_approved_report_is_public_only_through_the_results_not_the_reports(client, officer, reviewer, report):
    services.report_submit(report=report, user=officer, version=report.version, data=complete_data(report))
    services.report_approve(report=report, user=reviewer, version=report.version)
    assert report.__class__.objects.get(pk=report.pk).status == ProgressReport.Status.APPROVED
    korean_refusal(client.get(f"/api/v1/reports/{report.pk}/"), 401)


@pytest.mark.django_db
def test_every_page_links_the_open_data_the_api_and_for_a_user_their_keys(client, plan, officer):
    anonymous = client.get("/tasks/").content.decode()
    assert 'href="/open-data/"' in anonymous and 'href="/api/v1/"' in anonymous
    assert 'href="/account/tokens/"' not in anonymous
    client.force_login(officer)
    assert 'href="/account/tokens/"' in client.get("/tasks/").content.decode()
