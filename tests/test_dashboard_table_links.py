"""The dashboard's task table on a generated plan links every task and the report it was judged on."""

import pytest

from bench.synthetic import Spec, synthetic_generate
from initiatives.models import Plan
from reports.models import ProgressReport


@pytest.mark.django_db
def test_dashboard_table_links_each_shown_task_and_its_report(client):
    import re

    from django.contrib.auth import get_user_model

    synthetic_generate(Spec(tasks=30, years=1, seed=21))
    client.force_login(get_user_model().objects.get(username="synth-reviewer"))
    html = client.get("/dashboard/?year=2016&quarter=3&sort=-score").content.decode()
    tasks = set(re.findall(r'href="/tasks/(\d+)/"', html))
    reports = set(re.findall(r'href="/reports/(\d+)/"', html))
    plan = Plan.objects.get(year=2016)
    assert tasks == {str(pk) for pk in plan.tasks.values_list("pk", flat=True)}
    shown = ProgressReport.objects.filter(
        period__plan=plan, period__quarter__lte=3, status__in=["submitted", "approved"]
    )
    assert reports and reports <= {str(pk) for pk in shown.values_list("pk", flat=True)}


@pytest.mark.django_db
def test_dashboard_table_pages_50_tasks_by_the_counted_total(client):
    import re

    from django.contrib.auth import get_user_model

    synthetic_generate(Spec(tasks=60, years=1, seed=3))
    client.force_login(get_user_model().objects.get(username="synth-reviewer"))
    first = client.get("/dashboard/?year=2016&quarter=2").content.decode()
    second = client.get("/dashboard/?year=2016&quarter=2&page=2").content.decode()
    shown = [set(re.findall(r'href="/tasks/(\d+)/"', html)) for html in (first, second)]
    assert (len(shown[0]), len(shown[1])) == (50, 10) and not shown[0] & shown[1]
    assert "page=2" in first
