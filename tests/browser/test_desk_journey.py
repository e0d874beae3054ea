"""At the front desk: a case manager records a youth's request for an extra hour,
grants it, sees "by exception until …" on the house board, then checks a shelter
computer out to the youth and back in. Every page accessible, under the CSP."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from desk.models import AccessRequest, Device, DeviceSession, RequestStatus
from plans.models import AccessRule, Category, Youth
from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp
from tests.builders import admit_youth, make_restriction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Fictional: my cousin is calling from far away tonight, it's her birthday."


@pytest.fixture
def youth(case_manager: User) -> Youth:
    # A transactional test empties every table afterwards, the data migration's
    # categories too: put them back (same code, idempotent).
    importlib.import_module("plans.migrations.0002_categories").add_categories(django_apps, None)
    youth = admit_youth(case_manager, preferred_name="Jordan Demo", client_id="TEST-0600")
    # Messaging: a window that is never now (it opens three hours from now).
    opens = timezone.localtime() + timedelta(hours=3)
    closes = opens + timedelta(hours=1)
    AccessRule.objects.get(plan=youth.plan, category__key="messaging").windows.create(
        weekdays=0b1111111, start_time=opens.time(), end_time=closes.time()
    )
    Device.objects.create(
        name="Shelter PC 1", kind="computer", category=Category.objects.get(key="shelter-computers")
    )
    return youth


def open_menu_item(page: Page, name: str) -> None:
    menu = page.get_by_role("button", name="Show or hide the menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_a_request_is_granted_shows_on_the_board_and_a_computer_goes_out_and_back(
    page: Page, live_server, case_manager: User, youth: Youth
) -> None:
    blocked = watch_csp(page)
    sign_in(page, live_server.url, case_manager)
    board_row = page.get_by_test_id(f"board-youth-{youth.pk}")
    messaging = page.get_by_test_id(f"board-{youth.pk}-messaging")

    # The board first: messaging is closed now.
    open_menu_item(page, "House board")
    expect(page.get_by_role("heading", name="House board")).to_be_visible()
    expect(messaging).to_contain_text("Closed")
    expect(page.get_by_test_id(f"board-online-{youth.pk}")).to_contain_text("Yes")
    # Nothing scrolls sideways: a table on the desk's screen, stacked cards on a phone.
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.querySelector('#board .table-responsive').scrollWidth") <= width
    assert_accessible(page)

    # Record the youth's request, in their words, from the board.
    board_row.get_by_role("link", name="Record a request").click()
    expect(page.get_by_role("heading", name="Record a request")).to_be_visible()
    page.get_by_label("Allowed until a time tonight").check()
    # Only the fields this kind needs are shown.
    expect(page.get_by_label("Extra minutes asked for")).to_be_hidden()
    expect(page.get_by_label("From", exact=True)).to_be_hidden()
    page.get_by_label("Messaging").check()
    page.get_by_label("Their reason, in their own words").fill(REASON)
    until = timezone.localtime() + timedelta(hours=2)
    page.get_by_label("Until", exact=True).fill(f"{until:%Y-%m-%dT%H:%M}")
    assert_accessible(page)
    screenshot(page, "desk-request-new")
    page.get_by_role("button", name="Record the request").click()

    # The queue: waiting first; grant one hour.
    expect(page.get_by_text("Request recorded: it waits for a decision.")).to_be_visible()
    request = AccessRequest.objects.get()
    card = page.get_by_test_id(f"request-{request.pk}")
    expect(card).to_contain_text(REASON)
    assert_accessible(page)
    screenshot(page, "desk-request-queue")
    card.get_by_role("button", name="Grant 1 hour").click()
    expect(page.get_by_text("Request granted, until")).to_be_visible()
    request.refresh_from_db()
    assert request.status == RequestStatus.GRANTED

    # The board says so, in words.
    open_menu_item(page, "House board")
    until_text = f"Open by exception, until {timezone.localtime(request.granted_until):%H:%M}"
    expect(messaging).to_contain_text(until_text)
    expect(messaging).to_contain_text("By exception")
    assert_accessible(page)
    screenshot(page, "desk-board-exception")

    # Check out a shelter computer: two clicks.
    board_row.get_by_role("link", name="Check out").click()
    expect(page.get_by_role("heading", name="Check out a device")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "desk-check-out")
    page.get_by_label("Shelter PC 1", exact=False).check()
    # Free use of shelter computers: no reason asked for, none shown.
    expect(page.get_by_label("Why go against the plan")).to_be_hidden()
    page.get_by_role("button", name="Check out", exact=True).click()
    expect(page.get_by_text("Checked out: Shelter PC 1.")).to_be_visible()
    session = DeviceSession.objects.get()
    expect(page.get_by_test_id(f"board-session-{session.pk}")).to_contain_text(
        "Out: Shelter PC 1 since"
    )
    assert_accessible(page)

    # …and back in with one button.
    page.get_by_test_id(f"board-session-{session.pk}").get_by_role(
        "button", name="Check in"
    ).click()
    expect(page.get_by_text("Checked in: shelter pc 1.")).to_be_visible()
    expect(page.get_by_test_id(f"board-session-{session.pk}")).to_have_count(0)
    session.refresh_from_db()
    assert session.checked_in_by == case_manager

    page.get_by_role("link", name="Device log").click()
    expect(page.get_by_test_id(f"log-session-{session.pk}")).to_contain_text("Followed the plan")
    assert_accessible(page)
    screenshot(page, "desk-device-log")
    assert blocked == []


def test_checking_out_against_the_plan_asks_for_the_reason_the_case_manager_sees(
    page: Page, live_server, case_manager: User, youth: Youth
) -> None:
    make_restriction(youth, case_manager, categories=["shelter-computers"])
    blocked = watch_csp(page)
    sign_in(page, live_server.url, case_manager)
    page.goto(f"{live_server.url}/desk/youth/{youth.pk}/check-out/")
    expect(page.get_by_test_id("check-out-plan")).to_contain_text("goes against the plan")
    page.get_by_label("Shelter PC 1", exact=False).check()
    reason = page.get_by_label("Why go against the plan")
    expect(reason).to_be_visible()
    page.get_by_role("button", name="Check out", exact=True).click()
    expect(page.get_by_text("Shelter computers is not allowed right now")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "desk-check-out-refused")
    page.get_by_label("Shelter PC 1", exact=False).check()
    page.get_by_label("Why go against the plan").fill("Fictional: a school form due tonight.")
    page.get_by_role("button", name="Check out", exact=True).click()
    expect(page.get_by_text("Checked out: Shelter PC 1.")).to_be_visible()

    page.goto(f"{live_server.url}/youth/{youth.pk}/")
    expect(page.get_by_test_id("desk-overrides")).to_contain_text(
        "Why: Fictional: a school form due tonight."
    )
    assert_accessible(page)
    assert blocked == []


def test_the_board_refreshes_its_rows_in_place_and_reloads_once_signed_out(
    page: Page, live_server, case_manager: User, youth: Youth
) -> None:
    blocked = watch_csp(page)
    sign_in(page, live_server.url, case_manager)
    page.goto(f"{live_server.url}/desk/")
    expect(page.get_by_test_id(f"board-youth-{youth.pk}")).to_be_visible()
    newcomer = admit_youth(case_manager, preferred_name="Riley Demo", client_id="TEST-0601")

    # What the every-minute trigger does, without waiting a minute.
    refresh = """() => htmx.ajax("GET", document.getElementById("board").getAttribute("hx-get"),
                                {source: "#board", target: "#board"})"""
    page.evaluate(refresh)
    expect(page.get_by_test_id(f"board-youth-{newcomer.pk}")).to_be_visible()
    expect(page.get_by_role("heading", name="House board")).to_have_count(1)

    # Signed out meanwhile (elsewhere): the refresh reloads the page to the sign-in
    # form instead of showing it inside the board.
    page.context.clear_cookies()
    page.evaluate(refresh)
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    expect(page.get_by_label("Username")).to_be_visible()
    assert blocked == []
