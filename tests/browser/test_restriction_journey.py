"""A long restriction from the case manager's form to a supervisor's approval,
and a restriction that ended: the youth page shows the usual rule again."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from plans.models import AccessRule, Approval, Category, Restriction, Youth
from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp
from tests.builders import make_restriction, make_youth

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Fictional: an adult they met online offered them a place to stay."


# Transactional tests empty every table afterwards, the migration's categories too.
CATEGORIES = [("social-media", "Social media"), ("messaging", "Messaging")]


@pytest.fixture
def youth(case_manager: User) -> Youth:
    youth = make_youth(case_manager, preferred_name="Jordan Demo")
    for position, (key, name) in enumerate(CATEGORIES):
        category, _ = Category.objects.get_or_create(
            key=key, defaults={"name": name, "position": position}
        )
        AccessRule.objects.create(plan=youth.plan, category=category)
    return youth


def open_menu_item(page: Page, name: str) -> None:
    menu = page.get_by_role("button", name="Show or hide the menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_a_long_restriction_takes_effect_once_a_supervisor_approves_it(
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server,
    case_manager: User,
    supervisor: User,
    youth: Youth,
) -> None:
    youth_url = f"{live_server.url}/youth/{youth.pk}/"
    blocked = watch_csp(page)
    sign_in(page, live_server.url, case_manager)
    page.goto(youth_url)
    page.get_by_role("link", name="Restrict access for a while").click()
    expect(page.get_by_role("heading", name="Restrict access for a while")).to_be_visible()
    expect(page.get_by_test_id("approval-hint")).to_contain_text("needs a supervisor's approval")
    assert_accessible(page)

    page.get_by_label("Social media").check()
    page.get_by_label("Not use them at all (no access)").check()
    page.get_by_label("Why: the danger or higher risk now").fill(REASON)
    # Prefilled with now, in agency time. (crispy's "*" on required labels.)
    start = page.get_by_label("Start*").input_value()
    end = (datetime.fromisoformat(start) + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("End*").fill(end)
    expect(page.locator("#restriction-length")).to_contain_text("will need a supervisor's approval")
    screenshot(page, "restriction-new")
    page.get_by_role("button", name="Save restriction").click()

    expect(page.get_by_text("waits for a supervisor's approval")).to_be_visible()
    restriction = Restriction.objects.get()
    assert restriction.approval == Approval.PENDING
    card = page.get_by_test_id(f"restriction-{restriction.pk}")
    expect(card.get_by_test_id("restriction-status")).to_contain_text(
        "Waiting for a supervisor's approval"
    )
    # Not in force while it waits: the usual rule (free use) still shows.
    expect(page.get_by_test_id("access-social-media")).to_contain_text("Open")
    assert_accessible(page)
    screenshot(page, "restriction-pending-youth-page")

    supervisor_context = browser.new_context(**browser_context_args)
    other = supervisor_context.new_page()
    other.set_default_timeout(10_000)
    other_blocked = watch_csp(other)
    sign_in(other, live_server.url, supervisor)
    expect(other.get_by_test_id("home-restrictions-waiting")).to_contain_text(
        "Restrictions waiting for your approval (1)"
    )
    open_menu_item(other, "Approvals")
    expect(other.get_by_role("heading", name="Restrictions waiting for approval")).to_be_visible()
    queue_card = other.get_by_test_id(f"restriction-{restriction.pk}")
    expect(queue_card).to_contain_text(REASON)
    assert_accessible(other)
    screenshot(other, "restriction-queue")
    queue_card.get_by_label("Note for the case manager").fill("Agreed; review on Friday.")
    queue_card.get_by_role("button", name="Approve").click()
    expect(other.get_by_text("Restriction approved")).to_be_visible()
    expect(other.get_by_test_id("queue-empty")).to_be_visible()

    other.goto(youth_url)
    row = other.get_by_test_id("access-social-media")
    expect(row).to_contain_text("Restricted")
    expect(row).to_contain_text("Restricted until")
    expect(row).to_contain_text(REASON)
    expect(other.get_by_test_id("access-messaging")).to_contain_text("Open")
    expect(
        other.get_by_test_id(f"restriction-{restriction.pk}").get_by_test_id("restriction-status")
    ).to_contain_text(f"approved by {supervisor}")
    assert_accessible(other)
    screenshot(other, "restriction-approved-youth-page")
    supervisor_context.close()
    # Every page worked under the site's Content-Security-Policy.
    assert (blocked, other_blocked) == ([], [])


def test_after_a_restriction_ends_the_youth_page_shows_the_usual_rule_again(
    page: Page, live_server, case_manager: User, youth: Youth
) -> None:
    now = timezone.now()
    make_restriction(
        youth,
        case_manager,
        categories=["social-media"],
        starts_at=now - timedelta(days=1),
        ends_at=now - timedelta(minutes=1),
        reason=REASON,
    )
    blocked = watch_csp(page)
    sign_in(page, live_server.url, case_manager)
    page.goto(f"{live_server.url}/youth/{youth.pk}/")
    row = page.get_by_test_id("access-social-media")
    expect(row).to_contain_text("Open")
    expect(row).not_to_contain_text("Restricted")
    expect(page.get_by_text("No restriction now or coming up")).to_be_visible()
    page.get_by_text("Past restrictions (1)").click()
    expect(page.get_by_text(REASON)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "restriction-ended-youth-page")
    assert blocked == []
