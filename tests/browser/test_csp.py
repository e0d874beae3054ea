"""The strict Content-Security-Policy breaks nothing: no violation, no console error."""

import pytest
from playwright.sync_api import ConsoleMessage, Page

from shelter.models import User
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script, through the browser's debugging channel (not an inline
# script, which the policy would itself refuse).
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.add_init_script(WATCH_VIOLATIONS)

    def on_console(message: ConsoleMessage) -> None:
        # Chromium asks for /favicon.ico on its own; the product has none (a 404, not a breach).
        if message.location.get("url", "").endswith("/favicon.ico"):
            return
        if message.type in {"error", "warning"}:
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def _violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_the_sign_in_page_runs_under_the_policy_without_a_violation(
    page: Page, live_server
) -> None:
    problems = _watch(page)
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert response is not None
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert _violations(page) == []
    assert problems == []


@pytest.mark.parametrize("persona", ["case_manager", "supervisor"])
def test_home_and_youth_pages_run_under_the_policy_without_a_violation(
    page: Page, live_server, request: pytest.FixtureRequest, persona: str
) -> None:
    user: User = request.getfixturevalue(persona)
    problems = _watch(page)
    sign_in(page, live_server.url, user)
    assert _violations(page) == []
    page.goto(f"{live_server.url}/youth/")
    # Open the menu if the page is narrow: Bootstrap's collapse sets styles through CSSOM,
    # which the policy allows.
    toggler = page.get_by_role("button", name="Show or hide the menu")
    if toggler.is_visible():
        toggler.click()
    assert _violations(page) == []
    assert problems == []
