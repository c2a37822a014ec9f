"""The API's query filters: the task list page's (``initiatives.filters.TaskFilter``) and the reports'."""

import django_filters

from initiatives.filters import TaskFilter
from initiatives.models import Department
from reports.evaluation.filters import QUARTERS
from reports.models import ProgressReport, ReportingPeriod


class ApiTaskFilter(TaskFilter):
    year = django_filters.NumberFilter(label="연도", field_name="plan__year")

    class Meta(TaskFilter.Meta):
        fields = ["year", *TaskFilter.Meta.fields]


class PeriodFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="연도", field_name="plan__year")
    quarter = django_filters.ChoiceFilter(label="분기", choices=QUARTERS)
    state = django_filters.ChoiceFilter(label="상태", choices=ReportingPeriod.State.choices)

    class Meta:
        model = ReportingPeriod
        fields = ["year", "quarter", "state"]


class ReportFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="연도", field_name="period__plan__year")
    quarter = django_filters.ChoiceFilter(label="분기", field_name="period__quarter", choices=QUARTERS)
    status = django_filters.ChoiceFilter(label="상태", choices=ProgressReport.Status.choices)
    department = django_filters.ModelChoiceFilter(
        label="주관부서", field_name="task__department", queryset=Department.objects.all()
    )
    task = django_filters.NumberFilter(label="과제 번호", field_name="task__number")

    class Meta:
        model = ProgressReport
        fields = ["year", "quarter", "status", "department", "task"]
