"""The house board and its every-minute refresh: plain-words states, who sees
whom, filters by unit and case manager, and a fixed number of queries."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from desk.models import AccessRequest, Device, DeviceSession, RequestKind, RequestStatus
from desk.views import board_context
from plans.models import AccessRule, Category, Plan, Unit, Youth
from shelter.models import User
from tests.builders import admit_youth, make_restriction

pytestmark = pytest.mark.django_db

BOARD = reverse("desk:board")
ROWS = reverse("desk:board-rows")
ZONE = ZoneInfo("America/New_York")
# A Tuesday, 18:50 in the agency's zone.
NOW = datetime(2026, 12, 1, 18, 50, tzinfo=ZONE)
EVERY_DAY = 0b1111111


def _names(response) -> list[str]:
    return [row.youth.preferred_name for row in response.context["rows"]]


def _rule(youth: Youth, key: str, **fields) -> AccessRule:
    rule = AccessRule.objects.get(plan=youth.plan, category__key=key)
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule


def _board_at(user: User, now: datetime, **params) -> dict:
    request = RequestFactory().get(BOARD, params)
    request.user = user
    return board_context(request, now)


def _cells(context: dict, youth: Youth) -> dict[str, str]:
    """Each category's cell in words, as the page writes them (badge, details, extras)."""
    [row] = [row for row in context["rows"] if row.youth.pk == youth.pk]
    found = {}
    for cell in row.cells:
        extras = []
        if cell.access is not None:
            if cell.exception_note:
                extras.append(cell.exception_note)
            if cell.reason:
                extras.append(f"why: {cell.reason}")
            if cell.access.usage_label:
                extras.append(cell.access.usage_label)
            extras.extend(cell.access.warnings)
        found[cell.category.key] = " | ".join(filter(None, [cell.words, cell.details, *extras]))
    return found


def test_each_category_says_its_state_in_words_with_minutes_warnings_and_exceptions(
    case_manager: User, supervisor: User
) -> None:
    youth = admit_youth(case_manager, preferred_name="Board Test")
    _rule(youth, "social-media").windows.create(
        weekdays=EVERY_DAY, start_time=time(16), end_time=time(19)
    )
    _rule(youth, "online-gaming").windows.create(
        weekdays=EVERY_DAY, start_time=time(20), end_time=time(22)
    )
    _rule(youth, "web-browsing", daily_limit_minutes=30)
    _rule(youth, "video-streaming", daily_limit_minutes=60)
    _rule(youth, "shelter-computers", supervised=True)
    make_restriction(
        youth,
        case_manager,
        categories=["messaging"],
        starts_at=NOW - timedelta(hours=2),
        ends_at=NOW + timedelta(days=1),
        imposed_at=NOW - timedelta(hours=2),
        reason="Fictional: an adult asked them to meet.",
    )
    browsing = Category.objects.get(key="web-browsing")
    video = Category.objects.get(key="video-streaming")
    # Browsing: 30 of 30 minutes used. Video: 55 of 60, and still out.
    DeviceSession.objects.create(
        youth=youth,
        category=browsing,
        checked_out_at=NOW - timedelta(hours=3),
        checked_out_by=case_manager,
        checked_in_at=NOW - timedelta(hours=2, minutes=30),
        checked_in_by=case_manager,
    )
    DeviceSession.objects.create(
        youth=youth,
        category=video,
        device=Device.objects.create(name="Tablet 1", kind="tablet", category=video),
        checked_out_at=NOW - timedelta(minutes=55),
        checked_out_by=case_manager,
    )
    # Gaming opens at 20:00; a granted hour opens it now.
    granted = AccessRequest.objects.create(
        youth=youth,
        kind=RequestKind.WINDOW,
        reason="Fictional: a game night with my cousin.",
        requested_by=case_manager,
        requested_at=NOW - timedelta(minutes=5),
        status=RequestStatus.GRANTED,
        decided_by=case_manager,
        decided_at=NOW - timedelta(minutes=1),
        granted_from=NOW - timedelta(minutes=1),
        granted_until=NOW + timedelta(minutes=59),
    )
    granted.categories.set([Category.objects.get(key="online-gaming")])

    cells = _cells(_board_at(supervisor, NOW), youth)

    assert cells["social-media"] == "Open | Open until 19:00 | Closes soon, at 19:00"
    assert cells["messaging"] == (
        "Restricted | Restricted until Wed 18:50 | why: Fictional: an adult asked them to meet."
    )
    assert cells["online-gaming"] == "By exception | Open by exception, until 19:49"
    assert cells["web-browsing"] == (
        "Limit reached | Limit reached — opens midnight | 30 of 30 minutes used today"
    )
    assert cells["video-streaming"] == (
        "Open | 55 of 60 minutes used today | Limit near: 5 minutes left today"
    )
    assert cells["shelter-computers"] == "Supervised | Supervised only"
    assert cells["phone-possession"] == "Open"


def test_an_exception_that_extends_an_open_window_is_still_named(
    case_manager: User, supervisor: User
) -> None:
    youth = admit_youth(case_manager)
    _rule(youth, "social-media").windows.create(
        weekdays=EVERY_DAY, start_time=time(16), end_time=time(19)
    )
    granted = AccessRequest.objects.create(
        youth=youth,
        kind=RequestKind.UNTIL,
        reason="Fictional: a school group chat about tomorrow's project.",
        requested_by=case_manager,
        status=RequestStatus.GRANTED,
        granted_from=NOW - timedelta(minutes=1),
        granted_until=NOW + timedelta(minutes=70),
    )
    granted.categories.set([Category.objects.get(key="social-media")])

    cells = _cells(_board_at(supervisor, NOW), youth)

    # Still inside its window: the exception keeps it open past 19:00, and says so.
    assert cells["social-media"] == "Open | Open until 20:00 | By exception until 20:00"


def test_online_now_says_yes_supervised_only_or_no_with_the_next_opening(
    case_manager: User, supervisor: User
) -> None:
    free = admit_youth(case_manager, preferred_name="Free Test", client_id="TEST-0001")
    watched = admit_youth(case_manager, preferred_name="Watched Test", client_id="TEST-0002")
    closed = admit_youth(case_manager, preferred_name="Closed Test", client_id="TEST-0003")
    AccessRule.objects.filter(plan__youth=watched).update(supervised=True)
    for rule in AccessRule.objects.filter(plan__youth=closed):
        rule.windows.create(weekdays=EVERY_DAY, start_time=time(20), end_time=time(21))

    rows = {row.youth.pk: row for row in _board_at(supervisor, NOW)["rows"]}

    assert (rows[free.pk].online_words, rows[free.pk].online_details) == (
        "Yes",
        "7 of 7 categories",
    )
    assert rows[watched.pk].online_words == "Supervised only"
    assert (rows[closed.pk].online_words, rows[closed.pk].online_details) == (
        "No",
        "Next: Social media, 20:00",
    )


def test_a_restrictions_reason_is_shown_to_the_youths_editors_only(
    case_manager: User, administrator: User
) -> None:
    youth = admit_youth(case_manager)
    make_restriction(
        youth,
        case_manager,
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW + timedelta(hours=5),
        imposed_at=NOW - timedelta(hours=1),
        reason="Fictional: a stranger offered a ride.",
    )
    assert "why: Fictional" in _cells(_board_at(case_manager, NOW), youth)["social-media"]
    read_only = _board_at(administrator, NOW)
    assert _cells(read_only, youth)["social-media"] == "Restricted | Restricted until 23:50"
    assert read_only["read_only"] is True


def test_a_case_manager_sees_only_their_current_caseload(
    cm_client: Client, case_manager: User, other_case_manager: User
) -> None:
    admit_youth(case_manager, preferred_name="Mine Test", client_id="TEST-0001")
    admit_youth(
        case_manager,
        preferred_name="Gone Test",
        client_id="TEST-0002",
        admitted_on=date(2026, 1, 1),
    )
    Youth.objects.filter(client_id="TEST-0002").update(discharged_on=date(2026, 2, 1))
    admit_youth(other_case_manager, preferred_name="Theirs Test", client_id="TEST-0003")

    for url in (BOARD, ROWS):
        response = cm_client.get(url)
        assert response.status_code == 200
        assert _names(response) == ["Mine Test"]
        assert "Theirs Test" not in response.content.decode()


def test_the_refresh_returns_only_the_rows_the_user_may_see_with_the_same_filters(
    supervisor_client: Client,
    cm_client: Client,
    case_manager: User,
    other_case_manager: User,
) -> None:
    north = Unit.objects.create(name="North house")
    admit_youth(case_manager, preferred_name="North Test", client_id="TEST-0001")
    Youth.objects.filter(client_id="TEST-0001").update(unit=north)
    admit_youth(case_manager, preferred_name="South Test", client_id="TEST-0002")
    admit_youth(other_case_manager, preferred_name="Theirs Test", client_id="TEST-0003")

    page = supervisor_client.get(BOARD, {"unit": north.pk})
    # The page asks for its rows with the same filters, every minute.
    assert page.context["rows_url"] == f"{ROWS}?unit={north.pk}&page=1"
    content = page.content.decode()
    assert 'hx-trigger="every 60s"' in content
    assert f'hx-get="{ROWS}?unit={north.pk}&amp;page=1"' in content

    rows = supervisor_client.get(ROWS, {"unit": north.pk})
    assert _names(rows) == ["North Test"]
    assert b"<html" not in rows.content  # only the rows, not a page

    # A filter never widens access: another caseload's case manager id gives nothing.
    theirs = cm_client.get(ROWS, {"case_manager": other_case_manager.pk})
    assert _names(theirs) == ["North Test", "South Test"]  # the filter is not theirs to use
    assert "Theirs Test" not in theirs.content.decode()


def test_the_board_filters_by_case_manager_for_supervisors(
    supervisor_client: Client, case_manager: User, other_case_manager: User
) -> None:
    admit_youth(case_manager, preferred_name="Mine Test", client_id="TEST-0001")
    admit_youth(other_case_manager, preferred_name="Theirs Test", client_id="TEST-0002")
    assert _names(supervisor_client.get(BOARD)) == ["Mine Test", "Theirs Test"]
    filtered = supervisor_client.get(BOARD, {"case_manager": other_case_manager.pk})
    assert _names(filtered) == ["Theirs Test"]


def test_an_unknown_filter_value_is_ignored_with_a_message_not_an_error(
    supervisor_client: Client, case_manager: User
) -> None:
    admit_youth(case_manager, preferred_name="Mine Test")
    response = supervisor_client.get(BOARD, {"unit": "9999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["rows_url"] == f"{ROWS}?page=1"


def test_administrators_see_the_board_without_check_out_or_request_buttons(
    admin_client_: Client, cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    check_out = reverse("desk:check-out", args=[youth.pk])
    assert check_out not in admin_client_.get(BOARD).content.decode()
    assert check_out in cm_client.get(BOARD).content.decode()


def test_an_open_session_shows_on_the_board_with_a_check_in_button(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    session = DeviceSession.objects.create(
        youth=youth,
        category=Category.objects.get(key="phone-possession"),
        checked_out_by=case_manager,
    )
    content = cm_client.get(BOARD).content.decode()
    assert "Own phone since" in content
    assert reverse("desk:check-in", args=[session.pk]) in content


@pytest.mark.parametrize("url", [BOARD, ROWS])
def test_the_board_refuses_other_methods(cm_client: Client, url: str) -> None:
    assert cm_client.post(url).status_code == 405


def test_a_refresh_does_not_keep_an_idle_session_alive(
    cm_client: Client, case_manager: User, settings
) -> None:
    from shelter.middleware import LAST_SEEN_AT

    session = cm_client.session
    session[LAST_SEEN_AT] = session[LAST_SEEN_AT] - 120
    session.save()
    before = cm_client.session[LAST_SEEN_AT]
    assert cm_client.get(ROWS, headers={"X-Shelter-Poll": "1"}).status_code == 200
    assert cm_client.session[LAST_SEEN_AT] == before
    cm_client.get(ROWS)  # someone at the screen (a click) does
    assert cm_client.session[LAST_SEEN_AT] > before


# Query counts


def _bulk_youth(case_manager: User, count: int) -> list[Youth]:
    """Many youth with plans, a rule per category, a window, a session and an
    exception each (no history rows: these are only for counting)."""
    youth = Youth.objects.bulk_create(
        Youth(
            preferred_name=f"Bulk {number:04d}",
            client_id=f"BULK-{number:04d}",
            birth_year=2010,
            admitted_on=date(2026, 11, 1),
            case_manager=case_manager,
        )
        for number in range(count)
    )
    plans = Plan.objects.bulk_create(Plan(youth=item) for item in youth)
    categories = list(Category.objects.all())
    rules = AccessRule.objects.bulk_create(
        AccessRule(plan=plan, category=category, daily_limit_minutes=60)
        for plan in plans
        for category in categories
    )
    from plans.models import TimeWindow

    TimeWindow.objects.bulk_create(
        TimeWindow(rule=rule, weekdays=EVERY_DAY, start_time=time(8), end_time=time(1))
        for rule in rules
    )
    phone = Category.objects.get(key="phone-possession")
    DeviceSession.objects.bulk_create(
        DeviceSession(youth=item, category=phone, checked_out_by=case_manager) for item in youth
    )
    for item in youth[::50]:
        make_restriction(item, case_manager)
    return youth


@pytest.mark.parametrize("count", [5, 500])
@pytest.mark.parametrize(("url", "queries"), [(BOARD, 15), (ROWS, 13)])
def test_the_board_runs_a_fixed_number_of_queries(
    supervisor_client: Client,
    case_manager: User,
    count: int,
    url: str,
    queries: int,
    django_assert_num_queries,
) -> None:
    _bulk_youth(case_manager, count)
    Unit.objects.create(name="North house")
    # 1 session, 2 the signed-in user, 3 their authenticator (two-step), 4 their groups
    # (role), 5 count for the paginator, 6 the page of youth with plan, unit and case
    # manager, 7 rules with categories, 8 windows, 9 restrictions counting from now,
    # 10 their categories, 11 today's and open device sessions with device and staff,
    # 12 granted exceptions not yet over (none here, so their categories are not asked
    # for), 13 active categories for the columns; the board alone then renders its
    # filter: 14 units, 15 case managers.
    with django_assert_num_queries(queries):
        response = supervisor_client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count, 100)
