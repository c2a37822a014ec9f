"""The dashboard's selection from a command's options (year, quarter, area number, department name): the same
filters for every export command."""

from django.core.management.base import CommandError

from gov30.korean import quoted, with_particle
from initiatives.models import Department, Plan, StrategicArea
from reports.spreadsheets.workbook import WorkbookFilter


def add_selection_arguments(parser) -> None:
    parser.add_argument("--year", type=int, required=True, help="계획 연도 (예: 2017)")
    parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], default=4, help="기준 분기 (기본 4)")
    parser.add_argument("--area", type=int, help="추진방안 번호 (예: 1)")
    parser.add_argument("--department", help="주관부서 이름 (예: 자치행정과)")


def selection_from_options(*, year: int, quarter: int, area: int | None, department: str | None) -> WorkbookFilter:
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        raise CommandError(f"{year}년 실행계획이 없습니다.")
    selection = WorkbookFilter(plan=plan, quarter=quarter)
    if area is not None:
        selection.area = StrategicArea.objects.filter(plan=plan, number=area).first()
        if selection.area is None:
            raise CommandError(f"{with_particle(f'추진방안 {area}', '이')} 없습니다.")
    if department:
        selection.department = Department.objects.filter(name=department).first()
        if selection.department is None:
            raise CommandError(f"{with_particle(f'주관부서 {quoted(department)}', '이')} 없습니다.")
    return selection
