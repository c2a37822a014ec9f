"""The annual evaluation: scores from rules and weights, provenance, adjustments with reasons, finalising."""

from decimal import Decimal

import pytest

from reports.evaluation import annual
from reports.models import Evaluation, ScoringWeights, TaskScore
from reports.progress import services
from tests.conftest import complete_data


@pytest.fixture
def approved(report, officer, reviewer):
    data = complete_data(report)
    (execution,) = report.budget_executions.all()
    data["budget_executions"][execution.pk]["spent_to_date"] = 72050
    services.report_submit(report=report, user=officer, version=report.version, data=data)
    services.report_approve(report=report, user=reviewer, version=report.version)
    return report


def scores(plan) -> dict[int, TaskScore]:
    return {s.task.number: s for s in TaskScore.objects.filter(evaluation__plan=plan).select_related("task")}


@pytest.mark.django_db
def test_run_scores_every_task_with_provenance(plan, reviewer, approved):
    annual.evaluation_run(plan=plan, user=reviewer)
    result = scores(plan)
    assert len(result) == 16
    task15 = result[15]
    # Every indicator met (pace capped at 1 for the total), budget fully executed,
    # timeliness: Q1 submitted late (the test runs long after 2017), Q2–Q4 missing → 0.
    assert task15.indicator_score == Decimal("100.00") and task15.budget_score == Decimal("100.00")
    assert task15.timeliness_score == Decimal("0.00")
    assert task15.provenance["report_ids"] == [approved.pk]
    assert task15.provenance["weights_version"] == 1
    assert {i["name"] for i in task15.provenance["indicators"]} >= {"찾아가는 동주민센터 시행 동 (누적)"}
    assert result[1].computed_total is None  # no approved report: left without a score, not zero
    # Recompute task 15 by hand from its components and the weights (40/30/20/10):
    components = {k: Decimal(v) if v else None for k, v in task15.provenance["components"].items()}
    weights = task15.provenance["weights"]
    present = {k: v for k, v in components.items() if v is not None}
    expected = sum(min(Decimal(1), v) * weights[k] for k, v in present.items()) / sum(weights[k] for k in present) * 100
    assert task15.computed_total == expected.quantize(Decimal("0.01"))


@pytest.mark.django_db
def test_rerun_on_unchanged_data_gives_the_same_scores(plan, reviewer, approved):
    annual.evaluation_run(plan=plan, user=reviewer)
    first = {n: (s.computed_total, s.grade, s.provenance) for n, s in scores(plan).items()}
    annual.evaluation_run(plan=plan, user=reviewer)
    assert {n: (s.computed_total, s.grade, s.provenance) for n, s in scores(plan).items()} == first


@pytest.mark.django_db
def test_weights_are_versioned_settings(plan, reviewer, approved):
    with pytest.raises(services.ReportActionRefused, match="합은 100"):
        annual.weights_change(
            user=reviewer, values={"indicator": 50, "milestone": 30, "budget": 20, "timeliness": 10}, note="x"
        )
    annual.weights_current()
    annual.weights_change(
        user=reviewer, values={"indicator": 25, "milestone": 25, "budget": 25, "timeliness": 25}, note="균등 배분"
    )
    annual.evaluation_run(plan=plan, user=reviewer)
    assert scores(plan)[15].provenance["weights_version"] == 2
    assert ScoringWeights.objects.count() == 2


@pytest.mark.django_db
def test_adjusting_needs_a_reason_and_keeps_it(client, plan, reviewer, approved):
    annual.evaluation_run(plan=plan, user=reviewer)
    score = scores(plan)[15]
    client.force_login(reviewer)
    response = client.post(f"/evaluation/scores/{score.pk}/", {"total": "95", "reason": ""})
    assert "사유를 적어야" in response.content.decode() and 'value="95"' in response.content.decode()
    score.refresh_from_db()
    assert score.adjusted_total is None
    client.post(f"/evaluation/scores/{score.pk}/", {"total": "95", "reason": "현장 점검 결과 반영"})
    score.refresh_from_db()
    assert (score.adjusted_total, score.adjustment_reason, score.adjusted_by, score.grade) == (
        Decimal(95),
        "현장 점검 결과 반영",
        reviewer,
        "S",
    )
    # a re-run keeps the adjustment beside the recomputed score
    annual.evaluation_run(plan=plan, user=reviewer)
    assert scores(plan)[15].adjusted_total == Decimal(95)


@pytest.mark.django_db
def test_finalised_evaluation_cannot_change(plan, reviewer, approved):
    current = annual.evaluation_run(plan=plan, user=reviewer)
    annual.evaluation_finalise(evaluation=current, user=reviewer)
    score = scores(plan)[15]
    with pytest.raises(services.ReportActionRefused, match="확정"):
        annual.score_adjust(score=score, user=reviewer, total=Decimal(10), reason="사유")
    with pytest.raises(services.ReportActionRefused, match="확정"):
        annual.evaluation_run(plan=plan, user=reviewer)
    with pytest.raises(services.ReportActionRefused, match="이미 확정"):
        annual.evaluation_finalise(evaluation=current, user=reviewer)
    assert Evaluation.objects.get().status == "final"
    assert scores(plan)[15].adjusted_total is None


@pytest.mark.django_db
def test_officer_cannot_run_or_see_the_evaluation(client, plan, officer):
    client.force_login(officer)
    assert client.post("/evaluation/run/").status_code == 403
    assert client.get("/evaluation/").status_code == 403
    assert not Evaluation.objects.exists()
