"""A case manager finds a youth, adds an overnight window and a daily limit to
the plan (after a field error), and sees the rules on the youth's page."""

import importlib

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from plans.models import Youth
from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.builders import admit_youth

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def categories() -> None:
    """A transactional test empties every table after it runs, the data
    migration's categories included: put them back (same code, idempotent)."""
    migration = importlib.import_module("plans.migrations.0002_categories")
    migration.add_categories(django_apps, None)


@pytest.fixture
def youth(case_manager: User, categories: None) -> Youth:
    admit_youth(case_manager, preferred_name="Kai Test", client_id="TEST-0301")
    return admit_youth(case_manager, preferred_name="Jordan Test", client_id="TEST-0300")


def _open_menu_item(page: Page, name: str) -> None:
    menu = page.get_by_role("button", name="Show or hide the menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_a_case_manager_adds_an_overnight_window_and_a_daily_limit(
    page: Page, live_server, case_manager: User, youth: Youth
) -> None:
    sign_in(page, live_server.url, case_manager)

    # Find the youth: the search text is posted, never put in the address.
    _open_menu_item(page, "Youth")
    expect(page.get_by_role("heading", name="Youth", exact=True)).to_be_visible()
    page.get_by_label("Name or client ID").fill("jordan")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("Showing youth matching “jordan”.")).to_be_visible()
    assert "jordan" not in page.url.lower()
    expect(page.get_by_role("link", name="Kai Test")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "plan-journey-youth-list")
    page.get_by_role("link", name="Jordan Test").click()

    expect(page.get_by_role("heading", name="Jordan Test")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Edit plan and rules").click()

    # The plan edit page: a daily limit and a window with no weekday first.
    expect(page.get_by_role("heading", name="Plan of Jordan Test")).to_be_visible()
    assert_accessible(page)
    social = page.get_by_role("group", name="Social media", exact=True)
    expect(social).to_be_visible()
    social.get_by_label("Daily limit (minutes)").fill("60")
    # "Add another time window" adds a row and moves the focus to it; a row
    # left blank is simply no window.
    page.get_by_role("button", name="Add another time window").click()
    added = page.get_by_role("group", name="Time window 2", exact=True)
    expect(added.get_by_label("Category")).to_be_focused()
    window = page.get_by_role("group", name="Time window 1", exact=True)
    window.get_by_label("Category").select_option(label="Social media")
    window.get_by_label("Start").fill("20:00")
    window.get_by_label("End").fill("01:00")
    page.get_by_role("button", name="Save plan").click()

    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    window = page.get_by_role("group", name="Time window 1", exact=True)
    expect(window.get_by_text("Choose at least one day of the week.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "plan-journey-window-error")

    # Fix it with the keyboard only: Tab from the category to Friday, Space to
    # tick it, then Tab on to the Save button and Enter.
    window.get_by_label("Category").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
    expect(window.get_by_label("Friday")).to_be_focused()
    page.keyboard.press("Space")
    expect(window.get_by_label("Friday")).to_be_checked()
    save = page.get_by_role("button", name="Save plan")
    for _ in range(30):
        if save.evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")

    # The youth page shows the rules in plain words.
    expect(page.get_by_text("Plan saved.")).to_be_visible()
    expect(page.get_by_test_id("rules")).to_contain_text(
        "Social media: Fri 20:00–01:00, 60 min a day"
    )
    assert_accessible(page)
    screenshot(page, "plan-journey-youth-page")
