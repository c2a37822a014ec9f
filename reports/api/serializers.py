"""What each endpoint answers, field by field: the schema drf-spectacular writes is read from here (a serializer's
docstring is its description in the schema, hence Korean)."""

from rest_framework import serializers

from initiatives.models import Plan, Task
from reports.models import (
    BudgetExecution,
    IndicatorResult,
    MilestoneProgress,
    ProgressReport,
    ReportingPeriod,
    TaskAssessment,
    TaskScore,
)
from reports.opendata.datasets import INDICATOR_RESULT_COLUMNS, RESULT_COLUMNS, Column


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["year", "title", "document_number", "approved_on"]


class TaskSerializer(serializers.ModelSerializer):
    plan_year = serializers.IntegerField(source="plan.year", help_text="실행계획 연도")
    area = serializers.IntegerField(source="programme.strategic_area.number", help_text="추진방안 번호")
    programme = serializers.IntegerField(source="programme.number", help_text="중점 추진과제 번호")
    department = serializers.CharField(source="department.name", help_text="주관부서")
    agencies = serializers.SerializerMethodField(help_text="협업기관")

    class Meta:
        model = Task
        fields = ["id", "plan_year", "number", "title", "area", "programme", "department", "agencies"]

    def get_agencies(self, task: Task) -> list[str]:
        return [link.agency.name for link in task.task_agencies.all()]


class PeriodSerializer(serializers.ModelSerializer):
    plan_year = serializers.IntegerField(source="plan.year", help_text="실행계획 연도")
    state_label = serializers.CharField(source="get_state_display", help_text="상태(한국어)")

    class Meta:
        model = ReportingPeriod
        fields = ["id", "plan_year", "quarter", "opens_on", "due_on", "state", "state_label"]


class IndicatorResultSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")

    class Meta:
        model = IndicatorResult
        fields = ["indicator", "name", "unit", "actual", "comment"]


class MilestoneProgressSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="milestone.title")

    class Meta:
        model = MilestoneProgress
        fields = ["milestone", "title", "status", "actual_start", "actual_end", "delay_reason"]


class BudgetExecutionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="budget_line.name")

    class Meta:
        model = BudgetExecution
        fields = ["budget_line", "name", "spent_to_date", "explanation"]


class ReportSerializer(serializers.ModelSerializer):
    """분기 보고: 같은 사용자가 보고 화면에서 보는 내용."""

    task_number = serializers.IntegerField(source="task.number")
    task_title = serializers.CharField(source="task.title")
    department = serializers.CharField(source="task.department.name", help_text="주관부서")
    plan_year = serializers.IntegerField(source="period.plan.year")
    quarter = serializers.IntegerField(source="period.quarter")
    status_label = serializers.CharField(source="get_status_display", help_text="상태(한국어)")
    indicator_results = IndicatorResultSerializer(many=True)
    milestone_progress = MilestoneProgressSerializer(many=True)
    budget_executions = BudgetExecutionSerializer(many=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "task_number",
            "task_title",
            "department",
            "plan_year",
            "quarter",
            "status",
            "status_label",
            "achievements",
            "problems",
            "next_steps",
            "self_assessment",
            "version",
            "is_sample",
            "submitted_at",
            "returned_at",
            "return_comment",
            "approved_at",
            "indicator_results",
            "milestone_progress",
            "budget_executions",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    """과제의 분기 진단: 대시보드가 보여 주는 내용."""

    task_number = serializers.IntegerField(source="task.number")
    task_title = serializers.CharField(source="task.title")
    quarter = serializers.IntegerField(source="period.quarter")
    status_label = serializers.CharField(source="get_status_display", help_text="진단(한국어)")

    class Meta:
        model = TaskAssessment
        fields = [
            "task",
            "task_number",
            "task_title",
            "quarter",
            "as_of",
            "status",
            "status_label",
            "explanation",
            "indicator",
            "milestone",
            "budget",
            "timeliness",
            "total",
            "available",
            "spent",
            "execution_rate",
            "report",
        ]


class ScoreSerializer(serializers.ModelSerializer):
    task_number = serializers.IntegerField(source="task.number")
    task_title = serializers.CharField(source="task.title")
    evaluation_status = serializers.CharField(source="evaluation.status", help_text="draft 작성중 · final 확정")
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, read_only=True)

    class Meta:
        model = TaskScore
        fields = [
            "task",
            "task_number",
            "task_title",
            "evaluation_status",
            "indicator_score",
            "milestone_score",
            "budget_score",
            "timeliness_score",
            "computed_total",
            "adjusted_total",
            "adjustment_reason",
            "total",
            "grade",
        ]


class OverdueSerializer(serializers.Serializer):
    """보고 기한이 지난 과제와 분기 (검토함의 기한 경과)."""

    task = serializers.IntegerField(source="pk")
    task_number = serializers.IntegerField(source="number")
    task_title = serializers.CharField(source="title")
    department = serializers.CharField(source="department.name")
    quarter = serializers.IntegerField(source="overdue_quarter")


FIELD_KINDS = {
    "integer": serializers.IntegerField,
    "number": serializers.FloatField,
    "string": serializers.CharField,
    "boolean": serializers.BooleanField,
}


def dataset_serializer(name: str, columns: tuple[Column, ...], description: str) -> type[serializers.Serializer]:
    """An open dataset's row, field for field its data dictionary: the API and the files cannot differ."""
    fields = {c.name: FIELD_KINDS[c.type](allow_null=True, label=c.title, help_text=c.description) for c in columns}
    return type(name, (serializers.Serializer,), {"__doc__": description, **fields})


PublishedResultSerializer = dataset_serializer(
    "PublishedResultSerializer", RESULT_COLUMNS, "과제 하나의 분기 추진실적 (승인된 보고만)."
)
PublishedIndicatorSerializer = dataset_serializer(
    "PublishedIndicatorSerializer", INDICATOR_RESULT_COLUMNS, "성과지표 하나의 분기 실적 (승인된 보고만)."
)
