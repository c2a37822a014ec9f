"""Defects where two pages told different stories about the same task, each pinned on the pages themselves."""

import datetime
import re

import pytest

from bench.synthetic import Spec, synthetic_generate
from initiatives.models import Milestone, Plan
from reports.evaluation import annual, dashboards
from reports.models import ReportingPeriod, TaskScore
from reports.progress import rules, services
from tests.conftest import complete_data


def _submit_and_approve(report, officer, reviewer, **changes):
    data = complete_data(report)
    for rows, values in changes.items():
        for row in data[rows].values():
            row.update(values)
    report = services.report_submit(report=report, user=officer, version=report.version, data=data)
    return services.report_approve(report=report, user=reviewer, version=report.version)


@pytest.mark.django_db
def test_a_quarter_past_due_without_its_report_is_a_reason_as_on_the_review_inbox(
    client, periods, report, officer, reviewer
):
    _submit_and_approve(report, officer, reviewer)
    client.force_login(reviewer)
    # 예정 (not opened): no report can be overdue yet, on the dashboard as in the inbox
    assert "2분기 보고 기한(7월 10일) 경과" not in client.get("/dashboard/?quarter=2").content.decode()
    client.post(f"/periods/{periods[1].pk}/state/", {"state": ReportingPeriod.State.OPEN})
    inbox = client.get("/review/").content.decode()
    assert f'<td>2분기</td><td><a href="{report.task.get_absolute_url()}">' in inbox  # listed 기한 경과
    html = client.get("/dashboard/?quarter=2").content.decode()
    # judged on the Q1 report, and saying so; the missing Q2 report is one of the reasons
    [explained] = [t for t in re.findall(r'<div class="small">([^<]*)</div>', html) if "1분기 보고 기준" in t]
    assert "2분기 보고 기한(7월 10일) 경과: 미제출" in explained


@pytest.mark.django_db
@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_the_table_s_execution_rate_is_the_trend_chart_s(quarter):
    synthetic_generate(Spec(tasks=30, years=1, seed=21))
    plan = Plan.objects.get(year=2016)
    board = dashboards.plan_dashboard(
        plan=plan, tasks=plan.tasks.all(), quarter=quarter, weights=annual.weights_current()
    )
    [trend] = [c for c in board.charts if c.id == "chart-trend"]
    shown = trend.rows[quarter - 1][2]  # the chart's table: 분기, 성과지표 진도율, 예산 집행률
    assert board.total.execution_rate is not None
    assert f"{shown}%".replace(".0%", "%") == rules.percent_text(board.total.execution_rate)


@pytest.mark.django_db
def test_an_unfinished_milestone_past_its_month_needs_a_reason_to_submit(report):
    progress = report.milestone_progress.get(milestone_id=71)
    Milestone.objects.filter(pk=71).update(end=datetime.date(2017, 2, 1))
    progress.status, progress.delay_reason = "in_progress", ""
    progress.save()
    key = f"milestone_progress-{progress.pk}-delay_reason"
    assert key in services.submit_problems(report)  # the dashboard counts it late at the end of Q1
    progress.status, progress.actual_end = "done", datetime.date(2017, 2, 20)
    progress.save()
    assert key not in services.submit_problems(report)


@pytest.mark.django_db
def test_a_score_of_zero_reads_zero_on_the_evaluation_page(client, plan, report, officer, reviewer):
    _submit_and_approve(
        report,
        officer,
        reviewer,
        indicator_results={"actual": 0, "comment": "미달성"},
        budget_executions={"spent_to_date": 0},
    )
    annual.evaluation_run(plan=plan, user=reviewer)
    score = TaskScore.objects.get(task=report.task)
    assert score.computed_total == 0 and score.grade == "D"
    client.force_login(reviewer)
    html = client.get("/evaluation/").content.decode()
    row = re.search(rf"<td>{re.escape(report.task.title)}</td>.*?</tr>", html, re.S).group()
    assert '<td class="num">0.00</td>' in row and "<td>D</td>" in row


@pytest.mark.django_db
def test_the_criteria_page_prints_the_rules_own_numbers(client):
    html = client.get("/criteria/").content.decode()
    assert f"최대 {rules.ACHIEVEMENT_CAP}배" in html and "1분기 25%, 2분기 50%, 3분기 75%, 4분기 100%" in html
    assert "기한 경과" in html and "점수 없음" in html and "reports/evaluation/scoring.py" in html


@pytest.mark.django_db
def test_the_score_page_names_components_and_milestone_states_in_korean(client, plan, report, officer, reviewer):
    _submit_and_approve(report, officer, reviewer)
    annual.evaluation_run(plan=plan, user=reviewer)
    client.force_login(reviewer)
    html = client.get(f"/evaluation/scores/{TaskScore.objects.get(task=report.task).pk}/").content.decode()
    assert "성과지표 40%" in html and "보고 적시성" in html and "진행중" in html
    assert "indicator 40%" not in html and "<td>in_progress</td>" not in html
