"""The three registers: headers and rows on known data, in CSV and Excel, the
export record, and bad filters refused with a message and no file."""

from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from reports.models import ExportRecord
from shelter.models import User
from tests.reports.conftest import DataSet
from tests.reports.helpers import csv_rows, download, xlsx_sheet

pytestmark = pytest.mark.django_db

PLAN_HEADERS = [
    "Client ID",
    "Name",
    "Case manager",
    "Admitted",
    "Discharged",
    "Risk level",
    "Risk assessed",
    "Next review",
    "Review overdue",
    "Rules",
    "Restrictions in force",
]
QUINN_RULES = (
    "Social media: supervised, Mon–Fri 16:00–20:00, 60 min a day; Messaging: free use; "
    "Web browsing: free use; Online gaming: free use; Video and streaming: free use; "
    "Phone possession: free use; Shelter computers: free use"
)
RESTRICTION_HEADERS = [
    "Client ID",
    "Name",
    "Categories",
    "Kind",
    "Reason",
    "Start",
    "End",
    "Planned length (days)",
    "Lifted at",
    "Actual length (days)",
    "Lifted early",
    "Approval",
    "Approved or declined by",
    "Imposed by",
]
POLICY_HEADERS = [
    "Topic",
    "Version",
    "Status",
    "Author",
    "Reviewer",
    "Created",
    "Submitted",
    "Decided",
    "In force from",
    "Next review",
    "Youth co-authors",
]


# Plans


def test_the_plans_csv_has_one_row_per_youth_with_rules_in_short_form(
    admin_client_: Client, data_set: DataSet
) -> None:
    rows = csv_rows(download(admin_client_, "plans", "csv"))
    assert rows[0] == PLAN_HEADERS
    assert len(rows) == 3
    quinn, rowan = rows[1], rows[2]
    assert quinn[:9] == [
        "TEST-0101",
        "Quinn Fictional",
        "Avery Cm Alpha",
        "2026-11-01",
        "",
        "High",
        "2026-11-02 10:00",
        "2026-01-10",
        "Yes",
    ]
    assert quinn[9] == QUINN_RULES
    assert quinn[10].startswith("No access (Social media, Messaging) until ")
    assert rowan[:3] == ["TEST-0102", "Rowan Madeup", "Blake Cm Bravo"]
    assert rowan[8] == "No"
    assert rowan[10] == ""


def test_the_plans_rules_column_reads_like_the_youth_page(data_set: DataSet) -> None:
    from plans.models import AccessRule

    rule = AccessRule.objects.get(plan__youth=data_set.quinn, category__key="social-media")
    assert f"Social media: {rule.summary};" in QUINN_RULES


def test_the_plans_xlsx_has_a_frozen_header_typed_cells_and_widths(
    admin_client_: Client, data_set: DataSet
) -> None:
    response = download(admin_client_, "plans", "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="plans-register-')
    sheet = xlsx_sheet(response)
    assert [cell.value for cell in sheet[1]] == PLAN_HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["J"].width == 60
    quinn = list(sheet[2])
    assert quinn[0].value == "TEST-0101"
    assert quinn[3].is_date and quinn[3].value == datetime(2026, 11, 1)
    assert quinn[6].is_date and quinn[6].value == datetime(2026, 11, 2, 10, 0)
    assert quinn[7].is_date and quinn[7].value == datetime(2026, 1, 10)
    assert quinn[9].value == QUINN_RULES
    assert sheet.max_row == 3


def test_the_plans_register_uses_the_youth_list_filters(
    admin_client_: Client, data_set: DataSet, case_manager: User
) -> None:
    rows = csv_rows(download(admin_client_, "plans", "csv", {"case_manager": case_manager.pk}))
    assert [row[0] for row in rows[1:]] == ["TEST-0101"]
    rows = csv_rows(download(admin_client_, "plans", "csv", {"review": "overdue"}))
    assert [row[0] for row in rows[1:]] == ["TEST-0101"]
    rows = csv_rows(download(admin_client_, "plans", "csv", {"restricted": "no"}))
    assert [row[0] for row in rows[1:]] == ["TEST-0102"]


def test_the_plans_page_shows_the_same_rows_as_the_download(
    admin_client_: Client, data_set: DataSet
) -> None:
    response = admin_client_.get(reverse("reports:plans"))
    assert response.status_code == 200
    assert response.context["total"] == 2
    assert [row[0] for row in response.context["rows"]] == ["TEST-0101", "TEST-0102"]
    assert "Mon–Fri 16:00–20:00" in response.content.decode()


# Restrictions


def test_the_restrictions_csv_lists_lengths_lifts_and_approvers(
    admin_client_: Client, data_set: DataSet
) -> None:
    rows = csv_rows(download(admin_client_, "restrictions", "csv"))
    assert rows[0] == RESTRICTION_HEADERS
    assert rows[1] == [
        "TEST-0102",
        "Rowan Madeup",
        "All categories",
        "No access",
        "Fictional: a stranger asked Rowan Madeup to meet.",
        "2026-10-01 10:00",
        "2026-10-06 10:00",
        "5.00",
        "2026-10-03 10:00",
        "2.00",
        "Yes",
        "Approved",
        "Charlie Sup Charlie",
        "Blake Cm Bravo",
    ]
    assert rows[2][:4] == ["TEST-0101", "Quinn Fictional", "Social media, Messaging", "No access"]
    assert rows[2][10:13] == ["No", "Not needed", ""]


def test_the_restrictions_register_keeps_those_overlapping_the_date_range(
    admin_client_: Client, data_set: DataSet
) -> None:
    october = {"start": "2026-10-05", "end": "2026-10-31"}
    rows = csv_rows(download(admin_client_, "restrictions", "csv", october))
    assert [row[0] for row in rows[1:]] == ["TEST-0102"]
    september = {"start": "2026-09-01", "end": "2026-09-30"}
    assert len(csv_rows(download(admin_client_, "restrictions", "csv", september))) == 1


def test_the_restrictions_xlsx_has_typed_dates_and_numbers(
    admin_client_: Client, data_set: DataSet
) -> None:
    sheet = xlsx_sheet(download(admin_client_, "restrictions", "xlsx"))
    assert [cell.value for cell in sheet[1]] == RESTRICTION_HEADERS
    assert sheet.freeze_panes == "A2"
    row = list(sheet[2])
    assert row[5].is_date and row[5].value == datetime(2026, 10, 1, 10, 0)
    assert row[7].data_type == "n" and row[7].value == 5.0
    assert row[9].data_type == "n" and row[9].value == 2.0


# Policies


def test_the_policy_register_lists_every_version_with_its_youth_co_authors(
    admin_client_: Client, data_set: DataSet
) -> None:
    rows = csv_rows(download(admin_client_, "policies", "csv"))
    assert rows[0] == POLICY_HEADERS
    assert len(rows) == 2
    row = rows[1]
    assert row[:3] == ["Social media", "1", "Approved, in force"]
    assert row[3:5] == ["Avery Cm Alpha", "Charlie Sup Charlie"]
    assert row[8:] == ["2026-11-05", "2027-11-05", "1"]


def test_the_policy_register_says_which_approved_version_is_in_force() -> None:
    from reports.exports import policy_status

    today = date(2026, 11, 29)
    assert policy_status("approved", date(2026, 1, 5), today, in_force=True) == (
        "Approved, in force"
    )
    assert policy_status("approved", date(2026, 1, 5), today, in_force=False) == (
        "Approved, superseded"
    )
    assert policy_status("approved", date(2026, 12, 5), today, in_force=False) == (
        "Approved, not yet in force"
    )
    assert policy_status("returned", None, today, in_force=False) == "Returned for changes"


def test_the_policy_xlsx_has_number_and_date_cells(
    admin_client_: Client, data_set: DataSet
) -> None:
    sheet = xlsx_sheet(download(admin_client_, "policies", "xlsx"))
    assert [cell.value for cell in sheet[1]] == POLICY_HEADERS
    row = list(sheet[2])
    assert row[1].data_type == "n" and row[1].value == 1
    assert row[8].is_date and row[8].value.date() == date(2026, 11, 5)
    assert row[10].value == 1


# The export record


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_each_download_is_recorded_with_its_filters_and_row_count(
    admin_client_: Client, administrator: User, data_set: DataSet, export_format: str
) -> None:
    response = download(
        admin_client_, "restrictions", export_format, {"start": "2026-10-01", "kind": "deny"}
    )
    b"".join(response.streaming_content)
    record = ExportRecord.objects.get()
    assert record.by == administrator
    assert record.report == "restrictions"
    assert record.export_format == export_format
    assert record.row_count == 2
    assert record.filters == {"start": "2026-10-01", "kind": "deny"}
    assert record.deidentified is False


def test_administrators_see_the_export_record(
    admin_client_: Client, data_set: DataSet, case_manager: User
) -> None:
    download(admin_client_, "plans", "csv", {"case_manager": case_manager.pk, "deidentified": "on"})
    response = admin_client_.get(reverse("reports:export-list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Plans register" in content
    assert f"case_manager: {case_manager.pk}" in content


def test_the_admin_cannot_add_change_or_delete_export_records(
    admin_client_: Client, data_set: DataSet
) -> None:
    download(admin_client_, "plans", "csv")
    record = ExportRecord.objects.get()
    assert admin_client_.get(reverse("admin:reports_exportrecord_changelist")).status_code == 200
    assert admin_client_.get(reverse("admin:reports_exportrecord_add")).status_code == 403
    delete = reverse("admin:reports_exportrecord_delete", args=[record.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:reports_exportrecord_change", args=[record.pk])
    admin_client_.post(change, {"row_count": 999})
    record.refresh_from_db()
    assert record.row_count == 2


# Bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-10-10", "end": "2026-10-01"}, "The end date comes before the start date."),
        ({"start": "2019-01-01", "end": "2026-10-01"}, "Choose a range of at most five years."),
        ({"kind": "forever"}, "Select a valid choice."),
        ({"start": "yesterday"}, "Enter a valid date."),
    ],
)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_bad_filters_get_a_message_and_no_file(
    admin_client_: Client, data_set: DataSet, data: dict, message: str, export_format: str
) -> None:
    response = download(admin_client_, "restrictions", export_format, data)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert not ExportRecord.objects.exists()


def test_a_bad_filter_on_the_page_shows_the_message_and_no_download_form(
    admin_client_: Client, data_set: DataSet
) -> None:
    response = admin_client_.get(
        reverse("reports:restrictions"), {"start": "2026-10-10", "end": "2026-10-01"}
    )
    content = response.content.decode()
    assert "The end date comes before the start date." in content
    assert "Download CSV" not in content


def test_an_unknown_plans_filter_value_is_refused(admin_client_: Client, data_set: DataSet) -> None:
    response = download(admin_client_, "plans", "csv", {"risk_level": "extreme"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
