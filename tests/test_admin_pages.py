"""The administrator can list, search and open every plan model in the Django admin."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

PLAN_APPS = {"initiatives", "budgets"}


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("plan-admin", "", "pw-for-tests-only")
    client.force_login(user)
    return client


def plan_models():
    return [m for m in admin.site._registry if m._meta.app_label in PLAN_APPS]


def test_every_plan_model_is_registered():
    names = {m.__name__ for m in plan_models()}
    assert names >= {
        "Plan",
        "StrategicArea",
        "Programme",
        "Department",
        "Agency",
        "Task",
        "Milestone",
        "Indicator",
        "BudgetTable",
        "BudgetLine",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", plan_models(), ids=lambda m: m.__name__)
def test_changelist_search_and_change_page(admin_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "서울"}).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert admin_client.get(change).status_code == 200


@pytest.mark.django_db
def test_task_admin_links_to_its_budget_lines(admin_client, plan):
    task = plan.tasks.get(number=7)
    html = admin_client.get(reverse("admin:initiatives_task_change", args=[task.pk])).content.decode()
    assert reverse("admin:budgets_budgettable_change", args=[task.budget_table.pk]) in html
    table_html = admin_client.get(
        reverse("admin:budgets_budgettable_change", args=[task.budget_table.pk])
    ).content.decode()
    assert "참여도서관 책이음서비스 구축 지원" in table_html


@pytest.mark.django_db
def test_anonymous_cannot_open_admin(client):
    response = client.get(reverse("admin:initiatives_task_changelist"))
    assert response.status_code == 302
