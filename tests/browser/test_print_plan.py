"""The youth's own printable plan in a real browser: reached from the youth page,
accessible, no menu or Print button on paper, and a full plan fits on two pages
of US Letter and of A4."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from shelter.models import User
from tests.browser.conftest import ARTIFACTS, assert_accessible, screenshot, sign_in, watch_csp
from tests.builders import make_full_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDFS = ARTIFACTS.parent / "pdf"


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF ("/Type /Page", not the "/Type /Pages" tree)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


def test_a_case_manager_prints_the_youth_s_plan_on_at_most_two_pages(
    page: Page, live_server, case_manager: User, browser_context_args: dict[str, Any]
) -> None:
    youth = make_full_plan(case_manager)
    width = browser_context_args["viewport"]["width"]
    blocked = watch_csp(page)
    sign_in(page, live_server.url, case_manager)
    page.goto(f"{live_server.url}/youth/{youth.pk}/")
    help_box = page.get_by_test_id("always-reachable")
    expect(help_box).to_contain_text("No restriction removes this help.")
    expect(help_box).to_contain_text("Aunt Rosa (fictional)")
    assert_accessible(page)
    screenshot(page, "youth-page-help")
    page.get_by_role("link", name="Print the youth's plan").click()

    expect(page.get_by_role("heading", name="Your technology plan")).to_be_visible()
    expect(page.get_by_test_id("print-rules")).to_contain_text(
        "You can use social media from 4 pm to 8 pm on school days"
    )
    expect(page.get_by_test_id("print-help")).to_contain_text("Call or text 988")
    tools = page.get_by_test_id("print-tools")
    print_button = page.get_by_role("button", name="Print")
    expect(tools).to_be_visible()
    expect(print_button).to_be_visible()
    expect(page.locator("header nav.navbar")).to_have_count(0)  # no site menu at all
    assert_accessible(page)
    screenshot(page, "plan-print-screen")

    # The button prints through the static script (the CSP allows no inline script).
    page.evaluate("window.print = () => { window.printAsked = true; }")
    print_button.click()
    assert page.evaluate("window.printAsked === true")

    page.emulate_media(media="print")
    expect(tools).to_be_hidden()
    expect(print_button).to_be_hidden()
    expect(page.get_by_test_id("print-signatures")).to_be_visible()
    screenshot(page, "plan-print-paper")

    PDFS.mkdir(parents=True, exist_ok=True)
    for paper in ("Letter", "A4"):
        path = PDFS / f"youth-plan-{paper.lower()}-{width}px.pdf"
        data = page.pdf(path=str(path), format=paper, print_background=True)
        assert 1 <= pdf_pages(data) <= 2, f"{paper}: {pdf_pages(data)} pages"
    assert blocked == []


def test_a_case_manager_adds_and_removes_someone_the_youth_can_always_reach(
    page: Page, live_server, case_manager: User
) -> None:
    youth = make_full_plan(case_manager)
    blocked = watch_csp(page)
    sign_in(page, live_server.url, case_manager)
    page.goto(f"{live_server.url}/youth/{youth.pk}/")
    page.get_by_role("link", name="Add someone they can always reach").click()
    expect(
        page.get_by_role("heading", name="Add someone Jordan Test can always reach")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add to their help").click()  # empty: refused
    expect(page.get_by_text("Write who or what this is.")).to_be_visible()
    page.get_by_label("Service").check()
    page.get_by_label("Who or what").fill("Drop-in centre (fictional)")
    page.get_by_label("How to reach").fill("Call 555-0166")
    screenshot(page, "help-contact-new")
    page.get_by_role("button", name="Add to their help").click()

    help_box = page.get_by_test_id("always-reachable")
    expect(page.get_by_text("Added to the help they can always reach.")).to_be_visible()
    expect(help_box).to_contain_text("Drop-in centre (fictional)")
    help_box.get_by_role("link", name="Remove Drop-in centre (fictional) from this list").click()
    expect(page.get_by_test_id("contact")).to_contain_text("Call 555-0166")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, remove them").click()
    expect(page.get_by_text("Removed from the help they can always reach.")).to_be_visible()
    expect(help_box).not_to_contain_text("Drop-in centre (fictional)")
    expect(help_box).to_contain_text("National Human Trafficking Hotline")
    assert blocked == []
