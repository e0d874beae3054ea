"""Required training in a browser: an administrator has required a course on
technology and trafficking of every case manager; one case manager records it
(a date in the future is refused first), and a supervisor opens the missing and
overdue pages and sees who has not completed it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from library.models import RequiredTraining, Resource
from shelter.models import User
from shelter.roles import Role
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COURSE = "Fictional course: technology and trafficking"


@pytest.fixture
def required_training(administrator: User) -> RequiredTraining:
    """What an administrator makes in the admin: the course, required yearly."""
    course = Resource.objects.create(
        title=COURSE,
        summary="Fictional: how traffickers use apps and games, and how staff respond.",
        is_course=True,
        added_by=administrator,
    )
    return RequiredTraining.objects.create(
        resource=course, role=Role.CASE_MANAGER, renewal_months=12
    )


def _check(page: Page, name: str) -> None:
    # The page's content is no wider than the screen (390 px on a phone).
    assert page.locator("main").evaluate("element => element.scrollWidth <= element.clientWidth")
    assert_accessible(page)
    screenshot(page, f"training-{name}")


def test_a_supervisor_sees_who_has_not_completed_the_required_training(
    page: Page,
    live_server,
    case_manager: User,
    other_case_manager: User,
    supervisor: User,
    required_training: RequiredTraining,
) -> None:
    base = live_server.url
    blocked = watch_csp(page)
    today = timezone.localdate()

    # The case manager's home says the course is due, and leads to their training.
    sign_in(page, base, case_manager)
    panel = page.get_by_test_id("home-training-due")
    expect(panel).to_contain_text("Training due (1)")
    expect(panel).to_contain_text(f"{COURSE}: Missing")
    panel.get_by_role("link", name="My training").click()
    expect(page.get_by_role("heading", name="My training")).to_be_visible()
    _check(page, "mine-before")

    page.get_by_role("link", name="Record a training").click()
    page.get_by_label("Course from the library").select_option(label=COURSE)
    page.get_by_label("Completed on").fill((today + timedelta(days=1)).isoformat())
    page.get_by_label("Hours").fill("2")
    page.get_by_role("button", name="Record the training").click()
    expect(
        page.get_by_text("The date is in the future: record a training once it is done.")
    ).to_be_visible()
    _check(page, "refused")

    page.get_by_label("Completed on").fill(today.isoformat())
    page.get_by_role("button", name="Record the training").click()
    expect(page.get_by_text("Your training is recorded.")).to_be_visible()
    required = page.get_by_test_id("required")
    expect(required.get_by_role("rowheader", name=COURSE)).to_be_visible()
    expect(required).to_contain_text("Done")
    _check(page, "mine-after")

    # The supervisor: their home names the staff missing it, and the pages say who.
    page.context.clear_cookies()
    sign_in(page, base, supervisor)
    panel = page.get_by_test_id("home-training-missing")
    expect(panel).to_contain_text("Staff missing required training (1)")
    expect(panel).to_contain_text(f"{other_case_manager}: 1 missing")
    panel.get_by_role("link", name="Required training by staff member").click()
    expect(page.get_by_role("heading", name="Required training by staff member")).to_be_visible()
    table = page.get_by_test_id("by-staff")
    expect(table.get_by_role("row").filter(has_text=str(other_case_manager))).to_contain_text(
        "Missing"
    )
    expect(table.get_by_role("row").filter(has_text=str(case_manager))).to_contain_text("Done")
    _check(page, "by-staff")

    page.get_by_role("link", name="by training").click()
    requirement = page.get_by_test_id("requirement")
    expect(requirement.get_by_role("heading", name=COURSE)).to_be_visible()
    behind = requirement.get_by_test_id("behind")
    expect(behind).to_contain_text(f"{other_case_manager}: Missing")
    expect(behind).not_to_contain_text(str(case_manager))
    expect(requirement).to_contain_text("Done (1)")
    _check(page, "by-training")
    assert blocked == []
