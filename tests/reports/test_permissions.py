"""Who may open reports: administrators everything, supervisors the summary only,
case managers nothing; by direct URL too. Pages are GET, downloads POST."""

import pytest
from django.test import Client
from django.urls import reverse

from reports.models import ExportRecord
from tests.reports.helpers import download_url

pytestmark = pytest.mark.django_db

REGISTER_PAGES = ["reports:plans", "reports:restrictions", "reports:policies"]
ADMIN_PAGES = [*REGISTER_PAGES, "reports:export-list"]
DOWNLOADS = [
    download_url(report, fmt)
    for report in ("plans", "restrictions", "policies")
    for fmt in ("csv", "xlsx")
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_case_managers_and_supervisors_cannot_open_registers(
    cm_client: Client, supervisor_client: Client, name: str
) -> None:
    assert cm_client.get(reverse(name)).status_code == 403
    assert supervisor_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("url", DOWNLOADS)
def test_case_managers_and_supervisors_cannot_download_registers(
    cm_client: Client, supervisor_client: Client, url: str
) -> None:
    assert cm_client.post(url).status_code == 403
    assert supervisor_client.post(url).status_code == 403
    assert not ExportRecord.objects.exists()


def test_case_managers_cannot_open_the_summary(cm_client: Client) -> None:
    assert cm_client.get(reverse("reports:index")).status_code == 403
    assert cm_client.get(reverse("reports:summary")).status_code == 403
    assert cm_client.post(reverse("reports:summary-download")).status_code == 403


def test_supervisors_open_and_download_the_summary(supervisor_client: Client) -> None:
    assert supervisor_client.get(reverse("reports:summary")).status_code == 200
    response = supervisor_client.post(
        reverse("reports:summary-download"), {"start": "2026-01-01", "end": "2026-11-01"}
    )
    assert response.status_code == 200
    assert ExportRecord.objects.get().report == "summary"


def test_supervisors_land_on_the_summary(supervisor_client: Client) -> None:
    response = supervisor_client.get(reverse("reports:index"))
    assert response.status_code == 302
    assert response.url == reverse("reports:summary")


@pytest.mark.parametrize("name", [*ADMIN_PAGES, "reports:index", "reports:summary"])
def test_administrators_open_every_report_page(admin_client_: Client, name: str) -> None:
    assert admin_client_.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [*ADMIN_PAGES, "reports:index", "reports:summary"])
def test_anonymous_visitors_are_sent_to_sign_in(anon_client: Client, name: str) -> None:
    response = anon_client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", [*ADMIN_PAGES, "reports:index", "reports:summary"])
def test_pages_refuse_post(admin_client_: Client, name: str) -> None:
    assert admin_client_.post(reverse(name)).status_code == 405


@pytest.mark.parametrize("url", [*DOWNLOADS, reverse("reports:summary-download")])
def test_downloads_refuse_get(admin_client_: Client, url: str) -> None:
    assert admin_client_.get(url).status_code == 405
    assert not ExportRecord.objects.exists()


def test_the_menu_shows_reports_to_administrators_and_supervisors(
    admin_client_: Client, supervisor_client: Client, cm_client: Client
) -> None:
    home = reverse("home")
    assert f'href="{reverse("reports:index")}"' in admin_client_.get(home).content.decode()
    assert f'href="{reverse("reports:summary")}"' in supervisor_client.get(home).content.decode()
    assert "/reports/" not in cm_client.get(home).content.decode()
