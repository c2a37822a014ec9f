"""export_plan prints the canonical JSON; /api/plans/2017/ serves the same document."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

PLAN_KEYS = {"year", "title", "document_number", "approved_on"}
TASK_KEYS = {
    "number",
    "title",
    "department",
    "agencies",
    "manager",
    "officer",
    "phone",
    "non_budget",
    "funding_note",
    "budget_lines",
    "budget_printed_total",
    "budget_computed_total",
    "milestones",
    "indicators",
}


def export() -> dict:
    out = StringIO()
    call_command("export_plan", "--year", "2017", stdout=out)
    return json.loads(out.getvalue())


def assert_person(value):
    assert value is None or (set(value) >= {"name", "title"} and all(isinstance(v, str) for v in value.values()))


def assert_canonical(doc: dict) -> None:
    assert PLAN_KEYS <= set(doc["plan"])
    assert isinstance(doc["plan"]["year"], int)
    for area in doc["strategic_areas"]:
        assert {"number", "title", "programmes"} <= set(area)
        for programme in area["programmes"]:
            assert {"number", "title", "tasks"} <= set(programme)
            assert all(isinstance(n, int) for n in programme["tasks"])
    for task in doc["tasks"]:
        assert TASK_KEYS <= set(task), TASK_KEYS - set(task)
        assert all(isinstance(name, str) for name in task["agencies"])
        assert_person(task["manager"])
        assert_person(task["officer"])
        assert isinstance(task["non_budget"], bool)
        for line in task["budget_lines"]:
            assert {"name", "amounts", "printed_total", "computed_total"} <= set(line)
            assert line["computed_total"] == sum(a["amount"] for a in line["amounts"])
            for amount in line["amounts"]:
                assert set(amount) >= {"from_year", "to_year", "amount"}
                assert isinstance(amount["amount"], int) and isinstance(amount["to_year"], int)
                assert amount["from_year"] is None or isinstance(amount["from_year"], int)
        for milestone in task["milestones"]:
            assert {"title", "start", "end", "source_text"} <= set(milestone)
        for indicator in task["indicators"]:
            assert {"name", "unit", "target", "year"} <= set(indicator)


@pytest.mark.django_db
def test_export_validates_against_the_key_list():
    doc = export()
    assert_canonical(doc)
    assert doc["plan"] == {
        "year": 2017,
        "title": "2017년도 서울시 정부3.0 실행계획",
        "document_number": "정보기획담당관-1768",
        "approved_on": "2017-02-02",
    }
    assert len(doc["strategic_areas"]) == 5
    assert sorted(n for a in doc["strategic_areas"] for p in a["programmes"] for n in p["tasks"]) == list(range(1, 17))


@pytest.mark.django_db
def test_export_carries_plan_facts():
    tasks = {t["number"]: t for t in export()["tasks"]}
    assert tasks[12]["manager"] is None and tasks[12]["officer"]["name"] == "김병철"
    assert tasks[4]["non_budget"] and tasks[4]["budget_lines"] == []
    assert (tasks[13]["budget_printed_total"], tasks[13]["budget_computed_total"]) == (1817, 1827)
    before = tasks[11]["budget_lines"][0]["amounts"][0]
    assert (before["from_year"], before["to_year"], before["amount"]) == (None, 2013, 228)
    merged = [a for a in tasks[6]["budget_lines"][1]["amounts"]]
    assert merged == [{"from_year": 2016, "to_year": 2017, "amount": 844}]
    assert tasks[6]["budget_printed_total"] is None


@pytest.mark.django_db
def test_export_is_stable_between_runs():
    assert export() == export()


@pytest.mark.django_db
def test_api_serves_the_same_document(client):
    response = client.get("/api/plans/2017/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == export()


@pytest.mark.django_db
def test_api_unknown_year_is_a_korean_404(client):
    response = client.get("/api/plans/2016/")
    assert response.status_code == 404
    assert "실행계획이 없습니다" in response.json()["error"]


@pytest.mark.django_db
def test_api_is_read_only(client):
    assert client.post("/api/plans/2017/", {}).status_code == 405


@pytest.mark.django_db
def test_export_of_unknown_year_is_refused():
    with pytest.raises(CommandError, match="실행계획이 없습니다"):
        call_command("export_plan", "--year", "1999", stdout=StringIO())
