"""Budget rules, pure: 예산현액 of a plan year, 집행잔액 and 집행률 (its pace against the quarter is
``reports.progress.rules.pace``). No database access."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

# Figures past this are typing mistakes, not spending (백만원).
MAX_SPENT_MILLION_WON = 100_000_000


class ColumnLike(Protocol):
    label: str
    from_year: int | None
    to_year: int


class AmountLike(Protocol):
    amount: int
    column: ColumnLike


def column_covers_year(*, from_year: int | None, to_year: int, year: int) -> bool:
    """A column ('17년, '16년∼'17년, '13년이전) holds a year's money when its span includes the year."""
    return (from_year is None or from_year <= year) and year <= to_year


@dataclass(frozen=True)
class AvailableBudget:
    """예산현액 of a budget line for a year, read from the plan's table."""

    amount: int | None
    column_label: str = ""
    merged: bool = False


def available_budget(*, amounts: Iterable[AmountLike], year: int) -> AvailableBudget:
    """The plan's amount in the column covering ``year``; a merged column ('16년∼'17년) is flagged."""
    for amount in amounts:
        column = amount.column
        if column_covers_year(from_year=column.from_year, to_year=column.to_year, year=year):
            merged = column.from_year != column.to_year
            return AvailableBudget(amount=amount.amount, column_label=column.label, merged=merged)
    return AvailableBudget(amount=None)


def plan_year_column(*, amounts: Iterable[AmountLike], year: int) -> ColumnLike | None:
    """The column that holds the plan year's amounts (where the budget chart puts the year's spending)."""
    return next(
        (
            a.column
            for a in amounts
            if column_covers_year(from_year=a.column.from_year, to_year=a.column.to_year, year=year)
        ),
        None,
    )


def balance(*, available: int | None, spent: int | None) -> int | None:
    """집행잔액: 예산현액 − 지출액 누계."""
    return None if available is None or spent is None else available - spent


def execution_rate(*, spent: int | None, available: int | None) -> Decimal | None:
    """집행률: 지출액 누계 ÷ 예산현액, to four places; None without both figures or with 예산현액 0."""
    if spent is None or not available:
        return None
    return (Decimal(spent) / Decimal(available)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def counted_lines(lines: Iterable[tuple[int | None, int | None]]) -> list[tuple[int, int]]:
    """The (spent, available) lines a task's 집행률 is made of: those with both figures and 예산현액 above 0."""
    return [(spent, available) for spent, available in lines if spent is not None and available]


def lines_execution_rate(lines: Sequence[tuple[int | None, int | None]]) -> Decimal | None:
    """A task's (or a group's) 집행률: Σ 지출액 누계 ÷ Σ 예산현액 over the counted lines."""
    counted = counted_lines(lines)
    if not counted:
        return None
    return execution_rate(spent=sum(s for s, _ in counted), available=sum(a for _, a in counted))


def balance_formula(*, spent: str, available: str) -> str:
    """``balance`` as a spreadsheet formula over two cell references (the offline template's 집행잔액)."""
    return f'=IF(OR({spent}="",{available}=""),"",{available}-{spent})'


def execution_rate_formula(*, spent: str, available: str) -> str:
    """``execution_rate`` as a spreadsheet formula over two cell references (the offline template's 집행률)."""
    return f'=IF(OR({spent}="",{available}="",{available}=0),"",ROUND({spent}/{available},4))'


def is_overspent(*, available: int | None, spent: int | None) -> bool:
    return available is not None and spent is not None and spent > available


def overspend_warning(*, available: int | None, spent: int | None) -> str:
    """The warning (not an error: a draft saves) a line shows while 지출액 누계 is above 예산현액; "" otherwise."""
    if not is_overspent(available=available, spent=spent):
        return ""
    # true whether or not the reason is written yet (the live figures see only the amount typed)
    return f"경고: 지출액 누계가 예산현액을 {spent - available:,}백만원 넘습니다. 제출할 때는 초과 사유가 필요합니다."
