"""Load the plan fixture (``fixtures/plan_2017.yaml``) into the database.

The whole file is read and checked first; then everything is upserted by natural keys in one
transaction. A row is written only when a value differs, so a second run writes nothing, and
any error leaves the database as it was.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from budgets.models import BudgetAmount, BudgetColumn, BudgetLine, BudgetTable
from gov30.korean import with_particle
from initiatives.models import (
    Agency,
    Department,
    Indicator,
    Milestone,
    Plan,
    Programme,
    StrategicArea,
    Task,
    TaskAgency,
)


class PlanFileError(Exception):
    """The plan file cannot be loaded; the message says where and why, in Korean."""


@dataclass
class LoadResult:
    counts: Counter = field(default_factory=Counter)

    def note(self, status: str) -> None:
        self.counts[status] += 1

    def __str__(self) -> str:
        return (
            f"생성 {self.counts['created']}건, 변경 {self.counts['updated']}건, 변경 없음 {self.counts['unchanged']}건"
        )


def _require(data: dict, key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise PlanFileError(f"{where}: '{key}' 항목이 없습니다.")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise PlanFileError(f"{where}.{key}: 형식이 잘못되었습니다 ({type(value).__name__}).")
    return value


def _optional(data: dict, key: str, where: str, kind: type | tuple[type, ...] = str, default: Any = "") -> Any:
    if data.get(key) is None:
        return default
    return _require(data, key, where, kind)


def _month(value: Any, where: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.datetime.strptime(str(value), "%Y-%m").date()
    except ValueError:
        raise PlanFileError(f"{where}: 월은 YYYY-MM 형식이어야 합니다 ({value!r}).") from None


def _day(value: Any, where: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise PlanFileError(f"{where}: 날짜는 YYYY-MM-DD 형식이어야 합니다 ({value!r}).") from None


def _decimal(value: int | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def read_plan_file(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as exc:
        raise PlanFileError(f"계획 파일을 열 수 없습니다: {path} ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise PlanFileError(f"계획 파일의 YAML 형식이 잘못되었습니다: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise PlanFileError("계획 파일이 UTF-8 텍스트가 아닙니다.") from exc
    if not isinstance(data, dict):
        raise PlanFileError("계획 파일의 최상위는 plan, strategic_areas, tasks 항목을 가진 사전이어야 합니다.")
    for key, kind in (("plan", dict), ("strategic_areas", list), ("tasks", list)):
        _require(data, key, "계획 파일", kind)
    return data


def _check_unique_numbers(rows: list, where: str) -> None:
    numbers = [_require(row, "number", f"{where}[{i}]", int) for i, row in enumerate(rows)]
    duplicates = sorted(n for n, count in Counter(numbers).items() if count > 1)
    if duplicates:
        raise PlanFileError(f"{where}: {with_particle(f'번호 {duplicates}', '이')} 두 번 이상 나옵니다.")


def _upsert(result: LoadResult, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """Create, or update only the fields that differ; full_clean before any write."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        status = "created"
    else:
        changed = {k: v for k, v in values.items() if getattr(instance, k) != v}
        if not changed:
            result.note("unchanged")
            return instance
        for key, value in changed.items():
            setattr(instance, key, value)
        status = "updated"
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise PlanFileError(f"{model._meta.verbose_name} {lookup}: {exc.messages}") from exc
    instance.save()
    result.note(status)
    return instance


def _prune(result: LoadResult, queryset: models.QuerySet, keep_pks: list[int]) -> None:
    """Rows the file no longer has are removed, so the database mirrors the file."""
    deleted, _ = queryset.exclude(pk__in=keep_pks).delete()
    result.counts["deleted"] += deleted


def load_plan(*, path: Path) -> LoadResult:
    """Load the plan file at ``path``; raise PlanFileError and change nothing if it is broken."""
    data = read_plan_file(path)
    _check_unique_numbers(data["tasks"], "tasks")
    _check_unique_numbers(data["strategic_areas"], "strategic_areas")
    for i, area in enumerate(data["strategic_areas"]):
        _check_unique_numbers(_require(area, "programmes", f"strategic_areas[{i}]", list), f"strategic_areas[{i}]")
    result = LoadResult()
    try:
        with transaction.atomic():
            plan = _load_plan_row(result, data["plan"])
            programmes = _load_structure(result, plan, data["strategic_areas"])
            task_pks = [
                _load_task(result, plan, programmes, task, f"tasks[{i}]").pk for i, task in enumerate(data["tasks"])
            ]
            _prune(result, plan.tasks.all(), task_pks)
    except IntegrityError as exc:
        raise PlanFileError(f"계획 파일의 값이 서로 맞지 않습니다 (중복 번호 등): {exc}") from exc
    return result


def _load_plan_row(result: LoadResult, row: dict) -> Plan:
    where = "plan"
    return _upsert(
        result,
        Plan,
        {"year": _require(row, "year", where, int)},
        {
            "title": _require(row, "title", where),
            "document_number": _require(row, "document_number", where),
            "approved_on": _day(_require(row, "approved_on", where, (str, datetime.date)), f"{where}.approved_on"),
            "source_text": _optional(row, "source_text", where),
        },
    )


def _load_structure(result: LoadResult, plan: Plan, areas: list) -> dict[tuple[int, int], Programme]:
    programmes: dict[tuple[int, int], Programme] = {}
    area_pks = []
    for i, row in enumerate(areas):
        where = f"strategic_areas[{i}]"
        area = _upsert(
            result,
            StrategicArea,
            {"plan": plan, "number": _require(row, "number", where, int)},
            {"title": _require(row, "title", where), "source_text": _optional(row, "source_text", where)},
        )
        area_pks.append(area.pk)
        for j, prow in enumerate(_require(row, "programmes", where, list)):
            pwhere = f"{where}.programmes[{j}]"
            programme = _upsert(
                result,
                Programme,
                {"strategic_area": area, "number": _require(prow, "number", pwhere, int)},
                {
                    "title": _require(prow, "title", pwhere),
                    "chapter_heading": _optional(prow, "chapter_heading", pwhere),
                    "source_text": _optional(prow, "source_text", pwhere),
                },
            )
            programmes[(area.number, programme.number)] = programme
        _prune(result, area.programmes.all(), [p.pk for (a, _), p in programmes.items() if a == area.number])
    _prune(result, plan.strategic_areas.all(), area_pks)
    return programmes


def _person(row: dict, key: str, where: str) -> tuple[str, str]:
    person = _optional(row, key, where, dict, default=None)
    if person is None:
        return "", ""
    return _require(person, "name", f"{where}.{key}"), _optional(person, "title", f"{where}.{key}")


def _load_task(result: LoadResult, plan: Plan, programmes: dict, row: dict, where: str) -> Task:
    key = (_require(row, "area", where, int), _require(row, "programme", where, int))
    if key not in programmes:
        raise PlanFileError(
            f"{where}: 추진방안 {key[0]}의 {with_particle(f'중점 추진과제 {key[1]}', '이')} 계획 파일에 없습니다."
        )
    manager_name, manager_title = _person(row, "manager", where)
    officer_name, officer_title = _person(row, "officer", where)
    department, _ = Department.objects.get_or_create(name=_require(row, "department", where))
    task = _upsert(
        result,
        Task,
        {"plan": plan, "number": _require(row, "number", where, int)},
        {
            "programme": programmes[key],
            "title": _require(row, "title", where),
            "source_text": _optional(row, "source_text", where),
            "placement_note": _optional(row, "placement_note", where),
            "department": department,
            "agencies_text": _optional(row, "agencies_text", where),
            "manager_name": manager_name,
            "manager_title": manager_title,
            "officer_name": officer_name,
            "officer_title": officer_title,
            "phone": _optional(row, "phone", where),
            "people_source_text": _optional(row, "people_source_text", where),
            "background": _optional(row, "background", where),
            "service_demand": _optional(row, "service_demand", where),
            "goals": _optional(row, "goals", where),
        },
    )
    _load_agencies(result, task, _optional(row, "agencies", where, list, default=[]), where)
    _load_milestones(result, task, _optional(row, "milestones", where, list, default=[]), where)
    _load_indicators(result, task, _optional(row, "indicators", where, list, default=[]), where)
    _load_budget(result, task, _require(row, "budget", where, dict), f"{where}.budget")
    return task


def _load_agencies(result: LoadResult, task: Task, names: list, where: str) -> None:
    keep = []
    for order, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            raise PlanFileError(f"{where}.agencies[{order}]: 기관명이 비어 있습니다.")
        agency, _ = Agency.objects.get_or_create(name=name)
        keep.append(_upsert(result, TaskAgency, {"task": task, "agency": agency}, {"order": order}).pk)
    _prune(result, task.task_agencies.all(), keep)


def _load_milestones(result: LoadResult, task: Task, rows: list, where: str) -> None:
    keep = []
    for order, row in enumerate(rows):
        mwhere = f"{where}.milestones[{order}]"
        start = _month(_require(row, "start", mwhere), f"{mwhere}.start")
        end = _month(row.get("end"), f"{mwhere}.end")
        if end is not None and end < start:
            raise PlanFileError(f"{mwhere}: 종료 월({end:%Y-%m})이 시작 월({start:%Y-%m})보다 앞섭니다.")
        values = {
            "title": _require(row, "title", mwhere),
            "date_text": _require(row, "date_text", mwhere),
            "start": start,
            "end": end,
            "section": _optional(row, "section", mwhere),
            "source_text": _optional(row, "source_text", mwhere),
            "note": _optional(row, "note", mwhere),
        }
        keep.append(_upsert(result, Milestone, {"task": task, "order": order}, values).pk)
    _prune(result, task.milestones.all(), keep)


def _load_indicators(result: LoadResult, task: Task, rows: list, where: str) -> None:
    keep = []
    for order, row in enumerate(rows):
        iwhere = f"{where}.indicators[{order}]"
        values = {
            "name": _require(row, "name", iwhere),
            "unit": _require(row, "unit", iwhere),
            "target": _decimal(_require(row, "target", iwhere, (int, float))),
            "year": _require(row, "year", iwhere, int),
            "baseline": _decimal(_optional(row, "baseline", iwhere, (int, float), default=None)),
            "cumulative": _optional(row, "cumulative", iwhere, bool, default=False),
            "higher_is_better": _optional(row, "higher_is_better", iwhere, bool, default=True),
            "source_text": _optional(row, "source_text", iwhere),
            "note": _optional(row, "note", iwhere),
        }
        keep.append(_upsert(result, Indicator, {"task": task, "order": order}, values).pk)
    _prune(result, task.indicators.all(), keep)


def _load_budget(result: LoadResult, task: Task, row: dict, where: str) -> None:
    non_budget = _optional(row, "non_budget", where, bool, default=False)
    total_row = _optional(row, "total_row", where, dict, default=None)
    table = _upsert(
        result,
        BudgetTable,
        {"task": task},
        {
            "non_budget": non_budget,
            "non_budget_note": _optional(row, "non_budget_note", where),
            "funding_note": _optional(row, "funding_note", where),
            "has_total_column": _optional(row, "has_total_column", where, bool, default=True),
            "printed_total": _optional(total_row or {}, "printed_total", f"{where}.total_row", int, default=None),
            "total_row_source_text": _optional(total_row or {}, "source_text", f"{where}.total_row"),
            "header_source_text": _optional(row, "header_source_text", where),
            "note": _optional(row, "note", where),
        },
    )
    lines = _optional(row, "lines", where, list, default=[])
    if non_budget and lines:
        raise PlanFileError(f"{where}: 비예산 과제에 예산 행이 있습니다.")
    columns = _load_columns(result, table, row, total_row, where)
    keep = []
    for order, line_row in enumerate(lines):
        lwhere = f"{where}.lines[{order}]"
        line = _upsert(
            result,
            BudgetLine,
            {"table": table, "order": order},
            {
                "name": _require(line_row, "name", lwhere),
                "printed_total": _optional(line_row, "printed_total", lwhere, int, default=None),
                "source_text": _optional(line_row, "source_text", lwhere),
                "note": _optional(line_row, "note", lwhere),
            },
        )
        keep.append(line.pk)
        amounts = _amounts_by_column(columns, _require(line_row, "amounts", lwhere, dict), f"{lwhere}.amounts")
        kept = [_upsert(result, BudgetAmount, {"line": line, "column": c}, {"amount": a}).pk for c, a in amounts]
        _prune(result, line.amounts.all(), kept)
    _prune(result, table.lines.all(), keep)


def _load_columns(result: LoadResult, table: BudgetTable, row: dict, total_row: dict | None, where: str) -> dict:
    printed = _optional(total_row or {}, "amounts", f"{where}.total_row", dict, default={})
    labels = [c.get("label") for c in _optional(row, "columns", where, list, default=[]) if isinstance(c, dict)]
    unknown = set(printed) - set(labels)
    if unknown:
        raise PlanFileError(f"{where}.total_row.amounts: 없는 연도 열 {sorted(unknown)}")
    columns = {}
    for order, col in enumerate(_optional(row, "columns", where, list, default=[])):
        cwhere = f"{where}.columns[{order}]"
        label = _require(col, "label", cwhere)
        total = printed.get(label)
        if total is not None and (not isinstance(total, int) or isinstance(total, bool) or total < 0):
            raise PlanFileError(f"{where}.total_row.amounts['{label}']: 0 이상의 정수(백만원)여야 합니다 ({total!r}).")
        columns[label] = _upsert(
            result,
            BudgetColumn,
            {"table": table, "order": order},
            {
                "label": label,
                "from_year": _optional(col, "from_year", cwhere, int, default=None),
                "to_year": _require(col, "to_year", cwhere, int),
                "printed_total": total,
            },
        )
    _prune(result, table.columns.all(), [c.pk for c in columns.values()])
    return columns


def _amounts_by_column(columns: dict, amounts: dict, where: str) -> list[tuple[BudgetColumn, int]]:
    pairs = []
    for label, amount in amounts.items():
        if label not in columns:
            raise PlanFileError(f"{where}: 표에 없는 연도 열 '{label}'")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise PlanFileError(f"{where}['{label}']: 금액은 0 이상의 정수(백만원)여야 합니다 ({amount!r}).")
        pairs.append((columns[label], amount))
    return pairs
