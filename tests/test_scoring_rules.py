"""Roll-up and scoring rules on hand-computed cases, edge cases included."""

import datetime
from decimal import Decimal as D

from reports.evaluation import scoring
from reports.evaluation.scoring import BudgetFact, IndicatorFact, MilestoneFact, SubmissionFact, TaskFacts
from reports.models import TaskStatus


def test_indicator_component_is_capped_paced_and_leaves_out_missing():
    facts = [IndicatorFact("a", D(100), D(300)), IndicatorFact("b", D(100), D(60)), IndicatorFact("c", None, D(5))]
    # Q4: a → capped 1.2, b → 0.6, c left out: (1.2 + 0.6) / 2
    assert scoring.indicator_component(facts, 4) == D("0.9")
    # Q2: expected half the target; b's 60 is a pace of 1.2 → capped
    assert scoring.indicator_component([facts[1]], 2) == D("1.2")
    assert scoring.indicator_component([facts[2]], 4) is None


def test_milestones_on_time_over_due_and_days_late():
    as_of = datetime.date(2017, 6, 30)
    facts = [
        MilestoneFact("M1", datetime.date(2017, 3, 1), "done", datetime.date(2017, 3, 20)),  # on time
        MilestoneFact("M2", datetime.date(2017, 4, 1), "done", datetime.date(2017, 6, 3)),  # 34 days after 30 April
        MilestoneFact("M3", datetime.date(2017, 5, 1), "in_progress"),  # unfinished, 30 days past May
        MilestoneFact("M4", datetime.date(2017, 9, 1), "in_progress"),  # not due yet
        MilestoneFact("M5", datetime.date(2017, 2, 1), "cancelled"),  # cancelled: not counted
    ]
    assert scoring.milestone_component(facts, as_of) == (D("0.3333"), 1, 3)
    assert scoring.milestone_days_late(facts[1], as_of) == 34
    assert scoring.milestone_days_late(facts[2], as_of) == 30
    assert scoring.milestone_component([facts[3]], as_of) == (None, 0, 0)


def test_budget_component_paced_capped_and_non_budget():
    lines = [BudgetFact("x", 1000, 250), BudgetFact("y", 1000, 250)]
    assert scoring.execution_rate(lines) == D("0.25")
    assert scoring.budget_component(lines, 2, non_budget=False) == D("0.5")  # 25% against 50% expected
    # overspend: 130% earns no more than full marks
    assert scoring.budget_component([BudgetFact("x", 100, 130)], 4, non_budget=False) == 1
    assert scoring.budget_component([], 4, non_budget=True) is None
    assert scoring.budget_component([BudgetFact("x", 100, None)], 4, non_budget=False) is None


def test_timeliness_counts_missing_as_late():
    facts = [
        SubmissionFact(1, datetime.date(2017, 4, 10), datetime.date(2017, 4, 9)),
        SubmissionFact(2, datetime.date(2017, 7, 10), datetime.date(2017, 7, 12)),
        SubmissionFact(3, datetime.date(2017, 10, 10), None),
        SubmissionFact(4, datetime.date(2018, 1, 10), None),  # not yet due
    ]
    assert scoring.timeliness_component(facts, datetime.date(2017, 12, 31)) == (D("0.3333"), 1, 3)


def test_weighted_total_redistributes_missing_weights():
    weights = {"indicator": 40, "milestone": 30, "budget": 20, "timeliness": 10}
    components = {"indicator": D("0.9"), "milestone": D("0.5"), "budget": None, "timeliness": D(1)}
    # non-budget task: (0.9·40 + 0.5·30 + 1·10) / 80 · 100 = 76.25
    assert scoring.weighted_total(components, weights) == D("76.25")
    # an over-achieving indicator component counts at most 100% in the total
    assert scoring.weighted_total(
        {"indicator": D("1.2"), "milestone": None, "budget": None, "timeliness": None}, weights
    ) == D("100.00")
    assert scoring.weighted_total(dict.fromkeys(weights), weights) is None


def test_grades():
    assert [scoring.grade(D(v)) for v in (95, 80, 79.99, 60, 12)] == ["S", "A", "B", "C", "D"]
    assert scoring.grade(None) == ""


def test_rollup_leaves_out_tasks_without_value():
    assert scoring.rollup([(D(80), D(1)), (None, D(1)), (D(60), D(1))]) == (D("70.00"), 1)
    assert scoring.rollup([(D(80), D(3)), (D(40), D(1))]) == (D("70.00"), 0)  # budget-weighted
    assert scoring.rollup([(None, D(1))]) == (None, 1)


def test_status_is_explained_in_words():
    facts = TaskFacts(
        quarter=2,
        has_report=True,
        indicators=[IndicatorFact("찾동 시행 동", D(342), D(300))],
        budgets=[BudgetFact("총괄 예산", 1000, 310)],
        milestones=[MilestoneFact("M2", datetime.date(2017, 5, 1), "in_progress")],
    )
    result = scoring.assess(facts, as_of=datetime.date(2017, 7, 4))
    assert result.status == scoring.DELAYED
    assert result.explanation == "지연: 집행률 31%, 2분기 기대치 50%; 일정 'M2' 34일 지연"


def test_status_on_track_attention_and_undetermined():
    on_track = TaskFacts(quarter=4, has_report=True, indicators=[IndicatorFact("a", D(10), D(10))])
    assert scoring.assess(on_track, as_of=datetime.date(2017, 12, 31)).explanation == "정상: 모든 기준 충족"
    over = TaskFacts(quarter=4, has_report=True, budgets=[BudgetFact("x", 100, 120)])
    assert scoring.assess(over, as_of=datetime.date(2017, 12, 31)).status == scoring.ATTENTION
    nothing = TaskFacts(quarter=1)
    assert scoring.assess(nothing, as_of=datetime.date(2017, 3, 31)).status == TaskStatus.UNDETERMINED


def test_task_without_report_gets_no_score():
    weights = {"indicator": 40, "milestone": 30, "budget": 20, "timeliness": 10}
    facts = TaskFacts(quarter=4, submissions=[SubmissionFact(1, datetime.date(2017, 4, 10), None)])
    assessment = scoring.assess(facts, as_of=datetime.date(2018, 1, 31))
    assert assessment.components["timeliness"] == 0
    assert scoring.task_total(assessment, weights) is None


def test_an_overdue_report_is_a_reason_as_on_the_review_inbox():
    # judged on its Q2 report; the Q3 report is past due (10 Oct) with nothing submitted
    facts = TaskFacts(
        quarter=3,
        has_report=True,
        report_quarter=2,
        indicators=[IndicatorFact("a", D(10), D(10))],
        submissions=[SubmissionFact(3, datetime.date(2017, 10, 10), None, status=None)],
    )
    before = scoring.assess(facts, as_of=datetime.date(2017, 9, 30), today=datetime.date(2017, 10, 10))
    assert before.status == TaskStatus.ON_TRACK
    late = scoring.assess(facts, as_of=datetime.date(2017, 9, 30), today=datetime.date(2017, 10, 11))
    assert late.status == TaskStatus.ATTENTION
    assert late.explanation == "주의: 3분기 보고 기한(10월 10일) 경과: 미제출 (2분기 보고 기준)"
    returned = [SubmissionFact(3, datetime.date(2017, 10, 10), datetime.date(2017, 10, 2), status="returned")]
    not_opened = [SubmissionFact(3, datetime.date(2017, 10, 10), None, status=None, started=False)]
    facts.submissions = not_opened
    assert not scoring.assess(facts, as_of=datetime.date(2017, 9, 30), today=datetime.date(2017, 10, 11)).reasons
    facts.submissions = returned
    assert scoring.assess(facts, as_of=datetime.date(2017, 9, 30), today=datetime.date(2017, 10, 11)).reasons
    facts.submissions = [SubmissionFact(3, datetime.date(2017, 10, 10), datetime.date(2017, 10, 2), status="submitted")]
    assert not scoring.assess(facts, as_of=datetime.date(2017, 9, 30), today=datetime.date(2017, 10, 11)).reasons


def test_a_task_judged_on_an_earlier_report_says_so():
    facts = TaskFacts(quarter=3, has_report=True, report_quarter=2, indicators=[IndicatorFact("a", D(10), D(10))])
    assert (
        scoring.assess(facts, as_of=datetime.date(2017, 9, 30)).explanation == "정상: 모든 기준 충족 (2분기 보고 기준)"
    )


def test_lateness_alone_gives_no_score_and_the_explanation_says_why():
    # task 3 of the sample: a late report and nothing else to judge read "정상: 모든 기준 충족" with 0.00 (D)
    weights = {"indicator": 40, "milestone": 30, "budget": 20, "timeliness": 10}
    facts = TaskFacts(
        quarter=2,
        has_report=True,
        report_quarter=2,
        submissions=[SubmissionFact(2, datetime.date(2017, 7, 10), datetime.date(2017, 7, 12), status="approved")],
    )
    assessment = scoring.assess(facts, as_of=datetime.date(2017, 6, 30), today=datetime.date(2017, 8, 1))
    assert assessment.components["timeliness"] is None  # not due at the end of June
    facts.quarter = 3
    assessment = scoring.assess(facts, as_of=datetime.date(2017, 9, 30), today=datetime.date(2017, 9, 30))
    assert assessment.components["timeliness"] == 0
    assert scoring.task_total(assessment, weights) is None
    assert scoring.grade(scoring.task_total(assessment, weights)) == ""
    assert "점수 없음" in assessment.explanation
