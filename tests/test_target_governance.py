"""A target changes only with a reason, recorded with who and when; reports are judged by the target in force."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from initiatives.models import Indicator, IndicatorTargetChange
from reports.progress import selectors, services
from tests.conftest import complete_data


@pytest.fixture
def indicator(task):
    return Indicator.objects.get(task=task, target=342)


@pytest.mark.django_db
def test_change_without_reason_is_refused(client, indicator, reviewer):
    client.force_login(reviewer)
    response = client.post(f"/indicators/{indicator.pk}/target/", {"new_target": "400", "reason": ""})
    assert response.status_code == 200 and "사유를 적어 주세요" in response.content.decode()
    assert "400" in response.content.decode()  # the typed value is kept
    indicator.refresh_from_db()
    assert indicator.target == 342 and not IndicatorTargetChange.objects.exists()


@pytest.mark.django_db
def test_change_is_recorded_with_who_when_and_why(client, indicator, reviewer):
    client.force_login(reviewer)
    client.post(f"/indicators/{indicator.pk}/target/", {"new_target": "350", "reason": "자치구 추가 참여"})
    change = IndicatorTargetChange.objects.get(indicator=indicator)
    assert (change.old_target, change.new_target, change.reason, change.changed_by) == (
        342,
        350,
        "자치구 추가 참여",
        reviewer,
    )
    indicator.refresh_from_db()
    assert indicator.target == 350
    page = client.get(f"/indicators/{indicator.pk}/target/").content.decode()
    assert "자치구 추가 참여" in page


@pytest.mark.django_db
def test_officer_cannot_change_targets(indicator, officer):
    with pytest.raises(PermissionDenied):
        services.indicator_change_target(indicator=indicator, new_target=Decimal(1), reason="x", user=officer)


@pytest.mark.django_db
def test_target_in_force_is_the_one_at_period_opening(indicator, reviewer):
    before = timezone.make_aware(datetime.datetime(2017, 1, 1))
    services.indicator_change_target(
        indicator=indicator,
        new_target=Decimal(400),
        reason="상향",
        user=reviewer,
        now=timezone.make_aware(datetime.datetime(2017, 5, 1)),
    )
    indicator = Indicator.objects.prefetch_related("target_changes").get(pk=indicator.pk)
    assert selectors.target_in_force(indicator=indicator, at=before) == 342
    assert selectors.target_in_force(indicator=indicator, at=timezone.make_aware(datetime.datetime(2017, 7, 1))) == 400


@pytest.mark.django_db
def test_report_is_judged_against_the_target_when_its_period_opened(report, officer, reviewer, indicator):
    # Q1 opened 2017-01-01 with 342; raising the target afterwards must not make 342 "미달성".
    services.indicator_change_target(indicator=indicator, new_target=Decimal(500), reason="상향", user=reviewer)
    data = complete_data(report)
    result = report.indicator_results.get(indicator=indicator)
    data["indicator_results"][result.pk]["actual"] = Decimal(342)
    services.report_submit(report=report, user=officer, version=report.version, data=data)
    assert report.status == "submitted"
