"""One figure, one answer: for generated report data, every surface shows what the one rule computes.

Hypothesis generates an indicator (higher or lower is better, cumulative or periodic, target 0 or not, a
target changed mid-year), quarters reported or skipped with values including 0, spending with overspend,
and a milestone done on time, done late, reported 지연 or unfinished. The reports go through the real
services, then the same figures are read back from the report page, the form's live figures, the dashboard,
the annual evaluation and its page, the evaluation workbook, the offline template's formula (evaluated by the
``formulas`` spreadsheet engine) and the open results page.
"""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import formulas
import openpyxl
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from budgets import rules as budget_rules
from initiatives.models import Indicator, IndicatorTargetChange, Milestone, Plan
from reports.evaluation import annual
from reports.models import ProgressReport, ReportingPeriod, TaskAssessment, TaskScore
from reports.progress import rules, selectors, services
from reports.progress.permissions import OFFICER, REVIEWER
from reports.spreadsheets.offline import template_workbook
from reports.spreadsheets.workbook import WorkbookFilter, evaluation_workbook
from tests.conftest import make_user

AVAILABLE = 72050  # task 15's 총괄 예산 in the '17년 column
values = st.one_of(st.just(Decimal(0)), st.integers(min_value=1, max_value=600).map(Decimal))
cases = st.fixed_dictionaries(
    {
        "higher_is_better": st.booleans(),
        "cumulative": st.booleans(),
        "target": st.one_of(st.just(Decimal(0)), st.integers(min_value=1, max_value=500).map(Decimal)),
        "new_target": st.one_of(st.none(), st.integers(min_value=0, max_value=500).map(Decimal)),
        "reported": st.lists(st.booleans(), min_size=3, max_size=3),  # quarters before the last: reported or not
        "last": st.integers(min_value=1, max_value=4),
        "values": st.lists(values, min_size=4, max_size=4),
        "spent": st.integers(min_value=0, max_value=2 * AVAILABLE),
        "milestone_month": st.integers(min_value=1, max_value=12),
        "milestone_status": st.sampled_from(["done", "late", "in_progress", "planned"]),
        "finished_day": st.integers(min_value=0, max_value=120),
    }
)
EDGE = {
    "reported": [True, True, True],
    "new_target": None,
    "spent": 1000,
    "milestone_month": 2,
    "milestone_status": "in_progress",
    "finished_day": 0,
}


def _cells(html: str, first: str, skip: int) -> list[str]:
    """In each table row whose first cell is ``first``, the text of the number cell after ``skip`` others."""
    number = r'\s*<td class="num">([^<]*?)\s*(?:<span[^>]*>[^<]*</span>)?</td>'
    pattern = rf"<td>{re.escape(first)}</td>(?:\s*<td[^>]*>[^<]*</td>){{{skip}}}{number}"
    return re.findall(pattern, html)


class FiguresAgree(TestCase):
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=cases)
    # lower is better and nothing happened: the form said "–", the dashboard 지연
    @example(
        case={
            **EDGE,
            "higher_is_better": False,
            "cumulative": True,
            "target": Decimal(5),
            "last": 2,
            "values": [Decimal(3), Decimal(0), Decimal(0), Decimal(0)],
        }
    )
    # periodic indicator with the target changed mid-year: the workbook divided one quarter by today's target
    @example(
        case={
            **EDGE,
            "higher_is_better": True,
            "cumulative": False,
            "target": Decimal(100),
            "last": 3,
            "new_target": Decimal(400),
            "values": [Decimal(30), Decimal(40), Decimal(50), Decimal(0)],
            "spent": 90000,
            "milestone_status": "done",
            "finished_day": 45,
        }
    )
    def test_every_surface_shows_the_rule_s_figure(self, case):
        plan = Plan.objects.get(year=2017)
        task = plan.tasks.get(number=15)
        officer = make_user(f"officer-{self._testMethodName}", OFFICER, ("자치행정과",))
        reviewer = make_user(f"reviewer-{self._testMethodName}", REVIEWER)
        indicator = self._indicator(task, case, reviewer)
        milestone = self._milestone(task, case)
        services.periods_ensure(plan=plan)
        ReportingPeriod.objects.filter(plan=plan).update(state=ReportingPeriod.State.OPEN)
        periods = services.periods_ensure(plan=plan)
        last = case["last"]
        quarters = [q for q in range(1, last) if case["reported"][q - 1]] + [last]
        for quarter in quarters:
            self._report(task, periods[quarter - 1], officer, reviewer, case, quarter)
        report = ProgressReport.objects.get(task=task, period__quarter=last)

        # the rule, applied to what was reported: every surface must show this
        counted = [case["values"][q - 1] for q in quarters]
        target = selectors.target_in_force(indicator=indicator, at=selectors.period_start(report.period))
        actual = rules.actual_to_date(cumulative=case["cumulative"], values=counted)
        rate = rules.achievement_rate(actual=actual, target=target, higher_is_better=case["higher_is_better"])
        rate_text = rules.percent_text(rate)
        spent_rate = budget_rules.execution_rate(spent=case["spent"], available=AVAILABLE)
        as_of = rules.judged_on(year=2017, quarter=last, today=timezone.localdate())
        days_late = rules.milestone_days_late(
            planned_end=milestone.end, status=case["milestone_status"], actual_end=self._finished(case), as_of=as_of
        )

        staff = Client()
        staff.force_login(reviewer)
        page = staff.get(f"/reports/{report.pk}/").content.decode()
        assert _cells(page, f"{indicator.name} ({indicator.unit})", 2) == [rate_text], "report page"
        assert _cells(page, "총괄 예산", 3) == [rules.percent_text(spent_rate)], "report page 집행률"

        line = f"line-{task.budget_table.lines.get().pk}"
        typed = {f"indicator-{indicator.pk}": str(case["values"][last - 1]), line: f"{case['spent']:,}"}
        live = staff.get(f"/reports/{report.pk}/figures/", typed).json()
        assert live[f"indicator-{indicator.pk}"]["rate"] == rate_text, "live figure"
        assert live[line]["rate"] == rules.percent_text(spent_rate), "live 집행률"

        dashboard = staff.get(f"/dashboard/?quarter={last}").content.decode()
        stored = TaskAssessment.objects.get(task=task, period__quarter=last)
        expected_component = None if rate is None else min(rate / rules.expected_fraction(last), rules.ACHIEVEMENT_CAP)
        assert stored.indicator == (None if rate is None else expected_component.quantize(Decimal("0.0001")))
        assert stored.execution_rate == spent_rate and f">{rules.percent_text(spent_rate)}</td>" in dashboard
        mentioned = re.findall(rf"지표 '{re.escape(indicator.name)}' 달성률 ([^,]+),", stored.explanation)
        assert mentioned in ([], [rate_text]), "dashboard explanation"
        assert ("예산현액 초과 집행" in stored.explanation) == (case["spent"] > AVAILABLE)
        late = re.findall(r"일정 '[^']*' (\d+)일 지연", stored.explanation)
        assert late == ([str(days_late)] if days_late else []), "dashboard lateness"

        annual.evaluation_run(plan=plan, user=reviewer)
        score = TaskScore.objects.get(task=task)
        [trail] = [i for i in score.provenance["indicators"] if i["name"] == indicator.name]
        assert trail["rate"] == (None if rate is None else str(rate)), "evaluation provenance"
        evaluation_page = staff.get("/evaluation/").content.decode()
        total_text = "–" if score.computed_total is None else str(score.computed_total)
        assert _cells(evaluation_page, task.title, 5) == [total_text], "evaluation page score"

        book = self._workbook(plan, last)
        assert self._cell(book["성과지표"], {"연번": 15, "분기": last, "지표": indicator.name}, "달성률") == (
            None if rate is None else float(rate)
        ), "workbook 달성률"
        milestone_days = self._cell(book["추진일정"], {"연번": 15, "분기": last, "내용": milestone.title}, "지연 일수")
        assert milestone_days == days_late, "workbook lateness"
        book_total = self._cell(book["평가 결과"], {"연번": 15}, "산출 점수")
        assert book_total == (None if score.computed_total is None else float(score.computed_total)), "workbook score"

        assert self._template_rate(officer, report.period, indicator, case["values"][last - 1]) == (
            None if rate is None else float(rate)
        ), "offline template formula"

        results = Client().get("/results/").content.decode()
        assert _cells(results, indicator.name, 2) == [rate_text], "open results"

    # ------------------------------------------------------------ the generated plan data

    def _indicator(self, task, case, reviewer) -> Indicator:
        chosen = task.indicators.filter(year=2017).order_by("order").first()
        task.indicators.exclude(pk=chosen.pk).update(year=2016)  # one indicator in the 2017 reports
        indicator = Indicator.objects.get(pk=chosen.pk)
        indicator.higher_is_better, indicator.cumulative = case["higher_is_better"], case["cumulative"]
        indicator.target = case["new_target"] if case["new_target"] is not None else case["target"]
        indicator.save()
        if case["new_target"] is not None:  # changed in May: Q1 and Q2 were judged against the old target
            changed_at = timezone.make_aware(datetime.datetime(2017, 5, 15))
            IndicatorTargetChange.objects.create(
                indicator=indicator,
                old_target=case["target"],
                new_target=case["new_target"],
                reason="조정",
                changed_by=reviewer,
                changed_at=changed_at,
            )
        return Indicator.objects.prefetch_related("target_changes").get(pk=chosen.pk)

    def _milestone(self, task, case) -> Milestone:
        milestone = task.milestones.filter(start__year=2017).order_by("order").first()
        task.milestones.exclude(pk=milestone.pk).update(end=datetime.date(2017, 12, 1))
        milestone.end = datetime.date(2017, case["milestone_month"], 1)
        milestone.save()
        return milestone

    def _finished(self, case) -> datetime.date | None:
        if case["milestone_status"] != "done":
            return None
        return rules.month_end(datetime.date(2017, case["milestone_month"], 1)) + datetime.timedelta(
            days=case["finished_day"] - 30
        )

    def _report(self, task, period, officer, reviewer, case, quarter) -> None:
        report = services.report_start(task=task, period=period, user=officer)
        milestone = task.milestones.filter(start__year=2017).order_by("order").first()
        value = case["values"][quarter - 1]
        data = {
            "achievements": "실적",
            "problems": "없음",
            "next_steps": "계속",
            "self_assessment": "on_track",
            "indicator_results": {r.pk: {"actual": value, "comment": "사유"} for r in report.indicator_results.all()},
            "milestone_progress": {
                m.pk: {
                    "status": case["milestone_status"] if m.milestone_id == milestone.pk else "in_progress",
                    "actual_start": None,
                    "actual_end": self._finished(case) if m.milestone_id == milestone.pk else None,
                    "delay_reason": "사유",
                }
                for m in report.milestone_progress.all()
            },
            "budget_executions": {
                b.pk: {"spent_to_date": case["spent"], "explanation": "사유"} for b in report.budget_executions.all()
            },
        }
        report = services.report_submit(report=report, user=officer, version=report.version, data=data)
        services.report_approve(report=report, user=reviewer, version=report.version)

    # ------------------------------------------------------------ reading the files back

    def _workbook(self, plan, quarter):
        handle = BytesIO()
        evaluation_workbook(handle, WorkbookFilter(plan=plan, quarter=quarter))
        return openpyxl.load_workbook(BytesIO(handle.getvalue()))

    def _cell(self, sheet, match: dict, column: str):
        rows = list(sheet.iter_rows(values_only=True))
        header_at = next(i for i, row in enumerate(rows) if column in row)
        header = rows[header_at]
        found = [
            row[header.index(column)]
            for row in rows[header_at + 1 :]
            if all(row[header.index(k)] == v for k, v in match.items())
        ]
        assert len(found) == 1, f"{sheet.title}: {match} → {found}"
        return found[0]

    def _template_rate(self, officer, period, indicator, typed) -> float | None:
        """The template's 달성률 cell for ``typed``, computed by a spreadsheet engine from the template's formula."""
        handle = BytesIO()
        template_workbook(handle, user=officer, period=period)
        sheet = openpyxl.load_workbook(BytesIO(handle.getvalue()))["성과지표"]
        [row] = [r for r in sheet.iter_rows(min_row=2) if r[1].value == indicator.pk]
        target, formula = row[6], row[8]
        book = openpyxl.Workbook()
        copy = book.active
        copy.title = "성과지표"
        copy[target.coordinate] = target.value
        copy[row[7].coordinate] = float(typed)
        copy[formula.coordinate] = formula.value
        path = self._tmp("template.xlsx")
        book.save(path)
        solved = formulas.ExcelModel().loads(str(path)).finish().calculate()
        [value] = [v.value[0][0] for k, v in solved.items() if k.endswith(f"!{formula.coordinate}")]
        return None if value == "" else round(float(value), 4)

    def _tmp(self, name):
        import tempfile
        from pathlib import Path

        return Path(tempfile.mkdtemp()) / name
