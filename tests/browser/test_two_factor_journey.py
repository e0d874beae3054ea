"""Two-step sign-in in the browser: a supervisor sets up an authenticator app from the
QR page (typing the key shown, as a phone would read it), keeps the backup codes, and
signs in again with a code."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from playwright.sync_api import Page, expect

from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, sign_out, watch_csp
from tests.builders import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_for(key: str) -> str:
    """What an authenticator app shows now for the key typed in by hand."""
    secret = b32decode(key.replace(" ", ""))
    return f"{hotp(secret, int(time.time()) // 30):06d}"


def test_a_supervisor_sets_up_two_step_sign_in_and_signs_in_with_a_code(
    page: Page, live_server, supervisor: User
) -> None:
    blocked = watch_csp(page)
    base = live_server.url
    page.goto(f"{base}/youth/")
    page.get_by_label("Username").fill(supervisor.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    # Nothing else is reachable yet: no menu of other pages.
    expect(page.get_by_role("link", name="Youth")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Start").click()

    qr = page.get_by_role("img", name="QR code for adding this account")
    expect(qr).to_be_visible()
    # The image really loads (served by our own view, allowed by the CSP's img-src 'self').
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    key = page.get_by_test_id("manual-key").inner_text()
    assert_accessible(page)
    screenshot(page, "two-step-set-up")

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_text("That code did not work")).to_be_visible()
    # django-otp's throttle: the first retry may come after one second.
    time.sleep(1.1)
    page.get_by_label("Code").fill(_code_for(key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    expect(page.get_by_text("Print these codes or write them down now")).to_be_visible()
    codes = page.get_by_test_id("backup-codes").get_by_role("listitem").all_inner_texts()
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert {code.replace(" ", "") for code in codes} == stored
    assert len(stored) == 10
    assert_accessible(page)
    screenshot(page, "two-step-backup-codes")
    page.get_by_role("link", name="I have saved my codes: continue").click()
    page.wait_for_url(f"{base}/youth/")

    sign_out(page)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_label("Username").fill(supervisor.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "two-step-verify")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_text("You used a backup code; 9 left")).to_be_visible()
    assert blocked == []


def test_the_sign_in_helper_passes_the_code_step_twice_in_a_row(
    page: Page, live_server, administrator: User
) -> None:
    # Codes are single-use: a second sign-in within 30 seconds needs the next code.
    for _ in range(2):
        sign_in(page, live_server.url, administrator)
        expect(page.get_by_test_id("signed-in-as")).to_contain_text("Administrator")
        page.context.clear_cookies()
