"""Saving many reports at once (the offline upload): as report_save does, all or nothing, in fixed statements."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import IndicatorResult, ProgressReport, ReportEvent, TaskRevision
from reports.progress import services
from tests.factories import make_task


def drafts(plan, open_q1, officer, count: int, first: int = 17) -> list[ProgressReport]:
    tasks = [make_task(plan=plan, number=n, department_name="자치행정과") for n in range(first, first + count)]
    return [services.report_start(task=t, period=open_q1, user=officer) for t in tasks]


def items_for(reports, actual: int) -> list[tuple]:
    items = []
    for report in reports:
        (result,) = report.indicator_results.all()
        data = {
            "achievements": f"실적 {actual}",
            "indicator_results": {result.pk: {"actual": Decimal(actual).quantize(Decimal("0.01"))}},
        }
        items.append((report, report.version, data))
    return items


@pytest.mark.django_db
def test_every_report_is_saved_with_its_history(plan, open_q1, officer):
    reports = drafts(plan, open_q1, officer, 3)
    revisions = dict(TaskRevision.objects.filter(task__reports__in=reports).values_list("task_id", "revision"))
    assert services.reports_save_many(items=items_for(reports, 7), user=officer) == 3
    for report in reports:
        report.refresh_from_db()
        assert report.achievements == "실적 7" and report.version == 2
        assert IndicatorResult.objects.get(report=report).actual == 7
        (event,) = ReportEvent.objects.filter(report=report, action="save")
        assert {c["field"]: (c["old"], c["new"]) for c in event.changes} == {
            "achievements": ("", "실적 7"),
            "actual": ("", "7.00"),
        }
        assert event.actor == officer
        assert TaskRevision.objects.get(task=report.task_id).revision > revisions.get(report.task_id, 0)


@pytest.mark.django_db
def test_an_unchanged_report_gets_no_history_entry(plan, open_q1, officer):
    reports = drafts(plan, open_q1, officer, 2)
    services.reports_save_many(items=items_for(reports, 7), user=officer)
    for report in reports:
        report.refresh_from_db()
    assert services.reports_save_many(items=items_for(reports, 7), user=officer) == 0
    assert ReportEvent.objects.filter(report__in=reports, action="save").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("spoil", ["stale", "submitted"])
def test_one_refused_report_saves_nothing(plan, open_q1, officer, spoil):
    reports = drafts(plan, open_q1, officer, 3)
    items = items_for(reports, 7)
    if spoil == "stale":  # someone saved the last report after the upload was read
        ProgressReport.objects.filter(pk=reports[-1].pk).update(version=5)
        expected = services.StaleReportError
    else:
        ProgressReport.objects.filter(pk=reports[-1].pk).update(status="submitted")
        expected = services.ReportActionRefused
    with pytest.raises(expected):
        services.reports_save_many(items=items, user=officer)
    assert not ReportEvent.objects.filter(report__in=reports, action="save").exists()
    assert not IndicatorResult.objects.filter(report__in=reports, actual__isnull=False).exists()
    assert set(
        ProgressReport.objects.filter(pk__in=[r.pk for r in reports[:-1]]).values_list("version", flat=True)
    ) == {1}


@pytest.mark.django_db
def test_another_departments_report_is_refused(plan, open_q1, officer, other_officer):
    reports = drafts(plan, open_q1, officer, 2)
    with pytest.raises(services.ReportActionRefused):
        services.reports_save_many(items=items_for(reports, 7), user=other_officer)
    assert not ReportEvent.objects.filter(report__in=reports, action="save").exists()


@pytest.mark.django_db
def test_the_statements_do_not_grow_with_the_number_of_reports(plan, open_q1, officer):
    def count(reports) -> int:
        items = items_for(reports, len(reports))
        with CaptureQueriesContext(connection) as ctx:
            assert services.reports_save_many(items=items, user=officer) == len(reports)
        return len(ctx.captured_queries)

    assert count(drafts(plan, open_q1, officer, 2)) == count(drafts(plan, open_q1, officer, 8, first=30))
