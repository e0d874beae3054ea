"""The diff and checks partials in a real Chromium, at desktop and phone widths: the two
diff columns sit side by side on a desktop and stack at 390px, changes are struck through or
underlined (not colour alone), and axe finds no serious problem (contrast included).

The partials are rendered into a bare page with the product's stylesheets, so this test does
not depend on the policies views."""

import pytest
from django.template import Context, Template
from playwright.sync_api import Page, expect

from policies.checks import DEFAULT_PHRASES, run_checks
from policies.diff import diff_summary, side_by_side
from tests.browser.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_FORCE = (
    "# Mobile devices\n\n"
    "Youth keep their phones during the day.\n\n"
    "- Phones charge in the lounge at night.\n"
    "- Phones found in bedrooms are immediately confiscated.\n"
)
DRAFT = (
    "# Mobile devices\n\n"
    "Youth keep their phones during the day and the evening.\n\n"
    "- Phones charge in the office at night.\n"
    "- Youth and staff review this policy every six months, together.\n"
    "- Gaming after midnight is strictly prohibited.\n"
)

_PAGE = Template(
    """{% load static %}<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Policy review partials</title>
  <link rel="stylesheet" href="{{ base }}{% static 'vendor/bootstrap/bootstrap.min.css' %}">
  <link rel="stylesheet" href="{{ base }}{% static 'css/shelter.css' %}">
</head>
<body>
  <main class="container-lg py-4">
    <h1 class="h3">Review: Mobile devices policy, version 2</h1>
    {% include "policies/includes/_diff.html" %}
    {% include "policies/includes/_checks.html" %}
  </main>
</body>
</html>"""
)


def _open_partials(page: Page, base_url: str) -> None:
    rows = side_by_side(IN_FORCE, DRAFT)
    findings = run_checks(DRAFT, DEFAULT_PHRASES, has_youth_input=False, has_next_review=True)
    html = _PAGE.render(
        Context(
            {"base": base_url, "rows": rows, "summary": diff_summary(rows), "findings": findings}
        )
    )
    # A blank page with no Content-Security-Policy of its own, so that axe can be injected;
    # the partials themselves need no inline script or style.
    page.set_content(html, wait_until="load")


def test_the_diff_columns_sit_side_by_side_on_a_desktop_and_stack_on_a_phone(
    page: Page, live_server
) -> None:
    _open_partials(page, live_server.url)
    changed = page.locator("tr.diff-row-changed").first
    old_box = changed.locator("td.diff-old").bounding_box()
    new_box = changed.locator("td.diff-new").bounding_box()
    assert old_box and new_box

    width = page.viewport_size["width"] if page.viewport_size else 0
    if width >= 576:
        assert new_box["x"] > old_box["x"] + old_box["width"] - 1
        assert abs(new_box["y"] - old_box["y"]) < 1
        expect(changed.locator(".diff-cell-label").first).to_be_hidden()
    else:
        assert new_box["y"] >= old_box["y"] + old_box["height"] - 1
        assert new_box["width"] > width * 0.8
        expect(changed.get_by_text("Version in force", exact=True)).to_be_visible()
        expect(changed.get_by_text("This draft", exact=True)).to_be_visible()
        # Nothing sticks out sideways at 390px.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, "policy-diff-and-checks")


def test_changes_are_struck_through_or_underlined_and_named_for_screen_readers(
    page: Page, live_server
) -> None:
    _open_partials(page, live_server.url)

    deleted = page.locator("td.diff-old del").first
    inserted = page.locator("td.diff-new ins").first
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "underline" in inserted.evaluate("e => getComputedStyle(e).textDecorationLine")
    # The hidden words are real text (CSS ::before content is not read by every screen reader).
    assert deleted.locator("span.visually-hidden").first.text_content() == "removed: "
    assert inserted.locator("span.visually-hidden").first.text_content() == "added: "
    expect(page.locator("mark", has_text="strictly prohibited")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Automatic checks: warnings, not blocks")
    ).to_be_visible()


def test_the_partials_pass_axe_at_every_width(page: Page, live_server) -> None:
    _open_partials(page, live_server.url)

    assert_accessible(page)
