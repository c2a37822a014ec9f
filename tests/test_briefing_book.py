"""The briefing book: its figures are the dashboard's, every figure's source is listed, and PDF and HWPX say the
same; the PDF is A4 with Korean fonts embedded and nothing laid out off its page or over other text."""

import datetime
import re
import subprocess
import zipfile
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hwpx import HwpxDocument
from lxml import html
from weasyprint.formatting_structure import boxes

from initiatives.models import Indicator
from reports.briefing.book import book_build
from reports.briefing.pdf import book_document
from reports.evaluation import annual
from reports.models import Job, ProgressReport, ReportEvent
from reports.progress import services
from reports.progress.permissions import OFFICER, REVIEWER
from reports.progress.sample import sample_progress_load
from reports.spreadsheets.workbook import WorkbookFilter
from tests.conftest import make_user
from tests.test_background_jobs import work

REF = re.compile(r"\[(\d+)\]")


@pytest.fixture
def portal(plan):
    """The demo's world: Q1–Q2 approved, Q3 submitted, returned and draft; the annual evaluation run."""
    officers = {d.pk: make_user(f"{d.name} 담당", OFFICER, (d.name,)) for d in {t.department for t in plan.tasks.all()}}
    reviewer = make_user("정보기획 검토", REVIEWER)
    sample_progress_load(plan=plan, officers=officers, reviewer=reviewer)
    annual.evaluation_run(plan=plan, user=reviewer)
    return plan, officers, reviewer


def hwpx_text(source) -> str:
    """The text of an HWPX file as python-hwpx's reader gives it (tables' cells included)."""
    return HwpxDocument.open(source).text.plain()


def squeeze(text: str) -> str:
    """Text without any white space: pdftotext and the HWPX reader break lines where the page does."""
    return re.sub(r"\s+", "", text)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "book.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def dashboard_rows(client, query: str) -> dict[int, dict[str, str]]:
    """The dashboard's task table as the reviewer sees it: task number → column header → cell text."""
    page = html.fromstring(client.get(f"/dashboard/?{query}").content)
    table = next(t for t in page.iter("table") if "연번" in t.text_content() and "과제명" in t.text_content())
    headers = [th.text_content().strip() for th in table.find("thead").iter("th")]
    rows = {}
    for tr in table.find("tbody").iter("tr"):
        cells = {h: td for h, td in zip(headers, tr.iter("td"), strict=False)}
        status = cells["진단(산출)"].find(".//span")
        rows[int(cells["연번"].text_content())] = {
            "진단": status.text_content().strip(),
            "종합 점수": cells["점수"].text_content().strip(),
            "집행률": cells["집행률"].text_content().strip(),
        }
    return rows


def task_segments(text: str, plan, numbers) -> dict[int, str]:
    """Each task's page of the book's text (squeezed), found by its heading '번호. 과제명'."""
    flat = squeeze(text)
    starts = {}
    for task in plan.tasks.filter(number__in=numbers):
        heading = squeeze(f"{task.number}. {task.title}")
        found = [m.start() for m in re.finditer(re.escape(heading), flat)]
        starts[task.number] = found[-1]  # the last: the task page comes after its programme's list
    order = sorted(starts, key=starts.get)
    ends = [starts[n] for n in order[1:]] + [flat.index(squeeze("부록: 원문 합계 불일치"), starts[order[-1]])]
    return {n: flat[starts[n] : end] for n, end in zip(order, ends, strict=True)}


ENTRY = re.compile(r"^\[(\d+)\] (계획 원문|목표 변경|보고 이력|분기 진단|대시보드 집계) ", flags=re.MULTILINE)


def sources_listed(text: str) -> set[int]:
    """The numbers of the list of sources' entries ('[n] kind where')."""
    return {int(m.group(1)) for m in ENTRY.finditer(text)}


def cited_before_the_sources(text: str) -> set[int]:
    return {int(n) for n in REF.findall(text[: ENTRY.search(text).start()])}


def assert_figures_are_the_dashboards(text: str, rows: dict, plan, quarter: int) -> None:
    segments = task_segments(text, plan, rows)
    assert set(segments) == set(rows)
    for number, figures in rows.items():
        segment = segments[number]
        for label, value in [
            (f"{quarter}분기 진단", figures["진단"]),
            *((k, figures[k]) for k in ("종합 점수", "집행률")),
        ]:
            assert re.search(re.escape(squeeze(label + value)) + r"(\[\d+\])?", segment), (number, label, value)


@pytest.mark.django_db
def test_pdf_holds_the_dashboards_figures_with_every_source_listed_and_fonts_embedded(client, portal, tmp_path):
    plan, _, reviewer = portal
    client.force_login(reviewer)
    response = client.get("/exports/book.pdf?year=2017&quarter=3")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    text = pdf_text(content, tmp_path)

    rows = dashboard_rows(client, "year=2017&quarter=3")
    assert len(rows) == plan.tasks.count()
    assert_figures_are_the_dashboards(text, rows, plan, 3)
    board = client.get("/dashboard/?year=2017&quarter=3").context["board"]
    flat = squeeze(text)
    start = flat.index("3분기현황(금액:백만원)")
    summary = flat[start : flat.index("추진방안1.", start)]
    assert f"종합점수{board.total.score}[1]" in summary
    assert f"예산현액(백만원){board.total.available:,}[1]" in summary

    cited = cited_before_the_sources(text)
    listed = sources_listed(text)
    assert cited and cited <= listed
    assert listed == set(range(1, len(listed) + 1))
    # the plan's sentences and the officers' history entries are among them
    assert "계획 원문" in text and "보고 이력" in text and "분기 진단" in text

    fonts = subprocess.run(["pdffonts", str(tmp_path / "book.pdf")], check=True, capture_output=True, text=True).stdout
    korean = [line for line in fonts.splitlines() if "CJK-KR" in line]
    assert korean and all(line.split()[-5] == "yes" for line in korean)  # the "emb" column
    info = subprocess.run(["pdfinfo", str(tmp_path / "book.pdf")], check=True, capture_output=True, text=True).stdout
    assert "A4" in info


@pytest.mark.django_db
def test_a_figure_points_to_the_history_entry_that_set_it(portal):
    plan, _, _ = portal
    book = book_build(WorkbookFilter(plan=plan, quarter=3))
    page = next(s for s in book.sections if s.anchor == "task-15")
    execution = next(t for t in page.tables if t.title.startswith("예산 집행"))
    spent = execution.rows[0][2]
    source = book.sources[spent.ref - 1]
    event_pk = int(re.search(r"이력 #(\d+)", source.where).group(1))
    event = ReportEvent.objects.get(pk=event_pk)
    (change,) = [c for c in event.changes if c["label"] == source.text.split(":")[0]]
    assert source.kind == "보고 이력" and event.report.task.number == 15
    assert change["label"].startswith("예산 ") and spent.text.replace(",", "") == change["new"]
    later = ReportEvent.objects.filter(report=event.report, at__gt=event.at)  # no later entry changed it
    assert not any(c["label"] == change["label"] for e in later for c in e.changes)


def indicator_rows(book, number: int) -> list[list]:
    page = next(s for s in book.sections if s.anchor == f"task-{number}")
    return next(t for t in page.tables if t.title == "성과지표").rows


@pytest.mark.django_db
def test_a_periodic_indicators_total_points_to_every_quarters_report(portal):
    plan, _, _ = portal
    book = book_build(WorkbookFilter(plan=plan, quarter=3))
    periodic = Indicator.objects.filter(task__plan=plan, year=2017, cumulative=False)
    checked = 0
    for indicator in periodic.select_related("task"):
        for row in indicator_rows(book, indicator.task.number):
            if row[0].text != indicator.name or row[4].text == "–":
                continue
            source = book.sources[row[4].ref - 1]
            assert "누계 (분기 보고 실적의 합)" in source.where
            values = [Decimal(v.replace(",", "")) for v in re.findall(r": ([\d,.]+)", source.text)]
            assert sum(values) == Decimal(row[4].text.replace(",", ""))
            assert len(values) >= 2  # the quarters added up, not the last report alone
            checked += 1
    assert checked


@pytest.mark.django_db
def test_a_target_points_to_the_change_in_force_when_the_quarter_opened(portal):
    plan, _, reviewer = portal
    indicator = Indicator.objects.get(task__number=15, target=342)
    q2 = plan.periods.get(quarter=2)
    before = datetime.datetime.combine(q2.opens_on, datetime.time(9), tzinfo=timezone.get_current_timezone())
    services.indicator_change_target(
        indicator=indicator,
        new_target=Decimal(350),
        reason="자치구 추가",
        user=reviewer,
        now=before - datetime.timedelta(days=3),
    )
    services.indicator_change_target(indicator=indicator, new_target=Decimal(400), reason="나중 변경", user=reviewer)
    services.indicator_change_target(indicator=indicator, new_target=Decimal(350), reason="되돌림", user=reviewer)

    def target_source(quarter: int):
        book = book_build(WorkbookFilter(plan=plan, quarter=quarter))
        (row,) = [r for r in indicator_rows(book, 15) if r[0].text == indicator.name]
        return row[2].text, book.sources[row[2].ref - 1]

    text, source = target_source(3)
    # the change in force then, not a later one that set the same figure again
    assert Decimal(text) == 350 and source.kind == "목표 변경" and "자치구 추가" in source.text
    text, source = target_source(1)  # judged on Q1, before either change
    assert Decimal(text) == 342 and source.kind == "계획 원문"


@pytest.mark.django_db
def test_the_review_result_is_the_decision_the_report_stands_on(portal):
    plan, officers, _ = portal
    book = book_build(WorkbookFilter(plan=plan, quarter=2))
    page = next(s for s in book.sections if s.anchor == "task-15")
    assert dict(page.facts)["검토 결과"].text.startswith("승인")
    report = ProgressReport.objects.get(task__number=15, period__quarter=2)
    officer = officers[report.task.department_id]
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.REOPEN, actor=officer, at=timezone.now())
    book = book_build(WorkbookFilter(plan=plan, quarter=2))
    page = next(s for s in book.sections if s.anchor == "task-15")
    assert dict(page.facts)["검토 결과"].text == "검토 전"


@pytest.mark.django_db
def test_hwpx_validates_and_says_what_the_pdf_says(client, portal, tmp_path):
    plan, _, reviewer = portal
    client.force_login(reviewer)
    query = "year=2017&quarter=2"
    pdf = pdf_text(b"".join(client.get(f"/exports/book.pdf?{query}").streaming_content), tmp_path)
    response = client.get(f"/exports/book.hwpx?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/hwp+zip"
    content = b"".join(response.streaming_content)

    document = HwpxDocument.open(BytesIO(content))
    assert document.validate().issues == ()
    text = hwpx_text(BytesIO(content))
    assert_figures_are_the_dashboards(text, dashboard_rows(client, query), plan, 2)
    assert cited_before_the_sources(text) == cited_before_the_sources(pdf)
    assert sources_listed(text) == sources_listed(pdf)
    with zipfile.ZipFile(BytesIO(content)) as package:  # every source is in the endnote of the part citing it first
        parts = [package.read(n).decode() for n in package.namelist() if re.fullmatch(r"Contents/section\d+\.xml", n)]
    assert len(parts) > 5  # a part of the file for the summary, each area and the sources
    notes = [n for part in parts for n in re.findall(r"<hp:endNote .*?</hp:endNote>", part, flags=re.DOTALL)]
    noted = [int(n) for note in notes for n in re.findall(r"\[(\d+)\] ", "".join(re.findall(r">([^<]*)<", note)))]
    assert sorted(noted) == sorted(sources_listed(pdf))


def text_boxes(page) -> list:
    return [b for b in page._page_box.descendants() if isinstance(b, boxes.TextBox) and b.text.strip()]


def overlapping(a, b) -> bool:
    return (
        a.position_x < b.position_x + b.width - 0.5
        and b.position_x < a.position_x + a.width - 0.5
        and a.position_y < b.position_y + b.height - 0.5
        and b.position_y < a.position_y + a.height - 0.5
    )


def layout_faults(document) -> list[str]:
    """Text laid out outside its page's content area, or over other text on the page."""
    faults = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        left, top = box.content_box_x(), box.content_box_y()
        right, bottom = left + box.width, top + box.height
        found = text_boxes(page)
        for b in found:
            inside_margin = b.position_y < top or b.position_y + b.height > bottom  # page numbers, running heads
            if b.position_x < 0 or b.position_x + b.width > page.width or b.position_y + b.height > page.height:
                faults.append(f"p.{number}: '{b.text[:30]}' off the page")
            elif not inside_margin and (b.position_x < left - 0.5 or b.position_x + b.width > right + 0.5):
                faults.append(f"p.{number}: '{b.text[:30]}' beyond the margin")
        found.sort(key=lambda b: b.position_y)
        for i, a in enumerate(found):
            for b in found[i + 1 :]:
                if b.position_y >= a.position_y + a.height:
                    break
                if overlapping(a, b):
                    faults.append(f"p.{number}: '{a.text[:20]}' over '{b.text[:20]}'")
    return faults


@pytest.mark.django_db
def test_no_text_runs_off_the_page_or_over_other_text(portal):
    plan, _, _ = portal
    report = ProgressReport.objects.filter(task__number=15, period__quarter=1).get()
    long_word = "https://opengov.seoul.go.kr/" + "A" * 300  # one word wider than the page
    ProgressReport.objects.filter(pk=report.pk).update(achievements=long_word, problems="가" * 2000)
    book = book_build(WorkbookFilter(plan=plan, quarter=1))
    assert any(long_word in value.text for s in book.sections for _, value in s.facts)
    document = book_document(book)
    assert len(document.pages) > 20
    assert layout_faults(document) == []


def test_the_layout_check_finds_text_off_the_page():
    from weasyprint import HTML

    document = HTML(string='<p style="white-space: nowrap">' + "넘치는 글자 " * 80 + "</p>").render()
    assert layout_faults(document)


@pytest.mark.django_db
def test_the_filters_choose_the_tasks_as_on_the_dashboard(client, portal, tmp_path):
    plan, _, reviewer = portal
    client.force_login(reviewer)
    department = plan.tasks.get(number=15).department
    query = f"year=2017&quarter=3&department={department.pk}"
    text = pdf_text(b"".join(client.get(f"/exports/book.pdf?{query}").streaming_content), tmp_path)
    rows = dashboard_rows(client, query)
    assert set(rows) == set(plan.tasks.filter(department=department).values_list("number", flat=True))
    assert_figures_are_the_dashboards(text, rows, plan, 3)
    others = plan.tasks.exclude(department=department)
    assert not any(squeeze(f"{t.number}. {t.title}") in squeeze(text) for t in others)


@pytest.mark.django_db
def test_only_the_planning_office_and_administrators_get_the_book(client, portal, administrator):
    plan, officers, _ = portal
    officer = officers[plan.tasks.get(number=15).department_id]
    for url in (reverse("reports:book-pdf"), reverse("reports:book-hwpx")):
        assert client.get(url).status_code == 302  # to the login page
        client.force_login(officer)
        assert client.get(url + "?year=2017&quarter=1").status_code == 403  # not even their own department's
        client.logout()
    client.force_login(administrator)
    response = client.get(
        reverse("reports:book-hwpx") + f"?year=2017&quarter=1&department={officer.departments.get().pk}"
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_large_book_is_made_by_a_job(client, portal, settings, task_backend, tmp_path):
    plan, _, reviewer = portal
    settings.GOV30_BOOK_JOB_TASKS = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(reviewer)
    response = client.get("/exports/book.hwpx?year=2017&quarter=2")
    job = Job.objects.get(kind=Job.Kind.BOOK)
    assert response.status_code == 302 and response["Location"] == reverse("reports:job-detail", args=[job.pk])
    work()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    download = client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/hwp+zip"
    content = b"".join(download.streaming_content)
    assert HwpxDocument.open(BytesIO(content)).validate().issues == ()
    assert squeeze("부록: 원문 합계 불일치") in squeeze(hwpx_text(BytesIO(content)))


@pytest.mark.django_db
def test_the_command_takes_the_dashboards_filters(portal, tmp_path):
    out = StringIO()
    call_command(
        "export_book",
        "--year",
        "2017",
        "--quarter",
        "2",
        "--department",
        "자치행정과",
        "-o",
        str(tmp_path / "b.hwpx"),
        stdout=out,
    )
    text = squeeze(hwpx_text(tmp_path / "b.hwpx"))
    assert "저장했습니다" in out.getvalue()
    assert squeeze("주관부서 자치행정과") in text and "15." in text
    with pytest.raises(Exception, match="pdf 또는 .hwpx"):
        call_command("export_book", "--year", "2017", "-o", str(tmp_path / "b.docx"))
