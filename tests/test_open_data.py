"""Open data: each plan year's results and plan as CSV, XLSX and JSON, with a Frictionless data package.

The files say what /results/ says and nothing more; the CSV opens with its Korean in LibreOffice; the package
validates with its own tool; every file is listed on the index page at a stable address."""

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import frictionless
import openpyxl
import pytest

from reports.progress import rules
from tests.leak_plants import plant_hidden_and_approved

FORMATS = ("csv", "xlsx", "json")
DATASETS = (
    *(name for q in range(1, 5) for name in (f"results-q{q}", f"indicator-results-q{q}")),
    "tasks",
    "budgets",
    "milestones",
    "indicators",
)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def plants(plan, report, officer, reviewer, open_q1):
    return plant_hidden_and_approved(plan=plan, report=report, officer=officer, reviewer=reviewer, period=open_q1)


def get(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "the CSV starts with a byte order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(str(v) for ws in book.worksheets for row in ws.values for v in row if v is not None)


def file_text(content: bytes, fmt: str) -> str:
    return xlsx_text(content) if fmt == "xlsx" else content.decode("utf-8-sig")


# ---------------------------------------------------------------- nothing /results/ does not show


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_open_files_hold_nothing_the_results_page_hides(client, plants, fmt):
    seen = ""
    for dataset in DATASETS:
        text = file_text(get(client, f"/open-data/2017/{dataset}.{fmt}").content, fmt)
        for hidden in plants.hidden:
            assert hidden not in text, f"{dataset}.{fmt}: {hidden}"
        if dataset == "indicator-results-q1":
            seen = text
    package = get(client, "/open-data/2017/datapackage.json").content.decode()
    assert not [hidden for hidden in plants.hidden if hidden in package]
    assert plants.approved_actual in seen  # the approved actual is published


# ---------------------------------------------------------------- the same figures as /results/


@pytest.mark.django_db
def test_results_dataset_has_the_figures_of_the_results_page(client, plants):
    page = client.get("/results/")
    quarter = page.context["quarter"]
    assert quarter == 1
    published = json.loads(get(client, f"/open-data/2017/results-q{quarter}.json").content)
    by_number = {row["task_number"]: row for row in published["rows"]}
    assert len(by_number) == 16
    for shown in page.context["rows"]:
        view, row = shown["view"], by_number[shown["view"].task.number]
        assert row["available_budget"] == view.available
        assert row["spent"] == view.spent
        expected_rate = rules.percent_value(view.execution_rate)
        assert row["execution_rate"] == (None if expected_rate is None else float(expected_rate))
        assert row["status"] == view.assessment.status.label
        assert row["status_explanation"] == view.assessment.explanation
        assert row["report_quarter"] == (view.report.period.quarter if view.report else None)
        assert row["evaluation_grade"] == (shown["score"].grade or None)
    task15 = by_number[15]
    assert task15["report_quarter"] == 1 and task15["spent"] is not None
    assert by_number[6]["report_quarter"] is None  # returned, never approved


@pytest.mark.django_db
def test_the_api_results_are_the_open_data_rows_and_hide_the_same(client, plants):
    """/api/v1/results/ and /api/v1/indicator-results/ answer the JSON files' rows; the default quarter is
    /results/'s."""
    quarter = client.get("/results/").context["quarter"]
    for endpoint, dataset in (("results", "results"), ("indicator-results", "indicator-results")):
        rows = json.loads(get(client, f"/open-data/2017/{dataset}-q{quarter}.json").content)["rows"]
        answered = get(client, f"/api/v1/{endpoint}/").json()
        assert answered["count"] == len(rows) and answered["results"] == rows[:50]
        assert get(client, f"/api/v1/{endpoint}/?quarter=2&year=2017").json()["count"] == answered["count"]
        text = json.dumps(answered, ensure_ascii=False)
        assert not [hidden for hidden in plants.hidden if hidden in text]
    assert any(row["actual"] == float(plants.approved_actual) for row in answered["results"])
    refused = client.get("/api/v1/results/?quarter=5")
    assert refused.status_code == 400 and "분기는 1, 2, 3, 4" in refused.content.decode()


# ---------------------------------------------------------------- the CSV in LibreOffice


@pytest.mark.django_db
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_csv_opens_in_libreoffice_with_korean_intact(client, plants, tmp_path):
    names = ["tasks", "results-q1", "indicator-results-q1"]
    sources = {}
    for name in names:
        content = get(client, f"/open-data/2017/{name}.csv").content
        (tmp_path / f"{name}.csv").write_bytes(content)
        sources[name] = csv_rows(content)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            *[str(tmp_path / f"{name}.csv") for name in names],
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for name in names:
        sheet = openpyxl.load_workbook(tmp_path / "out" / f"{name}.xlsx").active
        opened = [list(row) for row in sheet.values]
        assert len(opened) == len(sources[name]) > 1, name
        for line, (typed, read) in enumerate(zip(sources[name], opened, strict=True), start=1):
            assert len(read) == len(typed), f"{name} line {line}"
            for cell, value in zip(typed, read, strict=True):
                assert _same(cell, value), f"{name} line {line}: {cell!r} opened as {value!r}"
    assert any("찾아가는" in cell for row in sources["tasks"] for cell in row)


def _same(cell: str, value) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(cell) == value
    return cell == value


# ---------------------------------------------------------------- the data package and its validator


def write_package(client, directory: Path) -> dict:
    """The package and its resource files, as the portal serves them, in one directory."""
    descriptor = json.loads(get(client, "/open-data/2017/datapackage.json").content)
    (directory / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    for resource in descriptor["resources"]:
        (directory / resource["path"]).write_bytes(get(client, f"/open-data/2017/{resource['path']}").content)
    return descriptor


def errors_of(report) -> list:
    return report.flatten(["taskName", "type", "note"])


@pytest.mark.django_db
def test_data_package_validates_with_frictionless(client, plants, tmp_path, monkeypatch):
    descriptor = write_package(client, tmp_path)
    assert [r["name"] for r in descriptor["resources"]] == list(DATASETS)
    assert descriptor["licenses"] == [
        {
            "name": "KOGL-Type1",
            "title": "공공누리 제1유형: 출처표시",
            "path": "https://www.kogl.or.kr/info/licenseType1.do",
        }
    ]
    assert "정보기획담당관-1768" in descriptor["sources"][0]["title"]
    assert descriptor["created"][:10] >= "2017-02-02"
    for resource in descriptor["resources"]:
        for column in resource["schema"]["fields"]:
            assert column["name"].isascii() and column["title"] and column["description"], column
    monkeypatch.chdir(tmp_path)
    report = frictionless.validate("datapackage.json")
    assert report.valid, errors_of(report)
    assert report.stats["tasks"] == len(DATASETS)


@pytest.mark.django_db
def test_data_package_with_a_wrong_type_fails_validation(client, plants, tmp_path, monkeypatch):
    descriptor = write_package(client, tmp_path)
    tasks = next(r for r in descriptor["resources"] if r["name"] == "tasks")
    title = next(f for f in tasks["schema"]["fields"] if f["name"] == "title")
    title["type"] = "integer"  # a task's title is text
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = frictionless.validate("datapackage.json")
    assert not report.valid
    assert [task.name for task in report.tasks if not task.valid] == ["tasks"]
    assert {kind for _, kind, _ in errors_of(report)} == {"type-error"}


# ---------------------------------------------------------------- the index and the stable addresses


@pytest.mark.django_db
def test_index_lists_every_dataset_in_every_format(client, plants):
    html = get(client, "/open-data/").content.decode()
    assert 'href="/open-data/2017/datapackage.json"' in html
    for dataset in DATASETS:
        for fmt in FORMATS:
            path = f"/open-data/2017/{dataset}.{fmt}"
            assert f'href="{path}"' in html, path
            response = get(client, path)
            assert response["Content-Type"].split(";")[0] in {
                "text/csv",
                "application/json",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
            if fmt != "json":
                assert response["Content-Disposition"] == f'attachment; filename="gov30-2017-{dataset}.{fmt}"'
    assert "공공누리 제1유형" in html and "task_number" in html  # the licence and the data dictionary
    assert 'href="/open-data/"' in get(client, "/results/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/open-data/2017/nothing.csv",
        "/open-data/2017/tasks.ods",
        "/open-data/1999/tasks.csv",
        "/open-data/1999/datapackage.json",
    ],
)
def test_unknown_dataset_format_or_year_is_not_found_in_korean(client, plan, periods, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "찾을 수 없" in response.content.decode() or "없습니다" in response.content.decode()


@pytest.mark.django_db
def test_a_quarter_without_a_reporting_period_has_no_results_dataset(client, plan, periods):
    plan.periods.filter(quarter=4).delete()
    assert client.get("/open-data/2017/results-q4.csv").status_code == 404
    assert "/open-data/2017/results-q4.csv" not in get(client, "/open-data/").content.decode()


@pytest.mark.django_db
def test_open_data_is_read_only(client, plan, periods):
    for path in ["/open-data/", "/open-data/2017/datapackage.json", "/open-data/2017/tasks.csv"]:
        assert client.post(path).status_code == 405


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_stays_text(client, plan, periods):
    task = plan.tasks.get(number=15)
    task.title = '=HYPERLINK("http://example.com","클릭")'
    task.save()
    rows = csv_rows(get(client, "/open-data/2017/tasks.csv").content)
    assert [r[1] for r in rows if r[0] == "15"] == ["'" + task.title]
    sheet = openpyxl.load_workbook(io.BytesIO(get(client, "/open-data/2017/tasks.xlsx").content)).worksheets[0]
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == 15]
    assert titles == ["'" + task.title]
    assert sheet.cell(row=1, column=2).value == "과제명"  # Korean headers in the workbook
    published = json.loads(get(client, "/open-data/2017/tasks.json").content)
    assert [r["title"] for r in published["rows"] if r["task_number"] == 15] == [task.title]
