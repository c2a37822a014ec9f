"""Re-importing an unchanged admin export (xlsx with real date and number cells) skips every row, writes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export.formats import base_formats

from budgets.resources import BudgetAmountResource, BudgetLineResource
from initiatives.models import Milestone
from initiatives.resources import IndicatorResource, MilestoneResource, TaskResource

RESOURCES = [MilestoneResource, IndicatorResource, TaskResource, BudgetLineResource, BudgetAmountResource]


def stored(resource_class) -> list[tuple]:
    return list(resource_class._meta.model.objects.order_by("pk").values_list())


def admin_xlsx(resource_class) -> bytes:
    """The file the admin's export gives: xlsx cells of their own type (dates, numbers), as the admin asks."""
    return base_formats.XLSX().export_data(resource_class().export(force_native_type=True))


@pytest.mark.django_db
@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
def test_reimported_admin_export_skips_every_row_and_writes_nothing(resource_class):
    before = stored(resource_class)
    dataset = base_formats.XLSX().create_dataset(admin_xlsx(resource_class))
    result = resource_class().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    assert len(result.rows) == len(before)
    assert stored(resource_class) == before


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("import-admin", "", "pw-for-tests-only"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["milestone", "indicator"])
def test_admin_reimport_of_its_own_xlsx_export_shows_every_row_skipped(admin_client, model):
    page = admin_client.get(f"/admin/initiatives/{model}/export/")
    fields = {name: f.initial for name, f in page.context["form"].fields.items() if f.initial not in ("", None, False)}
    content = admin_client.post(f"/admin/initiatives/{model}/export/", {**fields, "format": "0"}).content
    upload = SimpleUploadedFile(f"{model}.xlsx", content)
    response = admin_client.post(
        f"/admin/initiatives/{model}/import/", {"resource": "0", "format": "0", "import_file": upload}
    )
    result = response.context["result"]
    assert result.rows and {row.import_type for row in result.rows} == {"skip"}


@pytest.mark.django_db
def test_only_the_edited_row_of_an_admin_export_is_updated():
    dataset = base_formats.XLSX().create_dataset(admin_xlsx(MilestoneResource))
    title = dataset.headers.index("title")
    rows = [list(r) for r in dataset]
    rows[0][title] = "제목만 고침"
    result = MilestoneResource().import_data(type(dataset)(*rows, headers=dataset.headers), dry_run=False)
    assert [row.import_type for row in result.rows].count("update") == 1
    assert Milestone.objects.filter(title="제목만 고침").count() == 1
