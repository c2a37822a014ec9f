"""Things the public must never see, planted beside one approved figure: shared by the tests of every public
surface of the results (the open results page, the open data files)."""

from dataclasses import dataclass

from reports.evaluation import annual
from reports.progress import services
from reports.progress.permissions import OFFICER
from tests.conftest import complete_data, make_user


@dataclass(frozen=True)
class Plants:
    approved_actual: str  # task 15's approved indicator actual, as a page or a file shows it
    hidden: tuple[str, ...]  # texts that must appear nowhere


def plant_hidden_and_approved(*, plan, report, officer, reviewer, period) -> Plants:
    """Task 15: approved with a distinctive actual and an indicator comment. Task 6: submitted, then returned
    with a comment. Task 1: a draft. The annual evaluation run and finalised (its scores are public)."""
    data = complete_data(report)
    first = report.indicator_results.select_related("indicator").get(indicator__target=342)
    data["indicator_results"][first.pk]["actual"] = 341
    data["indicator_results"][first.pk]["comment"] = "내부 설명: 1개 동 지연"
    services.report_submit(report=report, user=officer, version=report.version, data=data)
    services.report_approve(report=report, user=reviewer, version=report.version)
    returned = services.report_start(task=plan.tasks.get(number=6), period=period, user=officer)
    services.report_submit(
        report=returned,
        user=officer,
        version=returned.version,
        data=complete_data(returned, achievements="반려될 초안 실적 문구"),
    )
    services.report_return(report=returned, user=reviewer, version=returned.version, comment="검토 의견 비공개 문구")
    family_task = plan.tasks.get(number=1)
    family_officer = make_user(f"officer-{family_task.pk}", OFFICER, (family_task.department.name,))
    draft = services.report_start(task=family_task, period=period, user=family_officer)
    services.report_save(
        report=draft, user=family_officer, version=draft.version, data={"achievements": "작성중 초안 문구"}
    )
    current = annual.evaluation_run(plan=plan, user=reviewer)
    annual.evaluation_finalise(evaluation=current, user=reviewer)
    hidden = (
        "반려될 초안 실적 문구",
        "검토 의견 비공개 문구",
        "작성중 초안 문구",
        "내부 설명: 1개 동 지연",
        officer.first_name,
        reviewer.first_name,
        officer.username,
        reviewer.username,
        family_officer.username,
    )
    return Plants(approved_actual="341", hidden=hidden)
