from django import template

from gov30.korean import with_particle
from reports.evaluation import scoring
from reports.models import ProgressReport
from reports.progress import rules

register = template.Library()

REPORT_STATUS = dict(ProgressReport.Status.choices)


@register.filter
def particle(word, name: str) -> str:
    """``{{ label|particle:"으로" }}``: the word with the particle its last syllable takes (gov30.korean)."""
    return with_particle(str(word), name)


@register.filter
def report_status_label(code: str) -> str:
    return REPORT_STATUS.get(code, code)


@register.filter
def change_value(value: str, field: str) -> str:
    return rules.choice_label(field, value)


@register.filter
def percent(rate) -> str:
    """A rate as ``rules.percent_text`` writes it everywhere else (a form row without figures passes "": "–")."""
    return rules.percent_text(None if rate == "" else rate)


@register.filter
def component_label(name: str) -> str:
    """A score component's Korean name (성과지표, 추진일정, 예산 집행, 보고 적시성)."""
    return scoring.COMPONENT_LABELS.get(name, name)


@register.filter
def provenance_label(name: str) -> str:
    """The Korean name of a part of a score's provenance (진단, 가중치, 성과지표, …)."""
    return scoring.PROVENANCE_LABELS.get(name, name)
