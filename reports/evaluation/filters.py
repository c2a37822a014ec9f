import django_filters
from django.http import QueryDict

from initiatives.filters import PlainSelect
from initiatives.models import Department, Plan, StrategicArea, Task
from reports.models import TaskStatus

QUARTERS = [(str(q), f"{q}분기") for q in range(1, 5)]


class DashboardFilter(django_filters.FilterSet):
    """Which tasks a dashboard covers; quarter and status are read by the view (status is computed).

    A year or quarter the query leaves out (or empty) is filled with the defaults given, so the
    select shows the quarter the page, its table and the workbook use.
    """

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
    status = django_filters.ChoiceFilter(label="상태", choices=TaskStatus.choices, method="keep", empty_label="전체")

    class Meta:
        model = Task
        fields = ["year", "quarter", "area", "department", "status"]

    def __init__(
        self, data=None, *args, plan: Plan | None = None, years: list[int] | None = None, quarter: int = 1, **kwargs
    ):
        self.default_quarter = quarter
        data = data.copy() if data is not None else QueryDict(mutable=True)
        defaults = {"quarter": quarter, "year": plan.year if plan is not None else None}
        for name, value in defaults.items():
            if value is not None and not data.get(name):
                data[name] = str(value)
        super().__init__(data, *args, **kwargs)
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

    @property
    def shown_quarter(self) -> int:
        """The quarter shown: the one chosen, else the default (also when the query is not valid)."""
        return int(self.chosen("quarter") or self.default_quarter)
