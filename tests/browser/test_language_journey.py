"""A staff member switches the pages to Spanish from the account menu, at desktop width
and at 390 px: the page says which language it is in, axe finds nothing serious, the
CSP blocks nothing; in Spanish the longest menu (an administrator's) still fits.

The Spanish words come from the merged catalogue (locale/es/LC_MESSAGES/django.mo)."""

import pytest
from playwright.sync_api import Page, expect

from shelter.models import Language, User
from shelter.services import staff_set_language
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_manager_switches_the_pages_to_spanish_from_the_account_menu(
    page: Page, live_server, case_manager: User
) -> None:
    blocked = watch_csp(page)
    sign_in(page, live_server.url, case_manager)

    if page.get_by_role("button", name="Show or hide the menu").is_visible():
        page.get_by_role("button", name="Show or hide the menu").click()
    page.get_by_test_id("signed-in-as").click()
    page.get_by_role("link", name="Language").click()
    assert_accessible(page)
    page.get_by_label("Español").check()
    page.get_by_role("button", name="Save language").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("status")).to_have_text("Idioma guardado.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Idioma")
    assert_accessible(page)
    case_manager.refresh_from_db()
    assert case_manager.language == Language.SPANISH
    screenshot(page, "language-spanish")
    assert blocked == []


def test_an_administrators_menu_still_fits_in_spanish(
    page: Page, live_server, administrator: User
) -> None:
    blocked = watch_csp(page)
    sign_in(page, live_server.url, administrator)  # the helper reads the English code step
    staff_set_language(user=administrator, language=Language.SPANISH)
    page.reload()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hola")
    # Nothing in the menu or on the page is wider than the screen; at 1280 px the menu
    # items stay on one line.
    wide = page.evaluate(
        "[...document.querySelectorAll('header *, main *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert wide == []
    if page.viewport_size and page.viewport_size["width"] >= 1200:
        tops = page.evaluate(
            "[...document.querySelectorAll('#main-nav > ul > li')]"
            ".map(e => Math.round(e.getBoundingClientRect().top))"
        )
        assert len(set(tops)) == 1, tops
    assert_accessible(page)
    screenshot(page, "home-administrator-spanish")
    assert blocked == []
