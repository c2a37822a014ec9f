import django_filters
from django.db.models import Value
from django.http import QueryDict

from initiatives.filters import PlainSelect
from initiatives.models import Department, Plan, StrategicArea, Task
from reports.models import TaskStatus

QUARTERS = [(str(q), f"{q}분기") for q in range(1, 5)]


def _choices(plan: Plan) -> dict[str, dict[str, StrategicArea | Department]]:
    """The plan's areas and the departments owning its tasks, by pk as the query carries it: one query for both."""
    areas = StrategicArea.objects.filter(plan=plan).values_list(Value("area"), "pk", "number", "title").order_by()
    departments = Department.objects.filter(tasks__plan=plan).values_list(Value("department"), "pk", Value(0), "name")
    choices = {"area": {}, "department": {}}
    for kind, pk, number, name in sorted(areas.union(departments.order_by()), key=lambda c: (c[2], c[3])):
        read = StrategicArea(pk=pk, number=number, title=name) if kind == "area" else Department(pk=pk, name=name)
        choices[kind][str(pk)] = read
    return choices


class DashboardFilter(django_filters.FilterSet):
    """Which tasks a dashboard covers; quarter and status are read by the view (status is computed).

    A year or quarter the query leaves out (or empty) is filled with the defaults given, so the
    select shows the quarter the page, its table and the workbook use. Every choice is known before the query is
    read (the area and department lists in one query), so checking the chosen ones asks the database nothing, and
    every select is written by ``PlainSelect``, not a template per option.
    """

    year = django_filters.ChoiceFilter(label="연도", choices=[], method="keep", empty_label=None, widget=PlainSelect)
    quarter = django_filters.ChoiceFilter(
        label="분기", choices=QUARTERS, method="keep", empty_label=None, widget=PlainSelect
    )
    # The chosen area or department comes out as the object read with the choices (the workbook names it).
    area = django_filters.TypedChoiceFilter(
        label="추진방안", field_name="programme__strategic_area", empty_value=None, widget=PlainSelect
    )
    department = django_filters.TypedChoiceFilter(label="주관부서", empty_value=None, widget=PlainSelect)
    status = django_filters.ChoiceFilter(
        label="상태", choices=TaskStatus.choices, method="keep", empty_label="전체", widget=PlainSelect
    )

    class Meta:
        model = Task
        fields = ["year", "quarter", "area", "department", "status"]

    def __init__(self, data=None, *args, plan: Plan, years: list[int], quarter: int = 1, **kwargs):
        self.default_quarter = quarter
        data = data.copy() if data is not None else QueryDict(mutable=True)
        for name, value in {"quarter": quarter, "year": plan.year}.items():
            if not data.get(name):
                data[name] = str(value)
        super().__init__(data, *args, **kwargs)
        self.form.fields["year"].choices = [(str(y), f"{y}년") for y in years]
        for name, read in _choices(plan).items():  # only the chosen year's areas and departments
            self.form.fields[name].choices = [("", "전체"), *((pk, str(obj)) for pk, obj in read.items())]
            self.form.fields[name].coerce = read.__getitem__
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
