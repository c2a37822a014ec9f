"""Budget arithmetic: computed totals beside printed ones, and the flags where they differ.

The functions work on a table whose columns, lines and amounts are already prefetched
(``budgets.selectors.budget_prefetch``) and run no query of their own.
"""

from dataclasses import dataclass, field

from budgets.models import BudgetColumn, BudgetLine, BudgetTable


def total_mismatch(printed: int | None, computed: int) -> bool:
    """A printed total disagrees with its parts; no printed figure is no disagreement."""
    return printed is not None and printed != computed


@dataclass(frozen=True)
class LineSummary:
    line: BudgetLine
    cells: list[int | None]
    computed_total: int

    @property
    def printed_total(self) -> int | None:
        return self.line.printed_total

    @property
    def mismatch(self) -> bool:
        return total_mismatch(self.printed_total, self.computed_total)


@dataclass(frozen=True)
class ColumnSummary:
    column: BudgetColumn
    computed_total: int

    @property
    def printed_total(self) -> int | None:
        return self.column.printed_total

    @property
    def mismatch(self) -> bool:
        return total_mismatch(self.printed_total, self.computed_total)


@dataclass(frozen=True)
class BudgetSummary:
    table: BudgetTable
    columns: list[ColumnSummary]
    lines: list[LineSummary]
    computed_total: int
    flags: list[str] = field(default_factory=list)

    @property
    def printed_total(self) -> int | None:
        """The table's printed grand total: the 계 row's 계, or the only line's 계."""
        if self.table.printed_total is not None or len(self.lines) != 1:
            return self.table.printed_total
        return self.lines[0].printed_total

    @property
    def has_total_row(self) -> bool:
        return bool(self.table.total_row_source_text)

    @property
    def printed_total_row_sum(self) -> int | None:
        printed = [c.printed_total for c in self.columns if c.printed_total is not None]
        return sum(printed) if printed else None

    @property
    def has_mismatch(self) -> bool:
        return bool(self.flags)


def _won(value: int) -> str:
    return f"{value:,}"


def budget_summary(table: BudgetTable) -> BudgetSummary:
    """Computed line, column and table totals, and a Korean flag for each printed total that differs."""
    columns = list(table.columns.all())
    lines: list[LineSummary] = []
    for line in table.lines.all():
        by_column = {amount.column_id: amount.amount for amount in line.amounts.all()}
        cells = [by_column.get(column.pk) for column in columns]
        lines.append(LineSummary(line=line, cells=cells, computed_total=sum(c for c in cells if c is not None)))
    column_summaries = [
        ColumnSummary(column=column, computed_total=sum(s.cells[i] or 0 for s in lines))
        for i, column in enumerate(columns)
    ]
    computed_total = sum(s.computed_total for s in lines)
    flags = [
        f"'{s.line.name}' 행: 인쇄된 계 {_won(s.printed_total)} ≠ 연도별 합 {_won(s.computed_total)}"
        for s in lines
        if s.mismatch
    ]
    flags += [
        f"계 행 {s.column.label}: 인쇄 {_won(s.printed_total)} ≠ 행 합 {_won(s.computed_total)}"
        for s in column_summaries
        if s.mismatch
    ]
    summary = BudgetSummary(table=table, columns=column_summaries, lines=lines, computed_total=computed_total)
    if total_mismatch(table.printed_total, computed_total):
        flags.append(f"총계: 인쇄 {_won(table.printed_total)} ≠ 계산 {_won(computed_total)}")
    row_sum = summary.printed_total_row_sum
    if table.printed_total is not None and row_sum is not None and row_sum != table.printed_total:
        flags.append(f"계 행: 인쇄된 연도별 합계의 합 {_won(row_sum)} ≠ 인쇄된 총계 {_won(table.printed_total)}")
    summary.flags.extend(flags)
    return summary
