"""Who may open and change which youth pages: per object, per role, per method."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from plans.models import Plan, Youth
from shelter.models import User
from tests.builders import admit_youth, plan_form_data

pytestmark = pytest.mark.django_db

YOUTH_PAGES = ["plans:youth-detail", "plans:youth-edit", "plans:plan-edit", "plans:plan-history"]
EDIT_PAGES = ["plans:youth-edit", "plans:plan-edit"]


@pytest.fixture
def youth(case_manager: User) -> Youth:
    return admit_youth(case_manager)


@pytest.mark.parametrize("name", YOUTH_PAGES)
def test_a_case_manager_cannot_open_another_caseloads_youth(
    other_cm_client: Client, youth: Youth, name: str
) -> None:
    assert other_cm_client.get(reverse(name, args=[youth.pk])).status_code == 404


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_a_case_manager_cannot_post_to_another_caseloads_youth(
    other_cm_client: Client, youth: Youth, name: str
) -> None:
    data = plan_form_data(youth)
    data["strengths"] = "Not theirs to write."
    response = other_cm_client.post(reverse(name, args=[youth.pk]), data)
    assert response.status_code == 404
    assert Plan.objects.get(youth=youth).strengths == ""


@pytest.mark.parametrize("name", YOUTH_PAGES)
def test_a_missing_youth_is_not_found(supervisor_client: Client, name: str) -> None:
    assert supervisor_client.get(reverse(name, args=[987654])).status_code == 404


@pytest.mark.parametrize("name", YOUTH_PAGES)
def test_the_case_manager_and_supervisors_open_every_youth_page(
    cm_client: Client, supervisor_client: Client, youth: Youth, name: str
) -> None:
    assert cm_client.get(reverse(name, args=[youth.pk])).status_code == 200
    assert supervisor_client.get(reverse(name, args=[youth.pk])).status_code == 200


@pytest.mark.parametrize("name", ["plans:youth-detail", "plans:plan-history"])
def test_administrators_read_every_youth(admin_client_: Client, youth: Youth, name: str) -> None:
    assert admin_client_.get(reverse(name, args=[youth.pk])).status_code == 200


@pytest.mark.parametrize("name", EDIT_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_administrators_cannot_edit(
    admin_client_: Client, youth: Youth, name: str, method: str
) -> None:
    response = getattr(admin_client_, method)(reverse(name, args=[youth.pk]), {})
    assert response.status_code == 403


@pytest.mark.parametrize("method", ["get", "post"])
def test_administrators_cannot_add_youth(admin_client_: Client, method: str) -> None:
    response = getattr(admin_client_, method)(reverse("plans:youth-new"), {})
    assert response.status_code == 403
    assert not Youth.objects.exists()


@pytest.mark.parametrize("name", EDIT_PAGES)
def test_a_discharged_youth_cannot_be_edited(
    cm_client: Client, supervisor_client: Client, youth: Youth, name: str
) -> None:
    Youth.objects.filter(pk=youth.pk).update(discharged_on=date(2026, 11, 5))
    data = plan_form_data(youth)
    data["strengths"] = "Too late."
    assert cm_client.get(reverse(name, args=[youth.pk])).status_code == 403
    assert supervisor_client.post(reverse(name, args=[youth.pk]), data).status_code == 403
    assert Plan.objects.get(youth=youth).strengths == ""


@pytest.mark.parametrize(
    ("name", "needs_id", "method"),
    [
        ("plans:youth-list", False, "post"),
        ("plans:youth-search", False, "get"),
        ("plans:youth-search-clear", False, "get"),
        ("plans:youth-new", False, "put"),
        ("plans:youth-detail", True, "post"),
        ("plans:youth-edit", True, "delete"),
        ("plans:plan-edit", True, "put"),
        ("plans:plan-history", True, "post"),
    ],
)
def test_the_wrong_method_is_refused(
    cm_client: Client, youth: Youth, name: str, needs_id: bool, method: str
) -> None:
    url = reverse(name, args=[youth.pk]) if needs_id else reverse(name)
    assert getattr(cm_client, method)(url).status_code == 405
