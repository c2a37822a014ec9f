"""Stored assessments: equal to judging afresh, out of date after every kind of change, expired at midnight."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from bench.synthetic import Spec, synthetic_generate
from budgets import rules as budget_rules
from budgets.models import BudgetAmount
from initiatives.models import Plan
from reports.evaluation import annual, assessments, scoring
from reports.models import ProgressReport, ReportingPeriod, TaskAssessment, TaskRevision, TaskStatus
from reports.progress import services
from tests.conftest import complete_data

FIELDS = ("task_id", "status", "explanation", *scoring.COMPONENTS, "total", "available", "spent", "execution_rate")


def selection(plan) -> assessments.Stored:
    return assessments.stored_judging_missing(plan=plan, tasks=plan.tasks.all(), weights=annual.weights_current())


def stored(plan, quarter: int) -> dict[int, tuple]:
    rows = selection(plan).quarter(quarter).values_list(*FIELDS, "report_quarter", "is_sample")
    return {pk: (*figures, report_quarter == quarter, sample) for pk, *figures, report_quarter, sample in rows}


def stored_all(plan) -> dict[tuple[int, int], tuple]:
    """Every quarter's rows: (task pk, quarter) → figures."""
    return {(pk, q): row for q in range(1, 5) for pk, row in stored(plan, q).items()}


def fresh_all(plan) -> dict[tuple[int, int], tuple]:
    return {(pk, q): row for q in range(1, 5) for pk, row in fresh(plan, q).items()}


def fresh(plan, quarter: int) -> dict[int, tuple]:
    weights = annual.weights_current().as_dict()
    views = annual.plan_data(plan=plan).facts(quarter).tasks
    return {
        v.task.pk: (
            v.assessment.status or "",
            v.assessment.explanation,
            *(v.assessment.components[c] for c in scoring.COMPONENTS),
            scoring.task_total(v.assessment, weights),
            v.available,
            v.spent,
            v.execution_rate,
            v.report is not None and v.report.period.quarter == quarter,
            bool(v.report and v.report.is_sample),
        )
        for v in views
    }


@pytest.mark.django_db
@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_stored_rows_equal_judging_afresh_on_a_generated_plan(quarter):
    synthetic_generate(Spec(tasks=30, years=1, seed=21))
    plan = Plan.objects.get(year=2016)
    first = stored(plan, quarter)
    assert TaskAssessment.objects.filter(period__plan=plan).count() == 30 * 4
    assert first == fresh(plan, quarter)
    assert stored(plan, quarter) == first  # read back from the rows, not recomputed
    assert len({status for status, *_ in first.values()}) >= 2
    assert any(row[6] is not None for row in first.values())  # some tasks have a total


@pytest.mark.django_db
@pytest.mark.parametrize("status", [None, TaskStatus.DELAYED, TaskStatus.UNDETERMINED])
def test_quarter_totals_give_the_trend_of_judging_afresh(status):
    synthetic_generate(Spec(tasks=30, years=1, seed=21))
    plan = Plan.objects.get(year=2016)
    chosen = selection(plan)
    totals = chosen.quarter_totals(1, status)
    shown = set(chosen.quarter(1, status).values_list("task_id", flat=True))
    assert shown and (status is not None or len(shown) == 30)
    for quarter in range(1, 5):
        afresh = [v for v in annual.plan_data(plan=plan).facts(quarter).tasks if v.task.pk in shown]
        mean, _ = scoring.rollup([(v.assessment.components["indicator"], Decimal(1)) for v in afresh])
        sums = totals[quarter]
        assert scoring.mean_from_sums(sums.indicator_sum, sums.indicator_count) == mean
        rate = scoring.execution_rate([b for v in afresh for b in v.facts.budgets])
        assert budget_rules.execution_rate(spent=sums.rate_spent, available=sums.rate_available) == rate
        assert sums.rows == len(shown)
        own = ProgressReport.objects.filter(task__in=shown, period__quarter=quarter, period__plan=plan)
        expected = Counter(own.values_list("status", flat=True))
        expected[""] = len(shown) - own.count()
        assert +sums.reports == +expected  # the completeness chart's counts


@pytest.mark.django_db
def test_a_current_row_is_read_not_recomputed(plan, monkeypatch):
    stored(plan, 1)
    calls = []
    monkeypatch.setattr(assessments, "assessments_ensure", lambda **kw: calls.append(kw))
    stored(plan, 1)
    assert calls == []


@pytest.fixture
def approved(report, officer, reviewer):
    data = complete_data(report)
    (execution,) = report.budget_executions.all()
    data["budget_executions"][execution.pk]["spent_to_date"] = 20000
    services.report_submit(report=report, user=officer, version=report.version, data=data)
    services.report_approve(report=report, user=reviewer, version=report.version)
    return report


def _reopen(report, reviewer):
    report.refresh_from_db()
    services.report_reopen(report=report, user=reviewer, version=report.version, reason="근거 보완")


def _target(report, reviewer):
    indicator = report.task.indicators.filter(year=2017).first()
    services.indicator_change_target(
        indicator=indicator,
        new_target=indicator.target * 4,
        reason="상향",
        user=reviewer,
        now=datetime.datetime(2016, 12, 1, tzinfo=datetime.UTC),  # in force when the year's quarters opened
    )


def _amount(report, reviewer):
    amount = BudgetAmount.objects.filter(line__table__task=report.task, column__to_year__gte=2017).first()
    amount.amount += 100000
    amount.save()


def _due_date(report, reviewer):
    period = ReportingPeriod.objects.get(pk=report.period_id)
    period.due_on = datetime.date(2017, 3, 15)  # due before Q1 ended: Q1 now judges its (late) submission
    period.save()


def _milestone(report, reviewer):
    milestone = report.task.milestones.filter(start__year=2017).first()
    milestone.end = datetime.date(2017, 1, 1)  # due in January, reported unfinished: late
    milestone.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, whole_plan", [(_reopen, False), (_target, False), (_amount, False), (_due_date, True), (_milestone, False)]
)
def test_every_kind_of_change_makes_the_next_read_recompute(plan, approved, reviewer, change, whole_plan):
    before = stored_all(plan)
    revision = TaskRevision.objects.get(task=approved.task_id).revision
    change(approved, reviewer)
    assert TaskRevision.objects.get(task=approved.task_id).revision > revision
    after = stored_all(plan)
    assert after == fresh_all(plan)
    mine = {key for key in after if key[0] == approved.task_id}
    assert any(after[key] != before[key] for key in mine)
    if not whole_plan:  # a quarter's dates concern every task; anything else only the task changed
        assert {k: after[k] for k in after.keys() - mine} == {k: before[k] for k in before.keys() - mine}


@pytest.mark.django_db
def test_a_row_computed_before_a_change_is_not_trusted(plan, approved):
    stored(plan, 1)
    row = TaskAssessment.objects.get(task=approved.task, period=approved.period)
    services.tasks_changed([approved.task_id])  # as a writer does, after a reader loaded its data
    stored(plan, 1)
    again = TaskAssessment.objects.get(task=approved.task, period=approved.period)
    assert again.revision == row.revision + 1


@pytest.mark.django_db
def test_a_quarter_not_yet_over_is_judged_again_the_next_day(plan, approved, monkeypatch):
    today = [datetime.date(2017, 5, 15)]
    monkeypatch.setattr(assessments.timezone, "localdate", lambda: today[0])
    monkeypatch.setattr(annual.timezone, "localdate", lambda: today[0])
    stored(plan, 2)
    q1 = TaskAssessment.objects.get(task=approved.task, period__quarter=1)
    q2 = TaskAssessment.objects.get(task=approved.task, period__quarter=2)
    assert (q1.as_of, q1.valid_until) == (datetime.date(2017, 3, 31), None)
    assert (q2.as_of, q2.valid_until) == (datetime.date(2017, 5, 15), datetime.date(2017, 5, 15))
    today[0] = datetime.date(2017, 5, 16)
    stored(plan, 2)
    q2.refresh_from_db()
    assert q2.as_of == datetime.date(2017, 5, 16)


@pytest.mark.django_db
def test_the_nightly_command_recomputes_only_what_is_out_of_date(plan, approved, capsys):
    call_command("refresh_assessments")
    assert "16개 과제" in capsys.readouterr().out
    assert TaskAssessment.objects.filter(period__plan=plan).count() == 16 * 4
    services.tasks_changed([approved.task_id])
    call_command("refresh_assessments", "--year", "2017")
    assert "2017년: 1개 과제" in capsys.readouterr().out
    call_command("refresh_assessments", "--all")
    assert "16개 과제" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_dashboard_shows_a_change_at_once(client, plan, approved, reviewer):
    client.force_login(reviewer)
    assert "정상: 모든 기준 충족" in client.get("/dashboard/?quarter=1").content.decode()
    _reopen(approved, reviewer)
    html = client.get("/dashboard/?quarter=1").content.decode()
    assert "정상: 모든 기준 충족" not in html  # task 15 was the only task judged 정상


def python_rollup(views, weights, key) -> dict:
    """The roll-up rule applied task by task in Python (``scoring.rollup``), per group ``key(task)``."""
    groups: dict = {}
    for v in views:
        groups.setdefault(key(v.task), []).append(v)
    as_dict, result = weights.as_dict(), {}
    for k, items in groups.items():
        weight = (lambda v: Decimal(v.available or 0)) if weights.rollup_by_budget else (lambda v: Decimal(1))
        score, left_out = scoring.rollup([(scoring.task_total(v.assessment, as_dict), weight(v)) for v in items])
        statuses = Counter(v.assessment.status for v in items)
        result[k] = (
            len(items),
            score,
            left_out,
            statuses[TaskStatus.UNDETERMINED],
            sum(v.available or 0 for v in items),
        )
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("by_budget", [False, True])
@pytest.mark.parametrize("quarter", [1, 3])
def test_grouped_sums_give_the_roll_up_rule_task_by_task(by_budget, quarter):
    from reports.evaluation.dashboards import plan_rollups

    synthetic_generate(Spec(tasks=40, years=1, seed=5))
    plan = Plan.objects.get(year=2016)
    weights = annual.weights_current()
    weights.rollup_by_budget = by_budget
    weights.save()
    rollups = plan_rollups(selection(plan), quarter=quarter)
    views = annual.plan_data(plan=plan).facts(quarter).tasks
    by_area = python_rollup(views, weights, lambda t: t.programme.strategic_area.number)
    by_programme = python_rollup(views, weights, lambda t: (t.programme.strategic_area.number, t.programme.number))
    assert {a.key: (a.task_count, a.score, a.left_out, a.undetermined, a.available) for a in rollups.areas} == by_area
    got = {p.key: (p.task_count, p.score, p.left_out, p.undetermined, p.available) for p in rollups.programmes}
    assert got == by_programme
    assert (rollups.total.task_count, rollups.total.score) == python_rollup(views, weights, lambda t: 0)[0][:2]
    assert any(a.score is not None for a in rollups.areas)


@pytest.mark.django_db
def test_new_weights_re_total_the_rows_without_judging_again(plan, approved, reviewer, monkeypatch):
    before = stored(plan, 4)[approved.task_id]  # by Q4 the components differ, so the weights matter
    annual.weights_change(
        user=reviewer, values={"indicator": 10, "milestone": 10, "budget": 70, "timeliness": 10}, note="예산 중시"
    )
    monkeypatch.setattr(assessments, "assessments_ensure", lambda **kw: pytest.fail("judged again"))
    after = stored(plan, 4)[approved.task_id]
    assert after[6] != before[6]  # the total
    assert after == fresh(plan, 4)[approved.task_id]
    assert not TaskAssessment.objects.exclude(weights_version=annual.weights_current().version).exists()
