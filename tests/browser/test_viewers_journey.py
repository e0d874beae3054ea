"""A supervisor opens a youth's page and reads who has viewed the record."""

import importlib

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp
from tests.builders import admit_youth, signed_in_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def categories() -> None:
    """A transactional test empties every table after it runs, the data
    migration's categories included: put them back (same code, idempotent)."""
    migration = importlib.import_module("plans.migrations.0002_categories")
    migration.add_categories(django_apps, None)


def test_a_supervisor_reads_who_has_viewed_a_youths_record(
    page: Page, live_server, case_manager: User, supervisor: User, categories: None
) -> None:
    youth = admit_youth(case_manager, preferred_name="Jordan Test", client_id="TEST-0400")
    # The case manager opened the page earlier (the audit trail records it).
    signed_in_client(case_manager).get(f"/youth/{youth.pk}/")
    blocked = watch_csp(page)
    sign_in(page, live_server.url, supervisor)

    page.goto(f"{live_server.url}/youth/{youth.pk}/")
    page.get_by_role("link", name="Who has viewed this record").click()
    expect(page.get_by_role("heading", name="Who has viewed Jordan Test's record")).to_be_visible()
    expect(
        page.get_by_text("Youth have the right to know who has looked at their records")
    ).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name=str(case_manager))).to_be_visible()
    expect(table.get_by_role("rowheader", name=str(supervisor))).to_be_visible()
    expect(table).to_contain_text("Case manager")
    expect(table).to_contain_text("Supervisor")
    # The page's content is no wider than the screen (390 px on a phone): the table
    # scrolls sideways in its own region.
    main = page.locator("main")
    assert main.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert_accessible(page)
    screenshot(page, "viewers")
    assert blocked == []
