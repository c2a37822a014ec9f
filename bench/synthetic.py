"""Synthetic plans (합성 자료) for benchmarks and load runs.

Deterministic: every value is drawn from one ``random.Random(seed)`` in a fixed order, so the same
seed and sizes give the same ``export_plan`` output. Realistic in shape: five strategic areas,
thirteen programmes, about eight tasks per department, budget tables of five year columns with
one to three lines, two to six milestones, up to four indicators, four quarters with reports in
every workflow state (missing, 작성중, 제출, 반려, 승인), their rows and their history.

The years are the ones *before* the real 2017 plan (2016, 2015, ... by default), so a synthetic
plan never collides with it; past years also make every quarter's figures final (``as_of`` is the
quarter's end, not today), which is what a dashboard spends its time on. Generate into a scratch
database: the plans are marked (document number ``합성-<seed>``, reports ``is_sample``), but the
departments, agencies and accounts they create are shared tables.

Written with ``bulk_create``: this is not user input, so the services (and their per-save
history) are bypassed on purpose; the history rows (``ReportEvent``) are written explicitly.
"""

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from budgets.models import BudgetAmount, BudgetColumn, BudgetLine, BudgetTable
from gov30.korean import with_particle
from initiatives import rules as plan_rules
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
from reports.models import (
    BudgetExecution,
    Evaluation,
    IndicatorResult,
    MilestoneProgress,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
)
from reports.progress import permissions, rules
from reports.progress.rules import month_end, quarter_end

DOCUMENT_PREFIX = "합성-"
TASKS_PER_DEPARTMENT = 8
CHUNK = 500  # tasks whose reports are built and written together
BATCH = 2000
MAX_TASKS = 32767  # Task.number is a small integer

AREAS = [
    ("개방", "공공정보 적극 개방·공유"),
    ("소통", "소통하는 투명한 정부"),
    ("협업", "칸막이 없는 협업 행정"),
    ("데이터", "빅데이터 기반 과학적 행정"),
    ("맞춤", "국민 맞춤형 서비스 통합 제공"),
]
PROGRAMMES_PER_AREA = [3, 3, 3, 2, 2]  # 13
DEPARTMENT_STEMS = [
    "자치행정",
    "주차계획",
    "정보공개정책",
    "복지정책",
    "도시계획",
    "교통정책",
    "재난안전",
    "문화정책",
    "경제정책",
    "환경정책",
    "주택정책",
    "보건의료",
    "일자리정책",
    "청년정책",
    "세무",
    "공간정보",
]
AGENCY_NAMES = ["서울연구원", "서울시설공단", "서울교통공사", "서울의료원", "서울신용보증재단", "자치구", "행정안전부"]
TITLE_HEADS = ["스마트", "찾아가는", "시민참여형", "데이터 기반", "맞춤형", "통합", "온라인", "모바일", "열린", "안심"]
TITLE_OBJECTS = [
    "복지 서비스",
    "민원 처리",
    "정보 공개",
    "주차 공유",
    "재난 알림",
    "일자리 매칭",
    "건강 관리",
    "공간 정보",
]
TITLE_TAILS = ["고도화", "확대", "구축", "운영", "개선", "통합 제공", "시범 사업", "플랫폼 조성"]
LINE_NAMES = ["시스템 구축", "운영 유지관리", "홍보 및 교육", "시범 사업", "용역 및 연구", "장비 도입"]
MILESTONE_TITLES = ["추진계획 수립", "기본 설계", "시범 운영", "본 사업 착수", "중간 점검", "성과 평가", "확대 시행"]
INDICATOR_NAMES = [
    ("참여 시민 수", "명"),
    ("처리 건수", "건"),
    ("만족도", "점"),
    ("개방 데이터", "종"),
    ("이용률", "%"),
]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "도윤", "지우", "하준", "서윤", "예준", "지민", "주원", "수아", "지호", "은서"]

# Share of reports in each state: closed quarters are mostly approved, the open quarter is mixed.
CLOSED_MIX = [("approved", 65), ("submitted", 8), ("returned", 7), ("draft", 8), ("missing", 12)]
OPEN_MIX = [("approved", 20), ("submitted", 25), ("returned", 10), ("draft", 25), ("missing", 20)]
Status = ProgressReport.Status
Action = ReportEvent.Action


@dataclass(frozen=True)
class Spec:
    tasks: int
    years: int = 3
    seed: int = 1
    last_year: int = 2016

    def plan_years(self) -> list[int]:
        return list(range(self.last_year - self.years + 1, self.last_year + 1))

    @property
    def departments(self) -> int:
        return max(1, math.ceil(self.tasks / TASKS_PER_DEPARTMENT))


@dataclass
class Counts:
    plans: int = 0
    tasks: int = 0
    reports: int = 0
    rows: int = 0
    events: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def is_synthetic(plan: Plan) -> bool:
    return plan.document_number.startswith(DOCUMENT_PREFIX)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _pick(rng: random.Random, mix: list[tuple[str, int]]) -> str:
    return rng.choices([name for name, _ in mix], weights=[w for _, w in mix])[0]


# ---------------------------------------------------------------- shared tables: departments, agencies, people


def department_names(count: int) -> list[str]:
    stems = len(DEPARTMENT_STEMS)
    return [f"{DEPARTMENT_STEMS[i % stems]}{i // stems + 1}과" for i in range(count)]


def _ensure_named(model, names: list[str]) -> dict[str, object]:
    existing = {o.name: o for o in model.objects.filter(name__in=names)}
    model.objects.bulk_create([model(name=n) for n in names if n not in existing], batch_size=BATCH)
    return {o.name: o for o in model.objects.filter(name__in=names)}


def _ensure_accounts(departments: list[Department]) -> None:
    """One officer per department (synth00001…) and a reviewer (synth-reviewer), without usable passwords."""
    officer, reviewer, _ = permissions.ensure_roles_exist()
    users = get_user_model()
    unusable = make_password(None)
    wanted = {"synth-reviewer": "합성 검토자"} | {
        officer_username(i): f"{d.name} 담당자" for i, d in enumerate(departments, start=1)
    }
    existing = set(users.objects.filter(username__in=list(wanted)).values_list("username", flat=True))
    users.objects.bulk_create(
        [users(username=u, first_name=name, password=unusable) for u, name in wanted.items() if u not in existing],
        batch_size=BATCH,
    )
    by_name = dict(users.objects.filter(username__in=list(wanted)).values_list("username", "pk"))
    membership = users.groups.through
    membership.objects.bulk_create(
        [membership(user_id=by_name["synth-reviewer"], group_id=reviewer.pk)]
        + [
            membership(user_id=by_name[officer_username(i)], group_id=officer.pk)
            for i in range(1, len(departments) + 1)
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    members = Department.members.through
    members.objects.bulk_create(
        [members(department_id=d.pk, user_id=by_name[officer_username(i)]) for i, d in enumerate(departments, start=1)],
        ignore_conflicts=True,
        batch_size=BATCH,
    )


def officer_username(index: int) -> str:
    return f"synth{index:05d}"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


# ---------------------------------------------------------------- one plan


@dataclass
class PlanParts:
    plan: Plan
    tasks: list[Task]
    periods: list[ReportingPeriod]
    users: dict[int, int]  # department pk → officer pk
    reviewer: int
    counts: Counts


def _plan(spec: Spec, year: int, rng: random.Random) -> tuple[Plan, list[Programme]]:
    plan = Plan.objects.create(
        year=year,
        title=f"{year}년도 합성 실행계획 (벤치마크용, 시드 {spec.seed})",
        document_number=f"{DOCUMENT_PREFIX}{spec.seed}",
        approved_on=datetime.date(year, 2, rng.randint(1, 20)),
        source_text="합성 자료: bench/synthetic.py가 만든 계획입니다.",
    )
    programmes = []
    for number, ((short, title), count) in enumerate(zip(AREAS, PROGRAMMES_PER_AREA, strict=True), start=1):
        area = StrategicArea.objects.create(plan=plan, number=number, title=title)
        for p in range(1, count + 1):
            programmes.append(Programme(strategic_area=area, number=p, title=f"{short} 중점과제 {number}-{p}"))
    Programme.objects.bulk_create(programmes)
    return plan, programmes


def _tasks(plan: Plan, programmes: list[Programme], departments: list[Department], spec: Spec, rng) -> list[Task]:
    owners = [departments[i % len(departments)] for i in range(spec.tasks)]
    rng.shuffle(owners)
    tasks = []
    for number in range(1, spec.tasks + 1):
        title = f"{rng.choice(TITLE_HEADS)} {rng.choice(TITLE_OBJECTS)} {rng.choice(TITLE_TAILS)}"
        tasks.append(
            Task(
                plan=plan,
                number=number,
                programme=programmes[rng.randrange(len(programmes))],
                title=f"{title} ({number})",
                department=owners[number - 1],
                manager_name=_person(rng),
                manager_title="과장",
                officer_name=_person(rng),
                officer_title=rng.choice(["주무관", "팀장"]),
                phone=f"02-2133-{rng.randint(1000, 9999)}",
                goals=f"{with_particle(title, '을')} 통해 시민 체감 성과를 높인다.",
            )
        )
    return Task.objects.bulk_create(tasks, batch_size=BATCH)


def _agencies(tasks: list[Task], agencies: list[Agency], rng) -> None:
    links = []
    for task in tasks:
        for order, agency in enumerate(rng.sample(agencies, rng.randint(0, 3))):
            links.append(TaskAgency(task=task, agency=agency, order=order))
    TaskAgency.objects.bulk_create(links, batch_size=BATCH)


def _budgets(tasks: list[Task], year: int, rng) -> None:
    tables = [BudgetTable(task=t, non_budget=rng.random() < 0.15) for t in tasks]
    BudgetTable.objects.bulk_create(tables, batch_size=BATCH)
    columns, lines = [], []
    for table in tables:
        if table.non_budget:
            table.non_budget_note = "비예산"
            continue
        for order, y in enumerate(range(year - 2, year + 3)):
            columns.append(BudgetColumn(table=table, order=order, label=f"'{y % 100:02d}년", from_year=y, to_year=y))
        for order in range(rng.randint(1, 3)):
            lines.append(BudgetLine(table=table, order=order, name=rng.choice(LINE_NAMES)))
    BudgetColumn.objects.bulk_create(columns, batch_size=BATCH)
    BudgetLine.objects.bulk_create(lines, batch_size=BATCH)
    by_table: dict[int, list[BudgetColumn]] = {}
    for column in columns:
        by_table.setdefault(column.table_id, []).append(column)
    amounts = []
    for line in lines:
        total = 0
        for column in by_table[line.table_id]:
            if rng.random() < 0.15:
                continue  # a blank cell in the printed table
            amount = rng.randint(1, 400) * 10
            amounts.append(BudgetAmount(line=line, column=column, amount=amount))
            total += amount
        # About one printed total in fifty disagrees with its parts, as in the real plan.
        line.printed_total = total + (10 if rng.random() < 0.02 else 0)
    BudgetAmount.objects.bulk_create(amounts, batch_size=BATCH)
    BudgetLine.objects.bulk_update(lines, ["printed_total"], batch_size=BATCH)


def _month(year: int, month: int) -> datetime.date:
    year += (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def _schedule(tasks: list[Task], year: int, rng) -> None:
    milestones, indicators = [], []
    for task in tasks:
        for order in range(rng.randint(2, 6)):
            start = _month(year, rng.randint(-2, 11))
            span = rng.choice([0, 0, 1, 2, 3, 5])
            end = None if rng.random() < 0.05 else _month(start.year, start.month + span)
            text = f"'{start.year % 100:02d}.{start.month}월" + (f"~{end.month}월" if end and end != start else "")
            milestones.append(
                Milestone(
                    task=task, order=order, title=rng.choice(MILESTONE_TITLES), date_text=text, start=start, end=end
                )
            )
        for order in range(rng.randint(0, 4)):
            name, unit = rng.choice(INDICATOR_NAMES)
            indicators.append(
                Indicator(
                    task=task,
                    order=order,
                    name=name,
                    unit=unit,
                    target=Decimal(rng.randint(1, 200) * 5),
                    year=year,
                    cumulative=rng.random() < 0.6,
                    higher_is_better=rng.random() < 0.9,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)


def _periods(plan: Plan, latest: bool) -> list[ReportingPeriod]:
    """Older years are locked; the latest has Q1–Q2 locked, Q3 closed and Q4 open (for saves)."""
    states = ["locked", "locked", "closed", "open"] if latest else ["locked"] * 4
    periods = []
    for quarter, state in enumerate(states, start=1):
        opens_on, due_on = rules.quarter_dates(year=plan.year, quarter=quarter)
        periods.append(ReportingPeriod(plan=plan, quarter=quarter, opens_on=opens_on, due_on=due_on, state=state))
    return ReportingPeriod.objects.bulk_create(periods)


# ---------------------------------------------------------------- reports, rows and history


@dataclass
class PlanRows:
    """The plan figures a report's rows are made from (loaded once per chunk of tasks)."""

    indicators: list[Indicator]
    milestones: list[Milestone]
    lines: list[tuple[BudgetLine, int | None]]  # line, 예산현액 of the plan year


def _task_facts(tasks: list[Task], year: int) -> dict[int, PlanRows]:
    ids = [t.pk for t in tasks]
    facts = {pk: PlanRows([], [], []) for pk in ids}
    for indicator in Indicator.objects.filter(task__in=ids, year=year).order_by("task", "order"):
        facts[indicator.task_id].indicators.append(indicator)
    for milestone in Milestone.objects.filter(task__in=ids).order_by("task", "order"):
        if plan_rules.covers_year(start=milestone.start, end=milestone.end, year=year):
            facts[milestone.task_id].milestones.append(milestone)
    available = dict(
        BudgetAmount.objects.filter(line__table__task__in=ids, column__from_year=year).values_list("line", "amount")
    )
    lines = BudgetLine.objects.filter(table__task__in=ids, table__non_budget=False).select_related("table")
    for line in lines.order_by("table__task", "order"):
        facts[line.table.task_id].lines.append((line, available.get(line.pk)))
    return facts


@dataclass
class Draft:
    """One report before it is written: the report, its rows and its history."""

    report: ProgressReport
    indicator_rows: list[IndicatorResult]
    milestone_rows: list[MilestoneProgress]
    budget_rows: list[BudgetExecution]
    events: list[ReportEvent]


def _history(report: ProgressReport, period: ReportingPeriod, state: str, officer: int, reviewer: int, rng):
    """The events that lead to ``state``, with the report's timestamps, in date order."""
    created = period.opens_on + datetime.timedelta(days=rng.randint(0, 20))
    events = [ReportEvent(action=Action.CREATE, actor_id=officer, at=_at(created), to_status=Status.DRAFT)]
    if state == Status.DRAFT:
        saved = _at(created + datetime.timedelta(days=rng.randint(1, 10)), 15)
        change = {"field": "achievements", "label": "주요 추진실적", "old": "", "new": report.achievements}
        events.append(
            ReportEvent(
                action=Action.SAVE,
                actor_id=officer,
                at=saved,
                from_status=Status.DRAFT,
                to_status=Status.DRAFT,
                changes=[change],
            )
        )
        return events
    late = rng.random() < 0.2
    submitted = period.due_on + datetime.timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 10))
    submitted = max(submitted, created)
    report.first_submitted_at = report.submitted_at = _at(submitted, 11)
    report.submitted_by_id = officer
    events.append(
        ReportEvent(
            action=Action.SUBMIT,
            actor_id=officer,
            at=report.submitted_at,
            from_status=Status.DRAFT,
            to_status=Status.SUBMITTED,
        )
    )
    if state == Status.RETURNED or (state == Status.APPROVED and rng.random() < 0.1):
        returned = _at(submitted + datetime.timedelta(days=2), 14)
        report.returned_by_id, report.returned_at = reviewer, returned
        report.return_comment = "근거 자료를 보완해 주세요."
        events.append(
            ReportEvent(
                action=Action.RETURN,
                actor_id=reviewer,
                at=returned,
                from_status=Status.SUBMITTED,
                to_status=Status.RETURNED,
                comment=report.return_comment,
            )
        )
        if state == Status.APPROVED:
            report.submitted_at = _at(submitted + datetime.timedelta(days=4), 11)
            events.append(
                ReportEvent(
                    action=Action.SUBMIT,
                    actor_id=officer,
                    at=report.submitted_at,
                    from_status=Status.RETURNED,
                    to_status=Status.SUBMITTED,
                )
            )
    if state == Status.APPROVED:
        report.approved_by_id = reviewer
        report.approved_at = report.submitted_at + datetime.timedelta(days=rng.randint(1, 5))
        events.append(
            ReportEvent(
                action=Action.APPROVE,
                actor_id=reviewer,
                at=report.approved_at,
                from_status=Status.SUBMITTED,
                to_status=Status.APPROVED,
            )
        )
    return events


def _indicator_rows(facts: PlanRows, quarter: int, complete: bool, rng) -> list[IndicatorResult]:
    rows = []
    for indicator in facts.indicators:
        share = Decimal(quarter) / 4 if indicator.cumulative else Decimal(1) / 4
        actual = (indicator.target * share * Decimal(rng.randint(50, 130)) / 100).quantize(Decimal(1))
        if not complete and rng.random() < 0.3:
            actual = None
        comment = (
            "목표 대비 부진: 협업기관 일정 지연" if actual is not None and actual < indicator.target * share else ""
        )
        rows.append(IndicatorResult(indicator=indicator, actual=actual, comment=comment))
    return rows


def _milestone_rows(facts: PlanRows, year: int, quarter: int, rng) -> list[MilestoneProgress]:
    end_of_quarter = quarter_end(year, quarter)
    rows = []
    for milestone in facts.milestones:
        row = MilestoneProgress(milestone=milestone)
        if milestone.start <= end_of_quarter:
            row.status, row.actual_start = "in_progress", max(milestone.start, datetime.date(year, 1, 1))
        if milestone.end and month_end(milestone.end) <= end_of_quarter:
            if rng.random() < 0.8:
                row.status, row.actual_end = "done", month_end(milestone.end)
            else:
                row.status, row.delay_reason = "late", "협업기관 일정 조정으로 지연"
        rows.append(row)
    return rows


def _budget_rows(facts: PlanRows, quarter: int, complete: bool, rng) -> list[BudgetExecution]:
    rows = []
    for line, available in facts.lines:
        spent = int((available or 0) * quarter * rng.randint(30, 115) / 400)
        if not complete and rng.random() < 0.3:
            spent = None
        explanation = "집행 일정 앞당김" if available is not None and spent is not None and spent > available else ""
        rows.append(BudgetExecution(budget_line=line, spent_to_date=spent, explanation=explanation))
    return rows


def _draft(task: Task, period: ReportingPeriod, facts: PlanRows, state: str, parts: PlanParts, rng) -> Draft:
    year = period.plan.year
    officer = parts.users[task.department_id]
    report = ProgressReport(
        task=task,
        period=period,
        status=state,
        achievements=f"{period.quarter}분기 {task.title[:30]} 세부 사업 추진",
        problems=rng.choice(["특이사항 없음", "협업기관 일정 조율 필요", "예산 집행 지연"]),
        next_steps=f"{min(period.quarter + 1, 4)}분기 후속 사업 추진 및 실적 점검",
        self_assessment=rng.choice(["on_track", "on_track", "at_risk", "delayed"]),
        is_sample=True,
    )
    complete = state != Status.DRAFT
    draft = Draft(
        report=report,
        indicator_rows=_indicator_rows(facts, period.quarter, complete, rng),
        milestone_rows=_milestone_rows(facts, year, period.quarter, rng),
        budget_rows=_budget_rows(facts, period.quarter, complete, rng),
        events=_history(report, period, state, officer, parts.reviewer, rng),
    )
    report.version = len(draft.events)
    return draft


def _write(drafts: list[Draft], counts: Counts) -> None:
    ProgressReport.objects.bulk_create([d.report for d in drafts], batch_size=BATCH)
    children: dict[type, list] = {IndicatorResult: [], MilestoneProgress: [], BudgetExecution: [], ReportEvent: []}
    for d in drafts:
        for model, rows in [
            (IndicatorResult, d.indicator_rows),
            (MilestoneProgress, d.milestone_rows),
            (BudgetExecution, d.budget_rows),
            (ReportEvent, d.events),
        ]:
            for row in rows:
                row.report = d.report
            children[model].extend(rows)
    for model, rows in children.items():
        model.objects.bulk_create(rows, batch_size=BATCH)
    counts.reports += len(drafts)
    counts.rows += sum(len(children[m]) for m in (IndicatorResult, MilestoneProgress, BudgetExecution))
    counts.events += len(children[ReportEvent])


def _reports(parts: PlanParts, rng) -> None:
    year = parts.plan.year
    for start in range(0, len(parts.tasks), CHUNK):
        chunk = parts.tasks[start : start + CHUNK]
        facts = _task_facts(chunk, year)
        drafts = []
        for task in chunk:
            for period in parts.periods:
                state = _pick(rng, OPEN_MIX if period.state == "open" else CLOSED_MIX)
                parts.counts.by_status[state] = parts.counts.by_status.get(state, 0) + 1
                if state != "missing":
                    drafts.append(_draft(task, period, facts[task.pk], state, parts, rng))
        _write(drafts, parts.counts)


# ---------------------------------------------------------------- entry points


def synthetic_generate(spec: Spec, *, progress=None) -> Counts:
    """Create ``spec.years`` synthetic plans of ``spec.tasks`` tasks each. Refuses a year already taken."""
    if not 1 <= spec.tasks <= MAX_TASKS:
        raise ValueError(f"과제 수는 1~{MAX_TASKS:,} 사이여야 합니다.")
    taken = list(Plan.objects.filter(year__in=spec.plan_years()).values_list("year", flat=True))
    if taken:
        raise ValueError(
            f"이미 있는 연도의 계획이 있습니다: {sorted(taken)} (--replace로 합성 계획을 지우고 다시 만드세요)"
        )
    rng = random.Random(spec.seed)
    counts = Counts()
    with transaction.atomic():
        names = department_names(spec.departments)
        by_name = _ensure_named(Department, names)
        departments = [by_name[n] for n in names]
        agencies = list(_ensure_named(Agency, [f"{a} {i}" for i in range(1, 6) for a in AGENCY_NAMES]).values())
        agencies.sort(key=lambda a: a.name)
        _ensure_accounts(departments)
    users = dict(
        Department.members.through.objects.filter(user__username__startswith="synth0").values_list(
            "department_id", "user_id"
        )
    )
    reviewer = get_user_model().objects.get(username="synth-reviewer").pk
    years = spec.plan_years()
    for year in years:
        with transaction.atomic():
            plan, programmes = _plan(spec, year, rng)
            tasks = _tasks(plan, programmes, departments, spec, rng)
            _agencies(tasks, agencies, rng)
            _budgets(tasks, year, rng)
            _schedule(tasks, year, rng)
            periods = _periods(plan, latest=year == years[-1])
            parts = PlanParts(plan, tasks, periods, users, reviewer, counts)
            _reports(parts, rng)
        counts.plans += 1
        counts.tasks += len(tasks)
        if progress:
            progress(year, counts)
    return counts


def synthetic_plans() -> Iterator[Plan]:
    return (p for p in Plan.objects.order_by("year") if is_synthetic(p))


def synthetic_clear() -> int:
    """Delete every synthetic plan with its reports (shared departments, agencies and accounts stay)."""
    plans = [p.pk for p in synthetic_plans()]
    with transaction.atomic():
        reports = ProgressReport.objects.filter(period__plan__in=plans)
        ReportEvent.objects.filter(report__in=reports).delete()
        for model in (IndicatorResult, MilestoneProgress, BudgetExecution):
            model.objects.filter(report__in=reports).delete()
        reports.delete()
        Evaluation.objects.filter(plan__in=plans).delete()
        ReportingPeriod.objects.filter(plan__in=plans).delete()
        Plan.objects.filter(pk__in=plans).delete()
    return len(plans)
