"""A policy change from draft to force, as staff do it in a browser.

A case manager drafts version 2 of the social media policy with two youth
contributions (one not named) and submits it; a supervisor sees the diff and the
checks, and returns it; the case manager fixes and resubmits; another supervisor
approves it. The policy page credits the co-authors as they consented, and the
case manager's home flags a plan that followed version 1.
"""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from policies.models import FlaggedPhrase, Policy, PolicyVersion
from policies.services import plan_policies_set
from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp
from tests.builders import make_youth
from tests.policies.builders import approved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLAGGED_TEXT = (
    "# Social media\n\n"
    "Youth keep their accounts. Staff help each youth set privacy settings.\n\n"
    "Posting the shelter's address is strictly prohibited.\n"
)
FIXED_TEXT = (
    "# Social media\n\n"
    "Youth keep their accounts. Staff help each youth set privacy settings.\n\n"
    "We ask youth not to post the shelter's address, and help them take it down if they do.\n"
)


def _switch_user(page: Page, base_url: str, user: User) -> None:
    page.context.clear_cookies()
    sign_in(page, base_url, user)


def _open_menu(page: Page) -> None:
    menu = page.get_by_role("button", name="Show or hide the menu")
    if menu.is_visible():
        menu.click()


def _check(page: Page, name: str) -> None:
    assert_accessible(page)
    screenshot(page, f"policy-{name}")


def test_a_policy_change_from_draft_to_force(
    page: Page,
    live_server,
    case_manager: User,
    supervisor: User,
    other_supervisor: User,
) -> None:
    base = live_server.url
    blocked = watch_csp(page)
    # The topic and the phrase come from a data migration, which an earlier
    # transactional test's flush may have emptied.
    social, _ = Policy.objects.get_or_create(
        key="social-media", defaults={"title": "Social media", "position": 10}
    )
    FlaggedPhrase.objects.get_or_create(phrase="strictly prohibited")
    version_one = approved(
        social,
        case_manager,
        other_supervisor,
        text="# Social media\n\nYouth keep their accounts.\n",
        effective_date=date(2026, 1, 5),
    )
    jo = make_youth(case_manager, preferred_name="Jo Fictional", client_id="TEST-0001")
    make_youth(case_manager, preferred_name="Kit Private", client_id="TEST-0002")
    plan_policies_set(plan=jo.plan, versions=[version_one], by=case_manager, expected=frozenset())

    # The case manager drafts version 2.
    sign_in(page, base, case_manager)
    _open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Policies", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Technology policies")).to_be_visible()
    _check(page, "list")
    page.get_by_role("link", name="Social media").click()
    _check(page, "detail-v1")
    page.get_by_role("button", name="Start a new draft").click()
    expect(page.get_by_label("Policy text")).to_have_value(version_one.text)
    _check(page, "edit")
    page.get_by_label("Policy text").fill(FLAGGED_TEXT)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator("mark", has_text="strictly prohibited")).to_be_visible()
    _check(page, "draft")

    # Two youth contributions, one of them not named.
    for youth_name, kind, credit in (
        ("Jo Fictional", "Wording", "First name"),
        ("Kit Private", "Feedback", "Not named"),
    ):
        page.get_by_role("link", name="Record a youth contribution").click()
        page.get_by_label("Youth", exact=True).select_option(label=youth_name)
        page.get_by_label("What they contributed").select_option(label=kind)
        page.get_by_label("When").fill("2026-11-02")
        page.get_by_label(credit).check()
        _check(page, "contribution")
        page.get_by_role("button", name="Record the contribution").click()
        expect(page.get_by_text("Contribution recorded.")).to_be_visible()
    expect(page.get_by_test_id("credits").first).to_contain_text(
        "Written with Jo and 1 youth who chose not to be named."
    )
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_test_id("version-status")).to_have_text("Submitted for review")

    # A supervisor sees the diff and the checks, and returns it.
    _switch_user(page, base, supervisor)
    _open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Policy reviews").click()
    _check(page, "queue")
    page.get_by_role("link", name="Social media, version 2").click()
    expect(page.locator("ins").first).to_be_visible()
    expect(page.locator("mark", has_text="strictly prohibited")).to_be_visible()
    _check(page, "review")
    page.get_by_label("What needs to change").fill(
        "A blanket ban: say how we help instead of prohibiting."
    )
    page.get_by_role("button", name="Return with comments").click()
    expect(page.get_by_text("Version 2 returned to its author.")).to_be_visible()

    # The case manager fixes it and submits again.
    _switch_user(page, base, case_manager)
    returned = page.get_by_test_id("home-drafts-returned")
    expect(returned).to_be_visible()
    returned.get_by_role("link", name="Social media, version 2").click()
    expect(page.get_by_test_id("return-comment")).to_contain_text("A blanket ban")
    page.get_by_role("link", name="Edit the text").click()
    page.get_by_label("Policy text").fill(FIXED_TEXT)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("mark")).to_have_count(0)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_test_id("version-status")).to_have_text("Submitted for review")

    # Another supervisor approves it, in force from today.
    _switch_user(page, base, other_supervisor)
    page.get_by_test_id("home-drafts-to-review").get_by_role(
        "link", name="Social media, version 2"
    ).click()
    _check(page, "review-again")
    page.get_by_role("button", name="Approve this version").click()
    expect(page.get_by_role("heading", name="Version 2, in force since")).to_be_visible()
    expect(page.get_by_test_id("credits")).to_have_text(
        "Written with Jo and 1 youth who chose not to be named."
    )
    expect(page.get_by_text("TEST-0001")).to_have_count(0)
    _check(page, "detail-v2")

    # The plan that followed version 1 is flagged on the case manager's home.
    _switch_user(page, base, case_manager)
    flagged = page.get_by_test_id("home-plans-flagged")
    expect(flagged).to_contain_text("Jo Fictional")
    expect(flagged).to_contain_text("Review: policy changed")
    _check(page, "home-flagged")
    flagged.get_by_role("link", name="Jo Fictional").click()
    _check(page, "plan-policies")
    assert PolicyVersion.objects.get(policy=social, number=2).approved_by == other_supervisor
    # Every page worked under the site's Content-Security-Policy, if one is set.
    assert blocked == []
