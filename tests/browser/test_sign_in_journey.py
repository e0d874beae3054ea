import pytest
from playwright.sync_api import Page, expect

from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_manager_signs_in_sees_their_home_and_signs_out(
    page: Page, live_server, case_manager: User
) -> None:
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "sign-in")

    sign_in(page, live_server.url, case_manager)
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("Case manager")
    assert_accessible(page)
    screenshot(page, "home-case-manager")

    sign_out(page)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_password_shows_a_generic_message(
    page: Page, live_server, case_manager: User
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(case_manager.username)
    page.get_by_label("Password").fill("not-the-password-at-all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    assert_accessible(page)


def test_the_stylesheet_is_served_locally(page: Page, live_server, case_manager: User) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/")
    assert all(url.startswith(live_server.url) for url in requests), requests
    # Bootstrap really loaded: the primary button has Bootstrap's padding, not the browser default.
    padding = page.get_by_role("button", name="Sign in").evaluate(
        "b => getComputedStyle(b).paddingLeft"
    )
    assert padding == "12px"
