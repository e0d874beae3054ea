"""A case manager reads the research and training library and filters it by topic."""

import importlib

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded_library() -> None:
    """A transactional test empties every table after it runs, the data migrations'
    rows included: put categories, policies and the library back (same code, idempotent)."""
    importlib.import_module("plans.migrations.0002_categories").add_categories(django_apps, None)
    importlib.import_module("policies.migrations.0002_topics_and_phrases").seed(django_apps, None)
    importlib.import_module("library.migrations.0002_seed_topics_and_resources").seed(
        django_apps, None
    )


def test_a_case_manager_filters_the_library_by_topic(
    page: Page, live_server, case_manager: User, seeded_library: None
) -> None:
    blocked = watch_csp(page)
    sign_in(page, live_server.url, case_manager)

    page.goto(f"{live_server.url}/library/")
    expect(page.get_by_role("heading", name="Research and training library")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("7 resources found.")
    page.get_by_label("Topic").select_option(label="Labor trafficking")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("3 resources found.")
    link = page.get_by_role("link", name="The Technology and Labor Trafficking Project")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    # The filters are ids in the address: a link to a topic can be shared.
    assert "topic=" in page.url
    main = page.locator("main")
    assert main.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert_accessible(page)
    screenshot(page, "library")
    assert blocked == []
