"""Plan data in the admin: export xlsx/csv (escaped), import with preview and confirm, round trip unchanged."""

import io

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from budgets.resources import BudgetAmountResource, BudgetLineResource
from initiatives.models import Milestone, Task
from initiatives.resources import IndicatorResource, MilestoneResource, TaskResource
from tests import bad_files

RESOURCES = [TaskResource, MilestoneResource, IndicatorResource, BudgetLineResource, BudgetAmountResource]


@pytest.mark.django_db
@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_previews_as_no_changes(resource_class, fmt):
    exported = resource_class().export()
    data = exported.export(fmt)
    dataset = tablib.Dataset().load(data, format=fmt)
    result = resource_class().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}, resource_class.__name__
    assert len(result.rows) == resource_class._meta.model.objects.count()


@pytest.mark.django_db
def test_export_escapes_formula_like_text():
    Task.objects.filter(number=1).update(background='=HYPERLINK("http://x")')
    sheet = load_workbook(io.BytesIO(TaskResource().export().export("xlsx"))).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)
    # and the escape is undone on import: nothing changes
    dataset = tablib.Dataset().load(TaskResource().export().export("csv"), format="csv")
    assert {r.import_type for r in TaskResource().import_data(dataset, dry_run=True).rows} == {"skip"}


@pytest.mark.django_db
def test_indicator_targets_are_not_imported():
    dataset = IndicatorResource().export()
    target_col = dataset.headers.index("target")
    rows = [list(r) for r in dataset]
    rows[0][target_col] = "999999"
    changed = tablib.Dataset(*rows, headers=dataset.headers)
    result = IndicatorResource().import_data(changed, dry_run=False)
    assert {r.import_type for r in result.rows} == {"skip"}


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("import-admin", "", "pw-for-tests-only")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_import_preview_then_confirm(admin_client):
    dataset = MilestoneResource().export()
    title_col = dataset.headers.index("title")
    rows = [list(r) for r in dataset]
    rows[0][title_col] = "관리자가 고친 일정 제목"
    content = tablib.Dataset(*rows, headers=dataset.headers).export("csv").encode("utf-8")
    response = admin_client.post(
        "/admin/initiatives/milestone/import/",
        {"resource": "0", "format": "1", "import_file": SimpleUploadedFile("m.csv", content)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "관리자가 고친 일정 제목" in html
    assert not Milestone.objects.filter(title="관리자가 고친 일정 제목").exists()  # preview only
    confirm = response.context["confirm_form"]
    admin_client.post("/admin/initiatives/milestone/process_import/", {**confirm.initial, "resource": "0"})
    assert Milestone.objects.filter(title="관리자가 고친 일정 제목").count() == 1


@pytest.mark.django_db
def test_admin_import_refuses_a_zip_bomb(admin_client):
    response = admin_client.post(
        "/admin/initiatives/milestone/import/",
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("m.xlsx", bad_files.zip_bomb(b""))},
    )
    assert "압축 폭탄" in response.content.decode()


@pytest.mark.django_db
def test_staff_without_change_permission_cannot_import(client):
    user = get_user_model().objects.create_user("viewer", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_milestone"))
    client.force_login(user)
    assert client.get("/admin/initiatives/milestone/import/").status_code == 403
    assert client.get("/admin/initiatives/milestone/export/").status_code == 200
