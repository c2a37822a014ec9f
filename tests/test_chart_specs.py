"""Every chart spec a page sends is valid by plotly's schema, and what the charts share travels once per page.

The specs are plain data (``initiatives.charts``), so nothing checks them on the way out: here each spec is read
back from the page's own ``json_script`` and handed to ``plotly.graph_objects.Figure``, which raises on any
property or value plotly.js does not know; the shared template is checked the same way.
"""

import json
import re

import plotly.graph_objects as go
import pytest
from django.contrib.auth import get_user_model

from bench.synthetic import Spec, synthetic_generate
from initiatives.charts import SHARED
from initiatives.models import Plan

YEAR = 2018
JSON_SCRIPT = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)


def sent(html: str) -> dict[str, object]:
    """The page's json_script blocks, id → data, as the browser reads them."""
    return {id_: json.loads(text) for id_, text in JSON_SCRIPT.findall(html)}


@pytest.fixture
def pages(client):
    """Every page that draws charts, on a generated plan with reports in every state: URL → its json_script data."""
    synthetic_generate(Spec(tasks=12, years=1, seed=7, last_year=YEAR))
    plan = Plan.objects.get(year=YEAR)
    area = plan.strategic_areas.order_by("number").first()
    task = plan.tasks.filter(milestones__isnull=False).first()
    client.force_login(get_user_model().objects.get(username="synth-reviewer"))
    urls = [
        "/dashboard/?quarter=2",
        f"/dashboard/?quarter=4&area={area.pk}&status=delayed",
        "/dashboard/departments/?quarter=2",
        "/dashboard/schedule/",
        f"/tasks/{task.pk}/",
    ]
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = sent(response.content.decode())
    return found


@pytest.mark.django_db
def test_every_chart_spec_on_every_page_is_valid_by_plotlys_schema(pages):
    checked = 0
    for url, scripts in pages.items():
        specs = {id_: data for id_, data in scripts.items() if id_.endswith("-spec")}
        assert specs, f"{url} sends no chart"
        for id_, spec in specs.items():
            figure = go.Figure(spec)  # raises ValueError on an invalid property or value
            assert figure.data, f"{url} {id_}: no trace"
            checked += 1
    assert checked >= 9  # six on the dashboard, one on each other page


@pytest.mark.django_db
def test_the_shared_layout_is_sent_once_per_page_and_no_chart_carries_a_template(pages):
    go.layout.Template(SHARED["template"])  # valid by the same schema
    for url, scripts in pages.items():
        assert scripts["chart-shared"] == SHARED, url  # json_script ids are unique: one copy per page
        for id_, spec in scripts.items():
            if id_.endswith("-spec"):
                assert "template" not in spec["layout"], f"{url} {id_}"


def test_the_shared_layout_keeps_the_portals_formats():
    layout, config = SHARED["template"]["layout"], SHARED["config"]
    assert layout["separators"] == ".," and layout["autosize"] is True
    assert config["locale"] == "ko" and config["responsive"] is True and config["displaylogo"] is False
