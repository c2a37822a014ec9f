"""Demo sample progress: written through the services, deterministic, and marked as sample."""

import pytest

from reports.models import ProgressReport, ReportEvent
from reports.progress.sample import sample_progress_load
from tests.conftest import make_user


@pytest.fixture
def demo_officers(plan):
    from reports.progress.permissions import OFFICER

    return {d.pk: make_user(f"demo-{d.pk}", OFFICER, (d.name,)) for d in {t.department for t in plan.tasks.all()}}


@pytest.mark.django_db
def test_sample_covers_q1_to_q3_with_history(plan, demo_officers, reviewer):
    created = sample_progress_load(plan=plan, officers=demo_officers, reviewer=reviewer)
    reports = ProgressReport.objects.filter(period__plan=plan)
    assert created == reports.count() == 16 + 16 + 12
    assert not reports.filter(is_sample=False).exists()
    assert reports.filter(period__quarter__lte=2, status="approved").count() == 32
    assert set(reports.filter(period__quarter=3).values_list("status", flat=True)) == {"submitted", "returned", "draft"}
    assert ReportEvent.objects.filter(action="approve").count() == 32
    # a second call leaves existing reports alone
    assert sample_progress_load(plan=plan, officers=demo_officers, reviewer=reviewer) == 0


@pytest.mark.django_db
def test_sample_is_deterministic(plan, demo_officers, reviewer):
    sample_progress_load(plan=plan, officers=demo_officers, reviewer=reviewer)
    first = sorted(
        ProgressReport.objects.values_list(
            "task__number", "period__quarter", "status", "budget_executions__spent_to_date"
        )
    )
    ProgressReport.objects.all().delete()
    sample_progress_load(plan=plan, officers=demo_officers, reviewer=reviewer)
    assert (
        sorted(
            ProgressReport.objects.values_list(
                "task__number", "period__quarter", "status", "budget_executions__spent_to_date"
            )
        )
        == first
    )
