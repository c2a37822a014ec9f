from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.briefing.documents import FORMATS, book_write
from reports.management.selection import add_selection_arguments, selection_from_options

SUFFIXES = {f.suffix: kind for kind, f in FORMATS.items()}


class Command(BaseCommand):
    help = "추진실적 보고서(표지·요약·추진방안·과제별 쪽·불일치 부록·출처)를 PDF 또는 한글(HWPX)로 만듭니다."

    def add_arguments(self, parser):
        add_selection_arguments(parser)
        parser.add_argument("-o", "--output", type=Path, required=True, help="저장할 파일 (.pdf 또는 .hwpx)")

    def handle(self, *args, year, output: Path, quarter, area, department, **options):
        selection = selection_from_options(year=year, quarter=quarter, area=area, department=department)
        kind = SUFFIXES.get(output.suffix.lower())
        if kind is None:
            raise CommandError("출력 파일은 .pdf 또는 .hwpx 이어야 합니다.")
        book_write(output, selection, kind)
        self.stdout.write(self.style.SUCCESS(f"보고서를 저장했습니다: {output} ({selection.describe()})"))
