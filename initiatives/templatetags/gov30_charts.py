from django import template
from django.utils.html import json_script

from initiatives.charts import SHARED

register = template.Library()

SHARED_SCRIPT = json_script(SHARED, "chart-shared")  # the same on every page: encoded once


@register.simple_tag
def chart_shared() -> str:
    """What every chart of the page shares (``initiatives.charts.SHARED``), once, for static/js/charts.js."""
    return SHARED_SCRIPT
