"""The open results page shows approved figures only: no drafts, returns, comments or user names."""

import pytest

from tests.leak_plants import plant_hidden_and_approved


@pytest.mark.django_db
def test_open_results_show_only_approved_figures(client, plan, report, officer, reviewer, open_q1):
    plants = plant_hidden_and_approved(plan=plan, report=report, officer=officer, reviewer=reviewer, period=open_q1)

    response = client.get("/results/")  # anonymous
    assert response.status_code == 200
    html = response.content.decode()
    assert plants.approved_actual in html
    for hidden in plants.hidden:
        assert hidden not in html, hidden
    assert "등급" in html  # the finalised evaluation is public
