"""A dashboard opened without ?quarter= shows one quarter everywhere: select, heading, table and workbook."""

import re
from urllib.parse import unquote

import pytest

from reports.models import ReportingPeriod


@pytest.fixture
def three_quarters_open(periods):
    """Q1 and Q2 closed, Q3 open, Q4 scheduled: the default view is Q3."""
    ReportingPeriod.objects.filter(pk__in=[periods[0].pk, periods[1].pk]).update(state="closed")
    ReportingPeriod.objects.filter(pk=periods[2].pk).update(state="open")
    return periods


def selected_quarter(html: str) -> str:
    select = re.search(r'<select name="quarter".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="(\d)"[^>]*selected', select).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/dashboard/", "/dashboard/departments/"])
@pytest.mark.parametrize("query", ["", "?status=delayed", "?year=2017", "?department="])
def test_default_quarter_is_the_same_in_select_and_heading(client, reviewer, three_quarters_open, page, query):
    client.force_login(reviewer)
    response = client.get(page + query)
    html = response.content.decode()
    assert response.context["quarter"] == 3
    assert "3분기 기준" in html
    assert selected_quarter(html) == "3"


@pytest.mark.django_db
def test_chosen_quarter_is_kept_in_select_and_heading(client, reviewer, three_quarters_open):
    client.force_login(reviewer)
    html = client.get("/dashboard/?quarter=2&status=on_track").content.decode()
    assert "2분기 기준" in html
    assert selected_quarter(html) == "2"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?status=delayed", "?year=2017&status="])
def test_workbook_without_quarter_is_the_dashboard_default_quarter(client, reviewer, three_quarters_open, query):
    client.force_login(reviewer)
    response = client.get("/exports/workbook/" + query)
    assert response.status_code == 200
    assert "-3분기-" in unquote(response.headers["Content-Disposition"])
    b"".join(response.streaming_content)


@pytest.mark.django_db
def test_workbook_keeps_a_chosen_quarter(client, reviewer, three_quarters_open):
    client.force_login(reviewer)
    response = client.get("/exports/workbook/?quarter=2")
    assert "-2분기-" in unquote(response.headers["Content-Disposition"])
    b"".join(response.streaming_content)
