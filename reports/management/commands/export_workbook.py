from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gov30.korean import quoted, with_particle
from initiatives.models import Department, Plan, StrategicArea
from reports.spreadsheets.workbook import WorkbookFilter, evaluation_workbook


class Command(BaseCommand):
    help = "평가 통합 엑셀(요약·과제별 실적·성과지표·추진일정·예산·평가 결과·산출 근거·마감 후 변경)을 만듭니다."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="계획 연도 (예: 2017)")
        parser.add_argument("-o", "--output", type=Path, required=True, help="저장할 파일 (.xlsx)")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], default=4, help="기준 분기 (기본 4)")
        parser.add_argument("--area", type=int, help="추진방안 번호 (예: 1)")
        parser.add_argument("--department", help="주관부서 이름 (예: 자치행정과)")

    def handle(self, *args, year, output: Path, quarter, area, department, **options):
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
        if output.suffix.lower() != ".xlsx":
            raise CommandError("출력 파일은 .xlsx 이어야 합니다.")
        evaluation_workbook(output, selection)
        self.stdout.write(self.style.SUCCESS(f"평가 통합 엑셀을 저장했습니다: {output} ({selection.describe()})"))
