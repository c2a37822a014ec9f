import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from initiatives.models import Department, Plan, Programme, StrategicArea, Task


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
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), options)


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


QUARTERS = [(str(q), f"{q}분기") for q in range(1, 5)]
STATUSES = [("정상", "정상"), ("주의", "주의"), ("지연", "지연"), ("판단 불가", "판단 불가")]


class DashboardFilter(django_filters.FilterSet):
    """Which tasks a dashboard covers; quarter and status are read by the view (status is computed)."""

    year = django_filters.ChoiceFilter(label="연도", choices=[], method="keep", empty_label=None)
    quarter = django_filters.ChoiceFilter(label="분기", choices=QUARTERS, method="keep", empty_label=None)
    area = django_filters.ModelChoiceFilter(
        label="추진방안",
        field_name="programme__strategic_area",
        queryset=StrategicArea.objects.all(),
        empty_label="전체",
    )
    department = django_filters.ModelChoiceFilter(
        label="주관부서",
        queryset=Department.objects.filter(tasks__isnull=False).distinct(),
        empty_label="전체",
        widget=PlainSelect,
    )
    status = django_filters.ChoiceFilter(label="상태", choices=STATUSES, method="keep", empty_label="전체")

    class Meta:
        model = Task
        fields = ["year", "quarter", "area", "department", "status"]

    def __init__(self, *args, plan: Plan | None = None, years: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if years is None:
            years = list(Plan.objects.values_list("year", flat=True))
        self.form.fields["year"].choices = [(str(y), f"{y}년") for y in years]
        if plan is not None:  # only the chosen year's areas and departments
            self.form.fields["area"].queryset = StrategicArea.objects.filter(plan=plan)
            self.form.fields["department"].queryset = Department.objects.filter(tasks__plan=plan).distinct()
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", "form-select")

    def keep(self, queryset, name, value):
        return queryset

    def chosen(self, name: str, default: str = "") -> str:
        return (self.form.cleaned_data.get(name) or default) if self.form.is_valid() else default
