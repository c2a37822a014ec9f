"""Exports of the loaded plan. No request inside: commands and views call these alike."""

from typing import Any

from budgets.selectors import budget_prefetch
from budgets.services import budget_summary
from initiatives.models import Plan, Task
from initiatives.selectors import areas_for_plan, task_detail_queryset


def _person(name: str, title: str) -> dict[str, str] | None:
    return {"name": name, "title": title} if name else None


def _task_as_dict(task: Task) -> dict[str, Any]:
    summary = budget_summary(task.budget_table)
    return {
        "number": task.number,
        "title": task.title,
        "area": task.programme.strategic_area.number,
        "programme": task.programme.number,
        "department": task.department.name,
        "agencies": [link.agency.name for link in task.task_agencies.all()],
        "manager": _person(task.manager_name, task.manager_title),
        "officer": _person(task.officer_name, task.officer_title),
        "phone": task.phone,
        "non_budget": task.budget_table.non_budget,
        "funding_note": task.budget_table.funding_note,
        "budget_lines": [
            {
                "name": line.line.name,
                "amounts": [
                    {"from_year": col.column.from_year, "to_year": col.column.to_year, "amount": amount}
                    for col, amount in zip(summary.columns, line.cells, strict=True)
                    if amount is not None
                ],
                "printed_total": line.printed_total,
                "computed_total": line.computed_total,
                "source_text": line.line.source_text,
                "note": line.line.note,
            }
            for line in summary.lines
        ],
        "budget_printed_total": summary.printed_total,
        "budget_computed_total": summary.computed_total,
        "budget_flags": summary.flags,
        "milestones": [
            {
                "title": m.title,
                "start": m.start.strftime("%Y-%m"),
                "end": m.end.strftime("%Y-%m") if m.end else None,
                "date_text": m.date_text,
                "source_text": m.source_text,
            }
            for m in task.milestones.all()
        ],
        "indicators": [
            {"name": i.name, "unit": i.unit, "target": _number(i.target), "year": i.year, "source_text": i.source_text}
            for i in task.indicators.all()
        ],
    }


def _number(value) -> int | float:
    return int(value) if value == int(value) else float(value)


def plan_export(*, plan: Plan) -> dict[str, Any]:
    """The plan as the canonical JSON document (see README, 'export_plan')."""
    tasks = list(
        task_detail_queryset()
        .filter(plan=plan)
        .select_related("budget_table")
        .prefetch_related(*budget_prefetch())
        .order_by("number")
    )
    return {
        "plan": {
            "year": plan.year,
            "title": plan.title,
            "document_number": plan.document_number,
            "approved_on": plan.approved_on.isoformat(),
        },
        "strategic_areas": [
            {
                "number": area.number,
                "title": area.title,
                "programmes": [
                    {
                        "number": programme.number,
                        "title": programme.title,
                        "tasks": [t.number for t in tasks if t.programme_id == programme.pk],
                    }
                    for programme in area.programmes.all()
                ],
            }
            for area in areas_for_plan(plan=plan)
        ],
        "tasks": [_task_as_dict(task) for task in tasks],
    }
