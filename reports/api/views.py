"""The read API, version 1. Thin: who sees what is ``reports.progress.permissions``'s, the figures are the
pages' own functions; each view only picks the rows and hands them to a serializer."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from initiatives.exports import plan_export
from initiatives.models import Plan, Task
from initiatives.selectors import task_detail_queryset
from reports.api import filters, serializers
from reports.evaluation import annual
from reports.evaluation.assessments import stored_judging_missing
from reports.evaluation.filters import QUARTERS
from reports.evaluation.views import dashboard_selection, plan_and_years
from reports.models import IndicatorResult, ProgressReport, ReportingPeriod, TaskScore
from reports.opendata import datasets
from reports.progress import permissions, selectors
from reports.progress.services import periods_ensure


class WithKey(drf_permissions.BasePermission):
    """Anything beyond the public data needs a key (401 without one); what it shows is the permissions module's."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)


def _one(queryset, missing: str, **lookup):
    if not all(str(value).isdigit() for value in lookup.values()):
        raise Http404(missing)
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(missing)
    return found


@extend_schema_view(
    list=extend_schema(summary="실행계획 목록", tags=["공개"]),
    retrieve=extend_schema(
        summary="실행계획 문서",
        description="계획 JSON 내보내기와 같은 문서: 추진방안, 과제, 예산, 일정, 지표.",
        tags=["공개"],
        responses=OpenApiTypes.OBJECT,
    ),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PlanSerializer
    queryset = Plan.objects.defer("source_text").order_by("-year")
    lookup_field = "year"
    lookup_value_regex = r"\d{4}"
    filter_backends: list = []

    def retrieve(self, request, year: str):
        return Response(plan_export(plan=_one(self.get_queryset(), "실행계획이 없습니다.", year=year)))


@extend_schema_view(
    list=extend_schema(summary="과제 목록", description="과제 목록 화면의 조건으로 거릅니다.", tags=["공개"]),
    retrieve=extend_schema(summary="과제", tags=["공개"]),
)
class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TaskSerializer
    queryset = task_detail_queryset().order_by("plan__year", "number")
    filterset_class = filters.ApiTaskFilter

    def get_object(self) -> Task:
        return _one(self.get_queryset(), "과제를 찾을 수 없습니다.", pk=self.kwargs["pk"])


@extend_schema_view(list=extend_schema(summary="보고 분기", tags=["공개"]))
class PeriodViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.PeriodSerializer
    queryset = ReportingPeriod.objects.select_related("plan").order_by("plan__year", "quarter")
    filterset_class = filters.PeriodFilter


REPORT_PARTS = (
    Prefetch("indicator_results", IndicatorResult.objects.select_related("indicator").order_by("indicator__order")),
    "milestone_progress__milestone",
    "budget_executions__budget_line",
)


def _report_queryset():
    return (
        ProgressReport.objects.select_related("task__department", "period__plan")
        .prefetch_related(*REPORT_PARTS)
        .order_by("period__plan__year", "period__quarter", "task__number")
    )


@extend_schema_view(
    list=extend_schema(
        summary="분기 보고", description="토큰의 사용자가 화면에서 보는 보고만 답합니다.", tags=["토큰"]
    ),
    retrieve=extend_schema(summary="분기 보고 하나", tags=["토큰"]),
)
class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ReportSerializer
    permission_classes = [WithKey]
    filterset_class = filters.ReportFilter

    def get_queryset(self):
        return permissions.reports_for_user(self.request.user, _report_queryset())

    def get_object(self) -> ProgressReport:
        pk = self.kwargs["pk"]
        if not pk.isdigit():
            raise Http404("보고서를 찾을 수 없습니다.")
        return permissions.get_report_for_user(self.request.user, int(pk), queryset=self.get_queryset())


YEAR = OpenApiParameter("year", int, description="연도 (없으면 가장 최근 계획)")
DASHBOARD_PARAMETERS = [
    YEAR,
    OpenApiParameter("quarter", int, enum=[1, 2, 3, 4], description="분기 (없으면 대시보드의 기본 분기)"),
    OpenApiParameter("area", int, description="추진방안 (id)"),
    OpenApiParameter("department", int, description="주관부서 (id)"),
    OpenApiParameter("status", str, description="진단"),
]


RESULT_PARAMETERS = [
    YEAR,
    OpenApiParameter("quarter", int, enum=[1, 2, 3, 4], description="분기 (없으면 승인된 보고가 있는 최근 분기)"),
]


class PublishedResultViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The open data's result rows (``reports.opendata``): what /results/ shows, approved reports only."""

    filter_backends: list = []
    dataset_index = 0  # of ``datasets.result_datasets``: the tasks' figures, then the indicators'

    def get_queryset(self):
        plan = plan_and_years(self.request)[0]
        quarter = self.request.query_params.get("quarter", "")
        if quarter and quarter not in dict(QUARTERS):
            raise ValidationError({"quarter": ["분기는 1, 2, 3, 4 가운데 하나입니다."]})
        shown = int(quarter) if quarter else annual.approved_quarters(plan=plan)[0] or 1
        return datasets.table(plan, datasets.result_datasets(shown)[self.dataset_index]).records()


def published_view(serializer, dataset_index: int, summary: str, description: str):
    attributes = {"serializer_class": serializer, "dataset_index": dataset_index}
    view = type(serializer.__name__.replace("Serializer", "ViewSet"), (PublishedResultViewSet,), attributes)
    schema = extend_schema(summary=summary, description=description, tags=["공개"], parameters=RESULT_PARAMETERS)
    return extend_schema_view(list=schema)(view)


ResultViewSet = published_view(
    serializers.PublishedResultSerializer,
    0,
    "분기 추진실적",
    "추진실적 공개 화면과 공개 데이터의 같은 수치입니다. 승인된 보고만 담습니다.",
)
IndicatorResultViewSet = published_view(
    serializers.PublishedIndicatorSerializer,
    1,
    "분기 성과지표 실적",
    "과제별 성과지표의 목표·실적·달성률입니다. 승인된 보고만 담습니다.",
)


@extend_schema_view(
    list=extend_schema(
        summary="과제 진단",
        description="대시보드와 같은 조건, 같은 진단입니다. 검토자만.",
        tags=["토큰"],
        parameters=DASHBOARD_PARAMETERS,
        filters=False,
    )
)
class AssessmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.AssessmentSerializer
    permission_classes = [WithKey]
    filter_backends: list = []

    def get_queryset(self):
        plan, selection = dashboard_selection(self.request)
        if not selection.form.is_valid():
            raise ValidationError(selection.form.errors)
        status = selection.chosen("status") or None
        stored = stored_judging_missing(plan=plan, tasks=selection.qs, weights=annual.weights_current())
        return stored.quarter(selection.shown_quarter, status).select_related("task", "period").order_by("task__number")


@extend_schema_view(
    list=extend_schema(
        summary="연말 평가 점수",
        description="평가 화면의 점수입니다. 검토자만.",
        tags=["토큰"],
        parameters=[YEAR],
        filters=False,
    )
)
class ScoreViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.ScoreSerializer
    permission_classes = [WithKey]
    filter_backends: list = []

    def get_queryset(self):
        permissions.ensure_reviewer(self.request.user)
        plan = plan_and_years(self.request)[0]
        return TaskScore.objects.filter(evaluation__plan=plan).select_related("task", "evaluation")


# 검토함: one endpoint per list of the page, each read by the page's own selector (a comment, not a docstring:
# drf-spectacular would publish a docstring as the endpoints' description).
class InboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [WithKey]
    filter_backends: list = []
    status: str = ""

    def get_serializer_class(self):
        return serializers.OverdueSerializer if self.status == "overdue" else serializers.ReportSerializer

    def get_queryset(self):
        permissions.ensure_reviewer(self.request.user)
        if self.status == "overdue":
            plan = plan_and_years(self.request)[0]
            periods = periods_ensure(plan=plan)
            return selectors.overdue_cells(plan=plan, periods=periods, today=timezone.localdate())
        return selectors.reports_with_status(user=self.request.user, status=self.status).prefetch_related(*REPORT_PARTS)


def inbox_view(status: str, summary: str, **schema):
    view = type(f"Inbox{status.title()}ViewSet", (InboxViewSet,), {"status": status})
    return extend_schema_view(list=extend_schema(summary=summary, tags=["토큰"], **schema))(view)


InboxWaitingViewSet = inbox_view(ProgressReport.Status.SUBMITTED, "검토함: 검토 대기")
InboxReturnedViewSet = inbox_view(ProgressReport.Status.RETURNED, "검토함: 반려되어 재제출 대기")
InboxOverdueViewSet = inbox_view(
    "overdue",
    "검토함: 기한 경과",
    parameters=[YEAR],
)
