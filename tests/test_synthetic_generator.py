"""The synthetic plan generator: deterministic, shaped like the real plan, every workflow state present."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bench.synthetic import Spec, synthetic_generate
from initiatives.models import Department, Plan
from initiatives.rules import covers_year
from reports.models import ProgressReport, ReportEvent


def export_hash(year: int) -> str:
    out = StringIO()
    call_command("export_plan", year=year, stdout=out)
    return hashlib.sha256(out.getvalue().encode()).hexdigest()


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_synthetic", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_same_seed_gives_the_same_export_plan_output():
    generate(tasks=30, years=2, seed=7)
    first = [export_hash(2015), export_hash(2016)]
    generate(tasks=30, years=2, seed=7, replace=True)
    assert [export_hash(2015), export_hash(2016)] == first


@pytest.mark.django_db
def test_another_seed_gives_another_plan():
    generate(tasks=30, years=1, seed=7)
    first = export_hash(2016)
    generate(tasks=30, years=1, seed=8, replace=True)
    assert export_hash(2016) != first


@pytest.mark.django_db
def test_the_real_plan_is_untouched(plan):
    before = export_hash(2017)
    generate(tasks=20, years=2, seed=3)
    assert export_hash(2017) == before
    assert Plan.objects.filter(year=2017).get().document_number == plan.document_number


@pytest.mark.django_db
def test_a_taken_year_is_refused():
    with pytest.raises(CommandError, match="이미 있는 연도"):
        generate(tasks=5, years=1, last_year=2017)


@pytest.mark.django_db
def test_a_plan_is_shaped_like_the_real_one():
    synthetic_generate(Spec(tasks=40, years=1, seed=5))
    plan = Plan.objects.get(year=2016)
    assert plan.strategic_areas.count() == 5
    assert sum(a.programmes.count() for a in plan.strategic_areas.all()) == 13
    tasks = list(plan.tasks.select_related("budget_table").prefetch_related("milestones", "indicators"))
    assert len(tasks) == 40
    assert Department.objects.filter(tasks__plan=plan).distinct().count() == 5  # about 8 tasks each
    for task in tasks:
        assert 2 <= task.milestones.count() <= 6
        assert 0 <= task.indicators.count() <= 4
        table = task.budget_table
        if not table.non_budget:
            assert table.columns.count() == 5
            assert 1 <= table.lines.count() <= 3
    assert plan.periods.count() == 4


@pytest.mark.django_db
def test_reports_are_in_every_state_with_their_rows_and_history():
    counts = synthetic_generate(Spec(tasks=40, years=1, seed=5))
    assert set(counts.by_status) == {"draft", "submitted", "returned", "approved", "missing"}
    reports = ProgressReport.objects.filter(period__plan__year=2016).select_related("task__budget_table", "period")
    assert reports.count() == counts.reports == 160 - counts.by_status["missing"]
    for report in reports.prefetch_related("events", "indicator_results", "milestone_progress", "budget_executions"):
        actions = [e.action for e in report.events.all()]
        assert actions[0] == ReportEvent.Action.CREATE and report.version == len(actions)
        assert (report.status == "approved") == (ReportEvent.Action.APPROVE in actions)
        assert (report.first_submitted_at is None) == (report.status == "draft")
        year = report.period.plan.year
        assert report.indicator_results.count() == report.task.indicators.filter(year=year).count()
        in_year = [m for m in report.task.milestones.all() if covers_year(start=m.start, end=m.end, year=year)]
        assert report.milestone_progress.count() == len(in_year)
        lines = 0 if report.task.budget_table.non_budget else report.task.budget_table.lines.count()
        assert report.budget_executions.count() == lines
