import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from initiatives.models import Department, Programme, StrategicArea, Task


class PlainSelect(forms.Select):
    """A <select> whose options are written here, not through a template each: with the 1,250
    departments of a large plan, Django's per-option templates were a fifth of the dashboard."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v is not None}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) in chosen else "", label) for key, label in self.choices),
        )
        final = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)  # as Django writes it


class TaskFilter(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label="추진방안",
        field_name="programme__strategic_area",
        queryset=StrategicArea.objects.all(),
        empty_label="전체",
    )
    programme = django_filters.ModelChoiceFilter(
        label="중점 추진과제", queryset=Programme.objects.select_related("strategic_area"), empty_label="전체"
    )
    department = django_filters.ModelChoiceFilter(
        label="주관부서", queryset=Department.objects.all(), empty_label="전체"
    )
    non_budget = django_filters.ChoiceFilter(
        label="예산 구분",
        choices=[("yes", "비예산 과제"), ("no", "예산 과제")],
        empty_label="전체",
        method="filter_non_budget",
    )
    q = django_filters.CharFilter(label="과제명 검색", field_name="title", lookup_expr="icontains")

    class Meta:
        model = Task
        fields = ["area", "programme", "department", "non_budget", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if hasattr(field, "choices") else "form-control")

    def filter_non_budget(self, queryset, name, value):
        return queryset.filter(budget_table__non_budget=(value == "yes"))
