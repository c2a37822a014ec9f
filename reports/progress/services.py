"""Every write of quarterly reporting, and the rules that decide whether it may happen.

Each service claims the report's ``version`` with a conditional UPDATE first, so a stale form,
a second click or a concurrent reviewer action is refused instead of silently overwriting.
Every write leaves a ``ReportEvent`` with who, when, and each old and new value.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from django.conf import settings
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, JSONField, QuerySet, Value, prefetch_related_objects
from django.utils import timezone

from budgets import rules as budget_rules
from budgets.models import BudgetLine
from gov30.korean import quoted, with_particle
from initiatives.models import Indicator, IndicatorTargetChange, Milestone, Plan, Task
from initiatives.selectors import milestones_of_year
from reports.models import (
    BudgetExecution,
    Evidence,
    IndicatorResult,
    LateChangeException,
    MilestoneProgress,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
    TaskRevision,
)
from reports.progress import permissions, rules, selectors

Status = ProgressReport.Status
State = ReportingPeriod.State
Action = ReportEvent.Action


class ReportActionRefused(Exception):
    """The action is not possible now; the message says why, in Korean."""


class StaleReportError(ReportActionRefused):
    def __init__(self) -> None:
        super().__init__(
            "다른 사용자가(또는 다른 창에서) 이 보고를 먼저 변경했습니다. 입력하신 내용은 그대로 두었으니, "
            "최신 내용을 확인한 뒤 다시 저장하세요."
        )


class SubmissionInvalid(ReportActionRefused):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("제출할 수 없습니다. 표시된 항목을 채우거나 고쳐 주세요.")
        self.problems = problems


@dataclass(frozen=True)
class EvidenceUpload:
    """A file to attach and what kind of evidence it is (증빙, 사진, …)."""

    upload: UploadedFile
    kind: str = ""


# ---------------------------------------------------------------- periods


PERIOD_TRANSITIONS = {
    State.SCHEDULED: {State.OPEN},
    State.OPEN: {State.CLOSED},
    State.CLOSED: {State.OPEN, State.LOCKED},
    State.LOCKED: set(),
}


def periods_ensure(*, plan: Plan) -> list[ReportingPeriod]:
    """The four quarters of the plan year, created with default dates where missing (one query when present)."""
    periods = {p.quarter: p for p in ReportingPeriod.objects.filter(plan=plan).select_related("plan")}
    for quarter in set(range(1, 5)) - set(periods):
        opens_on, due_on = rules.quarter_dates(year=plan.year, quarter=quarter)
        periods[quarter], _ = ReportingPeriod.objects.get_or_create(
            plan=plan, quarter=quarter, defaults={"opens_on": opens_on, "due_on": due_on}
        )
    return [periods[q] for q in range(1, 5)]


def period_set_state(*, period: ReportingPeriod, user, state: str) -> ReportingPeriod:
    permissions.ensure_reviewer(user)
    current = State(period.state)
    if State(state) not in PERIOD_TRANSITIONS[current]:
        target = with_particle(f"'{State(state).label}'", "으로")
        raise ReportActionRefused(f"{period}: '{current.label}' 상태에서 {target} 바꿀 수 없습니다.")
    updated = ReportingPeriod.objects.filter(pk=period.pk, state=current).update(state=state)
    if not updated:
        raise ReportActionRefused("분기 상태가 그 사이 바뀌었습니다. 새로 고친 뒤 다시 시도하세요.")
    period.state = state
    tasks_changed(period.plan.tasks.all())  # whether a report is overdue depends on it
    return period


def tasks_changed(task_ids: Iterable[int] | QuerySet) -> None:
    """Mark the tasks' stored assessments out of date (``reports.evaluation.assessments`` judges them again when read).

    One statement adds 1 to each task's ``TaskRevision``, creating at 1 the rows not there yet (no row is 0)."""
    tasks = Task.objects.filter(pk__in=task_ids).values(changed_task=F("pk"))
    try:
        select, params = tasks.query.sql_with_params()
    except EmptyResultSet:
        return  # no task at all: no query, as an UPDATE of nothing
    table = connection.ops.quote_name(TaskRevision._meta.db_table)
    # The ORM's upsert can only set the new row's value, not add 1; SQLite and PostgreSQL share this syntax
    # ("WHERE true" tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to the SELECT).
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (task_id, revision) SELECT changed_task, 1 FROM ({select}) AS changed WHERE true"
            f" ON CONFLICT (task_id) DO UPDATE SET revision = {table}.revision + 1",
            params,
        )


# ---------------------------------------------------------------- why a report cannot be edited


def active_exception(report: ProgressReport) -> LateChangeException | None:
    return report.exceptions.filter(revoked_at__isnull=True).order_by("-granted_at").first()


def period_block_reason(period: ReportingPeriod, *, has_exception: bool) -> str | None:
    if period.state == State.LOCKED:
        return f"{period}는 확정되었습니다. 확정된 분기의 보고는 누구도 수정할 수 없습니다."
    if period.state == State.CLOSED and not has_exception:
        return f"{period}는 마감되었습니다. 수정하려면 정보기획담당관에 사유를 적어 마감 후 수정 예외를 요청하세요."
    if period.state == State.SCHEDULED:
        return f"{period}는 아직 시작되지 않았습니다 (시작일 {period.opens_on:%Y. %m. %d.})."
    return None


def status_block_reason(report: ProgressReport) -> str | None:
    if report.status == Status.SUBMITTED:
        return "제출되어 검토를 기다리는 보고입니다. 검토가 끝날 때까지(승인 또는 반려) 수정할 수 없습니다."
    if report.status == Status.APPROVED:
        return "승인된 보고입니다. 고칠 내용이 있으면 정보기획담당관이 사유를 적어 보고를 재개해야 합니다."
    return None


def _report_period_block_reason(report: ProgressReport, has_exception: bool | None = None) -> str | None:
    if report.period.state != State.CLOSED:
        has_exception = False
    elif has_exception is None:
        has_exception = active_exception(report) is not None
    return period_block_reason(report.period, has_exception=has_exception)


def edit_block_reason(*, user, report: ProgressReport, has_exception: bool | None = None) -> str | None:
    """Why this user cannot change this report's content now, or None when they can. ``has_exception``: whether
    the report holds an active late-change exception, when the caller has read that already (many reports)."""
    if not permissions.can_write_report_content(user, report.task):
        return permissions.NOT_THE_WRITER
    return status_block_reason(report) or _report_period_block_reason(report, has_exception)


def evidence_block_reason(*, user, report: ProgressReport) -> str | None:
    """Why this user cannot attach evidence to this report now (``permissions.can_attach_evidence``), or None."""
    if not permissions.can_write_report_content(user, report.task):
        return permissions.NOT_THE_WRITER
    if not permissions.can_attach_evidence(user, report):
        return status_block_reason(report)
    return _report_period_block_reason(report)


def _ensure_editable(user, report: ProgressReport) -> LateChangeException | None:
    reason = edit_block_reason(user=user, report=report)
    if reason:
        raise ReportActionRefused(reason)
    return active_exception(report) if report.period.state == State.CLOSED else None


# ---------------------------------------------------------------- targets and budgets


def indicator_change_target(*, indicator: Indicator, new_target: Decimal, reason: str, user, now=None) -> Indicator:
    if not permissions.can_change_targets(user):
        raise PermissionDenied("목표는 정보기획담당관만 바꿀 수 있습니다.")
    if not reason.strip():
        raise ReportActionRefused("목표를 바꾸려면 변경 사유를 적어야 합니다.")
    if new_target < 0:
        raise ReportActionRefused("목표는 0 이상이어야 합니다.")
    with transaction.atomic():
        IndicatorTargetChange.objects.create(
            indicator=indicator,
            old_target=indicator.target,
            new_target=new_target,
            reason=reason.strip(),
            changed_by=user,
            changed_at=now or timezone.now(),
        )
        indicator.target = new_target
        indicator.save(update_fields=["target"])
    return indicator


# ---------------------------------------------------------------- reports


def report_start(*, task: Task, period: ReportingPeriod, user, now=None) -> ProgressReport:
    """Open (or return) the task's report for the period, with a row for each indicator, milestone and budget line."""
    if not permissions.can_write_report_content(user, task):
        raise PermissionDenied("이 과제의 보고를 작성할 권한이 없습니다.")
    if period.plan_id != task.plan_id:
        raise ReportActionRefused("과제와 보고 분기의 계획 연도가 다릅니다.")
    existing = ProgressReport.objects.filter(task=task, period=period).first()
    if existing:
        return existing
    reason = period_block_reason(period, has_exception=False)
    if reason:
        raise ReportActionRefused(reason)
    year = period.plan.year
    with transaction.atomic():
        report, created = ProgressReport.objects.get_or_create(task=task, period=period)
        if not created:
            return report
        IndicatorResult.objects.bulk_create(
            IndicatorResult(report=report, indicator=i) for i in task.indicators.filter(year=year)
        )
        MilestoneProgress.objects.bulk_create(
            MilestoneProgress(report=report, milestone=m)
            for m in milestones_of_year(year=year, milestones=task.milestones.all())
        )
        lines = BudgetLine.objects.filter(table__task=task, table__non_budget=False)
        BudgetExecution.objects.bulk_create(BudgetExecution(report=report, budget_line=line) for line in lines)
        ReportEvent.objects.create(
            report=report, action=Action.CREATE, actor=user, at=now or timezone.now(), to_status=Status.DRAFT
        )
    return report


@contextmanager
def _stored_on_refusal(report: ProgressReport):
    """One transaction; on any refusal the object is reloaded as stored."""
    try:
        with transaction.atomic():
            yield
    except Exception:
        report.refresh_from_db()
        raise


@contextmanager
def _claimed(report: ProgressReport, version: int):
    """One transaction holding the report's version; on any refusal the object is reloaded as stored."""
    with _stored_on_refusal(report):
        _claim_version(report, version)
        yield


def _claim_version(report: ProgressReport, version: int) -> None:
    """Conditional UPDATE: only the holder of the current version may write; everyone else is stale."""
    claimed = ProgressReport.objects.filter(pk=report.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise StaleReportError()
    report.refresh_from_db()
    report.period = ReportingPeriod.objects.select_related("plan").get(pk=report.period_id)


def _write_as_read(report: ProgressReport, *, version: int, values: dict[str, Any], now) -> bool:
    """Claim ``version`` and write the report's text and ``values`` in one UPDATE, if the report is still as the
    caller read it (that version and status, its quarter in the same state); False, and nothing written, otherwise.

    Each condition is on the report's own row or on the quarter in a subquery, never on a join of the report to
    itself: when a concurrent claim of the row commits first, PostgreSQL checks the row's new version against
    its own columns only, and a joined copy would still show the old version, so both claims would win."""
    quarter = ReportingPeriod.objects.filter(pk=report.period_id, state=report.period.state)
    claim = ProgressReport.objects.filter(pk=report.pk, version=version, status=report.status, period__in=quarter)
    text = {name: getattr(report, name) for name in REPORT_FIELDS}
    if report.version != version or not claim.update(version=F("version") + 1, updated_at=now, **text, **values):
        return False
    report.version, report.updated_at = version + 1, now
    tasks_changed([report.task_id])  # an UPDATE sends no post_save signal
    return True


def display_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def is_same_value(field, old: Any, new: Any) -> bool:
    """Equal as the field's values (195.00 is 195, a date is its datetime at midnight), not as their text."""
    try:
        new = field.to_python(new)
    except ValidationError:
        return False
    return display_value(old) == display_value(new) or (old is not None and old == new)


def _apply(instance, values: dict[str, Any], label_prefix: str, changes: list[dict]) -> bool:
    changed = False
    for name, new in values.items():
        old = getattr(instance, name)
        if is_same_value(instance._meta.get_field(name), old, new):
            continue
        label = instance._meta.get_field(name).verbose_name
        changes.append(
            {"field": name, "label": f"{label_prefix}{label}", "old": display_value(old), "new": display_value(new)}
        )
        setattr(instance, name, new)
        changed = True
    return changed


REPORT_FIELDS = ("achievements", "problems", "next_steps", "self_assessment")
CHILD_FIELDS = {
    "indicator_results": ("actual", "comment"),
    "milestone_progress": ("status", "actual_start", "actual_end", "delay_reason"),
    "budget_executions": ("spent_to_date", "explanation"),
}


# Which of the plan's rows a report's row of each group reports on.
PLAN_ITEM = {"indicator_results": "indicator", "milestone_progress": "milestone", "budget_executions": "budget_line"}


def change_prefix(group: str, item) -> str:
    """How a report's history names the plan's ``item`` (an indicator, milestone or budget line, as the key of
    ``CHILD_FIELDS`` says) in a change: a change's label is this followed by the field's name."""
    if group == "indicator_results":
        return f"지표 '{item.name}' "
    if group == "milestone_progress":
        return f"일정 '{item.date_text} {item.title[:30]}' "
    return f"예산 '{item.name}' "


def _children(report: ProgressReport, *, amounts: bool = True) -> dict[str, list]:
    """The report's rows with what their labels need; ``amounts`` adds the plan amounts the submit checks read."""
    executions = report.budget_executions.select_related("budget_line")
    return {
        "indicator_results": list(report.indicator_results.select_related("indicator")),
        "milestone_progress": list(report.milestone_progress.select_related("milestone")),
        "budget_executions": list(executions.prefetch_related(selectors.line_amounts()) if amounts else executions),
    }


CHILD_QUERIES = {
    "indicator_results": lambda: IndicatorResult.objects.select_related("indicator"),
    "milestone_progress": lambda: MilestoneProgress.objects.select_related("milestone"),
    "budget_executions": lambda: BudgetExecution.objects.select_related("budget_line"),
}


def _apply_contents(
    reports: list[ProgressReport], data: dict[int, dict], rows: dict[str, list] | None = None
) -> tuple[dict[int, list[dict]], dict[str, list]]:
    """Apply each report's submitted values (``data``: report pk → values) to it and its own rows, in memory; rows
    of other reports are never touched. ``rows``: the rows (group → list, as ``_children`` reads them) when the
    caller has read them; otherwise those of all the reports are read, one statement a kind. Returns report pk →
    its changes, and group → the rows that changed."""
    changes: dict[int, list[dict]] = {r.pk: [] for r in reports}
    for report in reports:
        values = {name: data[report.pk][name] for name in REPORT_FIELDS if name in data[report.pk]}
        _apply(report, values, "", changes[report.pk])
    changed: dict[str, list] = {}
    for group, query in CHILD_QUERIES.items():
        read = rows[group] if rows is not None else query().filter(report__in=[r.pk for r in reports])
        changed[group] = []
        for child in read:
            submitted = data[child.report_id].get(group, {})
            if child.pk not in submitted:
                continue
            child_values = {k: v for k, v in submitted[child.pk].items() if k in CHILD_FIELDS[group]}
            if _apply(
                child, child_values, change_prefix(group, getattr(child, PLAN_ITEM[group])), changes[child.report_id]
            ):
                changed[group].append(child)
    return changes, changed


def _write_rows(changed: dict[str, list]) -> None:
    """One upsert for each kind of row that changed (no signals, which rows do not have)."""
    for group, children in changed.items():
        if children:
            _upsert(children, CHILD_FIELDS[group])


def _save_contents(reports: list[ProgressReport], data: dict[int, dict]) -> dict[int, list[dict]]:
    """``_apply_contents`` read and written in a few statements whatever the number of reports and rows. The reports
    themselves are changed in memory; the caller saves them. Returns report pk → its changes."""
    changes, changed = _apply_contents(reports, data)
    _write_rows(changed)
    return changes


def _upsert(rows: list, fields) -> None:
    """Write changed rows in one INSERT … ON CONFLICT (id) DO UPDATE per 500: linear in the rows, where
    ``bulk_update`` builds a CASE over every id for every column (more than half an upload's confirm)."""
    type(rows[0]).objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["id"], update_fields=list(fields), batch_size=500
    )


def _save_content(report: ProgressReport, data: dict) -> list[dict]:
    return _save_contents([report], {report.pk: data})[report.pk]


def _record(report, *, user, action, at, from_status="", changes=None, comment="", exception=None) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        action=action,
        actor=user,
        at=at,
        from_status=from_status,
        to_status=report.status,
        changes=changes or [],
        comment=comment,
        exception=exception,
    )


def report_save(
    *,
    report: ProgressReport,
    user,
    version: int,
    data: dict,
    evidence: EvidenceUpload | None = None,
    rows: dict[str, list] | None = None,
    now=None,
) -> ProgressReport:
    """Save a draft (or a returned report), with a file attached from the form if given. Incomplete values are
    allowed here; submit checks them. ``rows``: the report's rows read with ``report`` (the form's,
    ``ReportFormBundle.rows``); while the report is still as read, neither is read again."""
    now = now or timezone.now()
    if rows is not None:
        with _stored_on_refusal(report):
            exception = _ensure_editable(user, report)
            changes, changed = _apply_contents([report], {report.pk: data}, rows)
            changes = changes[report.pk]
            if _write_as_read(report, version=version, values={}, now=now):
                _write_rows(changed)
                _saved(report, user=user, changes=changes, exception=exception, evidence=evidence, now=now)
                return report
    with _claimed(report, version):  # read as stored: the caller's copy is out of date, or there is none
        exception = _ensure_editable(user, report)
        changes = _save_content(report, data)
        report.save()
        _saved(report, user=user, changes=changes, exception=exception, evidence=evidence, now=now)
    return report


def reports_start_many(*, tasks: list[Task], period: ReportingPeriod, user, now=None) -> list[ProgressReport]:
    """``report_start`` for many tasks with no report yet (an offline upload), in a fixed number of statements:
    the reports, their rows and their history entries each in one bulk insert. A report started meanwhile
    (another window) refuses them all (``StaleReportError``): the caller read the tasks as having none."""
    if not tasks:
        return []
    for task in tasks:
        if not permissions.can_write_report_content(user, task):
            raise PermissionDenied("이 과제의 보고를 작성할 권한이 없습니다.")
        if task.plan_id != period.plan_id:
            raise ReportActionRefused("과제와 보고 분기의 계획 연도가 다릅니다.")
    reason = period_block_reason(period, has_exception=False)
    if reason:
        raise ReportActionRefused(reason)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            reports = ProgressReport.objects.bulk_create(ProgressReport(task=t, period=period) for t in tasks)
    except IntegrityError as exc:
        raise StaleReportError() from exc
    _rows_create(reports, period.plan.year)
    ReportEvent.objects.bulk_create(
        ReportEvent(report=r, action=Action.CREATE, actor=user, at=now, to_status=Status.DRAFT) for r in reports
    )
    tasks_changed([t.pk for t in tasks])  # bulk_create sends no signals
    return reports


def _rows_create(reports: list[ProgressReport], year: int) -> None:
    """Each new report's rows: an indicator of the year, a milestone of the year, a budget line (as report_start)."""
    by_task = {r.task_id: r for r in reports}
    IndicatorResult.objects.bulk_create(
        IndicatorResult(report=by_task[i.task_id], indicator=i)
        for i in Indicator.objects.filter(task__in=by_task, year=year)
    )
    milestones = milestones_of_year(year=year, milestones=Milestone.objects.filter(task__in=by_task))
    MilestoneProgress.objects.bulk_create(MilestoneProgress(report=by_task[m.task_id], milestone=m) for m in milestones)
    lines = BudgetLine.objects.filter(table__task__in=by_task, table__non_budget=False).select_related("table")
    BudgetExecution.objects.bulk_create(
        BudgetExecution(report=by_task[line.table.task_id], budget_line=line) for line in lines
    )


def _json_param(value) -> Value:
    """A JSON value written as one parameter per row: in a bulk insert on PostgreSQL, Django otherwise sends a
    column as an array, which psycopg's client-side binding escapes in Python character by character (every
    quote of every history entry: seconds for an upload of 10,000 rows)."""
    return Value(value, output_field=JSONField())


def active_exceptions(reports: list[ProgressReport]) -> dict[int, LateChangeException]:
    """Each report's active late-change exception (``active_exception`` for many, in one query or none)."""
    closed = [r.pk for r in reports if r.period.state == State.CLOSED]
    if not closed:
        return {}
    found = LateChangeException.objects.filter(report__in=closed, revoked_at__isnull=True).order_by("granted_at")
    return {e.report_id: e for e in found}  # the latest granted wins, as in active_exception


def _saved(report: ProgressReport, *, user, changes: list[dict], exception, evidence, now) -> None:
    """A saved report's history entry (if anything changed) and the file attached with it."""
    if changes:
        _record(
            report,
            user=user,
            action=Action.SAVE,
            at=now,
            from_status=report.status,
            changes=changes,
            exception=exception,
        )
    if evidence:
        _evidence_store(report, user=user, evidence=evidence, now=now, exception=exception)


def reports_save_many(*, items: list[tuple[ProgressReport, int, dict]], user, now=None) -> int:
    """``report_save`` for many reports at once (an offline upload), all or nothing, in a few statements
    whatever their number: the versions are claimed together, the rows read and written in bulk, and each
    report that changed gets its history entry. ``items``: (report, version the data was read at, data)."""
    now = now or timezone.now()
    versions = {report.pk: version for report, version, _ in items}
    data = {report.pk: values for report, _, values in items}
    with transaction.atomic():
        locked = ProgressReport.objects.select_for_update().select_related("period__plan", "task").order_by("pk")
        reports = list(locked.filter(pk__in=versions))
        if len(reports) != len(versions) or any(r.version != versions[r.pk] for r in reports):
            raise StaleReportError()
        exceptions = active_exceptions(reports)
        for report in reports:
            reason = edit_block_reason(user=user, report=report, has_exception=report.pk in exceptions)
            if reason:
                raise ReportActionRefused(reason)
        changes = _save_contents(reports, data)
        for report in reports:
            report.version += 1  # the claim: the rows are locked and their versions checked above
            report.updated_at = now
        _upsert(reports, [*REPORT_FIELDS, "version", "updated_at"])
        ReportEvent.objects.bulk_create(
            ReportEvent(
                report=r,
                action=Action.SAVE,
                actor=user,
                at=now,
                from_status=r.status,
                to_status=r.status,
                changes=_json_param(changes[r.pk]),
                exception=exceptions.get(r.pk),
            )
            for r in reports
            if changes[r.pk]
        )
        tasks_changed([r.task_id for r in reports])  # bulk writes send no signals
    return sum(1 for r in reports if changes[r.pk])


def submit_problems(
    report: ProgressReport, *, today: datetime.date | None = None, rows: dict[str, list] | None = None
) -> dict[str, str]:
    """What must be filled or explained before the report can be submitted, keyed by field. ``rows``: the
    report's rows already in memory (as ``_children`` reads them, without the plan amounts)."""
    if rows is None:
        children = _children(report)
    else:
        children = rows
        prefetch_related_objects(rows["budget_executions"], selectors.line_amounts())
    period = report.period
    as_of = rules.judged_on(year=period.plan.year, quarter=period.quarter, today=today or timezone.localdate())
    return {
        **_narrative_problems(report),
        **_indicator_problems(report, children["indicator_results"]),
        **_milestone_problems(children["milestone_progress"], as_of),
        **_budget_problems(report.period.plan.year, children["budget_executions"]),
    }


def _narrative_problems(report: ProgressReport) -> dict[str, str]:
    return {
        name: f"제출하려면 {with_particle(quoted(report._meta.get_field(name).verbose_name), '을')} 입력해야 합니다."
        for name in REPORT_FIELDS
        if not str(getattr(report, name)).strip()
    }


def _indicator_problems(report: ProgressReport, results: list[IndicatorResult]) -> dict[str, str]:
    problems = {}
    figures = selectors.indicator_figures(
        task_id=report.task_id,
        period=report.period,
        values={r.indicator_id: r.actual for r in results},
        indicators=[r.indicator for r in results],
    )
    for result in results:
        key = f"indicator_results-{result.pk}"
        if result.actual is None:
            problems[f"{key}-actual"] = "실적 값을 입력하세요."
            continue
        figure = figures[result.indicator_id]
        if rules.is_off_target(figure.rate) and not result.comment.strip():
            problems[f"{key}-comment"] = f"목표({figure.target:,g}) 미달성입니다. 사유를 적어야 제출할 수 있습니다."
    return problems


def _milestone_problems(rows: list[MilestoneProgress], as_of: datetime.date) -> dict[str, str]:
    problems = {}
    for progress in rows:
        key = f"milestone_progress-{progress.pk}"
        late = rules.milestone_is_late(
            planned_end=progress.milestone.end, status=progress.status, actual_end=progress.actual_end, as_of=as_of
        )
        if late and not progress.delay_reason.strip():
            problems[f"{key}-delay_reason"] = "지연된 일정은 지연 사유를 적어야 합니다."
        if progress.status == MilestoneProgress.Status.DONE and progress.actual_end is None:
            problems[f"{key}-actual_end"] = "완료된 일정은 실제 완료일을 적어야 합니다."
    return problems


def _budget_problems(year: int, rows: list[BudgetExecution]) -> dict[str, str]:
    problems = {}
    for execution in rows:
        key = f"budget_executions-{execution.pk}"
        if execution.spent_to_date is None:
            problems[f"{key}-spent_to_date"] = "지출액 누계를 입력하세요 (없으면 0)."
            continue
        available = budget_rules.available_budget(amounts=list(execution.budget_line.amounts.all()), year=year)
        overspent = budget_rules.is_overspent(available=available.amount, spent=execution.spent_to_date)
        if overspent and not execution.explanation.strip():
            problems[f"{key}-explanation"] = (
                f"지출액 누계가 예산현액({available.amount:,}백만원)을 넘습니다. 사유를 적어야 제출할 수 있습니다."
            )
    return problems


def report_submit(
    *,
    report: ProgressReport,
    user,
    version: int,
    data: dict | None = None,
    evidence: EvidenceUpload | None = None,
    rows: dict[str, list] | None = None,
    now=None,
) -> ProgressReport:
    """Save the given values (and a file attached from the form) and submit, all or nothing: an invalid report
    stays exactly as it was. ``rows`` as for ``report_save``."""
    now = now or timezone.now()
    if rows is not None:
        with _stored_on_refusal(report):
            exception = _ensure_editable(user, report)
            changes, changed = _apply_contents([report], {report.pk: data or {}}, rows)
            changes = changes[report.pk]
            values = _submission(report, user=user, now=now, problems=submit_problems(report, rows=rows))
            if _write_as_read(report, version=version, values=values, now=now):
                _write_rows(changed)
                _submitted(
                    report, user=user, values=values, changes=changes, exception=exception, evidence=evidence, now=now
                )
                return report
    with _claimed(report, version):  # read as stored, as in report_save
        exception = _ensure_editable(user, report)
        changes = _save_content(report, data or {})
        values = _submission(report, user=user, now=now, problems=submit_problems(report))
        _submitted(report, user=user, values=values, changes=changes, exception=exception, evidence=evidence, now=now)
        report.save()
    return report


def _submission(report: ProgressReport, *, user, now, problems: dict[str, str]) -> dict[str, Any]:
    """What submitting writes on the report; refused with the problems when there are any."""
    if problems:
        raise SubmissionInvalid(problems)
    first = report.first_submitted_at or now
    return {"status": Status.SUBMITTED, "submitted_by": user, "submitted_at": now, "first_submitted_at": first}


def _submitted(report: ProgressReport, *, user, values: dict[str, Any], changes, exception, evidence, now) -> None:
    """The file attached with the submission (recorded while the report is still a draft), then the submission's
    ``values`` on the report in memory and its history entry."""
    if evidence:
        _evidence_store(report, user=user, evidence=evidence, now=now, exception=exception)
    from_status = report.status
    for name, value in values.items():
        setattr(report, name, value)
    _record(
        report, user=user, action=Action.SUBMIT, at=now, from_status=from_status, changes=changes, exception=exception
    )


# What a reviewer can do with a report in each state (the period must not be 확정).
REVIEW_ACTIONS = {Status.SUBMITTED: ("return", "approve"), Status.APPROVED: ("reopen",)}


def report_comment(*, report: ProgressReport, user, text: str, now=None) -> ReportEvent:
    """A comment in the report's discussion, kept in its history; the report itself (and its version) is unchanged."""
    permissions.ensure_can_discuss(user, report)
    if not text.strip():
        raise ReportActionRefused("의견을 적어 주세요.")
    return _record(report, user=user, action=Action.COMMENT, at=now or timezone.now(), comment=text.strip())


def review_actions(report: ProgressReport) -> tuple[str, ...]:
    """The review actions the report's state allows now: the page offers these, ``_review`` enforces the same."""
    return () if report.period.state == State.LOCKED else REVIEW_ACTIONS.get(report.status, ())


def _review(report: ProgressReport, user, expected: str, what: str) -> str:
    """Checks made inside ``_claimed``, on the report as stored."""
    permissions.ensure_reviewer(user)
    if report.status != expected:
        raise ReportActionRefused(f"'{report.get_status_display()}' 상태의 보고는 {what}할 수 없습니다.")
    if report.period.state == State.LOCKED:
        raise ReportActionRefused(f"{report.period}는 확정되었습니다. 확정된 분기의 보고는 바꿀 수 없습니다.")
    return report.status


def report_return(*, report: ProgressReport, user, version: int, comment: str, now=None) -> ProgressReport:
    if not comment.strip():
        raise ReportActionRefused("반려하려면 담당자가 고칠 내용을 의견으로 적어야 합니다.")
    return _send_back(report, user, version, comment.strip(), now, Status.SUBMITTED, "반려", Action.RETURN)


def _send_back(report, user, version: int, comment: str, now, expected: str, verb: str, action: str) -> ProgressReport:
    """Back to the officer as 반려 with ``comment`` for them: a submitted report returned, or an approved one reopened."""
    now = now or timezone.now()
    with _claimed(report, version):
        from_status = _review(report, user, expected, verb)
        report.status = Status.RETURNED
        report.returned_by, report.returned_at, report.return_comment = user, now, comment
        report.save()
        _record(report, user=user, action=action, at=now, from_status=from_status, comment=comment)
    return report


def report_approve(*, report: ProgressReport, user, version: int, now=None) -> ProgressReport:
    now = now or timezone.now()
    with _claimed(report, version):
        from_status = _review(report, user, Status.SUBMITTED, "승인")
        report.status = Status.APPROVED
        report.approved_by, report.approved_at = user, now
        report.save()
        _record(report, user=user, action=Action.APPROVE, at=now, from_status=from_status)
    return report


@dataclass
class BulkApproval:
    """What one bulk approval did: the reports approved, and each one refused with its reason (Korean)."""

    approved: list[ProgressReport] = field(default_factory=list)
    refused: list[tuple[ProgressReport, str]] = field(default_factory=list)


CHANGED_SINCE_SHOWN = (
    "화면을 연 뒤에 다른 사용자가(또는 다른 창에서) 이 보고를 변경했습니다. 최신 내용을 확인한 뒤 다시 승인하세요."
)


def reports_approve_many(*, items: list[tuple[ProgressReport, int]], user, now=None) -> BulkApproval:
    """``report_approve`` for each (report, version the page showed), each on its own: each claims its version and
    gets its own history entry, and one refused (changed since, not submitted, quarter locked) stops no other."""
    permissions.ensure_reviewer(user)
    outcome = BulkApproval()
    for report, version in items:
        try:
            report_approve(report=report, user=user, version=version, now=now)
        except StaleReportError:
            outcome.refused.append((report, CHANGED_SINCE_SHOWN))
        except ReportActionRefused as refusal:
            outcome.refused.append((report, str(refusal)))
        else:
            outcome.approved.append(report)
    return outcome


def report_reopen(*, report: ProgressReport, user, version: int, reason: str, now=None) -> ProgressReport:
    """An approved report goes back to the officer as returned, with the reason as the comment."""
    if not reason.strip():
        raise ReportActionRefused("승인된 보고를 재개하려면 사유를 적어야 합니다.")
    if report.period.state == State.LOCKED:
        raise ReportActionRefused(f"{report.period}는 확정되어 보고를 재개할 수 없습니다.")
    return _send_back(report, user, version, reason.strip(), now, Status.APPROVED, "재개", Action.REOPEN)


def exception_grant(*, report: ProgressReport, user, reason: str, now=None) -> LateChangeException:
    permissions.ensure_reviewer(user)
    if not reason.strip():
        raise ReportActionRefused("마감 후 수정을 허용하려면 사유를 적어야 합니다.")
    if report.period.state != State.CLOSED:
        raise ReportActionRefused("마감된 분기의 보고에만 마감 후 수정 예외를 줄 수 있습니다.")
    now = now or timezone.now()
    with transaction.atomic():
        exception = LateChangeException.objects.create(
            report=report, reason=reason.strip(), granted_by=user, granted_at=now
        )
        _record(
            report,
            user=user,
            action=Action.EXCEPTION,
            at=now,
            from_status=report.status,
            comment=reason.strip(),
            exception=exception,
        )
    return exception


# ---------------------------------------------------------------- evidence


EVIDENCE_SIGNATURES = {
    "pdf": [b"%PDF"],
    "png": [b"\x89PNG"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "hwp": [b"\xd0\xcf\x11\xe0"],
    "doc": [b"\xd0\xcf\x11\xe0"],
    "xls": [b"\xd0\xcf\x11\xe0"],
    "ppt": [b"\xd0\xcf\x11\xe0"],
    "hwpx": [b"PK\x03\x04"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "pptx": [b"PK\x03\x04"],
}


def evidence_problem(*, name: str, size: int, head: bytes) -> str | None:
    """Why an upload is refused (type, size, content not matching its type), or None."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in settings.EVIDENCE_EXTENSIONS:
        allowed = ", ".join(sorted(settings.EVIDENCE_EXTENSIONS))
        return f"허용되지 않는 파일 형식입니다. 허용 형식: {allowed}"
    if size > settings.EVIDENCE_MAX_BYTES:
        return f"파일이 너무 큽니다 ({size / 1024 / 1024:.1f}MB). 최대 {settings.EVIDENCE_MAX_BYTES // 1024 // 1024}MB까지 첨부할 수 있습니다."
    if size == 0:
        return "빈 파일은 첨부할 수 없습니다."
    if not any(head.startswith(sig) for sig in EVIDENCE_SIGNATURES.get(extension, [b""])):
        return f"파일 내용이 확장자(.{extension})와 맞지 않습니다."
    return None


def evidence_add(*, report: ProgressReport, user, upload, kind: str, now=None) -> Evidence:
    """Attach a file on its own (the report page): allowed while ``evidence_block_reason`` says nothing. The
    report's version is not claimed: a file adds to the report and cannot overwrite what another window saves."""
    with transaction.atomic():
        # read again, locked: a decision committed since ``report`` was loaded (an approval) refuses the file
        current = ProgressReport.objects.select_for_update().select_related("task", "period").get(pk=report.pk)
        reason = evidence_block_reason(user=user, report=current)
        if reason:
            raise ReportActionRefused(reason)
        exception = active_exception(current) if current.period.state == State.CLOSED else None
        return _evidence_store(
            current, user=user, evidence=EvidenceUpload(upload, kind), now=now or timezone.now(), exception=exception
        )


def _evidence_store(report: ProgressReport, *, user, evidence: EvidenceUpload, now, exception) -> Evidence:
    upload = evidence.upload
    head = upload.read(8)
    upload.seek(0)
    problem = evidence_problem(name=upload.name, size=upload.size, head=head)
    if problem:
        raise ReportActionRefused(problem)
    stored = Evidence(
        report=report,
        kind=evidence.kind or "증빙",
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=user,
        uploaded_at=now,
    )
    stored.file.save("evidence", upload, save=False)
    stored.save()
    _record(
        report,
        user=user,
        action=Action.EVIDENCE,
        at=now,
        from_status=report.status,
        changes=[{"field": "evidence", "label": "증빙 파일", "old": "", "new": stored.original_name}],
        exception=exception,
    )
    return stored
