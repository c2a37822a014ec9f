from django import template

from reports.models import ProgressReport
from reports.progress import rules

register = template.Library()

REPORT_STATUS = dict(ProgressReport.Status.choices)


@register.filter
def report_status_label(code: str) -> str:
    return REPORT_STATUS.get(code, code)


@register.filter
def change_value(value: str, field: str) -> str:
    return rules.choice_label(field, value)


@register.filter
def percent(rate) -> str:
    """A rate as ``rules.percent_text`` writes it everywhere else (a row without figures reads "")."""
    return rules.percent_text(None if rate == "" else rate)
