"""The audit trail: a row for each sign-in event and refused access; rows never change."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from shelter.audit import audit_record
from shelter.models import AuditAction, AuditEvent, AuditTrailIsAppendOnly, User
from tests.builders import TEST_PASSWORD, make_youth


def _sign_in(client: Client, username: str, password: str):
    return client.post(
        reverse("login") + "?next=/youth/",
        {"username": username, "password": password},
        REMOTE_ADDR="192.0.2.10",
    )


def test_a_sign_in_is_recorded_with_who_when_and_from_where(
    anon_client: Client, case_manager: User
) -> None:
    before = AuditEvent.objects.count()
    assert _sign_in(anon_client, case_manager.username, TEST_PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN, ip_address="192.0.2.10")
    assert AuditEvent.objects.count() == before + 1
    assert event.actor == case_manager
    assert event.path == reverse("login")
    assert event.at is not None


def test_a_failed_sign_in_is_recorded_against_the_account_without_what_was_typed(
    anon_client: Client, case_manager: User
) -> None:
    _sign_in(anon_client, case_manager.username, "typed-by-mistake-secret")
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.actor == case_manager
    assert event.ip_address == "192.0.2.10"
    assert "typed-by-mistake-secret" not in str(event.detail)


def test_a_failed_sign_in_for_an_unknown_name_stores_neither_the_name_nor_an_actor(
    anon_client: Client, db: None
) -> None:
    _sign_in(anon_client, "my-password-by-mistake", "whatever-it-was-1")
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.actor is None
    assert "my-password-by-mistake" not in f"{event.detail} {event.path}"


def test_a_sign_out_is_recorded(cm_client: Client, case_manager: User) -> None:
    cm_client.post(reverse("logout"), REMOTE_ADDR="192.0.2.11")
    event = AuditEvent.objects.get(action=AuditAction.SIGN_OUT)
    assert (event.actor, event.ip_address) == (case_manager, "192.0.2.11")


def test_opening_another_caseloads_youth_is_recorded_as_a_refused_access(
    other_cm_client: Client, other_case_manager: User, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    url = reverse("plans:youth-detail", args=[youth.pk])
    assert other_cm_client.get(url + "?tab=plan").status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED)
    assert event.actor == other_case_manager
    assert event.path == url
    assert event.detail == {"status": 404}
    assert youth.preferred_name not in str(event.detail)


def test_a_case_manager_opening_the_admin_is_recorded_as_a_refused_access(
    cm_client: Client, case_manager: User
) -> None:
    assert cm_client.get("/admin/").status_code == 403
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED)
    assert (event.actor, event.detail) == (case_manager, {"status": 403})


def test_an_anonymous_visitor_sent_to_sign_in_writes_no_refusal(
    anon_client: Client, db: None
) -> None:
    assert anon_client.get(reverse("home")).status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED).exists()


def test_audit_record_stores_an_object_by_type_and_id_only(
    case_manager: User, rf: RequestFactory
) -> None:
    youth = make_youth(case_manager)
    request = rf.get(f"/youth/{youth.pk}/?q=Testy", REMOTE_ADDR="192.0.2.12")
    event = audit_record(
        action=AuditAction.VIEW_YOUTH, actor=case_manager, request=request, obj=youth
    )
    event.refresh_from_db()
    assert (event.object_type, event.object_id) == ("plans.youth", youth.pk)
    assert event.path == f"/youth/{youth.pk}/"
    assert event.ip_address == "192.0.2.12"


def test_the_application_cannot_change_or_delete_an_audit_row(case_manager: User) -> None:
    event = audit_record(action=AuditAction.EXPORT, actor=case_manager)
    event.action = AuditAction.VIEW_PLAN
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.VIEW_PLAN)
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.EXPORT


def test_on_postgresql_the_database_itself_refuses_update_and_delete(case_manager: User) -> None:
    event = audit_record(action=AuditAction.EXPORT, actor=case_manager)
    table = AuditEvent._meta.db_table
    statements = [
        (f"UPDATE {table} SET action = %s WHERE id = %s", ["approve", event.pk]),  # noqa: S608
        (f"DELETE FROM {table} WHERE id = %s", [event.pk]),  # noqa: S608
    ]
    if connection.vendor == "postgresql":
        for sql, params in statements:
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, params)
        assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.EXPORT
    else:
        # SQLite has no trigger here: the application-level refusal is the guard.
        with pytest.raises(AuditTrailIsAppendOnly):
            AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.APPROVE)
        with pytest.raises(AuditTrailIsAppendOnly):
            AuditEvent.objects.filter(pk=event.pk).delete()


def test_administrators_can_search_the_trail_but_not_add_change_or_delete(
    admin_client_: Client, case_manager: User
) -> None:
    event = audit_record(action=AuditAction.EXPORT, actor=case_manager)
    listing = admin_client_.get("/admin/shelter/auditevent/", {"q": case_manager.username})
    assert listing.status_code == 200
    assert f"/admin/shelter/auditevent/{event.pk}/change/".encode() in listing.content
    filtered = admin_client_.get("/admin/shelter/auditevent/", {"action__exact": "export"})
    assert filtered.status_code == 200
    assert admin_client_.get("/admin/shelter/auditevent/add/").status_code == 403
    detail = admin_client_.get(f"/admin/shelter/auditevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    delete = admin_client_.post(f"/admin/shelter/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_case_managers_cannot_read_the_trail(cm_client: Client) -> None:
    assert cm_client.get("/admin/shelter/auditevent/").status_code == 403
