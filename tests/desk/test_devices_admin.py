"""Administrators keep the desk's devices in the Django admin; nothing is deleted there."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from desk.models import Device, DeviceKind
from plans.models import Category
from shelter.models import User

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_device_that_gives_shelter_computer_access_by_default(
    admin_client_: Client,
) -> None:
    form = admin_client_.get(reverse("admin:desk_device_add"))
    computers = Category.objects.get(key="shelter-computers")
    response = admin_client_.post(
        reverse("admin:desk_device_add"),
        {
            "name": "Tablet 7 (TEST)",
            "kind": DeviceKind.TABLET,
            "category": form.context["adminform"].form["category"].value(),
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    device = Device.objects.get(name="Tablet 7 (TEST)")
    assert device.category == computers
    assert device.history.get().history_user is not None


def test_devices_cannot_be_deleted_in_the_admin(administrator: User) -> None:
    request = RequestFactory().get("/")
    request.user = administrator
    device_admin = admin.site._registry[Device]

    assert not device_admin.has_delete_permission(request)
    assert device_admin.get_actions(request) == {}


def test_case_managers_cannot_open_the_device_admin(cm_client: Client) -> None:
    assert cm_client.get(reverse("admin:desk_device_changelist")).status_code == 403
