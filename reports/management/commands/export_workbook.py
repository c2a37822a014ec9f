from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.management.selection import add_selection_arguments, selection_from_options
from reports.spreadsheets.workbook import evaluation_workbook


class Command(BaseCommand):
    help = "평가 통합 엑셀(요약·과제별 실적·성과지표·추진일정·예산·평가 결과·산출 근거·마감 후 변경)을 만듭니다."

    def add_arguments(self, parser):
        add_selection_arguments(parser)
        parser.add_argument("-o", "--output", type=Path, required=True, help="저장할 파일 (.xlsx)")

    def handle(self, *args, year, output: Path, quarter, area, department, **options):
        selection = selection_from_options(year=year, quarter=quarter, area=area, department=department)
        if output.suffix.lower() != ".xlsx":
            raise CommandError("출력 파일은 .xlsx 이어야 합니다.")
        evaluation_workbook(output, selection)
        self.stdout.write(self.style.SUCCESS(f"평가 통합 엑셀을 저장했습니다: {output} ({selection.describe()})"))
