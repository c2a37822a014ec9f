"""Sample quarterly progress for the demo (예시 자료), written through the real services.

Deterministic (a seeded generator per task), marked ``is_sample`` on every report, and made only
for the demo: Q1 and Q2 are approved and closed, Q3 is open with a mix of submitted, returned,
draft and missing reports so that the inbox and the dashboards have something to show.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from budgets import rules as budget_rules
from initiatives.models import Plan
from reports.models import MilestoneProgress, ProgressReport, ReportingPeriod
from reports.progress import rules, services
from reports.progress.rules import month_end, quarter_end

NARRATIVE = {
    "achievements": "[예시 자료] {q}분기 계획된 세부 사업을 추진함 ({title}).",
    "problems": "[예시 자료] 협업기관 일정 조율 필요.",
    "next_steps": "[예시 자료] {next}분기 후속 사업 추진 및 실적 점검.",
}


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _values(report: ProgressReport, quarter: int, rng: random.Random) -> dict:
    year = report.period.plan.year
    pace = rules.expected_fraction(quarter)
    data = {
        key: text.format(q=quarter, next=min(quarter + 1, 4), title=report.task.title[:30])
        for key, text in NARRATIVE.items()
    }
    own = ProgressReport.SelfAssessment
    data["self_assessment"] = rng.choice([own.ON_TRACK, own.ON_TRACK, own.AT_RISK])
    data["indicator_results"] = {}
    for result in report.indicator_results.select_related("indicator"):
        factor = Decimal(rng.randint(60, 120)) / 100
        actual = (result.indicator.target * pace * factor).quantize(Decimal(1))
        data["indicator_results"][result.pk] = {"actual": actual, "comment": "[예시] 연말 목표 대비 진행 중"}
    data["milestone_progress"] = {}
    end_of_quarter = quarter_end(year, quarter)
    for progress in report.milestone_progress.select_related("milestone"):
        milestone = progress.milestone
        values = {
            "status": MilestoneProgress.Status.PLANNED,
            "actual_start": None,
            "actual_end": None,
            "delay_reason": "",
        }
        if milestone.start.year == year and milestone.start <= end_of_quarter:
            values.update(status=MilestoneProgress.Status.IN_PROGRESS, actual_start=milestone.start)
        if milestone.end and month_end(milestone.end) <= end_of_quarter and milestone.end.year == year:
            if rng.random() < 0.8:
                values.update(status=MilestoneProgress.Status.DONE, actual_end=month_end(milestone.end))
            else:
                values.update(status=MilestoneProgress.Status.LATE, delay_reason="[예시] 협업기관 일정 지연")
        data["milestone_progress"][progress.pk] = values
    data["budget_executions"] = {}
    for execution in report.budget_executions.select_related("budget_line").prefetch_related(
        "budget_line__amounts__column"
    ):
        available = budget_rules.available_budget(amounts=list(execution.budget_line.amounts.all()), year=year).amount
        spent = int((Decimal(available or 0) * pace * Decimal(rng.randint(50, 115)) / 100).quantize(Decimal(1)))
        explanation = "[예시] 집행 일정 앞당김" if available is not None and spent > available else ""
        data["budget_executions"][execution.pk] = {"spent_to_date": spent, "explanation": explanation}
    return data


def _report(task, period, officer, rng, *, submit_on: datetime.date | None):
    report = services.report_start(task=task, period=period, user=officer, now=_at(period.opens_on))
    report.is_sample = True
    report.save(update_fields=["is_sample"])
    data = _values(report, period.quarter, rng)
    if submit_on is None:
        services.report_save(report=report, user=officer, version=report.version, data=data, now=_at(period.opens_on))
    else:
        services.report_submit(report=report, user=officer, version=report.version, data=data, now=_at(submit_on))
    return report


@transaction.atomic
def sample_progress_load(*, plan: Plan, officers: dict, reviewer) -> int:
    """Create sample reports for Q1–Q3 (only where the plan has no report yet). Returns how many."""
    if ProgressReport.objects.filter(period__plan=plan).exists():
        return 0
    periods = services.periods_ensure(plan=plan)
    created = 0
    for period in periods[:3]:
        ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.OPEN)
        period.refresh_from_db()
        for task in plan.tasks.select_related("department").order_by("number"):
            rng = random.Random(task.number * 10 + period.quarter)
            officer = officers[task.department_id]
            late = rng.random() < 0.25
            submit_on = period.due_on + datetime.timedelta(days=rng.randint(3, 12) if late else -rng.randint(1, 8))
            if period.quarter == 3:
                created += _q3_report(task, period, officer, reviewer, rng, submit_on)
                continue
            report = _report(task, period, officer, rng, submit_on=submit_on)
            services.report_approve(
                report=report, user=reviewer, version=report.version, now=_at(submit_on + datetime.timedelta(days=2))
            )
            created += 1
        if period.quarter < 3:
            ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    return created


def _q3_report(task, period, officer, reviewer, rng, submit_on) -> int:
    """Q3 stays open: a mix of submitted, returned, draft and missing reports."""
    kind = task.number % 4
    if kind == 0:
        return 0
    report = _report(task, period, officer, rng, submit_on=None if kind == 3 else submit_on)
    if kind == 2:
        services.report_return(
            report=report,
            user=reviewer,
            version=report.version,
            comment="[예시] 집행률 근거 자료를 보완해 주세요.",
            now=_at(submit_on + datetime.timedelta(days=1)),
        )
    return 1
