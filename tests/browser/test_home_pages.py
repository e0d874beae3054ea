"""Each role's home page in a real browser, at desktop width and at 390 px: every
panel shows, axe finds nothing serious, and the site's CSP blocks nothing."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from desk.models import AccessRequest, RequestKind
from plans.models import Category, Plan
from policies.models import Policy
from reports.services import export_record_create
from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp
from tests.builders import make_restriction, make_youth
from tests.policies.builders import approved, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _a_busy_day(case_manager: User, supervisor: User) -> None:
    """Something in most panels, so the lists are checked as well as the empty texts."""
    now = timezone.now()
    # From data migrations, which an earlier transactional test's flush may have emptied.
    Category.objects.get_or_create(key="social-media", defaults={"name": "Social media"})
    policy, _ = Policy.objects.get_or_create(
        key="social-media", defaults={"title": "Social media", "position": 10}
    )
    for number in range(12):
        youth = make_youth(
            case_manager,
            preferred_name=f"Fictional Youth {number:02d}",
            client_id=f"TEST-{number:04d}",
        )
        Plan.objects.filter(youth=youth).update(
            next_review_on=timezone.localdate() + timedelta(days=number - 6)
        )
        if number % 3 == 0:
            make_restriction(youth, case_manager, ends_at=now + timedelta(hours=2))
            make_restriction(
                youth,
                case_manager,
                approval="pending",
                starts_at=now,
                ends_at=now + timedelta(days=6),
                reason="Fictional: a stranger offered a job.",
            )
            AccessRequest.objects.create(
                youth=youth,
                kind=RequestKind.EXTRA_MINUTES,
                minutes=30,
                reason="Fictional: a video call with their sister.",
                requested_by=case_manager,
            )
    approved(policy, case_manager, supervisor, effective_date=date(2025, 1, 5))
    submitted(policy, case_manager)


@pytest.mark.parametrize(
    ("persona", "first_panel"),
    [
        ("case_manager", "Your youth (12)"),
        ("supervisor", "Restrictions waiting for your approval (4)"),
        ("administrator", "Exports in the past 7 days (1)"),
    ],
)
def test_each_roles_home_is_accessible_at_desktop_and_phone_width(
    page: Page,
    live_server,
    request: pytest.FixtureRequest,
    case_manager: User,
    supervisor: User,
    administrator: User,
    persona: str,
    first_panel: str,
) -> None:
    _a_busy_day(case_manager, supervisor)
    export_record_create(
        by=administrator,
        report="plans",
        export_format="csv",
        filters={},
        row_count=12,
        deidentified=True,
    )
    user = request.getfixturevalue(persona)
    blocked = watch_csp(page)

    sign_in(page, live_server.url, user)

    headings = page.locator("main h2")
    expect(headings.first).to_have_text(first_panel)
    assert headings.count() >= 5
    assert_accessible(page)
    # Neither the menu nor a panel is wider than the screen (at 1280 px the menu stays on
    # one line; at 390 px there is no sideways scrolling to read a panel).
    wide = page.evaluate(
        "[...document.querySelectorAll('header *, main *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert wide == []
    screenshot(page, f"home-{persona}")
    assert blocked == []
