"""The youth page's "Access right now" and restrictions panels."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import AccessRule, Approval, Category, Youth
from plans.rightnow import State
from plans.views import _youth_page_queryset, restriction_panels_context
from shelter.models import User
from tests.builders import make_restriction, make_youth

ZONE = ZoneInfo("America/New_York")
# A Tuesday morning in the agency's zone.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZONE)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
FRIDAY = 1 << 4


def give_rules(youth: Youth) -> None:
    """One rule per category; social media only supervised, Friday 20:00–01:00."""
    for category in Category.objects.all():
        rule, _ = AccessRule.objects.update_or_create(plan=youth.plan, category=category)
        if category.key == "social-media":
            rule.supervised = True
            rule.save()
            rule.windows.create(weekdays=FRIDAY, start_time=time(20), end_time=time(1))


@pytest.fixture
def youth(case_manager: User) -> Youth:
    youth = make_youth(case_manager)
    give_rules(youth)
    return youth


def panels(user: User, youth: Youth, now: datetime) -> dict:
    fresh = _youth_page_queryset().get(pk=youth.pk)
    return restriction_panels_context(user, fresh, now)


def states(context: dict) -> dict[str, tuple[State, str, str]]:
    return {
        row.access.category_key: (row.access.state, row.access.label, row.access.reason)
        for row in context["access_now"]
    }


def test_each_category_shows_its_state_at_a_fixed_moment(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    def restrict(keys: list[str], **fields) -> None:
        values = {
            "categories": keys,
            "starts_at": NOW - DAY,
            "ends_at": NOW + DAY,
            "imposed_at": NOW - DAY,
        }
        values.update(fields)
        make_restriction(youth, case_manager, **values)

    restrict(["messaging"], reason="Fictional: a stranger asked for photos.")
    restrict(["online-gaming"], kind="supervised", reason="Fictional: chat in a game.")
    restrict(["video-streaming"], approval=Approval.PENDING, ends_at=NOW + 4 * DAY)
    restrict(
        ["phone-possession"],
        approval=Approval.DECLINED,
        ends_at=NOW + 4 * DAY,
        decided_by=supervisor,
        decided_at=NOW - HOUR,
        decision_note="No.",
    )
    restrict(["shelter-computers"], ends_at=NOW)  # ends exactly now: no longer in force
    restrict(
        ["web-browsing"],
        lifted_at=NOW - timedelta(minutes=1),
        lifted_by=case_manager,
        lift_note="Safe again.",
    )

    got = states(panels(case_manager, youth, NOW))

    assert got["messaging"] == (
        State.RESTRICTED,
        "Restricted until Wed 09:00",
        "Fictional: a stranger asked for photos.",
    )
    assert got["social-media"][:2] == (State.OUTSIDE_WINDOW, "Closed — opens Fri 20:00")
    assert got["online-gaming"] == (
        State.SUPERVISED,
        "Supervised only",
        "Fictional: chat in a game.",
    )
    # Pending, declined, ended-at-this-instant and lifted restrictions do not count.
    for key in ("video-streaming", "phone-possession", "shelter-computers", "web-browsing"):
        assert got[key][:2] == (State.OPEN, "Open"), key


def test_a_restriction_shows_until_when_and_why(youth: Youth, case_manager: User) -> None:
    make_restriction(
        youth,
        case_manager,
        categories=["messaging"],
        starts_at=NOW - HOUR,
        ends_at=datetime(2026, 12, 3, 18, 30, tzinfo=ZONE),
        reason="Fictional: a stranger asked for photos.",
    )
    row = next(
        r
        for r in panels(case_manager, youth, NOW)["access_now"]
        if r.access.category_key == "messaging"
    )
    assert row.state_words == "Restricted"
    assert row.access.label == "Restricted until Thu 18:30"
    assert row.badge == "text-bg-danger"


def test_an_all_categories_restriction_covers_every_category(
    youth: Youth, case_manager: User
) -> None:
    make_restriction(
        youth, case_manager, all_categories=True, starts_at=NOW - HOUR, ends_at=NOW + HOUR
    )
    got = states(panels(case_manager, youth, NOW))
    assert {state for state, _, _ in got.values()} == {State.RESTRICTED}
    assert len(got) == Category.objects.count()


def test_inside_its_window_a_category_says_until_when(youth: Youth, case_manager: User) -> None:
    friday_evening = datetime(2026, 12, 4, 21, 0, tzinfo=ZONE)
    row = next(
        r
        for r in panels(case_manager, youth, friday_evening)["access_now"]
        if r.access.category_key == "social-media"
    )
    assert row.access.state == State.IN_WINDOW
    assert row.state_words == "Open now (in its time window), supervised"
    assert row.access.label == "Supervised until Sat 01:00"


def test_the_panels_sort_restrictions_into_current_and_past_with_plain_statuses(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    current = make_restriction(youth, case_manager, starts_at=NOW - HOUR, ends_at=NOW + DAY)
    waiting = make_restriction(
        youth, case_manager, starts_at=NOW + HOUR, ends_at=NOW + 5 * DAY, approval=Approval.PENDING
    )
    ended = make_restriction(youth, case_manager, starts_at=NOW - 3 * DAY, ends_at=NOW - DAY)
    lifted = make_restriction(
        youth,
        case_manager,
        starts_at=NOW - 2 * DAY,
        ends_at=NOW + DAY,
        lifted_at=NOW - DAY,
        lifted_by=case_manager,
        lift_note="Safe.",
    )
    context = panels(supervisor, youth, NOW)
    current_rows = {row.restriction.pk: row for row in context["restrictions_current"]}
    past_rows = {row.restriction.pk: row for row in context["restrictions_past"]}
    assert list(current_rows) == [current.pk, waiting.pk]  # in force first, then upcoming
    assert list(past_rows) == [lifted.pk, ended.pk]  # latest start first
    assert current_rows[current.pk].status == "In force until Wed 2 Dec 09:00"
    assert current_rows[waiting.pk].status == (
        "Waiting for a supervisor's approval: not in force yet"
    )
    assert past_rows[ended.pk].status == "Ended Mon 30 Nov 09:00"
    assert past_rows[lifted.pk].status.startswith(f"Lifted early by {case_manager}")
    # Supervisors may decide the waiting one and lift the current one.
    assert current_rows[waiting.pk].can_decide and current_rows[current.pk].can_lift
    assert current_rows[waiting.pk].lift_action == "Withdraw this request"
    assert current_rows[current.pk].lift_action == "Lift this restriction early"
    assert not past_rows[ended.pk].can_lift


def test_a_case_manager_sees_no_approve_button(youth: Youth, case_manager: User) -> None:
    waiting = make_restriction(
        youth, case_manager, starts_at=NOW + HOUR, ends_at=NOW + 5 * DAY, approval=Approval.PENDING
    )
    row = panels(case_manager, youth, NOW)["restrictions_current"][0]
    assert row.restriction.pk == waiting.pk
    assert not row.can_decide and row.decision_form is None
    assert row.can_lift  # they may withdraw it


# The page itself, at the real "now"


def page(client: Client, youth: Youth) -> str:
    response = client.get(reverse("plans:youth-detail", kwargs={"youth_id": youth.pk}))
    assert response.status_code == 200
    return response.content.decode()


def access_row(content: str, key: str) -> str:
    start = content.index(f'data-testid="access-{key}"')
    return content[start : content.index("</tr>", start)]


def test_the_page_shows_a_restricted_category_with_until_and_why(
    cm_client: Client, youth: Youth, case_manager: User
) -> None:
    make_restriction(
        youth,
        case_manager,
        categories=["messaging"],
        reason="Fictional: a stranger asked for photos.",
    )
    content = page(cm_client, youth)
    row = access_row(content, "messaging")
    assert ">Restricted<" in row
    assert "Restricted until" in row
    assert "Why: Fictional: a stranger asked for photos." in row
    assert ">Open<" in access_row(content, "web-browsing")
    assert "Access right now" in content


def test_after_a_restriction_ends_the_page_shows_the_usual_rule_again(
    cm_client: Client, youth: Youth, case_manager: User
) -> None:
    now = timezone.now()
    make_restriction(
        youth,
        case_manager,
        categories=["messaging"],
        starts_at=now - DAY,
        ends_at=now - timedelta(minutes=1),
    )
    content = page(cm_client, youth)
    assert ">Open<" in access_row(content, "messaging")
    assert "Past restrictions (1)" in content


def test_only_editors_see_the_restrict_button(
    cm_client: Client, admin_client_: Client, youth: Youth
) -> None:
    new_url = reverse("plans:restriction-new", kwargs={"youth_id": youth.pk})
    assert new_url in page(cm_client, youth)
    assert new_url not in page(admin_client_, youth)


@pytest.mark.parametrize("count", [2, 40])
def test_the_youth_page_runs_a_fixed_number_of_queries_with_many_restrictions(
    cm_client: Client, youth: Youth, case_manager: User, count: int, django_assert_num_queries
) -> None:
    now = timezone.now()
    for number in range(count):
        make_restriction(
            youth,
            case_manager,
            categories=["messaging", "online-gaming"],
            starts_at=now - DAY + number * HOUR,
            ends_at=now + DAY + number * HOUR,
            approval=Approval.PENDING if number % 2 else Approval.NOT_NEEDED,
        )
    # session, user, user's groups (role); youth with plan and assessor; rules with
    # categories; windows; restrictions with staff; restrictions' categories;
    # policy versions the plan follows; today's device sessions; granted exceptions
    # not yet over; the audit row of the view (INSERT); the plan's current help
    # contacts; the agency's helplines; the youth's check-outs against the plan
    # (front-desk panel, for their editors); library resources of the plan's categories.
    with django_assert_num_queries(16):
        page(cm_client, youth)


def test_an_upcoming_restriction_can_be_cancelled_before_it_starts(
    youth: Youth, case_manager: User
) -> None:
    upcoming = make_restriction(
        youth, case_manager, categories=["messaging"], starts_at=NOW + HOUR, ends_at=NOW + DAY
    )
    context = panels(case_manager, youth, NOW)
    row = context["restrictions_current"][0]
    assert row.restriction.pk == upcoming.pk
    assert row.status == "Starts Tue 1 Dec 10:00, until Wed 2 Dec 09:00"
    assert row.lift_action == "Cancel it before it starts"
    # Not in force yet, but the access panel warns when it begins.
    messaging = states(context)["messaging"]
    assert messaging[:2] == (State.OPEN, "Open until 10:00")
