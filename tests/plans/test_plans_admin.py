"""Administrators manage categories in the Django admin; nothing is deleted there."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from plans.models import Category, Plan, Youth
from shelter.models import User
from tests.builders import admit_youth

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_category_from_the_settings_menu(admin_client_: Client) -> None:
    home = admin_client_.get(reverse("home")).content.decode()
    assert reverse("admin:index") in home
    settings_page = admin_client_.get(reverse("admin:index")).content.decode()
    assert reverse("admin:plans_category_changelist") in settings_page
    response = admin_client_.post(
        reverse("admin:plans_category_add"),
        {"key": "smart-watches", "name": "Smart watches", "position": 80, "is_active": "on"},
    )
    assert response.status_code == 302
    assert Category.objects.get(key="smart-watches").history.get().history_user is not None


@pytest.mark.parametrize("model", [Category, Youth, Plan])
def test_nothing_can_be_deleted_in_the_admin(administrator: User, model: type) -> None:
    request = RequestFactory().get("/")
    request.user = administrator
    model_admin = admin.site._registry[model]
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}


def test_youth_are_read_only_in_the_admin(
    admin_client_: Client, administrator: User, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    request = RequestFactory().get("/")
    request.user = administrator
    youth_admin = admin.site._registry[Youth]
    assert not youth_admin.has_add_permission(request)
    assert not youth_admin.has_change_permission(request, youth)
    page = admin_client_.get(reverse("admin:plans_youth_change", args=[youth.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_case_managers_cannot_open_the_category_admin(cm_client: Client) -> None:
    assert cm_client.get(reverse("admin:plans_category_changelist")).status_code == 403
