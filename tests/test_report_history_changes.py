"""The report history lists real changes only: a value equal as a number, date or choice is no change."""

import datetime
from decimal import Decimal

import pytest

from reports.models import ReportEvent
from reports.progress import services
from tests.conftest import complete_data


def saved(report, officer, data):
    report.refresh_from_db()
    return services.report_save(report=report, user=officer, version=report.version, data=data)


@pytest.fixture
def first_result(report):
    return report.indicator_results.select_related("indicator").first()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", [Decimal("195"), "195", 195, 195.0, "195.000"])
def test_a_number_equal_to_the_stored_one_is_no_change(report, officer, first_result, typed):
    data = complete_data(report)
    data["indicator_results"][first_result.pk]["actual"] = Decimal("195.00")
    saved(report, officer, data)
    events = ReportEvent.objects.filter(report=report).count()
    data["indicator_results"][first_result.pk]["actual"] = typed
    saved(report, officer, data)
    assert ReportEvent.objects.filter(report=report).count() == events  # nothing changed: no entry
    first_result.refresh_from_db()
    assert first_result.actual == Decimal("195")


@pytest.mark.django_db
def test_a_different_number_is_still_a_change(report, officer, first_result):
    data = complete_data(report)
    data["indicator_results"][first_result.pk]["actual"] = Decimal("195.00")
    saved(report, officer, data)
    data["indicator_results"][first_result.pk]["actual"] = "195.5"
    saved(report, officer, data)
    last = ReportEvent.objects.filter(report=report).order_by("-pk").first()
    assert [(c["field"], c["old"], c["new"]) for c in last.changes] == [("actual", "195.00", "195.5")]


@pytest.mark.django_db
def test_the_same_date_or_amount_typed_differently_is_no_change(report, officer):
    data = complete_data(report)
    progress = report.milestone_progress.first()
    execution = report.budget_executions.first()
    data["milestone_progress"][progress.pk]["actual_start"] = datetime.date(2017, 3, 2)
    data["budget_executions"][execution.pk]["spent_to_date"] = 10
    saved(report, officer, data)
    events = ReportEvent.objects.filter(report=report).count()
    data["milestone_progress"][progress.pk]["actual_start"] = datetime.datetime(2017, 3, 2, 0, 0)
    data["budget_executions"][execution.pk]["spent_to_date"] = 10.0
    saved(report, officer, data)
    assert ReportEvent.objects.filter(report=report).count() == events


@pytest.mark.django_db
def test_history_page_does_not_show_an_unchanged_number(client, report, officer, first_result):
    data = complete_data(report)
    data["indicator_results"][first_result.pk]["actual"] = Decimal("195.00")
    saved(report, officer, data)
    data["indicator_results"][first_result.pk]["actual"] = "195"
    data["problems"] = "인력 부족"
    saved(report, officer, data)
    client.force_login(officer)
    history = client.get(f"/reports/{report.pk}/").content.decode().split('id="h-history"')[1]
    assert "인력 부족" in history
    assert "→ <ins>195</ins>" not in history
    assert history.count("<ins>195.00</ins>") == 1  # the first save only
