"""Browser tests: Debian's Chromium driven by Playwright against live_server.

Playwright's sync API runs an event loop in the test thread; Django would then
refuse ORM calls made by the fixtures, hence DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from shelter.models import User
from shelter.twofactor import authenticator_for, second_factor_required
from tests.builders import TEST_PASSWORD, make_authenticator, totp_code

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(
    params=[{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def browser_context_args(
    browser_context_args: dict[str, Any], request: pytest.FixtureRequest
) -> dict[str, Any]:
    return {**browser_context_args, "viewport": request.param}


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    page.set_default_timeout(10_000)
    yield page


def watch_csp(page: Page) -> list[str]:
    """Collect the Content-Security-Policy violations a page reports in its console;
    a journey asserts the list is still empty at its end."""
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return blocked


def sign_in(page: Page, base_url: str, user: User) -> None:
    """Sign in with the password, then with a code from the user's authenticator app when
    they have one (supervisors and administrators must: they get one if they have none)."""
    device = authenticator_for(user)
    if device is None and second_factor_required(user):
        device = make_authenticator(user)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        page.wait_for_url(f"{base_url}/accounts/two-step/verify/**")
        page.get_by_label("Code").fill(totp_code(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base_url}/")


def sign_out(page: Page) -> None:
    """Through the menu (folded behind its button on a phone) and the account's own menu."""
    menu = page.get_by_role("button", name="Show or hide the menu")
    if menu.is_visible():
        menu.click()
    page.get_by_test_id("signed-in-as").click()
    page.get_by_role("button", name="Sign out").click()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}px.png"), full_page=True)


def assert_accessible(page: Page) -> None:
    """axe-core on the current page: no serious or critical violation."""
    # Evaluated through Playwright's debugging channel, not added as a <script> tag: the
    # Content-Security-Policy refuses inline scripts, and rightly so.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not bad, "\n".join(bad)
