"""Korean number and date forms ("1,234", "2017. 1. 2.", "2017.01.02", "2017-01-02") are accepted by the
report form and the offline upload; malformed ones ("12,34,5") are refused naming the value and the reason."""

import datetime
import io
from decimal import Decimal

import pytest
import tablib
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from gov30.korean_input import MAX_NUMBER_LENGTH, InputRefused, parse_date, parse_integer, parse_number
from initiatives.models import Milestone
from reports.models import BudgetExecution, MilestoneProgress
from tests import bad_files
from tests.conftest import post_data
from tests.test_offline_reporting import download, upload

# ---------------------------------------------------------------- the parser


@pytest.mark.parametrize(
    "text,number",
    [("1,234", 1234), ("1234", 1234), ("12.5", Decimal("12.5")), ("1,234,567.25", Decimal("1234567.25")), (" 7 ", 7)],
)
def test_numbers_grouped_by_threes_are_read(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text,reason",
    [
        ("12,34,5", "세 자리마다"),
        ("1,2345", "세 자리마다"),
        (",123", "세 자리마다"),
        ("1,234,", "세 자리마다"),
        ("삼백", "숫자가 아닌 글자"),
        ("NaN", "숫자가 아닌 글자"),
        ("1e999999", "숫자가 아닌 글자"),
        ("1 234", "숫자가 아닌 글자"),
    ],
)
def test_malformed_numbers_are_refused_naming_the_value_and_reason(text, reason):
    with pytest.raises(InputRefused) as refused:
        parse_number(text)
    assert f"'{text}'" in str(refused.value) and reason in str(refused.value)


def test_a_number_too_long_for_any_figure_is_refused_before_it_is_read():
    with pytest.raises(InputRefused, match="값이 너무 깁니다"):
        parse_number("9" * 2_000_000)
    assert parse_number("9" * MAX_NUMBER_LENGTH) == Decimal("9" * MAX_NUMBER_LENGTH)


def test_a_whole_number_field_refuses_decimals_instead_of_cutting_them():
    assert parse_integer("1,234") == 1234
    with pytest.raises(InputRefused, match="소수점 아래 값은 넣을 수 없습니다"):
        parse_integer("12.5")


@pytest.mark.parametrize("text", ["2017. 1. 2.", "2017.01.02", "2017-01-02", "2017. 01. 02.", "2017년 1월 2일"])
def test_korean_date_forms_are_read(text):
    assert parse_date(text) == datetime.date(2017, 1, 2)


@pytest.mark.parametrize(
    "text,reason",
    [("2017/01/02", "날짜 형식이 아닙니다"), ("2017-1.2", "날짜 형식이 아닙니다"), ("어제", "날짜 형식이 아닙니다"),
     ("2017-02-30", "없는 날짜"), ("2017. 13. 1.", "없는 날짜")],
)  # fmt: skip
def test_malformed_dates_are_refused_naming_the_value_and_reason(text, reason):
    with pytest.raises(InputRefused) as refused:
        parse_date(text)
    assert f"'{text}'" in str(refused.value) and reason in str(refused.value)


@given(st.integers(min_value=0, max_value=10**15), st.integers(min_value=0, max_value=99))
def test_a_number_printed_with_thousands_separators_reads_back(whole, cents):
    assert parse_number(f"{whole:,}") == whole
    assert parse_number(f"{whole:,}.{cents:02d}") == Decimal(f"{whole}.{cents:02d}")


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2999, 12, 31)))
def test_a_date_printed_in_any_accepted_form_reads_back(day):
    for text in (f"{day:%Y-%m-%d}", f"{day:%Y.%m.%d}", f"{day.year}. {day.month}. {day.day}.", f"{day:%Y. %m. %d.}"):
        assert parse_date(text) == day


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=2, max_size=5).filter(lambda g: set(g[1:]) != {3}))
def test_digit_groups_not_of_three_are_refused(groups):
    text = ",".join("1" * size for size in groups)
    with pytest.raises(InputRefused, match="세 자리마다"):
        parse_number(text)


# ---------------------------------------------------------------- the report form


@pytest.mark.django_db
def test_the_report_form_reads_korean_numbers_and_dates(client, report, officer):
    client.force_login(officer)
    data = post_data(
        report,
        **{
            "indicator_results-0-actual": "1,234.5",
            "budget_executions-0-spent_to_date": "1,234",
            "milestone_progress-0-actual_start": "2017. 1. 2.",
            "milestone_progress-0-actual_end": "2017.03.31",
            "save": "1",
        },
    )
    assert client.post(f"/reports/{report.pk}/edit/", data).status_code == 302
    assert report.indicator_results.order_by("pk").first().actual == Decimal("1234.5")
    assert BudgetExecution.objects.get(report=report).spent_to_date == 1234
    progress = MilestoneProgress.objects.filter(report=report).order_by("pk").first()
    assert (progress.actual_start, progress.actual_end) == (datetime.date(2017, 1, 2), datetime.date(2017, 3, 31))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,reason",
    [
        ("indicator_results-0-actual", "12,34,5", "세 자리마다"),
        ("budget_executions-0-spent_to_date", "12,34,5", "세 자리마다"),
        ("budget_executions-0-spent_to_date", "1,234.5", "소수점 아래"),
        ("milestone_progress-0-actual_start", "2017/01/02", "날짜 형식이 아닙니다"),
    ],
)
def test_the_report_form_refuses_misgrouped_numbers_and_keeps_the_input(client, report, officer, field, value, reason):
    client.force_login(officer)
    response = client.post(f"/reports/{report.pk}/edit/", post_data(report, **{field: value, "save": "1"}))
    html = response.content.decode()
    assert response.status_code == 400
    assert f"&#x27;{value}&#x27;: " in html and reason in html
    assert f'value="{value}"' in html
    assert BudgetExecution.objects.get(report=report).spent_to_date is None


# ---------------------------------------------------------------- the offline upload


def _typed_cells(template: bytes, *, spent: str, started: str) -> bytes:
    """Task 15's 지출액 누계 and first 실제 시작일 typed as text, as a user types into a text-formatted cell."""

    def change(wb):
        for row in wb["예산집행"].iter_rows(min_row=2):
            if row[2].value == 15:
                row[6].value = spent
        first = next(row for row in wb["추진일정"].iter_rows(min_row=2) if row[2].value == 15)
        first[8].value = started

    return bad_files.edit(template, change)


@pytest.mark.django_db
@pytest.mark.parametrize("started", ["2017. 1. 2.", "2017.01.02", "2017-01-02"])
def test_the_upload_reads_korean_numbers_and_dates_typed_as_text(client, officer, open_q1, started, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(officer)
    html = upload(client, open_q1, _typed_cells(download(client, open_q1), spent="1,234", started=started)).content
    assert "오류 <strong>0</strong>" in html.decode()
    client.post(f"/offline/{open_q1.pk}/confirm/")
    assert BudgetExecution.objects.get(report__task__number=15).spent_to_date == 1234
    starts = MilestoneProgress.objects.filter(report__task__number=15).values_list("actual_start", flat=True)
    assert datetime.date(2017, 1, 2) in set(starts)


@pytest.mark.django_db
def test_the_upload_refuses_a_misgrouped_number_naming_the_sheet_and_cell(client, officer, open_q1, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(officer)
    template = download(client, open_q1)
    row = next(
        r[0].row for r in load_workbook(io.BytesIO(template))["예산집행"].iter_rows(min_row=2) if r[2].value == 15
    )
    html = upload(client, open_q1, _typed_cells(template, spent="12,34,5", started="2017-01-02")).content.decode()
    assert f"&#x27;예산집행&#x27; G{row}: &#x27;12,34,5&#x27;: 쉼표는" in html
    assert "오류 <strong>1</strong>" in html


# ---------------------------------------------------------------- the admin's import of plan data (csv text)


def _amount_csv(amount: str) -> tablib.Dataset:
    from budgets.resources import BudgetAmountResource

    dataset = tablib.Dataset().load(BudgetAmountResource().export().export("csv"), format="csv")
    first = list(dataset[0])
    first[dataset.headers.index("amount")] = amount
    dataset[0] = tuple(first)
    return dataset


@pytest.mark.django_db
def test_the_admin_import_reads_a_grouped_amount_and_refuses_a_misgrouped_one():
    from budgets.models import BudgetAmount
    from budgets.resources import BudgetAmountResource

    dataset = _amount_csv("1,234")
    accepted = BudgetAmountResource().import_data(dataset, dry_run=False)
    assert not accepted.has_validation_errors() and not accepted.has_errors()
    assert BudgetAmount.objects.get(pk=dataset["id"][0]).amount == 1234
    for typed, reason in (("12,34,5", "쉼표는"), ("12.5", "소수점 아래 값은 넣을 수 없습니다")):
        refused = BudgetAmountResource().import_data(_amount_csv(typed), dry_run=True)
        (invalid,) = refused.invalid_rows
        assert f"'{typed}': {reason}" in str(invalid.error_dict)


@pytest.mark.django_db
def test_the_admin_import_reads_a_milestone_date_in_the_portals_format():
    from initiatives.resources import MilestoneResource

    dataset = tablib.Dataset().load(MilestoneResource().export().export("csv"), format="csv")
    first = list(dataset[0])
    first[dataset.headers.index("start")] = "2017. 1. 2."
    dataset[0] = tuple(first)
    result = MilestoneResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors() and not result.has_errors()
    assert Milestone.objects.get(pk=dataset[0][0]).start == datetime.date(2017, 1, 2)
