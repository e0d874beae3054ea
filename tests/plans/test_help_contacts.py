"""Help a youth can always reach: agency helplines, their case manager and the
contacts named in their plan, shown with "Access right now" whatever a
restriction says; contacts added and removed (softly) by the youth's editors."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.models import HelpContact, HelpKind, Helpline, Youth
from plans.services import HelpContactGone, help_contact_add, help_contact_remove
from shelter.models import AuditAction, AuditEvent, User
from tests.builders import admit_youth, make_restriction

pytestmark = pytest.mark.django_db

CONTACT = {
    "kind": HelpKind.FAMILY,
    "name": "Aunt Rosa Test",
    "how_to_reach": "Call 555-0142",
    "note": "Evenings",
}


def page(client: Client, youth: Youth) -> str:
    return client.get(reverse("plans:youth-detail", args=[youth.pk])).content.decode()


def help_section(content: str) -> str:
    start = content.index('data-testid="always-reachable"')
    return content[start : content.index("</div>", start)]


def add(youth: Youth, by: User, **overrides: str) -> HelpContact:
    return help_contact_add(plan=youth.plan, by=by, **{**CONTACT, **overrides})


def test_the_youth_page_shows_helplines_case_manager_and_contacts_with_access_now(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    add(youth, case_manager)
    content = page(cm_client, youth)
    section = help_section(content)
    # Inside the "Access right now" block, after its table.
    assert content.index("Access right now") < content.index('data-testid="always-reachable"')
    assert "No restriction removes this help." in section
    assert "National Human Trafficking Hotline" in section
    assert "Call or text 988" in section
    assert "National Runaway Safeline" in section
    assert f"<strong>Their case manager</strong>: {case_manager}" in section
    assert "Aunt Rosa Test" in section and "Call 555-0142" in section
    assert case_manager.email not in section  # the case manager's name only


def test_the_help_shows_also_when_every_category_is_restricted(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    add(youth, case_manager)
    make_restriction(youth, case_manager, all_categories=True)
    content = page(cm_client, youth)
    assert content.count("Restricted until") == 7  # every category
    section = help_section(content)
    assert "No restriction removes this help." in section
    assert "Even now, while some access is restricted" in section
    assert "National Human Trafficking Hotline" in section and "Aunt Rosa Test" in section


def test_retired_helplines_and_removed_contacts_drop_off(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    help_contact_remove(contact=add(youth, case_manager), by=case_manager)
    Helpline.objects.filter(name="National Runaway Safeline").update(is_active=False)
    section = help_section(page(cm_client, youth))
    assert "Aunt Rosa Test" not in section
    assert "National Runaway Safeline" not in section
    assert "Call or text 988" in section


def test_a_case_manager_adds_a_contact_from_a_form(cm_client: Client, case_manager: User) -> None:
    youth = admit_youth(case_manager)
    url = reverse("plans:help-contact-new", args=[youth.pk])
    form = cm_client.get(url)
    assert form.status_code == 200
    title = form.content.decode().split("<title>")[1].split("</title>")[0]
    assert "Testy" not in title

    response = cm_client.post(url, CONTACT)

    assert response.status_code == 302
    assert response.url == reverse("plans:youth-detail", args=[youth.pk])
    contact = HelpContact.objects.get()
    assert (contact.name, contact.added_by, contact.removed_at) == (
        "Aunt Rosa Test",
        case_manager,
        None,
    )
    assert contact.history.get().history_user == case_manager
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_type="plans.helpcontact")
    assert event.detail == {"op": "help_contact_add"}
    assert "Aunt Rosa" not in str(event.detail) and "Aunt Rosa" not in event.path


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    response = cm_client.post(
        reverse("plans:help-contact-new", args=[youth.pk]),
        {"kind": "enemy", "name": " ", "how_to_reach": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"kind", "name", "how_to_reach"}
    assert "Write how the youth reaches them." in response.content.decode()
    assert not HelpContact.objects.exists()


def test_the_service_refuses_blank_fields_and_outsiders(
    case_manager: User, other_case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    with pytest.raises(ValidationError) as error:
        add(youth, case_manager, name="  ", how_to_reach=" ")
    assert set(error.value.message_dict) == {"name", "how_to_reach"}
    with pytest.raises(PermissionDenied):
        add(youth, other_case_manager)
    assert not HelpContact.objects.exists()


def test_removing_asks_first_then_keeps_the_record_with_who_and_when(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    contact = add(youth, case_manager)
    url = reverse("plans:help-contact-remove", args=[youth.pk, contact.pk])

    confirm = cm_client.get(url)
    assert confirm.status_code == 200
    assert "Yes, remove them" in confirm.content.decode()
    contact.refresh_from_db()
    assert contact.removed_at is None  # a GET changes nothing

    response = cm_client.post(url)

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.removed_by == case_manager and contact.removed_at is not None
    assert HelpContact.objects.filter(pk=contact.pk).exists()  # never deleted
    assert contact.history.count() == 2
    assert AuditEvent.objects.filter(detail={"op": "help_contact_remove"}).count() == 1


def test_removing_twice_changes_nothing_the_second_time(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    contact = add(youth, case_manager)
    url = reverse("plans:help-contact-remove", args=[youth.pk, contact.pk])
    cm_client.post(url)
    removed_at = HelpContact.objects.get().removed_at

    again = cm_client.post(url, follow=True)

    assert "this contact was removed already" in again.content.decode()
    assert HelpContact.objects.get().removed_at == removed_at
    assert HelpContact.objects.get().history.count() == 2
    with pytest.raises(HelpContactGone):
        help_contact_remove(contact=contact, by=case_manager)


def test_history_shows_contacts_added_and_removed(cm_client: Client, case_manager: User) -> None:
    youth = admit_youth(case_manager)
    contact = add(youth, case_manager)
    help_contact_remove(contact=contact, by=case_manager, now=timezone.now() + timedelta(minutes=1))
    response = cm_client.get(reverse("plans:plan-history", args=[youth.pk]))
    entries = [entry for save in response.context["saves"] for entry in save.entries]
    help_entries = [
        (entry.action, entry.summary)
        for entry in entries
        if entry.subject == "Help they can always reach"
    ]
    summary = "Aunt Rosa Test (Family or friend approved in the plan): Call 555-0142"
    assert help_entries == [("removed", summary), ("added", summary)]


def test_readers_see_the_help_but_no_add_or_remove(
    admin_client_: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    contact = add(youth, case_manager)
    section = help_section(page(admin_client_, youth))
    assert "Aunt Rosa Test" in section
    assert reverse("plans:help-contact-new", args=[youth.pk]) not in section
    assert reverse("plans:help-contact-remove", args=[youth.pk, contact.pk]) not in section


def test_outsiders_get_404_and_readers_403(
    other_cm_client: Client, admin_client_: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    contact = add(youth, case_manager)
    new = reverse("plans:help-contact-new", args=[youth.pk])
    remove = reverse("plans:help-contact-remove", args=[youth.pk, contact.pk])
    assert other_cm_client.get(new).status_code == 404
    assert other_cm_client.post(new, CONTACT).status_code == 404
    assert other_cm_client.get(remove).status_code == 404
    assert other_cm_client.post(remove).status_code == 404
    assert admin_client_.post(new, CONTACT).status_code == 403
    assert admin_client_.post(remove).status_code == 403
    assert HelpContact.objects.get().removed_at is None
    assert HelpContact.objects.count() == 1


def test_a_contact_of_another_youth_is_404(cm_client: Client, case_manager: User) -> None:
    mine = admit_youth(case_manager, client_id="TEST-0001")
    other = admit_youth(case_manager, client_id="TEST-0002")
    contact = add(other, case_manager)
    url = reverse("plans:help-contact-remove", args=[mine.pk, contact.pk])
    assert cm_client.post(url).status_code == 404
    assert HelpContact.objects.get().removed_at is None


def test_a_discharged_youth_s_contacts_are_read_only(cm_client: Client, case_manager: User) -> None:
    youth = admit_youth(case_manager)
    contact = add(youth, case_manager)
    Youth.objects.filter(pk=youth.pk).update(discharged_on=timezone.localdate())
    remove = reverse("plans:help-contact-remove", args=[youth.pk, contact.pk])
    assert cm_client.post(remove).status_code == 403
    assert (
        cm_client.post(reverse("plans:help-contact-new", args=[youth.pk]), CONTACT).status_code
        == 403
    )


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(cm_client: Client, case_manager: User, method: str) -> None:
    youth = admit_youth(case_manager)
    contact = add(youth, case_manager)
    for url in (
        reverse("plans:help-contact-new", args=[youth.pk]),
        reverse("plans:help-contact-remove", args=[youth.pk, contact.pk]),
    ):
        assert getattr(cm_client, method)(url).status_code == 405


@pytest.mark.parametrize("contacts", [1, 30])
def test_the_help_section_costs_two_queries_however_many_contacts(
    cm_client: Client, case_manager: User, contacts: int
) -> None:
    youth = admit_youth(case_manager)
    for number in range(contacts):
        add(youth, case_manager, name=f"Contact {number:02d} Test")
    with CaptureQueriesContext(connection) as captured:
        response = cm_client.get(reverse("plans:youth-detail", args=[youth.pk]))
    # Of the page's queries, help costs exactly two: the plan's current contacts
    # (prefetched with the youth) and the agency's helplines.
    help_queries = [
        query["sql"]
        for query in captured.captured_queries
        if "plans_helpcontact" in query["sql"] or "plans_helpline" in query["sql"]
    ]
    assert len(help_queries) == 2
    assert help_section(response.content.decode()).count('data-testid="help-contact-') == contacts
