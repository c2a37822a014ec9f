"""Numbers nobody means (NaN, sNaN, infinities, overflow): refused in Korean, never a server error."""

import pytest

from reports.evaluation import annual
from reports.models import TaskScore

HOSTILE = ["sNaN", "NaN", "nan", "Infinity", "-Infinity", "1e999999", "9" * 40, "-5", "삼백"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE)
def test_live_figures_show_none_for_what_the_form_refuses(client, report, officer, value):
    indicator = report.indicator_results.first().indicator_id
    line = report.budget_executions.first().budget_line_id
    client.force_login(officer)
    response = client.get(f"/reports/{report.pk}/figures/", {f"indicator-{indicator}": value, f"line-{line}": value})
    assert response.status_code == 200
    figures = response.json()
    assert figures[f"indicator-{indicator}"]["rate"] == "–"
    assert {k: figures[f"line-{line}"][k] for k in ("balance", "rate", "warning")} == {
        "balance": "–",
        "rate": "–",
        "warning": "",
    }
    # the form's own refusal, in Korean, for the page to show beside the input as it is typed
    for key in (f"indicator-{indicator}", f"line-{line}"):
        assert figures[key]["error"] and not figures[key]["error"].isascii()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [*HOSTILE, "100.001", "101"])
def test_a_hostile_score_adjustment_is_refused_in_korean_and_kept(client, plan, report, reviewer, value):
    annual.evaluation_run(plan=plan, user=reviewer)
    score = TaskScore.objects.get(task=report.task)
    client.force_login(reviewer)
    response = client.post(f"/evaluation/scores/{score.pk}/", {"total": value, "reason": "검토 결과 반영"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "조정 점수는 0~100 사이의 숫자로 입력하세요" in html or "점수는 0 이상 100 이하" in html
    assert f'value="{value}"' in html and "검토 결과 반영" in html
    score.refresh_from_db()
    assert score.adjusted_total is None
