"""De-identified files and the summary carry no name or client ID of the data
set; youth get a pseudonym stable within one file."""

import pytest
from django.test import Client
from django.urls import reverse

from reports.exports import Pseudonyms
from reports.models import ExportRecord
from tests.reports.conftest import DataSet, RequestSet
from tests.reports.helpers import body, csv_rows, download, xlsx_sheet

pytestmark = pytest.mark.django_db

SECRET = {"deidentified": "on"}


def assert_no_identities(text: str, data_set: DataSet) -> None:
    for value in (*data_set.names, *data_set.client_ids, "Quinn", "Rowan"):
        assert value not in text


@pytest.mark.parametrize("report", ["plans", "restrictions"])
def test_a_deidentified_csv_has_no_names_or_client_ids(
    admin_client_: Client, data_set: DataSet, report: str
) -> None:
    response = download(admin_client_, report, "csv", {**SECRET, "status": "all"})
    rows = csv_rows(response)
    assert rows[0][0] == "Youth"
    assert "Client ID" not in rows[0] and "Name" not in rows[0] and "Reason" not in rows[0]
    assert {row[0] for row in rows[1:]} == {"Youth 0001", "Youth 0002"}
    assert_no_identities(body(response).decode("utf-8-sig"), data_set)
    assert ExportRecord.objects.get().deidentified is True


@pytest.mark.parametrize("report", ["plans", "restrictions"])
def test_a_deidentified_xlsx_has_no_names_or_client_ids(
    admin_client_: Client, data_set: DataSet, report: str
) -> None:
    sheet = xlsx_sheet(download(admin_client_, report, "xlsx", SECRET))
    text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert sheet["A1"].value == "Youth"
    assert_no_identities(text, data_set)


def test_pseudonyms_are_stable_within_one_export() -> None:
    pseudonym = Pseudonyms()
    assert [pseudonym(42), pseudonym(7), pseudonym(42)] == [
        "Youth 0001",
        "Youth 0002",
        "Youth 0001",
    ]
    assert Pseudonyms()(7) == "Youth 0001"


def test_the_same_youth_keeps_one_pseudonym_across_rows_of_a_file(
    admin_client_: Client, data_set: DataSet, case_manager
) -> None:
    from tests.builders import make_restriction
    from tests.reports.conftest import at

    make_restriction(
        data_set.rowan, case_manager, starts_at=at(2026, 10, 20), ends_at=at(2026, 10, 21)
    )
    rows = csv_rows(download(admin_client_, "restrictions", "csv", SECRET))
    # In start order: Rowan (1 Oct), Rowan (20 Oct), then Quinn (now).
    assert [row[0] for row in rows[1:]] == ["Youth 0001", "Youth 0001", "Youth 0002"]


def test_the_summary_page_and_csv_have_no_names_or_client_ids(
    admin_client_: Client, data_set: DataSet
) -> None:
    dates = {"start": "2026-01-01", "end": "2026-12-31"}
    page = admin_client_.get(reverse("reports:summary"), dates)
    response = admin_client_.post(reverse("reports:summary-download"), dates)
    main = page.content.decode().split("<main", 1)[1]
    assert_no_identities(main, data_set)
    text = body(response).decode("utf-8-sig")
    assert_no_identities(text, data_set)
    assert "Restrictions,Began in the range,2" in text.splitlines()


def test_the_policies_register_has_no_deidentified_switch(
    admin_client_: Client, data_set: DataSet
) -> None:
    response = admin_client_.get(reverse("reports:policies"))
    assert 'name="deidentified"' not in response.content.decode()


def test_the_summarys_requests_part_has_no_names_reasons_or_notes(
    admin_client_: Client, data_set: DataSet, request_set: RequestSet
) -> None:
    dates = {"start": "2026-10-01", "end": "2026-12-31"}
    page = admin_client_.get(reverse("reports:summary"), dates)
    main = page.content.decode().split("<main", 1)[1]
    text = body(admin_client_.post(reverse("reports:summary-download"), dates)).decode("utf-8-sig")
    assert "Youth requests,Made in the range,5" in text.splitlines()
    for content in (main, text):
        assert_no_identities(content, data_set)
        for words in (*RequestSet.reasons, *RequestSet.notes, "Fictional: a call to a caseworker."):
            assert words not in content
