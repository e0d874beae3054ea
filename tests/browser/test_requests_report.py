"""An administrator reads the youth requests register, keeps only the declined
ones, downloads them de-identified, and finds the requests in the summary."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from desk.models import RequestKind
from desk.services import access_request_decline, access_request_record
from plans.models import Category
from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp
from tests.builders import make_youth

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_reads_the_requests_register_and_the_summary(
    page: Page, live_server, administrator: User, case_manager: User, supervisor: User
) -> None:
    # Transactional tests empty every table afterwards, the migration's categories too.
    social, _ = Category.objects.get_or_create(
        key="social-media", defaults={"name": "Social media"}
    )
    youth = make_youth(case_manager, preferred_name="Morgan Demo", client_id="TEST-0311")
    now = timezone.now()
    for hours in (3, 2):
        request = access_request_record(
            actor=case_manager,
            youth=youth,
            kind=RequestKind.EXTRA_MINUTES,
            categories=[social],
            all_categories=False,
            reason="Fictional: Morgan Demo has a school project.",
            minutes=30,
            now=now - timedelta(hours=hours),
        )
    access_request_decline(
        actor=supervisor,
        request=request,
        expected_version=request.version,
        note="Fictional: not tonight.",
        now=now - timedelta(hours=1),
    )

    blocked = watch_csp(page)
    sign_in(page, live_server.url, administrator)
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="Youth requests register").click()
    expect(page.get_by_role("status")).to_contain_text("2 rows found")
    page.get_by_label("Status").select_option(label="Declined")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1 rows found")
    expect(page.get_by_test_id("register-table")).to_contain_text("Fictional: not tonight.")
    assert_accessible(page)
    screenshot(page, "reports-requests")

    page.get_by_label("De-identified").check()
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Youth"
    assert [row[0] for row in rows[1:]] == ["Youth 0001"]
    assert "Morgan" not in text and "TEST-0311" not in text

    page.goto(f"{live_server.url}/reports/summary/")
    table = page.get_by_role("table", name="Youth requests made in the range, by what was asked")
    expect(table).to_contain_text("Extra minutes today")
    expect(page.get_by_test_id("summary-requests")).to_contain_text(
        "staff recorded 2 requests from youth"
    )
    expect(page.get_by_test_id("summary-requests")).not_to_contain_text("Morgan")
    assert_accessible(page)
    screenshot(page, "reports-summary-requests")
    assert blocked == []
