"""A task's budget table (소요예산) as the plan prints it, in 백만원.

Printed totals are stored as printed; computed totals are derived (``budgets.services``),
never stored, so that a disagreement in the source stays visible.
"""

from django.db import models

from initiatives.models import Task


class BudgetTable(models.Model):
    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="budget_table", verbose_name="과제")
    non_budget = models.BooleanField("비예산", default=False)
    non_budget_note = models.CharField("비예산 사유", max_length=200, blank=True)
    funding_note = models.CharField("재원 메모", max_length=200, blank=True)
    has_total_column = models.BooleanField("계 열 인쇄", default=True)
    printed_total = models.BigIntegerField("인쇄된 총계(계 행의 계)", null=True, blank=True)
    total_row_source_text = models.TextField("계 행 원문", blank=True)
    header_source_text = models.TextField("표 머리 원문", blank=True)
    note = models.TextField("해석 메모", blank=True)

    class Meta:
        verbose_name = "소요예산표"
        verbose_name_plural = "소요예산표"
        ordering = ["task"]

    def __str__(self) -> str:
        return f"{self.task} 소요예산"


class BudgetColumn(models.Model):
    """A year column of the table: one year, a merged span ('13년∼'14년) or '13년이전."""

    table = models.ForeignKey(BudgetTable, on_delete=models.CASCADE, related_name="columns", verbose_name="예산표")
    order = models.PositiveSmallIntegerField("순서")
    label = models.CharField("열 제목", max_length=30)
    from_year = models.PositiveSmallIntegerField("시작 연도", null=True, blank=True, help_text="비어 있으면 '이전'")
    to_year = models.PositiveSmallIntegerField("종료 연도")
    printed_total = models.BigIntegerField("인쇄된 열 합계(계 행)", null=True, blank=True)

    class Meta:
        verbose_name = "연도 열"
        verbose_name_plural = "연도 열"
        ordering = ["table", "order"]
        constraints = [
            models.UniqueConstraint(fields=["table", "order"], name="unique_column_order_per_table"),
            models.UniqueConstraint(fields=["table", "label"], name="unique_column_label_per_table"),
            models.CheckConstraint(
                condition=models.Q(from_year__isnull=True) | models.Q(to_year__gte=models.F("from_year")),
                name="column_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class BudgetLine(models.Model):
    """A row of the table (사업내용)."""

    table = models.ForeignKey(BudgetTable, on_delete=models.CASCADE, related_name="lines", verbose_name="예산표")
    order = models.PositiveSmallIntegerField("순서")
    name = models.CharField("사업내용", max_length=200)
    printed_total = models.BigIntegerField("인쇄된 계", null=True, blank=True)
    source_text = models.TextField("원문", blank=True)
    note = models.TextField("해석 메모", blank=True)

    class Meta:
        verbose_name = "사업내용(예산 행)"
        verbose_name_plural = "사업내용(예산 행)"
        ordering = ["table", "order"]
        constraints = [models.UniqueConstraint(fields=["table", "order"], name="unique_line_order_per_table")]

    def __str__(self) -> str:
        return self.name


class BudgetAmount(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts", verbose_name="사업내용")
    column = models.ForeignKey(BudgetColumn, on_delete=models.CASCADE, related_name="amounts", verbose_name="연도 열")
    amount = models.BigIntegerField("금액(백만원)")

    class Meta:
        verbose_name = "연도별 금액"
        verbose_name_plural = "연도별 금액"
        ordering = ["line", "column__order"]
        constraints = [
            models.UniqueConstraint(fields=["line", "column"], name="unique_amount_per_line_column"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.column.label}: {self.amount}"
