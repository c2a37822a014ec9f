"""load_plan is idempotent, and a broken file changes nothing."""

from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

PLAN_MODELS = [
    "initiatives.Plan",
    "initiatives.StrategicArea",
    "initiatives.Programme",
    "initiatives.Department",
    "initiatives.Agency",
    "initiatives.Task",
    "initiatives.TaskAgency",
    "initiatives.Milestone",
    "initiatives.Indicator",
    "budgets.BudgetTable",
    "budgets.BudgetColumn",
    "budgets.BudgetLine",
    "budgets.BudgetAmount",
]


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in PLAN_MODELS}


def load(path: Path | None = None) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_plan", *(["--file", str(path)] if path else []), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_second_run_changes_and_duplicates_nothing():
    before = row_counts()
    output = load()
    assert row_counts() == before
    assert "생성 0건, 변경 0건" in output
    assert before["initiatives.Task"] == 16


@pytest.mark.django_db
def test_load_into_an_empty_database_creates_everything():
    from initiatives.models import Plan

    expected = row_counts()
    Plan.objects.all().delete()
    assert row_counts()["initiatives.Task"] == 0
    load()
    assert row_counts() == expected


@pytest.mark.django_db
def test_a_changed_value_is_updated_in_place():
    from initiatives.models import Task

    task = Task.objects.get(number=1)
    task.phone = "000"
    task.save()
    load()
    task.refresh_from_db()
    assert task.phone == "02-2133-5176"


def plan_data() -> dict:
    return yaml.safe_load(Path(settings.PLAN_FIXTURE).read_text(encoding="utf-8"))


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def break_last_task_amount(data):
    data["tasks"][-1]["budget"]["lines"][0]["amounts"] = {"'17년": "아흔둘"}
    return data


def break_column_label(data):
    data["tasks"][-1]["budget"]["lines"][0]["amounts"] = {"'99년": 1}
    return data


def break_programme(data):
    data["tasks"][-1]["programme"] = 9
    return data


def break_department(data):
    del data["tasks"][-1]["department"]
    return data


def break_month(data):
    data["tasks"][-1]["milestones"][0]["start"] = "2017-13"
    return data


def duplicate_task_number(data):
    data["tasks"][-1]["number"] = 1
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    "breaker,message",
    [
        (break_last_task_amount, "금액은 0 이상의 정수"),
        (break_column_label, "표에 없는 연도 열"),
        (break_programme, "중점 추진과제 9"),
        (break_department, "'department' 항목이 없습니다"),
        (break_month, "YYYY-MM"),
        (duplicate_task_number, "tasks"),
    ],
)
def test_broken_file_gives_message_and_changes_nothing(tmp_path, breaker, message):
    from initiatives.models import Task

    Task.objects.filter(number=1).update(title="바뀌기 전 제목")
    before = row_counts()
    with pytest.raises(CommandError) as error:
        load(write(tmp_path, breaker(plan_data())))
    assert message in str(error.value)
    assert "데이터베이스는 바뀌지 않았습니다" in str(error.value)
    assert row_counts() == before
    # Task 1 comes first in the file: had the load not rolled back, its title would be restored.
    assert Task.objects.get(number=1).title == "바뀌기 전 제목"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content,message",
    [
        ("plan: [unclosed", "YAML 형식"),
        ("- just a list", "최상위"),
        ("plan: {}\nstrategic_areas: []\n", "'tasks' 항목이 없습니다"),
    ],
)
def test_unreadable_file_is_refused(tmp_path, content, message):
    before = row_counts()
    with pytest.raises(CommandError, match=message):
        load(write(tmp_path, content))
    assert row_counts() == before


@pytest.mark.django_db
def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="열 수 없습니다"):
        load(tmp_path / "nope.yaml")
