"""Adding youth, editing their details, discharging and reassigning them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from plans.models import AccessRule, Category, Youth
from plans.services import YouthConflict, youth_update
from shelter.models import User
from shelter.roles import Role
from tests.builders import admit_youth, make_staff, signed_in_client

pytestmark = pytest.mark.django_db

NEW = reverse("plans:youth-new")


def _new_youth_data(**overrides: str) -> dict[str, str]:
    data = {
        "preferred_name": "Quinn Test",
        "client_id": "TEST-0201",
        "birth_year": "2009",
        "admitted_on": "2026-11-20",
    }
    data.update(overrides)
    return data


def _edit_data(youth: Youth, **overrides: str) -> dict[str, str]:
    data = {
        "preferred_name": youth.preferred_name,
        "client_id": youth.client_id,
        "birth_year": str(youth.birth_year),
        "admitted_on": youth.admitted_on.isoformat(),
        "case_manager": str(youth.case_manager_id),
        "version": str(youth.version),
    }
    data.update(overrides)
    return data


def test_a_case_manager_adds_a_youth_to_their_own_caseload(
    cm_client: Client, case_manager: User, other_case_manager: User
) -> None:
    response = cm_client.post(NEW, _new_youth_data(case_manager=str(other_case_manager.pk)))

    youth = Youth.objects.get(client_id="TEST-0201")
    assert response.status_code == 302
    assert response.url == reverse("plans:plan-edit", args=[youth.pk])
    assert youth.case_manager == case_manager  # the posted case manager is ignored
    active = Category.objects.filter(is_active=True).count()
    assert AccessRule.objects.filter(plan__youth=youth).count() == active
    assert youth.history.get().history_user == case_manager


def test_the_case_manager_form_has_no_case_manager_field(cm_client: Client) -> None:
    assert 'name="case_manager"' not in cm_client.get(NEW).content.decode()


def test_a_supervisor_adds_a_youth_for_a_case_manager(
    supervisor_client: Client, other_case_manager: User
) -> None:
    response = supervisor_client.post(NEW, _new_youth_data(case_manager=str(other_case_manager.pk)))
    assert response.status_code == 302
    assert Youth.objects.get(client_id="TEST-0201").case_manager == other_case_manager


@pytest.mark.parametrize("who", ["inactive", "administrator", "no-role"])
def test_a_youth_cannot_be_assigned_to_someone_who_holds_no_caseload(
    supervisor_client: Client, who: str
) -> None:
    if who == "inactive":
        person = make_staff("cm.gone", Role.CASE_MANAGER)
        User.objects.filter(pk=person.pk).update(is_active=False)
    elif who == "administrator":
        person = make_staff("admin.other", Role.ADMINISTRATOR)
    else:
        person = User.objects.create_user("nobody.test", password="x" * 20)

    response = supervisor_client.post(NEW, _new_youth_data(case_manager=str(person.pk)))

    assert response.status_code == 200
    content = response.content.decode()
    at = content.index('id="error_1_id_case_manager"')
    assert "Choose an active case manager or supervisor." in content[at : at + 200]
    assert not Youth.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"preferred_name": ""}, "preferred_name", "This field is required."),
        ({"birth_year": "1850"}, "birth_year", "greater than or equal to 1990"),
        (
            {"birth_date": "2008-05-01"},
            "birth_date",
            "The birth date is not in the birth year.",
        ),
        ({"client_id": "TEST-0001"}, "client_id", "already exists"),
    ],
)
def test_bad_youth_details_are_refused_next_to_the_field(
    cm_client: Client, case_manager: User, overrides: dict, field: str, message: str
) -> None:
    admit_youth(case_manager, client_id="TEST-0001")
    response = cm_client.post(NEW, _new_youth_data(**overrides))
    assert response.status_code == 200
    content = response.content.decode()
    at = content.index(f'id="error_1_id_{field}"')
    assert message in content[at : at + 250]
    assert Youth.objects.count() == 1


def test_editing_details_bumps_the_version_and_keeps_history(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    response = cm_client.post(
        reverse("plans:youth-edit", args=[youth.pk]),
        _edit_data(youth, preferred_name="Renamed Test"),
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert (youth.preferred_name, youth.version) == ("Renamed Test", 2)
    assert youth.history.count() == 2


def test_discharging_makes_the_record_read_only(cm_client: Client, case_manager: User) -> None:
    youth = admit_youth(case_manager)
    url = reverse("plans:youth-edit", args=[youth.pk])
    bad = cm_client.post(url, _edit_data(youth, discharged_on="2026-10-01"))
    assert "Discharge cannot come before admission." in bad.content.decode()

    assert cm_client.post(url, _edit_data(youth, discharged_on="2026-11-10")).status_code == 302
    youth.refresh_from_db()
    assert youth.discharged_on == date(2026, 11, 10)
    assert cm_client.get(url).status_code == 403


def test_a_supervisor_reassigns_and_a_case_manager_cannot(
    supervisor: User, case_manager: User, other_case_manager: User, supervisor_client: Client
) -> None:
    youth = admit_youth(case_manager)
    with pytest.raises(ValidationError) as refused:
        youth_update(
            youth=youth,
            expected_version=1,
            by=case_manager,
            data={"case_manager": other_case_manager},
        )
    assert "Only a supervisor can reassign a youth." in str(refused.value)

    response = supervisor_client.post(
        reverse("plans:youth-edit", args=[youth.pk]),
        _edit_data(youth, case_manager=str(other_case_manager.pk)),
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.case_manager == other_case_manager


def test_the_second_of_two_concurrent_youth_edits_is_refused(
    case_manager: User, supervisor: User
) -> None:
    youth = admit_youth(case_manager)
    first, second = signed_in_client(case_manager), signed_in_client(supervisor)
    url = reverse("plans:youth-edit", args=[youth.pk])
    loaded_first, loaded_second = _edit_data(youth), _edit_data(youth)

    loaded_first["preferred_name"] = "First Test"
    assert first.post(url, loaded_first).status_code == 302
    loaded_second["birth_year"] = "2011"
    response = second.post(url, loaded_second)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this youth while you were editing" in content
    assert "Preferred name now “First Test”" in content
    assert 'value="2011"' in content  # the second user's input is kept
    youth.refresh_from_db()
    assert (youth.preferred_name, youth.birth_year, youth.version) == ("First Test", 2010, 2)
    with pytest.raises(YouthConflict):
        youth_update(youth=youth, expected_version=1, by=supervisor, data={"birth_year": 2011})


@pytest.mark.parametrize("managers", [1, 25])
def test_the_youth_edit_page_runs_a_fixed_number_of_queries(
    supervisor_client: Client, case_manager: User, managers: int, django_assert_num_queries
) -> None:
    for number in range(managers):
        make_staff(f"cm.extra{number}", Role.CASE_MANAGER)
    youth = admit_youth(case_manager)
    # 1 session, 2 user, 3 their two-step device, 4 groups (role), 5 the youth with
    # case manager, 6 active case managers and supervisors for the select, 7 units.
    with django_assert_num_queries(7):
        response = supervisor_client.get(reverse("plans:youth-edit", args=[youth.pk]))
    # + blank, cm, sup; "No unit" (no units yet); English and Spanish (preferred language).
    assert response.content.decode().count("<option") == managers + 4 + 2
