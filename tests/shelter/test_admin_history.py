"""History pages of every model an administrator keeps: an id that is not one is
a plain 404, never a 500 (simple-history would otherwise try to use it)."""

import pytest
from django.contrib import admin
from django.test import Client

from shelter.admin import NoDeleteAdmin

KEPT_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, NoDeleteAdmin)
)


def test_the_kept_models_include_devices_and_flagged_phrases() -> None:
    assert ("desk", "device") in KEPT_MODELS
    assert ("policies", "flaggedphrase") in KEPT_MODELS
    assert ("plans", "category") in KEPT_MODELS


@pytest.mark.parametrize(("app_label", "model_name"), KEPT_MODELS)
def test_a_history_page_for_an_id_that_is_not_one_is_not_found(
    admin_client_: Client, app_label: str, model_name: str
) -> None:
    response = admin_client_.get(f"/admin/{app_label}/{model_name}/not-a-number/history/")

    assert response.status_code == 404


@pytest.mark.parametrize(("app_label", "model_name"), KEPT_MODELS)
def test_no_kept_model_can_be_deleted_in_the_admin(app_label: str, model_name: str) -> None:
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)

    assert admin.site._registry[model].has_delete_permission(request=None) is False
