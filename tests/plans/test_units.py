"""Units (house, floor or wing): kept by administrators in the admin, chosen on
the youth form, shown on the youth list once the agency has any; and the
agency's helplines, kept the same way."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from plans.demo import seed
from plans.models import HelpContact, Helpline, Unit, Youth
from plans.services import youth_update
from shelter.demo import DemoStaff
from shelter.models import User
from shelter.roles import Role
from tests.builders import admit_youth, make_staff

pytestmark = pytest.mark.django_db

LIST = reverse("plans:youth-list")


def new_youth_data(**overrides: str) -> dict[str, str]:
    return {
        "preferred_name": "Quinn Test",
        "client_id": "TEST-0201",
        "birth_year": "2009",
        "admitted_on": "2026-11-20",
        **overrides,
    }


def edit_data(youth: Youth, **overrides: str) -> dict[str, str]:
    return {
        "preferred_name": youth.preferred_name,
        "client_id": youth.client_id,
        "birth_year": str(youth.birth_year),
        "admitted_on": youth.admitted_on.isoformat(),
        "version": str(youth.version),
        **overrides,
    }


def test_a_youth_is_added_to_a_unit_and_may_have_none(cm_client: Client) -> None:
    north = Unit.objects.create(name="North Test")
    cm_client.post(reverse("plans:youth-new"), new_youth_data(unit=str(north.pk)))
    cm_client.post(reverse("plans:youth-new"), new_youth_data(client_id="TEST-0202"))
    assert Youth.objects.get(client_id="TEST-0201").unit == north
    assert Youth.objects.get(client_id="TEST-0202").unit is None


def test_only_units_in_use_are_offered_and_a_retired_one_is_refused(
    cm_client: Client, case_manager: User
) -> None:
    Unit.objects.create(name="North Test")
    old = Unit.objects.create(name="Closed Wing Test", is_active=False)
    form = cm_client.get(reverse("plans:youth-new")).content.decode()
    assert "North Test" in form and "Closed Wing Test" not in form

    youth = admit_youth(case_manager)
    response = cm_client.post(
        reverse("plans:youth-edit", args=[youth.pk]), edit_data(youth, unit=str(old.pk))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == ["Choose a unit in use."]
    assert Youth.objects.get(pk=youth.pk).unit is None


def test_a_youth_keeps_a_unit_retired_since_and_the_service_refuses_moving_into_one(
    cm_client: Client, case_manager: User
) -> None:
    wing = Unit.objects.create(name="Old Wing Test")
    youth = admit_youth(case_manager, unit=wing)
    Unit.objects.filter(pk=wing.pk).update(is_active=False)

    response = cm_client.post(
        reverse("plans:youth-edit", args=[youth.pk]),
        edit_data(youth, unit=str(wing.pk), preferred_name="Renamed Test"),
    )
    assert response.status_code == 302
    assert Youth.objects.get(pk=youth.pk).unit == wing

    other = admit_youth(case_manager, client_id="TEST-0002")
    wing.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        youth_update(
            youth=other, expected_version=other.version, by=case_manager, data={"unit": wing}
        )
    assert "no longer in use" in error.value.message_dict["unit"][0]


def test_the_list_shows_a_unit_column_once_the_agency_has_units(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    assert '<th scope="col">Unit</th>' not in cm_client.get(LIST).content.decode()
    north = Unit.objects.create(name="North Test")
    Youth.objects.filter(pk=youth.pk).update(unit=north)
    content = cm_client.get(LIST).content.decode()
    assert '<th scope="col">Unit</th>' in content and "<td>North Test</td>" in content
    page = cm_client.get(reverse("plans:youth-detail", args=[youth.pk])).content.decode()
    assert '<dd class="col-6">North Test</dd>' in page


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (Unit, {"name": "East Test", "position": 30, "is_active": "on"}),
        (
            Helpline,
            {
                "name": "Local Youth Line Test",
                "how_to_reach": "Call 555-0123",
                "description": "Fictional.",
                "position": 40,
                "is_active": "on",
            },
        ),
    ],
)
def test_an_administrator_adds_units_and_helplines_with_history(
    admin_client_: Client, administrator: User, model: type, data: dict
) -> None:
    label = model._meta.model_name
    response = admin_client_.post(reverse(f"admin:plans_{label}_add"), data)
    assert response.status_code == 302
    added = model.objects.get(name=data["name"])
    assert added.history.get().history_user == administrator
    change = admin_client_.post(
        reverse(f"admin:plans_{label}_change", args=[added.pk]), {**data, "is_active": ""}
    )
    assert change.status_code == 302
    assert model.objects.get(pk=added.pk).is_active is False  # retired, not deleted
    assert added.history.count() == 2


@pytest.mark.parametrize("model", [Unit, Helpline])
def test_units_and_helplines_cannot_be_deleted(administrator: User, model: type) -> None:
    request = RequestFactory().get("/")
    request.user = administrator
    model_admin = admin.site._registry[model]
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}


def test_case_managers_cannot_open_the_unit_or_helpline_admin(cm_client: Client) -> None:
    assert cm_client.get(reverse("admin:plans_unit_changelist")).status_code == 403
    assert cm_client.get(reverse("admin:plans_helpline_changelist")).status_code == 403


def test_the_demo_puts_youth_in_two_units_with_fictional_help_contacts() -> None:
    staff = DemoStaff(
        case_manager=make_staff("demo.cm1", Role.CASE_MANAGER),
        other_case_manager=make_staff("demo.cm2", Role.CASE_MANAGER),
        supervisor=make_staff("demo.sup1", Role.SUPERVISOR),
        other_supervisor=make_staff("demo.sup2", Role.SUPERVISOR),
        administrator=make_staff("demo.admin", Role.ADMINISTRATOR),
    )
    seed(staff)
    seed(staff)
    assert set(Unit.objects.values_list("name", flat=True)) == {"North house", "South house"}
    current = Youth.objects.current()
    assert not current.filter(unit__isnull=True).exists()
    assert current.values("unit").distinct().count() == 2
    contacts = HelpContact.objects.all()
    assert contacts.count() == 3  # seeded once
    assert all(
        "fictional" in contact.name and "555-" in contact.how_to_reach for contact in contacts
    )
