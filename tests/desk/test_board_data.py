"""desk/board.py: the house board's data for every youth at once, in a fixed
number of queries whatever the number of youth, and the same answers as asking
about each youth alone."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from desk.board import house_access, youth_access
from desk.models import AccessRequest, Device, DeviceSession, RequestKind, RequestStatus
from plans.models import AccessRule, Category, Plan, Restriction, TimeWindow, Youth
from plans.rightnow import State
from shelter.models import User

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("America/New_York")
# Tuesday 1 Dec 2026, 18:00 in the agency's zone.
NOW = datetime(2026, 12, 1, 18, 0, tzinfo=ZONE)


def house(case_manager: User, count: int) -> list[Youth]:
    """`count` fictional youth, each with: social media in a 16:00–19:00 window
    with a 60-minute limit, gaming restricted until 21:00, a shelter computer
    out since 17:15 and an earlier session today, an own phone session from
    last night, and a granted exception for messaging until 20:00."""
    categories = {category.key: category for category in Category.objects.all()}
    youth = Youth.objects.bulk_create(
        Youth(
            preferred_name=f"Testy {number:04d}",
            client_id=f"TEST-{number:05d}",
            birth_year=2010,
            admitted_on=date(2026, 11, 1),
            case_manager=case_manager,
        )
        for number in range(count)
    )
    plans = Plan.objects.bulk_create(Plan(youth=person) for person in youth)
    rules = AccessRule.objects.bulk_create(
        AccessRule(
            plan=plan,
            category=category,
            daily_limit_minutes=60 if category.key == "social-media" else None,
        )
        for plan in plans
        for category in categories.values()
    )
    TimeWindow.objects.bulk_create(
        TimeWindow(rule=rule, weekdays=0b1111111, start_time=time(16), end_time=time(19))
        for rule in rules
        if rule.category.key == "social-media"
    )
    restrictions = Restriction.objects.bulk_create(
        Restriction(
            plan=plan,
            reason="Fictional: an unknown adult keeps messaging them.",
            starts_at=NOW - timedelta(hours=2),
            ends_at=NOW + timedelta(hours=3),
            imposed_by=case_manager,
        )
        for plan in plans
    )
    Restriction.categories.through.objects.bulk_create(
        Restriction.categories.through(
            restriction=restriction, category=categories["online-gaming"]
        )
        for restriction in restrictions
    )
    devices = Device.objects.bulk_create(
        Device(name=f"Laptop {number} (TEST)", category=categories["shelter-computers"])
        for number in range(count)
    )
    sessions = []
    for person, device in zip(youth, devices, strict=True):
        sessions += [
            DeviceSession(
                youth=person,
                category=categories["shelter-computers"],
                device=device,
                checked_out_at=NOW - timedelta(minutes=45),
                checked_out_by=case_manager,
            ),
            DeviceSession(
                youth=person,
                category=categories["shelter-computers"],
                device=device,
                checked_out_at=NOW - timedelta(hours=3),
                checked_in_at=NOW - timedelta(hours=2, minutes=30),
                checked_out_by=case_manager,
            ),
            DeviceSession(
                youth=person,
                category=categories["phone-possession"],
                checked_out_at=NOW - timedelta(hours=20),
                checked_in_at=NOW - timedelta(hours=19),
                checked_out_by=case_manager,
            ),
        ]
    DeviceSession.objects.bulk_create(sessions)
    granted = AccessRequest.objects.bulk_create(
        AccessRequest(
            youth=person,
            kind=RequestKind.UNTIL,
            reason="Fictional: a school project.",
            asked_until=NOW + timedelta(hours=2),
            requested_by=case_manager,
            status=RequestStatus.GRANTED,
            decided_by=case_manager,
            decided_at=NOW,
            granted_from=NOW - timedelta(minutes=10),
            granted_until=NOW + timedelta(hours=2),
        )
        for person in youth
    )
    AccessRequest.categories.through.objects.bulk_create(
        AccessRequest.categories.through(accessrequest=request, category=categories["messaging"])
        for request in granted
    )
    return youth


@pytest.mark.parametrize("count", [5, 500])
def test_the_board_data_takes_a_fixed_number_of_queries_for_any_number_of_youth(
    case_manager: User, count: int, django_assert_num_queries
) -> None:
    house(case_manager, count)
    youth_qs = Youth.objects.visible_to(case_manager).current(NOW)

    # 1 youth with plan, unit and case manager, 2 rules with categories, 3 windows,
    # 4 restrictions counting from now on, 5 their categories, 6 today's and open
    # device sessions with device, category and staff, 7 granted exceptions not
    # yet over, 8 their categories.
    with django_assert_num_queries(8):
        board = house_access(youth_qs, NOW)
        # Everything a board row reads is already fetched.
        for row in board:
            _ = [(item.label, item.usage_label, item.warnings) for item in row.categories]
            _ = [(s.what, s.checked_out_by.get_full_name()) for s in row.open_sessions]
            _ = [e.desk_categories for e in row.exceptions]
            _ = (row.youth.case_manager, row.youth.unit, row.youth.plan.risk_level)

    assert len(board) == count


def test_each_youth_gets_minutes_used_restrictions_exceptions_and_devices_out(
    case_manager: User,
) -> None:
    [person] = house(case_manager, 1)

    [row] = house_access(Youth.objects.all(), NOW)

    assert row.youth == person
    social = row.category("social-media")
    gaming = row.category("online-gaming")
    messaging = row.category("messaging")
    computers = row.category("shelter-computers")
    phone = row.category("phone-possession")
    assert social is not None and gaming is not None and messaging is not None
    assert computers is not None and phone is not None
    assert (social.state, social.minutes_used, social.minutes_left) == (State.IN_WINDOW, 0, 60)
    assert (gaming.state, gaming.until) == (State.RESTRICTED, NOW + timedelta(hours=3))
    assert gaming.reason == "Fictional: an unknown adult keeps messaging them."
    assert messaging.exception_until == NOW + timedelta(hours=2)
    # 45 minutes out now plus 30 earlier today; last night's phone is yesterday.
    assert computers.minutes_used == 75
    assert phone.minutes_used == 0
    assert [session.what for session in row.open_sessions] == ["Laptop 0 (TEST)"]
    assert [request.kind for request in row.exceptions] == [RequestKind.UNTIL]
    assert "Online gaming" not in row.online_now
    assert row.restricted_now


def test_the_board_keeps_the_order_and_the_narrowing_of_the_youth_it_is_given(
    case_manager: User, other_case_manager: User
) -> None:
    mine = house(case_manager, 3)
    Youth.objects.filter(pk=mine[1].pk).update(case_manager=other_case_manager)

    board = house_access(Youth.objects.visible_to(case_manager).order_by("-client_id"), NOW)

    assert [row.youth.pk for row in board] == [mine[2].pk, mine[0].pk]


def test_the_board_says_the_same_as_asking_about_one_youth(case_manager: User) -> None:
    house(case_manager, 3)
    later = NOW + timedelta(minutes=50)

    board = house_access(Youth.objects.all(), later)

    for row in board:
        assert row.categories == youth_access(row.youth, later).categories


def test_retired_categories_are_left_off_the_board(case_manager: User) -> None:
    house(case_manager, 1)
    Category.objects.filter(key="online-gaming").update(is_active=False)

    [row] = house_access(Youth.objects.all(), NOW)

    assert row.category("online-gaming") is None
    assert len(row.categories) == Category.objects.filter(is_active=True).count()
