"""The audit trail: a row for each sign-in event, view of a youth's record or plan,
change, approval, export and refused access; rows never change."""

import inspect
from datetime import timedelta
from types import ModuleType

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

import plans.services
import policies.services
from plans.models import Approval, Category, Youth
from plans.services import (
    RuleData,
    plan_update,
    restriction_approve,
    restriction_decline,
    restriction_impose,
    restriction_lift,
    youth_update,
)
from policies.services import (
    acknowledgement_record,
    plan_policies_set,
    policy_retire,
    policy_version_return,
)
from reports.models import ExportRecord
from shelter.audit import audit_record, current_request
from shelter.models import AuditAction, AuditEvent, AuditTrailIsAppendOnly, User
from tests.builders import TEST_PASSWORD, admit_youth, make_restriction, make_youth, plan_form_data
from tests.policies.builders import approved, contribution, draft, social_media, submitted


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


# Views of a youth's record or plan


def _only(action: AuditAction) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_opening_a_youth_page_records_a_view_of_the_youth(
    cm_client: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    url = reverse("plans:youth-detail", args=[youth.pk])
    assert cm_client.get(url, REMOTE_ADDR="192.0.2.20").status_code == 200
    event = _only(AuditAction.VIEW_YOUTH)
    assert (event.actor, event.object_type, event.object_id) == (
        case_manager,
        "plans.youth",
        youth.pk,
    )
    assert (event.ip_address, event.path) == ("192.0.2.20", url)


def test_opening_the_plan_edit_page_records_a_view_of_the_plan_but_saving_it_does_not(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    url = reverse("plans:plan-edit", args=[youth.pk])
    assert cm_client.get(url).status_code == 200
    event = _only(AuditAction.VIEW_PLAN)
    assert (event.object_type, event.object_id) == ("plans.plan", youth.plan.pk)
    assert cm_client.post(url, plan_form_data(youth)).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_PLAN).count() == 1


def test_reading_the_plan_history_records_a_view_of_the_plan(
    supervisor_client: Client, supervisor: User, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    assert supervisor_client.get(reverse("plans:plan-history", args=[youth.pk])).status_code == 200
    event = _only(AuditAction.VIEW_PLAN)
    assert (event.actor, event.object_id) == (supervisor, youth.plan.pk)


def test_opening_a_youth_or_plan_in_the_admin_records_a_view(
    admin_client_: Client, administrator: User, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    assert admin_client_.get(f"/admin/plans/youth/{youth.pk}/change/").status_code == 200
    assert admin_client_.get(f"/admin/plans/plan/{youth.plan.pk}/change/").status_code == 200
    earlier = youth.history.earliest()
    version_url = f"/admin/plans/youth/{youth.pk}/history/{earlier.history_id}/"
    assert admin_client_.get(version_url).status_code == 200
    views = list(
        AuditEvent.objects.filter(action__in=[AuditAction.VIEW_YOUTH, AuditAction.VIEW_PLAN])
        .order_by("pk")
        .values_list("action", "object_type", "object_id", "actor_id")
    )
    assert views == [
        ("view_youth", "plans.youth", youth.pk, administrator.pk),
        ("view_plan", "plans.plan", youth.plan.pk, administrator.pk),
        ("view_youth", "plans.youth", youth.pk, administrator.pk),
    ]
    # The list of youth is not a view of any one record.
    admin_client_.get("/admin/plans/youth/")
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_YOUTH).count() == 2


def test_a_refused_youth_page_records_a_refusal_and_no_view(
    other_cm_client: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    assert other_cm_client.get(reverse("plans:youth-detail", args=[youth.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_YOUTH).exists()


# Changes made by services: one row each, written in the service's transaction


def test_a_change_made_through_a_page_records_the_address_and_path_without_a_request_argument(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    url = reverse("plans:plan-edit", args=[youth.pk])
    data = {**plan_form_data(youth), "strengths": "Fictional: plays chess."}
    assert cm_client.post(url, data, REMOTE_ADDR="192.0.2.21").status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, detail__op="plan_update")
    assert (event.actor, event.object_type, event.object_id) == (
        case_manager,
        "plans.plan",
        youth.plan.pk,
    )
    assert (event.ip_address, event.path) == ("192.0.2.21", url)
    assert event.detail == {"op": "plan_update"}


def test_the_request_is_forgotten_once_answered(cm_client: Client, case_manager: User) -> None:
    youth = admit_youth(case_manager)
    cm_client.get(reverse("plans:youth-detail", args=[youth.pk]), REMOTE_ADDR="192.0.2.22")
    assert current_request() is None
    # A service called outside a request (a command, this test) records no address or path.
    youth_update(youth=youth, expected_version=youth.version, by=case_manager, data={})
    event = AuditEvent.objects.get(detail__op="youth_update")
    assert (event.ip_address, event.path) == (None, "")


def _changes(op: str) -> list[tuple[str, str, int | None, int | None]]:
    return list(
        AuditEvent.objects.filter(detail__op=op).values_list(
            "action", "object_type", "object_id", "actor_id"
        )
    )


def _future_restriction(youth: Youth, by: User, **overrides: object):
    now = timezone.now()
    fields = {
        "starts_at": now + timedelta(hours=1),
        "ends_at": now + timedelta(days=4),
        "approval": Approval.PENDING,
        **overrides,
    }
    return make_restriction(youth, by, **fields)


def test_admitting_and_editing_a_youth_and_their_plan_are_recorded_as_changes(
    case_manager: User,
) -> None:
    youth = admit_youth(case_manager)
    assert _changes("youth_admit") == [("change", "plans.youth", youth.pk, case_manager.pk)]
    youth_update(
        youth=youth,
        expected_version=youth.version,
        by=case_manager,
        data={"preferred_name": "Testy Renamed"},
    )
    assert _changes("youth_update") == [("change", "plans.youth", youth.pk, case_manager.pk)]
    category = Category.objects.first()
    assert category is not None
    plan_update(
        plan=youth.plan,
        expected_version=youth.plan.version,
        by=case_manager,
        plan_data={"strengths": "Fictional: kind to others."},
        rules=[RuleData(category_id=category.pk, daily_limit_minutes=30)],
        windows=[],
    )
    assert _changes("plan_update") == [("change", "plans.plan", youth.plan.pk, case_manager.pk)]


def test_restriction_changes_are_recorded_and_an_approval_is_recorded_as_one(
    case_manager: User, supervisor: User
) -> None:
    youth = admit_youth(case_manager)
    now = timezone.now()
    imposed = restriction_impose(
        plan=youth.plan,
        by=case_manager,
        categories=[],
        all_categories=True,
        kind="deny",
        reason="Fictional: an unknown adult keeps messaging them.",
        starts_at=now,
        ends_at=now + timedelta(hours=12),
    )
    assert _changes("restriction_impose") == [
        ("change", "plans.restriction", imposed.pk, case_manager.pk)
    ]
    assert AuditEvent.objects.get(detail__op="restriction_impose").detail["approval"] == (
        "not_needed"
    )
    restriction_lift(restriction=imposed, by=case_manager, note="Fictional: safe again.")
    assert _changes("restriction_lift") == [
        ("change", "plans.restriction", imposed.pk, case_manager.pk)
    ]
    to_approve = _future_restriction(youth, case_manager)
    restriction_approve(restriction=to_approve, by=supervisor)
    assert _changes("restriction_approve") == [
        ("approve", "plans.restriction", to_approve.pk, supervisor.pk)
    ]
    to_decline = _future_restriction(youth, case_manager)
    restriction_decline(restriction=to_decline, by=supervisor, note="Fictional: too long.")
    assert _changes("restriction_decline") == [
        ("change", "plans.restriction", to_decline.pk, supervisor.pk)
    ]


@pytest.mark.parametrize("module", [plans.services, policies.services], ids=lambda m: m.__name__)
def test_every_service_that_writes_also_writes_its_audit_row(module: ModuleType) -> None:
    # Services are the public functions run in a transaction; each names its audit row.
    services = {
        name: function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "transaction.atomic" in inspect.getsource(function)
    }
    assert services
    silent = [
        name
        for name, function in services.items()
        if "audit_record(" not in inspect.getsource(function)
        and "_audit_change(" not in inspect.getsource(function)
    ]
    assert silent == []


def test_a_refused_change_writes_no_audit_row(case_manager: User, supervisor: User) -> None:
    youth = admit_youth(case_manager)
    pending = _future_restriction(youth, case_manager)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        restriction_decline(restriction=pending, by=supervisor, note="  ")
    with pytest.raises(ValidationError):
        youth_update(
            youth=youth,
            expected_version=youth.version,
            by=case_manager,
            data={"birth_year": 1800},
        )
    assert AuditEvent.objects.count() == before


def test_the_audit_row_is_rolled_back_with_the_change_it_records(case_manager: User) -> None:
    youth = admit_youth(case_manager)
    with pytest.raises(RuntimeError), transaction.atomic():
        youth_update(youth=youth, expected_version=youth.version, by=case_manager, data={})
        assert _changes("youth_update")
        raise RuntimeError("the surrounding work failed")
    assert _changes("youth_update") == []


def test_every_policy_change_is_recorded_and_an_approval_is_recorded_as_one(
    case_manager: User, supervisor: User, other_supervisor: User
) -> None:
    policy = social_media()
    version = draft(policy, case_manager)
    assert _changes("policy_version_start_draft") == [
        ("change", "policies.policyversion", version.pk, case_manager.pk)
    ]
    assert _changes("policy_version_edit") == [
        ("change", "policies.policyversion", version.pk, case_manager.pk)
    ]
    youth = admit_youth(case_manager)
    credited = contribution(version, case_manager, youth=youth)
    assert _changes("contribution_record") == [
        ("change", "policies.contribution", credited.pk, case_manager.pk)
    ]
    returned = submitted(policy, case_manager)
    assert returned.pk == version.pk
    assert len(_changes("policy_version_submit")) == 1
    policy_version_return(
        version=returned, revision=returned.revision, by=supervisor, comment="Fictional: shorter."
    )
    assert _changes("policy_version_return") == [
        ("change", "policies.policyversion", version.pk, supervisor.pk)
    ]
    in_force = approved(policy, case_manager, supervisor)
    assert _changes("policy_version_approve") == [
        ("approve", "policies.policyversion", in_force.pk, supervisor.pk)
    ]
    acknowledgement_record(version=in_force, user=case_manager)
    acknowledgement_record(version=in_force, user=case_manager)  # a second press: no new row
    assert len(_changes("acknowledgement_record")) == 1
    plan_policies_set(plan=youth.plan, versions=[in_force], by=case_manager, expected=frozenset())
    assert _changes("plan_policies_set") == [
        ("change", "plans.plan", youth.plan.pk, case_manager.pk)
    ]
    policy_retire(policy=policy, by=other_supervisor, note="Fictional: merged into another.")
    assert _changes("policy_retire") == [
        ("change", "policies.policy", policy.pk, other_supervisor.pk)
    ]


def test_audit_rows_of_changes_hold_codes_only(case_manager: User, supervisor: User) -> None:
    youth = admit_youth(case_manager, preferred_name="Canary Youth")
    approved(social_media(), case_manager, supervisor, text="# Canary text\n\nYouth keep phones.")
    stored = " ".join(
        f"{detail} {path}" for detail, path in AuditEvent.objects.values_list("detail", "path")
    )
    assert "Canary" not in stored
    assert youth.client_id not in stored


# Exports


def test_an_export_is_recorded_with_its_export_record(admin_client_: Client) -> None:
    response = admin_client_.post(
        reverse("reports:register-download", args=["plans", "csv"]), REMOTE_ADDR="192.0.2.23"
    )
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = _only(AuditAction.EXPORT)
    record = ExportRecord.objects.get()
    assert (event.object_type, event.object_id) == ("reports.exportrecord", record.pk)
    assert event.detail == {"op": "export_record_create", "report": "plans", "format": "csv"}
    assert event.ip_address == "192.0.2.23"


def test_a_summary_download_is_recorded_as_an_export(supervisor_client: Client) -> None:
    response = supervisor_client.post(reverse("reports:summary-download"))
    assert response.status_code == 200
    assert _only(AuditAction.EXPORT).detail["report"] == "summary"
