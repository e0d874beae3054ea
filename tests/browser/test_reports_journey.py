"""An administrator filters the restrictions register to last month, downloads
it as CSV and Excel, and reads the de-identified summary with its charts."""

import csv
import io
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from plans.models import Category
from reports.models import ExportRecord
from shelter.models import User
from tests.browser.conftest import assert_accessible, screenshot, sign_in, watch_csp
from tests.builders import make_restriction, make_youth

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def last_month() -> tuple[datetime, datetime]:
    first_this_month = timezone.localdate().replace(day=1)
    last_day = first_this_month - timedelta(days=1)
    return last_day.replace(day=1), last_day


def local(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_an_administrator_downloads_last_months_restrictions_and_reads_the_summary(
    page: Page, live_server, administrator: User, case_manager: User
) -> None:
    # Transactional tests empty every table afterwards, the migration's categories too.
    Category.objects.get_or_create(key="social-media", defaults={"name": "Social media"})
    first, last = last_month()
    youth = make_youth(case_manager, preferred_name="Morgan Demo", client_id="TEST-0301")
    older = make_youth(case_manager, preferred_name="Sky Demo", client_id="TEST-0302")
    make_restriction(
        youth,
        case_manager,
        starts_at=local(first + timedelta(days=2), 9),
        ends_at=local(first + timedelta(days=4), 9),
    )
    make_restriction(
        older,
        case_manager,
        starts_at=local(first - timedelta(days=40), 9),
        ends_at=local(first - timedelta(days=38), 9),
    )

    blocked = watch_csp(page)
    sign_in(page, live_server.url, administrator)
    page.goto(f"{live_server.url}/reports/restrictions/")
    page.get_by_label("In force from").fill(first.isoformat())
    page.get_by_label("To", exact=True).fill(last.isoformat())
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1 rows found")
    expect(page.get_by_test_id("register-table")).to_contain_text("TEST-0301")
    expect(page.get_by_test_id("register-table")).not_to_contain_text("TEST-0302")
    assert_accessible(page)
    screenshot(page, "reports-restrictions")

    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Client ID", "Name"]
    assert [row[0] for row in rows[1:]] == ["TEST-0301"]

    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Download Excel").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    assert sheet["A2"].value == "TEST-0301"
    assert sheet["F2"].is_date
    assert sheet.freeze_panes == "A2"

    records = list(ExportRecord.objects.order_by("at"))
    assert [(r.export_format, r.row_count) for r in records] == [("csv", 1), ("xlsx", 1)]
    assert records[0].filters == {"start": first.isoformat(), "end": last.isoformat()}

    page.goto(f"{live_server.url}/reports/summary/")
    expect(page.get_by_test_id("chart-risk")).to_be_visible()
    expect(page.get_by_test_id("chart-restrictions")).to_be_visible()
    expect(page.get_by_test_id("summary-table")).not_to_contain_text("Morgan")
    assert_accessible(page)
    screenshot(page, "reports-summary")

    page.goto(f"{live_server.url}/reports/exports/")
    expect(page.get_by_test_id("export-table")).to_contain_text("Restrictions register")
    assert_accessible(page)
    # Every page worked under the site's Content-Security-Policy.
    assert blocked == []
