"""Per-person record blocks: an administrator keeps a named staff member away from a
named youth's record (a conflict of interest), and the block wins over every role:
pages, search, registers and exports, the restriction queue, home panels, policy
credits and the admin. A blocked staff member gets the same 404 as any outsider."""

from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan, RecordBlock, Restriction, Youth
from plans.services import record_block_create, record_block_lift
from policies.models import CreditConsent
from shelter.models import AuditAction, AuditEvent, User
from shelter.roles import Role
from tests.builders import admit_youth, make_restriction, make_staff, signed_in_client
from tests.policies.builders import contribution, draft, social_media
from tests.reports.helpers import body, download, xlsx_sheet

pytestmark = pytest.mark.django_db

NAME = "Blockedy Zq5510"
CLIENT_ID = "TEST-BLOCK-5510"
OTHER_NAME = "Visible Yx2288"

# Every page about one youth, by its id (the plan's id for plan-policies).
YOUTH_PAGES = [
    "plans:youth-detail",
    "plans:youth-edit",
    "plans:plan-edit",
    "plans:plan-history",
    "plans:plan-print",
    "plans:youth-viewers",
    "plans:help-contact-new",
    "plans:restriction-new",
    "desk:check-out",
    "desk:request-new",
    "policies:plan-policies",
]


@pytest.fixture
def second_administrator(db: None) -> User:
    return make_staff("admin.foxtrot", Role.ADMINISTRATOR, first_name="Fran")


@pytest.fixture
def youth(case_manager: User) -> Youth:
    """On the case manager's caseload, with an overdue review and a long restriction
    waiting for a supervisor: something on every list and panel."""
    youth = admit_youth(case_manager, preferred_name=NAME, client_id=CLIENT_ID)
    Plan.objects.filter(youth=youth).update(next_review_on=date(2026, 1, 5))
    now = timezone.now()
    make_restriction(
        youth,
        case_manager,
        approval="pending",
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(days=9),
    )
    return youth


@pytest.fixture
def other_youth(case_manager: User) -> Youth:
    return admit_youth(case_manager, preferred_name=OTHER_NAME, client_id="TEST-BLOCK-2288")


def block(staff: User, youth: Youth, by: User) -> RecordBlock:
    return record_block_create(by=by, staff=staff, youth=youth, reason="Fictional: a neighbour.")


@pytest.fixture(params=["case_manager", "supervisor", "administrator"])
def blocked(request: pytest.FixtureRequest, youth: Youth, second_administrator: User) -> User:
    """The youth's own case manager, a supervisor or an administrator, blocked."""
    staff = request.getfixturevalue(request.param)
    block(staff, youth, second_administrator)
    return staff


def page(client: Client, name: str, *args: object) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response.content.decode()


# Pages of the youth


@pytest.mark.parametrize("name", YOUTH_PAGES)
def test_a_blocked_staff_member_gets_what_an_outsider_gets_on_every_page_of_the_youth(
    blocked: User, youth: Youth, name: str
) -> None:
    client = signed_in_client(blocked)
    pk = youth.plan.pk if name == "policies:plan-policies" else youth.pk
    response = client.get(reverse(name, args=[pk]))
    # The same answer as for a youth who does not exist: 404, or 403 where the
    # role may not use the page at all (administrators never edit).
    missing = client.get(reverse(name, args=[pk + 1000]))
    assert response.status_code == missing.status_code
    assert response.status_code in (403, 404)
    assert NAME not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=blocked).exists()


def test_a_blocked_case_manager_cannot_write_to_their_own_youths_plan(
    case_manager: User, youth: Youth, second_administrator: User
) -> None:
    block(case_manager, youth, second_administrator)
    client = signed_in_client(case_manager)
    response = client.post(reverse("plans:youth-edit", args=[youth.pk]), {"preferred_name": "X"})
    assert response.status_code == 404
    assert Youth.objects.get(pk=youth.pk).preferred_name == NAME


def test_the_block_is_narrow_the_rest_of_the_caseload_stays_open(
    case_manager: User, youth: Youth, other_youth: Youth, second_administrator: User
) -> None:
    block(case_manager, youth, second_administrator)
    client = signed_in_client(case_manager)
    assert client.get(reverse("plans:youth-detail", args=[other_youth.pk])).status_code == 200
    listing = page(client, "plans:youth-list")
    assert OTHER_NAME in listing
    assert NAME not in listing


def test_the_search_does_not_find_a_blocked_youth(
    blocked: User, youth: Youth, other_youth: Youth
) -> None:
    client = signed_in_client(blocked)
    for person, found in ((youth, False), (other_youth, True)):
        response = client.post(
            reverse("plans:youth-search"), {"q": person.preferred_name}, follow=True
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert (reverse("plans:youth-detail", args=[person.pk]) in content) is found
        assert (person.client_id in content) is found


def test_lifting_the_block_gives_back_the_access_of_the_role(
    case_manager: User, youth: Youth, second_administrator: User
) -> None:
    kept = block(case_manager, youth, second_administrator)
    client = signed_in_client(case_manager)
    assert client.get(reverse("plans:youth-detail", args=[youth.pk])).status_code == 404
    record_block_lift(block=kept, by=second_administrator)
    assert NAME in page(client, "plans:youth-detail", youth.pk)
    assert NAME in page(client, "plans:youth-list")
    # The block is kept, marked lifted, with who and when.
    kept.refresh_from_db()
    assert kept.lifted_by == second_administrator
    assert kept.lifted_at is not None
    assert not RecordBlock.objects.active().exists()


def test_a_block_on_someone_else_changes_nothing_for_the_supervisor(
    supervisor: User, other_supervisor: User, youth: Youth, second_administrator: User
) -> None:
    block(other_supervisor, youth, second_administrator)
    assert NAME in page(signed_in_client(supervisor), "plans:youth-detail", youth.pk)


# Restrictions


@pytest.mark.parametrize(
    "name", ["plans:restriction-approve", "plans:restriction-decline", "plans:restriction-lift"]
)
def test_a_blocked_supervisor_cannot_decide_or_lift_the_youths_restriction(
    supervisor: User, youth: Youth, second_administrator: User, name: str
) -> None:
    block(supervisor, youth, second_administrator)
    restriction = Restriction.objects.get(plan__youth=youth)
    response = signed_in_client(supervisor).post(
        reverse(name, args=[restriction.pk]), {"note": "Fictional note."}
    )
    assert response.status_code == 404
    restriction.refresh_from_db()
    assert restriction.approval == "pending"
    assert restriction.lifted_at is None


def test_the_restriction_queue_leaves_out_a_blocked_youth(
    supervisor: User, other_supervisor: User, youth: Youth, second_administrator: User
) -> None:
    block(supervisor, youth, second_administrator)
    assert NAME not in page(signed_in_client(supervisor), "plans:restriction-queue")
    assert NAME in page(signed_in_client(other_supervisor), "plans:restriction-queue")


# Home panels


def test_home_panels_leave_out_a_blocked_youth(
    blocked: User, youth: Youth, other_supervisor: User
) -> None:
    assert NAME not in page(signed_in_client(blocked), "home")
    # The same panels name the youth to a supervisor who is not blocked.
    assert NAME in page(signed_in_client(other_supervisor), "home")


# Registers and exports


@pytest.mark.parametrize("report", ["plans", "restrictions"])
def test_registers_and_their_downloads_leave_out_a_blocked_youth(
    administrator: User, second_administrator: User, youth: Youth, report: str
) -> None:
    block(administrator, youth, second_administrator)
    for staff, shown in ((second_administrator, True), (administrator, False)):
        client = signed_in_client(staff)
        assert (CLIENT_ID in page(client, f"reports:{report}")) is shown
        assert (CLIENT_ID in body(download(client, report, "csv")).decode("utf-8-sig")) is shown
        sheet = xlsx_sheet(download(client, report, "xlsx"))
        assert any(row[0] == CLIENT_ID for row in sheet.iter_rows(values_only=True)) is shown


# Policies


def test_a_blocked_supervisor_sees_only_the_credit_the_youth_consented_to(
    case_manager: User, supervisor: User, youth: Youth, second_administrator: User
) -> None:
    version = draft(social_media(), case_manager)
    contribution(version, case_manager, youth=youth, credit=CreditConsent.INITIALS)
    url = reverse("policies:version-detail", args=[version.pk])
    client = signed_in_client(supervisor)
    assert NAME in client.get(url).content.decode()
    block(supervisor, youth, second_administrator)
    content = client.get(url).content.decode()
    assert NAME not in content
    assert "B. Z." in content


# The admin


def test_the_admin_hides_a_blocked_youth_and_their_plan(
    administrator: User, youth: Youth, second_administrator: User
) -> None:
    kept = block(administrator, youth, second_administrator)
    client = signed_in_client(administrator)
    assert client.get(reverse("admin:plans_recordblock_history", args=[kept.pk])).status_code == 404
    for name in ("admin:plans_youth_changelist", "admin:plans_plan_changelist"):
        assert CLIENT_ID not in page(client, name)
    for name, pk in (
        ("admin:plans_youth_history", youth.pk),
        ("admin:plans_plan_history", youth.plan.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    version = youth.history.first()
    response = client.get(
        reverse("admin:plans_youth_simple_history", args=[youth.pk, version.history_id])
    )
    assert response.status_code == 404
    # The change page answers as for a record that does not exist.
    response = client.get(reverse("admin:plans_youth_change", args=[youth.pk]), follow=True)
    assert NAME not in response.content.decode()
    assert CLIENT_ID not in response.content.decode()
    # A block on a youth the administrator may not see is not listed to them either.
    assert CLIENT_ID not in page(client, "admin:plans_recordblock_changelist")


def test_the_admin_shows_youth_history_to_an_administrator_who_is_not_blocked(
    administrator: User, youth: Youth
) -> None:
    client = signed_in_client(administrator)
    assert CLIENT_ID in page(client, "admin:plans_youth_changelist")
    assert client.get(reverse("admin:plans_youth_history", args=[youth.pk])).status_code == 200
    version = youth.history.first()
    response = client.get(
        reverse("admin:plans_youth_simple_history", args=[youth.pk, version.history_id])
    )
    assert response.status_code == 200


def test_an_administrator_blocks_a_staff_member_in_the_admin(
    administrator: User, case_manager: User, youth: Youth
) -> None:
    client = signed_in_client(administrator)
    response = client.post(
        reverse("admin:plans_recordblock_add"),
        {"staff": case_manager.pk, "youth": youth.pk, "reason": "  Fictional: a cousin.  "},
    )
    assert response.status_code == 302
    made = RecordBlock.objects.get()
    assert (made.staff, made.youth, made.created_by) == (case_manager, youth, administrator)
    assert made.reason == "Fictional: a cousin."
    assert made.history.get().history_user == administrator
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_type="plans.recordblock")
    assert event.actor == administrator
    assert event.detail == {
        "op": "record_block_create",
        "staff": case_manager.pk,
        "youth": youth.pk,
    }
    assert (
        signed_in_client(case_manager)
        .get(reverse("plans:youth-detail", args=[youth.pk]))
        .status_code
        == 404
    )


def test_the_block_form_does_not_offer_the_administrator_themselves(
    administrator: User, case_manager: User, youth: Youth
) -> None:
    client = signed_in_client(administrator)
    form = client.get(reverse("admin:plans_recordblock_add")).context["adminform"].form
    assert case_manager in form.fields["staff"].queryset
    assert administrator not in form.fields["staff"].queryset
    response = client.post(
        reverse("admin:plans_recordblock_add"),
        {"staff": administrator.pk, "youth": youth.pk, "reason": "Fictional."},
    )
    assert response.status_code == 200
    assert "staff" in response.context["adminform"].form.errors
    assert not RecordBlock.objects.exists()


def test_a_second_active_block_is_refused_next_to_the_staff_field(
    administrator: User, second_administrator: User, case_manager: User, youth: Youth
) -> None:
    block(case_manager, youth, second_administrator)
    response = signed_in_client(administrator).post(
        reverse("admin:plans_recordblock_add"),
        {"staff": case_manager.pk, "youth": youth.pk, "reason": "Fictional, again."},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["staff"] == [
        "This staff member is already blocked from this youth's record."
    ]
    assert RecordBlock.objects.count() == 1


def test_an_administrator_lifts_blocks_with_the_admin_action(
    administrator: User, second_administrator: User, case_manager: User, youth: Youth
) -> None:
    kept = block(case_manager, youth, second_administrator)
    response = signed_in_client(administrator).post(
        reverse("admin:plans_recordblock_changelist"),
        {"action": "lift_blocks", "_selected_action": [kept.pk]},
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.lifted_by == administrator
    assert kept.lifted_at is not None
    assert AuditEvent.objects.filter(
        actor=administrator, detail__op="record_block_lift", object_id=kept.pk
    ).exists()
    # A second lift changes nothing: the first one stays on record.
    with pytest.raises(ValidationError, match="already lifted"):
        record_block_lift(block=kept, by=second_administrator)
    kept.refresh_from_db()
    assert kept.lifted_by == administrator


def test_a_block_is_neither_edited_nor_deleted_in_the_admin(
    administrator: User, second_administrator: User, case_manager: User, youth: Youth
) -> None:
    kept = block(case_manager, youth, second_administrator)
    request = RequestFactory().get("/")
    request.user = administrator
    block_admin = admin.site._registry[RecordBlock]
    assert not block_admin.has_change_permission(request, kept)
    assert not block_admin.has_delete_permission(request, kept)
    client = signed_in_client(administrator)
    change = client.get(reverse("admin:plans_recordblock_change", args=[kept.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    response = client.post(
        reverse("admin:plans_recordblock_change", args=[kept.pk]),
        {"staff": administrator.pk, "youth": youth.pk, "reason": "Changed."},
    )
    assert response.status_code == 403
    assert client.post(reverse("admin:plans_recordblock_delete", args=[kept.pk])).status_code == 403
    kept.refresh_from_db()
    assert (kept.staff, kept.reason) == (case_manager, "Fictional: a neighbour.")


def test_an_administrator_cannot_block_or_unblock_themselves(
    administrator: User, second_administrator: User, youth: Youth
) -> None:
    with pytest.raises(ValidationError, match="cannot block yourself"):
        block(administrator, youth, administrator)
    kept = block(administrator, youth, second_administrator)
    with pytest.raises(ValidationError, match="cannot lift a block on yourself"):
        record_block_lift(block=kept, by=administrator)
    assert RecordBlock.objects.active().get() == kept


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.SUPERVISOR])
def test_only_administrators_block_and_lift(
    role: Role, case_manager: User, second_administrator: User, youth: Youth
) -> None:
    staff = make_staff("staff.golf", role)
    with pytest.raises(PermissionDenied):
        block(case_manager, youth, staff)
    kept = block(case_manager, youth, second_administrator)
    with pytest.raises(PermissionDenied):
        record_block_lift(block=kept, by=staff)
    assert not RecordBlock.objects.exists() or RecordBlock.objects.active().get() == kept


@pytest.mark.parametrize("client_name", ["cm_client", "supervisor_client"])
def test_other_roles_cannot_open_the_block_admin(
    request: pytest.FixtureRequest, client_name: str
) -> None:
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("admin:plans_recordblock_changelist")).status_code == 403
    assert client.get(reverse("admin:plans_recordblock_add")).status_code == 403


@pytest.mark.parametrize("rows", [1, 6])
def test_the_block_list_costs_the_same_queries_for_few_or_many_blocks(
    administrator: User,
    second_administrator: User,
    case_manager: User,
    django_assert_num_queries,
    rows: int,
) -> None:
    for number in range(rows):
        youth = admit_youth(case_manager, client_id=f"TEST-BLOCKS-{number}")
        block(case_manager, youth, second_administrator)
    client = signed_in_client(administrator)
    # 1-3 the session, the user, their authenticator (sign-in and two-step checks);
    # 4-5 the user's and their groups' permissions (the admin asks); 6 the groups (role);
    # 7-8 the count and the full count; 9 the page of blocks with staff, youth and
    # both administrators joined. Blocks on hidden youth go out in the same queries.
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:plans_recordblock_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count("TEST-BLOCKS-") == rows
