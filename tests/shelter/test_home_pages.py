"""Each role's home page: the day's work, panel by panel, only what the person may
see, in a fixed number of queries however many rows."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk.models import AccessRequest, DeviceSession, RequestKind, RequestStatus
from library.models import RequiredTraining, Resource
from plans.models import Category, Plan, RecordBlock, Youth
from policies.models import PlanPolicy, Policy
from reports.services import export_record_create
from shelter.home import admin_week
from shelter.models import AuditAction, AuditEvent, User
from shelter.roles import Role
from tests.builders import make_authenticator, make_restriction, make_staff, make_youth
from tests.policies.builders import approved, social_media, submitted

pytestmark = pytest.mark.django_db


# Builders: each adds one row of a panel's kind.


def _youth(case_manager: User, number: int, *, review_in_days: int = 30) -> Youth:
    youth = make_youth(
        case_manager, preferred_name=f"Fictional Youth {number:03d}", client_id=f"TEST-{number:04d}"
    )
    Plan.objects.filter(youth=youth).update(
        next_review_on=timezone.localdate() + timedelta(days=review_in_days)
    )
    return youth


def _request(youth: Youth, by: User) -> AccessRequest:
    return AccessRequest.objects.create(
        youth=youth,
        kind=RequestKind.EXTRA_MINUTES,
        minutes=30,
        reason="Fictional: to finish a school project.",
        requested_by=by,
    )


def _override(youth: Youth, by: User, *, days_ago: int = 1) -> DeviceSession:
    out = timezone.now() - timedelta(days=days_ago)
    return DeviceSession.objects.create(
        youth=youth,
        category=Category.objects.get(key="phone-possession"),
        checked_out_at=out,
        checked_out_by=by,
        checked_in_at=out + timedelta(minutes=20),
        checked_in_by=by,
        override_reason="Fictional: a call with their grandmother.",
        override_state="outside_window",
    )


def _follows_old_policy(youth: Youth, by: User) -> None:
    """The youth's plan follows a social media policy version that is no longer in force."""
    policy = social_media()
    old = policy.versions.filter(effective_date=date(2026, 1, 5)).first()
    PlanPolicy.objects.create(plan=youth.plan, policy_version=old, recorded_by=by)


def _case_managers_day(case_manager: User, count: int, first: int = 100) -> None:
    """`count` youth, each with a review overdue, a restriction ending within the
    hour, a request waiting, an override and a plan following an old policy."""
    now = timezone.now()
    for number in range(first, first + count):
        youth = _youth(case_manager, number, review_in_days=-3)
        make_restriction(youth, case_manager, ends_at=now + timedelta(hours=1))
        _request(youth, case_manager)
        _override(youth, case_manager)
        _follows_old_policy(youth, case_manager)


def _policies_superseded(author: User, approver: User) -> None:
    approved(social_media(), author, approver, effective_date=date(2026, 1, 5))
    approved(social_media(), author, approver, text="Newer.", effective_date=date(2026, 2, 5))


def _required_training() -> None:
    """A course every role must complete yearly (nobody has yet)."""
    course = Resource.objects.create(title="Fictional course", summary="Fictional.", is_course=True)
    for role in Role:
        RequiredTraining.objects.create(resource=course, role=role, renewal_months=12)


def _panels(client: Client) -> dict:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {panel.key: panel for panel in response.context["panels"]}


def _queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


# Case managers


def test_a_case_managers_home_shows_their_days_work_in_order(
    cm_client: Client, case_manager: User, other_case_manager: User, supervisor: User
) -> None:
    _policies_superseded(case_manager, supervisor)
    _case_managers_day(case_manager, 1)
    _youth(case_manager, 2, review_in_days=3)
    _case_managers_day(other_case_manager, 1, first=200)

    panels = _panels(cm_client)

    assert list(panels) == [
        "youth",
        "reviews-overdue",
        "reviews-due",
        "restrictions-ending",
        "requests-waiting",
        "overrides",
        "plans-flagged",
        "drafts-returned",
        "training-due",
    ]
    assert {key: panel.count for key, panel in panels.items()} == {
        "youth": 2,
        "reviews-overdue": 1,
        "reviews-due": 1,
        "restrictions-ending": 1,
        "requests-waiting": 1,
        "overrides": 1,
        "plans-flagged": 1,
        "drafts-returned": 0,
        "training-due": 0,
    }
    content = cm_client.get(reverse("home")).content.decode()
    assert "Fictional Youth 100" in content and "Fictional Youth 200" not in content
    youth = Youth.objects.get(client_id="TEST-0100")
    assert content.count(reverse("plans:youth-detail", args=[youth.pk])) == 5
    assert reverse("policies:plan-policies", args=[youth.plan.pk]) in content
    assert "Youth requests waiting for a decision (1)" in content
    assert "30 extra minutes today" in content
    assert "Reason given: Fictional: a call with their grandmother." in content
    # Each panel links to its full list.
    assert f"{reverse('plans:youth-list')}?review=overdue" in content
    assert f"{reverse('plans:youth-list')}?restricted=yes" in content


def test_an_empty_panel_says_so_in_a_few_words(cm_client: Client, case_manager: User) -> None:
    content = cm_client.get(reverse("home")).content.decode()
    for sentence in (
        "No current youth on your caseload.",
        "No overdue reviews.",
        "No reviews due this week.",
        "None on your caseload.",
        "No requests waiting.",
        "No check-outs against the plan for your youth this week.",
        "No plan on your caseload follows an old policy version.",
    ):
        assert sentence in content


def test_a_panel_lists_the_first_ten_and_says_how_many_in_all(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    _policies_superseded(case_manager, supervisor)
    _case_managers_day(case_manager, 12)
    panels = _panels(cm_client)
    for key in ("youth", "reviews-overdue", "restrictions-ending", "requests-waiting"):
        assert (panels[key].count, len(panels[key].items)) == (12, 10)
    assert (panels["overrides"].count, len(panels["overrides"].items)) == (12, 10)
    assert (panels["plans-flagged"].count, len(panels["plans-flagged"].items)) == (12, 10)
    assert "The first 10 of 12." in cm_client.get(reverse("home")).content.decode()


def test_overrides_older_than_a_week_and_decided_requests_are_not_shown(
    cm_client: Client, case_manager: User
) -> None:
    youth = _youth(case_manager, 1)
    _override(youth, case_manager, days_ago=8)
    decided = _request(youth, case_manager)
    AccessRequest.objects.filter(pk=decided.pk).update(status=RequestStatus.DECLINED)
    panels = _panels(cm_client)
    assert panels["overrides"].count == 0
    assert panels["requests-waiting"].count == 0


def test_a_block_hides_the_youth_from_every_panel_of_their_own_case_manager(
    cm_client: Client, case_manager: User, supervisor: User, administrator: User
) -> None:
    _policies_superseded(case_manager, supervisor)
    _case_managers_day(case_manager, 1)
    youth = Youth.objects.get()
    RecordBlock.objects.create(
        staff=case_manager, youth=youth, reason="Fictional: a relative.", created_by=administrator
    )
    panels = _panels(cm_client)
    assert {panel.count for panel in panels.values()} == {0}
    assert "Fictional Youth 100" not in cm_client.get(reverse("home")).content.decode()


# Supervisors


def test_a_supervisors_home_shows_approvals_reviews_and_policy_work(
    supervisor_client: Client, supervisor: User, case_manager: User, other_supervisor: User
) -> None:
    now = timezone.now()
    youth = _youth(case_manager, 1, review_in_days=-1)
    other = _youth(case_manager, 2, review_in_days=-2)
    make_restriction(
        youth, case_manager, approval="pending", starts_at=now, ends_at=now + timedelta(days=6)
    )
    _request(other, case_manager)
    approved(
        Policy.objects.get(key="gaming"),
        case_manager,
        other_supervisor,
        effective_date=date(2025, 1, 5),
        next_review_on=date(2025, 7, 5),
    )
    submitted(social_media(), case_manager)

    panels = _panels(supervisor_client)

    assert list(panels) == [
        "restrictions-waiting",
        "requests-waiting",
        "drafts-to-review",
        "policies-overdue",
        "acknowledgements-missing",
        "training-missing",
        "reviews-overdue",
        "training-due",
    ]
    assert {key: panel.count for key, panel in panels.items()} == {
        "restrictions-waiting": 1,
        "requests-waiting": 1,
        "drafts-to-review": 1,
        "policies-overdue": 1,
        "acknowledgements-missing": 1,
        "training-missing": 0,
        "reviews-overdue": 2,
        "training-due": 0,
    }
    content = supervisor_client.get(reverse("home")).content.decode()
    assert "Reviews overdue, all youth (2)" in content
    assert "Gaming</a>: review was due 5 Jul 2025" in content
    # Three active staff with a role; none has acknowledged the gaming policy.
    assert "3 staff have not acknowledged version 1" in content
    assert reverse("policies:review-queue") in content


def test_a_block_hides_the_youth_from_a_supervisors_panels(
    supervisor_client: Client, supervisor: User, case_manager: User, administrator: User
) -> None:
    now = timezone.now()
    youth = _youth(case_manager, 1, review_in_days=-1)
    make_restriction(
        youth, case_manager, approval="pending", starts_at=now, ends_at=now + timedelta(days=6)
    )
    _request(youth, case_manager)
    RecordBlock.objects.create(
        staff=supervisor, youth=youth, reason="Fictional: a neighbour.", created_by=administrator
    )
    panels = _panels(supervisor_client)
    assert panels["restrictions-waiting"].count == 0
    assert panels["requests-waiting"].count == 0
    assert panels["reviews-overdue"].count == 0


def test_a_supervisor_sees_their_own_caseload_panels_only_when_they_have_something(
    supervisor_client: Client, supervisor: User, case_manager: User, other_supervisor: User
) -> None:
    assert "plans-flagged" not in _panels(supervisor_client)
    _policies_superseded(case_manager, other_supervisor)
    _follows_old_policy(_youth(supervisor, 1), supervisor)
    assert _panels(supervisor_client)["plans-flagged"].count == 1


# Administrators


def test_an_administrators_home_shows_exports_accounts_and_the_audit_week(
    admin_client_: Client, administrator: User, case_manager: User, supervisor: User
) -> None:
    make_staff("cm.golf", Role.CASE_MANAGER)
    make_authenticator(case_manager)
    make_authenticator(supervisor)
    export_record_create(
        by=administrator,
        report="plans",
        export_format="csv",
        filters={},
        row_count=12,
        deidentified=True,
    )

    panels = _panels(admin_client_)

    assert list(panels) == [
        "exports",
        "accounts",
        "accounts-without-two-step",
        "accounts-deactivated",
        "audit",
        "training-due",
    ]
    assert panels["exports"].count == 1
    assert [(row.label, row.count) for row in panels["accounts"].items] == [
        ("Active case managers", 2),
        ("Active supervisors", 1),
        ("Active administrators", 1),
        ("All active accounts", 4),
    ]
    # Everyone else has an authenticator app (the administrator signed in with one).
    assert [row.user.username for row in panels["accounts-without-two-step"].items] == ["cm.golf"]
    assert panels["accounts-deactivated"].count == 0
    for row in panels["accounts"].items:
        # The admin list each row links to holds the same accounts.
        listed = admin_client_.get(row.url)
        assert listed.status_code == 200, row.url
        assert listed.context["cl"].result_count == row.count, row.url
    content = admin_client_.get(reverse("home")).content.decode()
    assert "Plans register (CSV, 12 rows, de-identified) by Emery" in content
    golf = User.objects.get(username="cm.golf")
    assert f'href="{reverse("admin:shelter_user_change", args=[golf.pk])}"' in content
    assert "(cm.golf): may turn it on" in content


def test_an_account_deactivated_in_the_admin_shows_for_thirty_days(
    admin_client_: Client, administrator: User
) -> None:
    leaver = make_staff("cm.leaver", Role.CASE_MANAGER)
    response = admin_client_.post(
        reverse("admin:shelter_user_change", args=[leaver.pk]),
        {
            "username": leaver.username,
            "first_name": leaver.first_name,
            "last_name": leaver.last_name,
            "email": leaver.email,
            "language": leaver.language,
            "role": Role.CASE_MANAGER.value,
            # is_active left out: the box is unticked.
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    leaver.refresh_from_db()
    assert not leaver.is_active

    panel = _panels(admin_client_)["accounts-deactivated"]
    assert (panel.count, [row.user for row in panel.items]) == (1, [leaver])

    entry = LogEntry.objects.get(object_id=str(leaver.pk))
    # Another change to the account (its name, say) is not a deactivation.
    LogEntry.objects.filter(pk=entry.pk).update(
        change_message='[{"changed": {"fields": ["Last name"]}}]'
    )
    assert _panels(admin_client_)["accounts-deactivated"].count == 0
    LogEntry.objects.filter(pk=entry.pk).update(
        change_message=entry.change_message, action_time=timezone.now() - timedelta(days=31)
    )
    assert _panels(admin_client_)["accounts-deactivated"].count == 0


def test_the_audit_panel_counts_the_past_week_and_links_to_the_same_rows_in_the_admin(
    admin_client_: Client, administrator: User
) -> None:
    now = timezone.now()
    since, _ = admin_week(now)
    for action, count in (
        (AuditAction.SIGN_IN_FAILED, 3),
        (AuditAction.SECOND_FACTOR_FAILED, 1),
        (AuditAction.ACCESS_REFUSED, 2),
        (AuditAction.EXPORT, 1),
        (AuditAction.SIGN_IN, 5),
    ):
        for _ in range(count):
            AuditEvent.objects.create(action=action, at=now - timedelta(hours=1))
    # Just before the week: not counted.
    AuditEvent.objects.create(action=AuditAction.SIGN_IN_FAILED, at=since - timedelta(minutes=1))

    rows = _panels(admin_client_)["audit"].items

    assert [(row.label, row.count) for row in rows] == [
        ("Failed sign-ins (password or code)", 4),
        ("Pages refused to a signed-in person", 2),
        ("Exports", 1),
    ]
    for row in rows:
        # The admin list the row links to holds the same rows (the admin's own
        # page views are recorded too, but not as these actions).
        listed = admin_client_.get(row.url)
        assert listed.status_code == 200
        assert listed.context["cl"].result_count == row.count, row.url


def test_other_roles_get_no_administrator_panels(
    cm_client: Client, supervisor_client: Client
) -> None:
    for client in (cm_client, supervisor_client):
        assert not {"exports", "accounts", "audit"} & set(_panels(client))


# Access


def test_the_home_page_refuses_post(cm_client: Client) -> None:
    assert cm_client.post(reverse("home")).status_code == 405


def test_an_anonymous_visitor_is_sent_to_sign_in(anon_client: Client) -> None:
    response = anon_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_account_without_a_role_gets_no_panels_and_is_told_why(db: None) -> None:
    from tests.builders import signed_in_client

    nobody = User.objects.create_user("no.role", password="Fictional-password-1")
    response = signed_in_client(nobody).get(reverse("home"))
    assert response.context["panels"] == []
    assert "Your account has no role yet" in response.content.decode()


# Query counts: a fixed number per role, whatever the number of rows.


def test_the_case_managers_home_runs_a_fixed_number_of_queries(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    _policies_superseded(case_manager, supervisor)
    _required_training()
    _case_managers_day(case_manager, 1)
    few = _queries(cm_client)
    _case_managers_day(case_manager, 30, first=200)
    many = _queries(cm_client)
    # 1 session, 2 user, 3 the user's groups (role), 4 the youth, overdue and due
    # counts together, 5 the youth list, 6 the overdue list, 7 the due list,
    # 8-9 restrictions ending: count, list, 10-11 requests waiting: count, list,
    # 12-13 overrides: count, list, 14 own open drafts, 15-16 plans flagged: count, list,
    # 17-18 training due: the requirements, their own completions.
    assert len(few) == len(many) == 18, "\n\n".join(many)


def test_the_supervisors_home_runs_a_fixed_number_of_queries(
    supervisor_client: Client, supervisor: User, case_manager: User, other_supervisor: User
) -> None:
    now = timezone.now()

    def add(count: int, first: int) -> None:
        for number in range(first, first + count):
            youth = _youth(case_manager, number, review_in_days=-1)
            make_restriction(
                youth,
                case_manager,
                approval="pending",
                starts_at=now,
                ends_at=now + timedelta(days=6),
            )
            _request(youth, case_manager)

    _required_training()
    add(1, 100)
    submitted(social_media(), case_manager)
    few = _queries(supervisor_client)
    add(30, 200)
    for key in ("gaming", "internet", "mobile-devices"):
        approved(
            Policy.objects.get(key=key),
            case_manager,
            other_supervisor,
            effective_date=date(2025, 1, 5),
            next_review_on=date(2025, 7, 5),
        )
    submitted(Policy.objects.get(key="other-networked-technology"), case_manager)
    many = _queries(supervisor_client)
    # 1 session, 2 user, 3 the authenticator the session was verified with, 4 the
    # user's groups (role), 5 reviews overdue counted (with the youth and due counts),
    # 6 the overdue list, 7-8 restrictions waiting: count, list, 9-10 requests waiting:
    # count, list, 11 open drafts (to review, and their own returned), 12-13 their own
    # plans flagged: count, list, 14 policies overdue, 15 active staff count,
    # 16 policies in force with their acknowledgement counts, 17-20 training (staff
    # missing it, and their own due): the requirements, the staff, their groups,
    # everyone's completions.
    assert len(few) == len(many) == 20, "\n\n".join(many)


def test_the_administrators_home_runs_a_fixed_number_of_queries(
    admin_client_: Client, administrator: User
) -> None:
    now = timezone.now()
    user_type = ContentType.objects.get_for_model(User)

    def add(count: int, first: int) -> None:
        for number in range(first, first + count):
            staff = make_staff(f"cm.{number}", Role.CASE_MANAGER)
            if number % 2:
                User.objects.filter(pk=staff.pk).update(is_active=False)
                LogEntry.objects.create(
                    user=administrator,
                    content_type=user_type,
                    object_id=str(staff.pk),
                    object_repr="Fictional",
                    action_flag=CHANGE,
                    change_message='[{"changed": {"fields": ["Active"]}}]',
                )
            export_record_create(
                by=administrator,
                report="plans",
                export_format="csv",
                filters={},
                row_count=number,
                deidentified=False,
            )
            AuditEvent.objects.create(action=AuditAction.SIGN_IN_FAILED, at=now)

    _required_training()
    add(1, 100)
    few = _queries(admin_client_)
    add(30, 200)
    many = _queries(admin_client_)
    # 1 session, 2 user, 3 the authenticator the session was verified with, 4 the
    # user's groups (role), 5-6 exports this week: count, list (with who), 7 account
    # counts in one, 8 active accounts per role (the groups), 9-10 accounts without
    # two-step sign-in (+ their groups), 11 accounts deactivated recently, 12 the audit
    # week's counts in one, 13-14 training due: the requirements, their own completions.
    assert len(few) == len(many) == 14, "\n\n".join(many)
