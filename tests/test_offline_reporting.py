"""Offline reporting: template → fill → upload → preview → confirm, as the web form would; bad files refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from reports.models import BudgetExecution, IndicatorResult, ProgressReport, ReportEvent, ReportingPeriod
from tests import bad_files


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def download(client, period) -> bytes:
    response = client.get(f"/offline/{period.pk}/template/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def upload(client, period, content: bytes, name="실적.xlsx"):
    return client.post(f"/offline/{period.pk}/upload/", {"file": SimpleUploadedFile(name, content)})


def fill(template: bytes) -> bytes:
    def change(wb):
        indicators = wb["성과지표"]
        for row in indicators.iter_rows(min_row=2):
            if row[2].value == 15 and row[4].value.startswith("찾아가는 동주민센터 시행 동"):
                row[7].value = 300
                row[9].value = "연말까지 42개 동 추가"
        budget = wb["예산집행"]
        for row in budget.iter_rows(min_row=2):
            if row[2].value == 15:
                row[6].value = 20000
        narrative = wb["서술"]
        for row in narrative.iter_rows(min_row=2):
            if row[2].value == 15:
                row[4].value = "엑셀로 작성한 1분기 실적"
                row[7].value = "주의"

    return bad_files.edit(template, change)


def snapshot():
    return (
        list(ProgressReport.objects.values_list("task_id", "status", "version", "achievements", "self_assessment")),
        list(IndicatorResult.objects.values_list("pk", "actual", "comment")),
        list(BudgetExecution.objects.values_list("pk", "spent_to_date")),
        ReportEvent.objects.count(),
    )


@pytest.mark.django_db
def test_template_is_prefilled_protected_and_live(client, officer, open_q1):
    client.force_login(officer)
    wb = load_workbook(io.BytesIO(download(client, open_q1)))
    assert wb.sheetnames == ["안내", "성과지표", "추진일정", "예산집행", "서술"]
    ws = wb["성과지표"]
    assert ws.protection.sheet and ws.column_dimensions["A"].hidden and ws.column_dimensions["B"].hidden
    tasks = {row[2].value for row in ws.iter_rows(min_row=2)}
    assert tasks == {15}  # 자치행정과's tasks with 2017 indicators (task 6 has none)
    assert {row[2].value for row in wb["서술"].iter_rows(min_row=2)} == {6, 15}
    assert ws["H2"].protection.locked is False and ws["G2"].protection.locked is True
    assert ws["I2"].value.startswith("=IF(") and "H2/G2" in ws["I2"].value
    budget = wb["예산집행"]
    row = next(r for r in budget.iter_rows(min_row=2) if r[2].value == 15)
    n = row[0].row
    assert row[5].value == 72050 and f"F{n}-G{n}" in row[7].value and f"G{n}/F{n}" in row[8].value
    # the merged '16년∼'17년 column of task 6 gives its amount as this year's 예산현액
    isp = next(r for r in budget.iter_rows(min_row=2) if r[4].value == "ISP수립 및 상세설계 용역")
    assert isp[5].value == 58


@pytest.mark.django_db
def test_fill_upload_preview_confirm_changes_the_report_with_history(client, officer, open_q1):
    client.force_login(officer)
    response = upload(client, open_q1, fill(download(client, open_q1)))
    html = response.content.decode()
    assert response.status_code == 200 and "미리보기" in html
    assert "신규" in html and "엑셀로 작성한 1분기 실적" in html
    assert not ProgressReport.objects.exists()  # nothing applied before confirming
    response = client.post(f"/offline/{open_q1.pk}/confirm/", follow=True)
    assert "반영했습니다" in response.content.decode()
    report = ProgressReport.objects.get(task__number=15)
    assert (report.achievements, report.self_assessment, report.status) == (
        "엑셀로 작성한 1분기 실적",
        "at_risk",
        "draft",
    )
    result = report.indicator_results.get(indicator__target=342)
    assert (result.actual, result.comment) == (300, "연말까지 42개 동 추가")
    assert report.budget_executions.get().spent_to_date == 20000
    save = report.events.get(action="save")
    labels = {c["label"] for c in save.changes}
    assert "주요 추진실적" in labels and any("지출액 누계" in label for label in labels)
    assert save.actor == officer


@pytest.mark.django_db
def test_unchanged_round_trip_previews_as_no_changes(client, officer, open_q1):
    client.force_login(officer)
    upload(client, open_q1, fill(download(client, open_q1)))
    client.post(f"/offline/{open_q1.pk}/confirm/")
    html = upload(client, open_q1, download(client, open_q1)).content.decode()
    assert "바뀐 내용이 없습니다" in html
    assert "신규 <strong>0</strong>" in html and "변경 <strong>0</strong>" in html and "오류 <strong>0</strong>" in html


@pytest.mark.django_db
def test_stale_file_is_refused(client, officer, open_q1):
    client.force_login(officer)
    first = fill(download(client, open_q1))
    upload(client, open_q1, first)
    client.post(f"/offline/{open_q1.pk}/confirm/")
    html = upload(client, open_q1, first).content.decode()  # the same old file again
    assert "양식을 내려받은 뒤 보고가 바뀌었습니다" in html


@pytest.mark.django_db
def test_a_save_between_preview_and_confirm_refuses_the_whole_upload(client, officer, open_q1, task):
    from reports.progress import services

    report = services.report_start(task=task, period=open_q1, user=officer)
    client.force_login(officer)
    html = upload(client, open_q1, fill(download(client, open_q1))).content.decode()
    assert "확인:" in html
    report.refresh_from_db()
    services.report_save(report=report, user=officer, version=report.version, data={"problems": "다른 창에서 저장"})
    before = snapshot()
    response = client.post(f"/offline/{open_q1.pk}/confirm/", follow=True)
    assert "반영하지 못했습니다" in response.content.decode() and "먼저 변경했습니다" in response.content.decode()
    assert snapshot() == before
    report.refresh_from_db()
    assert report.problems == "다른 창에서 저장"


BAD_FILES = [
    ("csv_renamed", bad_files.csv_renamed, "형식이 아닙니다"),
    ("truncated", bad_files.truncated, "손상"),
    ("zip_bomb", bad_files.zip_bomb, "압축 폭탄"),
    ("oversized", bad_files.oversized, "파일이 너무 큽니다"),
    ("missing_column", bad_files.drop_column, "없는 열: 설명·미달성 사유"),
    ("extra_column", bad_files.extra_column, "양식에 없는 열: 비고"),
    ("text_in_number", bad_files.text_in_number, "정수(백만원)만 입력하세요"),
    ("date_as_text", bad_files.date_as_text, "날짜를 2017-03-31 또는 2017. 3. 31. 형식으로"),
    ("formula", bad_files.formula_in_input, "수식이 있습니다"),
    ("duplicate_rows", bad_files.duplicate_row, "같은 항목이 두 번 있습니다"),
    ("sheet_xml_truncated", bad_files.sheet_xml_truncated, "시트를 읽을 수 없습니다"),
    ("sheet_xml_undefined_entity", bad_files.sheet_xml_undefined_entity, "시트를 읽을 수 없습니다"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,make,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_and_change_nothing(client, officer, open_q1, name, make, message):
    client.force_login(officer)
    template = fill(download(client, open_q1))
    before = snapshot()
    html = upload(client, open_q1, make(template)).content.decode()
    assert message in html, name
    assert "확인:" not in html  # no confirm button
    assert client.post(f"/offline/{open_q1.pk}/confirm/").status_code == 302
    assert snapshot() == before


@pytest.mark.django_db
def test_another_departments_task_is_refused(client, officer, other_officer, open_q1, plan):
    client.force_login(other_officer)
    parking = download(client, open_q1)  # 주차계획과's template, task 13
    client.force_login(officer)
    before = snapshot()
    html = upload(client, open_q1, parking).content.decode()
    assert "다른 부서의 과제" in html
    client.post(f"/offline/{open_q1.pk}/confirm/")
    assert snapshot() == before


@pytest.mark.django_db
def test_locked_period_is_refused(client, officer, open_q1):
    client.force_login(officer)
    filled = fill(download(client, open_q1))
    ReportingPeriod.objects.filter(pk=open_q1.pk).update(state="locked")
    before = snapshot()
    html = upload(client, open_q1, filled).content.decode()
    assert "확정되었습니다" in html
    client.post(f"/offline/{open_q1.pk}/confirm/")
    assert snapshot() == before


@pytest.mark.django_db
def test_reviewer_cannot_use_offline_reporting(client, reviewer, open_q1):
    client.force_login(reviewer)
    assert client.get(f"/offline/{open_q1.pk}/template/").status_code == 403


def test_defusedxml_protects_openpyxl():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


@pytest.mark.django_db
def test_the_kept_preview_is_exactly_what_confirm_applies(officer, open_q1, task):
    """Typed once by the preview, encoded once, and the confirm applies those values unchanged."""
    import json
    from io import BytesIO

    from reports.spreadsheets import offline

    template = BytesIO()
    offline.template_workbook(template, user=officer, period=open_q1)
    result = offline.preview(handle=BytesIO(fill(template.getvalue())), user=officer, period=open_q1)
    kept = json.loads(offline.pending_json(result))
    [entry] = [e for e in kept["entries"] if e["task"] == task.pk]
    decoded, typed = offline._decoded(entry["data"]), result.values[task.pk]
    for group in ("indicator_results", "milestone_progress", "budget_executions"):
        assert decoded[group] == typed[group]
    offline.apply(pending=kept, user=officer, period=open_q1)
    report = task.reports.get(period=open_q1)
    assert {r.indicator_id: r.actual for r in report.indicator_results.all()} == {
        pk: values["actual"] for pk, values in typed["indicator_results"].items()
    }
    assert {e.budget_line_id: e.spent_to_date for e in report.budget_executions.all()} == {
        pk: values["spent_to_date"] for pk, values in typed["budget_executions"].items()
    }
