"""임시 저장 and 제출 through the real form: each save is in the database and its history entry carries what
changed, old and new (the form's own validation writes the posted values into the objects it is given)."""

import pytest

from reports.models import ProgressReport, ReportEvent, ReportingPeriod
from reports.progress import services
from reports.progress.forms import ReportFormBundle
from tests.conftest import post_data


def saves_of(report) -> list[list[tuple]]:
    events = ReportEvent.objects.filter(report=report, action=ReportEvent.Action.SAVE).order_by("pk")
    return [[(c["field"], c["old"], c["new"]) for c in e.changes if c["field"] == "achievements"] for e in events]


def save(client, report, text: str, **extra) -> None:
    response = client.post(f"/reports/{report.pk}/edit/", post_data(report, **{"report-achievements": text}, **extra))
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.django_db
def test_two_saves_through_the_form_are_both_stored_with_their_old_and_new_text(client, officer, report):
    client.force_login(officer)
    save(client, report, "첫 저장")
    save(client, report, "두 번째 저장")
    report.refresh_from_db()
    assert report.achievements == "두 번째 저장"
    assert saves_of(report) == [
        [("achievements", "", "첫 저장")],
        [("achievements", "첫 저장", "두 번째 저장")],
    ]


@pytest.mark.django_db
def test_a_row_changed_through_the_form_is_stored_with_its_old_and_new_value(client, officer, report):
    client.force_login(officer)
    result = report.indicator_results.order_by("pk").first()
    save(client, report, "첫 저장")
    index = list(report.indicator_results.order_by("pk").values_list("pk", flat=True)).index(result.pk)
    save(client, report, "첫 저장", **{f"indicator_results-{index}-comment": "목표 상향 검토"})
    result.refresh_from_db()
    assert result.comment == "목표 상향 검토"
    last = ReportEvent.objects.filter(report=report).order_by("-pk").first()
    assert [(c["field"], c["old"], c["new"]) for c in last.changes] == [("comment", "", "목표 상향 검토")]


@pytest.mark.django_db
def test_submitting_through_the_form_records_the_text_it_saved(client, officer, report):
    client.force_login(officer)
    save(client, report, "첫 저장")
    response = client.post(
        f"/reports/{report.pk}/edit/", post_data(report, **{"report-achievements": "제출 내용"}, submit="1")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.achievements) == (report.Status.SUBMITTED, officer, "제출 내용")
    submit = ReportEvent.objects.filter(report=report, action=ReportEvent.Action.SUBMIT).get()
    assert ("achievements", "첫 저장", "제출 내용") in [(c["field"], c["old"], c["new"]) for c in submit.changes]


@pytest.mark.django_db
def test_a_quarter_closed_after_the_form_was_read_refuses_the_save_and_writes_nothing(report, officer, reviewer):
    bundle = ReportFormBundle(report, post_data(report, **{"report-achievements": "마감 직전 입력"}))
    assert bundle.is_valid()
    services.period_set_state(period=ReportingPeriod.objects.get(pk=report.period_id), user=reviewer, state="closed")
    with pytest.raises(services.ReportActionRefused, match="마감되었습니다"):
        services.report_save(report=report, user=officer, version=bundle.version, data=bundle.data(), rows=bundle.rows)
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.achievements, report.achievements) == ("", "")
    assert not ReportEvent.objects.filter(report=report, action=ReportEvent.Action.SAVE).exists()
