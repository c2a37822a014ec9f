"""Each bad input gets its Korean message next to the field, the input stays, and nothing is stored."""

import pytest

from reports.models import BudgetExecution, IndicatorResult, MilestoneProgress, ProgressReport, ReportEvent
from tests.conftest import post_data


def snapshot(report) -> tuple:
    return (
        tuple(ProgressReport.objects.filter(pk=report.pk).values_list("status", "version", "achievements", "problems")),
        tuple(IndicatorResult.objects.filter(report=report).values_list("actual", "comment")),
        tuple(MilestoneProgress.objects.filter(report=report).values_list("status", "actual_start", "actual_end")),
        tuple(BudgetExecution.objects.filter(report=report).values_list("spent_to_date", "explanation")),
        ReportEvent.objects.filter(report=report).count(),
    )


# (form field, bad value, expected message); indexes refer to the first row of each formset.
HARD_ERRORS = [
    ("indicator_results-0-actual", "삼백", "숫자만 입력하세요"),
    ("indicator_results-0-actual", "-5", "음수는 입력할 수 없습니다"),
    ("indicator_results-0-actual", "99999999999", "값이 너무 큽니다"),
    ("budget_executions-0-spent_to_date", "만원", "정수(백만원)만 입력하세요"),
    ("budget_executions-0-spent_to_date", "-1", "음수는 입력할 수 없습니다"),
    ("budget_executions-0-spent_to_date", "1000000000000", "값이 너무 큽니다"),
    ("milestone_progress-0-actual_start", "2016-12-31", "2017년 안의 날짜"),
    ("milestone_progress-0-actual_end", "2018-01-02", "2017년 안의 날짜"),
    ("milestone_progress-0-actual_start", "어제", "2017. 3. 31. 형식으로"),
    ("report-achievements", "가" * 5001, "5,000자 이내"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("button", ["save", "submit"])
@pytest.mark.parametrize("field,value,message", HARD_ERRORS, ids=[f"{f}={v[:10]}" for f, v, _ in HARD_ERRORS])
def test_values_that_cannot_be_stored_are_refused(client, report, officer, button, field, value, message):
    client.force_login(officer)
    before = snapshot(report)
    data = post_data(report, **{field: value, "report-problems": "사용자가 적은 다른 내용", button: "1"})
    response = client.post(f"/reports/{report.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "사용자가 적은 다른 내용" in html  # the rest of the input is kept
    assert f'aria-describedby="id_{field}-error"' in html  # the message is tied to its field
    assert snapshot(report) == before


# Allowed in a draft (flagged), refused on submit: (field, value, expected message).
SUBMIT_ERRORS = [
    ("report-achievements", "", "주요 추진실적"),
    ("report-next_steps", "", "향후 계획"),
    ("report-self_assessment", "", "자체 진단"),
    ("indicator_results-0-actual", "", "실적 값을 입력하세요"),
    ("indicator_results-0-actual", "10", "미달성입니다"),
    ("budget_executions-0-spent_to_date", "99999", "예산현액(72,050백만원)을 넘습니다"),
    ("milestone_progress-0-status", "late", "지연 사유"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("field,value,message", SUBMIT_ERRORS, ids=[f"{f}={v}" for f, v, _ in SUBMIT_ERRORS])
def test_incomplete_report_cannot_be_submitted_but_nothing_changes(client, report, officer, field, value, message):
    client.force_login(officer)
    before = snapshot(report)
    response = client.post(f"/reports/{report.pk}/edit/", post_data(report, **{field: value, "submit": "1"}))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "아무것도 저장되지 않았습니다" in html
    assert snapshot(report) == before


@pytest.mark.django_db
@pytest.mark.parametrize("field,value,message", SUBMIT_ERRORS, ids=[f"{f}={v}" for f, v, _ in SUBMIT_ERRORS])
def test_the_same_values_can_be_saved_as_a_draft(client, report, officer, field, value, message):
    client.force_login(officer)
    response = client.post(f"/reports/{report.pk}/edit/", post_data(report, **{field: value, "save": "1"}))
    assert response.status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).status == "draft"


@pytest.mark.django_db
def test_explanations_make_the_same_report_submittable(client, report, officer):
    client.force_login(officer)
    data = post_data(
        report,
        **{
            "indicator_results-0-actual": "300",
            "indicator_results-0-comment": "연말까지 42개 동 추가 예정",
            "budget_executions-0-spent_to_date": "80,000",
            "budget_executions-0-explanation": "추경 예산 반영 전 집행",
            "submit": "1",
        },
    )
    assert client.post(f"/reports/{report.pk}/edit/", data).status_code == 302
    execution = BudgetExecution.objects.get(report=report)
    assert execution.spent_to_date == 80000  # "80,000" read as a Korean-formatted number
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


@pytest.mark.django_db
def test_rows_of_another_report_cannot_be_written_through_the_form(client, report, officer, plan, open_q1):
    from reports.progress import services

    other = services.report_start(task=plan.tasks.get(number=6), period=open_q1, user=officer)
    foreign_row = other.budget_executions.first()
    client.force_login(officer)
    data = post_data(
        report, **{"budget_executions-0-id": str(foreign_row.pk), "budget_executions-0-spent_to_date": "7"}
    )
    response = client.post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 400
    foreign_row.refresh_from_db()
    assert foreign_row.spent_to_date is None
