"""The open results page shows approved figures only: no drafts, returns, comments or user names."""

import pytest

from reports.evaluation import annual
from reports.progress import services
from tests.conftest import complete_data


@pytest.mark.django_db
def test_open_results_show_only_approved_figures(client, plan, report, officer, reviewer, open_q1):
    # Task 15: approved with a distinctive actual. Task 6: submitted then returned with a comment.
    data = complete_data(report)
    first = report.indicator_results.select_related("indicator").get(indicator__target=342)
    data["indicator_results"][first.pk]["actual"] = 341
    data["indicator_results"][first.pk]["comment"] = "내부 설명: 1개 동 지연"
    services.report_submit(report=report, user=officer, version=report.version, data=data)
    services.report_approve(report=report, user=reviewer, version=report.version)
    returned = services.report_start(task=plan.tasks.get(number=6), period=open_q1, user=officer)
    services.report_submit(
        report=returned,
        user=officer,
        version=returned.version,
        data=complete_data(returned, achievements="반려될 초안 실적 문구"),
    )
    services.report_return(report=returned, user=reviewer, version=returned.version, comment="검토 의견 비공개 문구")
    family_officer = _officer_of(plan.tasks.get(number=1))
    draft = services.report_start(task=plan.tasks.get(number=1), period=open_q1, user=family_officer)
    services.report_save(
        report=draft, user=family_officer, version=draft.version, data={"achievements": "작성중 초안 문구"}
    )
    current = annual.evaluation_run(plan=plan, user=reviewer)
    annual.evaluation_finalise(evaluation=current, user=reviewer)

    response = client.get("/results/")  # anonymous
    assert response.status_code == 200
    html = response.content.decode()
    assert "341" in html  # the approved actual
    for hidden in [
        "반려될 초안 실적 문구",
        "검토 의견 비공개 문구",
        "작성중 초안 문구",
        "내부 설명: 1개 동 지연",
        officer.first_name,
        reviewer.first_name,
        officer.username,
        reviewer.username,
    ]:
        assert hidden not in html, hidden
    assert "등급" in html  # the finalised evaluation is public


def _officer_of(task):
    from reports.progress.permissions import OFFICER
    from tests.conftest import make_user

    user = make_user(f"officer-{task.pk}", OFFICER, (task.department.name,))
    return user
