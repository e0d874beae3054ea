"""The youth requests register: every request, decision and reason, on screen and
in CSV and Excel; de-identified without names, client IDs or the youth's words;
formulas neutralised; a blocked administrator never gets the blocked youth's
requests; every download recorded and audited."""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from desk.models import AccessRequest
from plans.services import record_block_create
from reports.models import ExportRecord
from shelter.models import AuditAction, AuditEvent, User
from shelter.roles import Role
from tests.builders import make_staff
from tests.reports.conftest import DataSet, RequestSet
from tests.reports.helpers import body, csv_rows, download, download_url, xlsx_sheet

pytestmark = pytest.mark.django_db

HEADERS = [
    "Client ID",
    "Name",
    "Kind",
    "Categories",
    "Minutes asked",
    "Asked from",
    "Asked until",
    "Youth's reason",
    "Status",
    "Decided by",
    "Decided at",
    "Decision note",
    "Granted from",
    "Granted until",
    "Extra minutes granted",
    "Requested by",
    "Requested at",
]
DEIDENTIFIED_HEADERS = [
    "Youth",
    *(h for h in HEADERS[2:] if h not in ("Youth's reason", "Decision note")),
]
SECRET = {"deidentified": "on"}


def client_ids(rows: list[list[str]]) -> list[str]:
    return [row[0] for row in rows[1:]]


# Contents


def test_the_requests_csv_lists_each_request_with_its_decision_in_the_order_made(
    admin_client_: Client, request_set: RequestSet
) -> None:
    rows = csv_rows(download(admin_client_, "requests", "csv"))
    assert rows[0] == HEADERS
    assert client_ids(rows) == ["TEST-0101", "TEST-0102", "TEST-0101", "TEST-0101", "TEST-0102"]
    granted, declined, withdrawn, lapsed, waiting = rows[1:]
    assert granted == [
        "TEST-0101",
        "Quinn Fictional",
        "Extra minutes today",
        "Social media",
        "30",
        "",
        "",
        "Fictional: Quinn Fictional wants to call a cousin.",
        "Granted",
        "Avery Cm Alpha",
        "2026-10-05 18:30",
        "Fictional: enjoy the call.",
        "2026-10-05 18:30",
        "2026-10-06 00:00",
        "60",
        "Avery Cm Alpha",
        "2026-10-05 18:00",
    ]
    assert declined == [
        "TEST-0102",
        "Rowan Madeup",
        "Allowed until a time tonight",
        "All categories",
        "",
        "",
        "2026-10-06 22:00",
        "Fictional: Rowan Madeup's school project is due.",
        "Declined",
        "Charlie Sup Charlie",
        "2026-10-06 19:10",
        "Fictional: not tonight, Rowan Madeup.",
        "",
        "",
        "",
        "Blake Cm Bravo",
        "2026-10-06 19:00",
    ]
    assert withdrawn[2:7] == [
        "A one-off time window",
        "Messaging",
        "",
        "2026-10-07 20:00",
        "2026-10-07 21:00",
    ]
    assert withdrawn[8:11] == ["Withdrawn", "Avery Cm Alpha", "2026-10-07 13:00"]
    assert withdrawn[12:15] == ["", "", ""]
    # Undecided: no one decided, nothing granted; October's time has passed.
    assert lapsed[8:15] == ["Lapsed without a decision", "", "", "", "", "", ""]
    assert waiting[8:15] == ["Waiting for a decision", "", "", "", "", "", ""]


def test_the_requests_xlsx_has_a_frozen_header_typed_cells_and_widths(
    admin_client_: Client, request_set: RequestSet
) -> None:
    response = download(admin_client_, "requests", "xlsx")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="youth-requests-register-'
    )
    sheet = xlsx_sheet(response)
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["H"].width == 50
    assert sheet.max_row == 6
    granted = list(sheet[2])
    assert granted[0].value == "TEST-0101"
    assert granted[4].data_type == "n" and granted[4].value == 30
    assert granted[10].is_date and granted[10].value == datetime(2026, 10, 5, 18, 30)
    assert granted[13].is_date and granted[13].value == datetime(2026, 10, 6, 0, 0)
    assert granted[14].data_type == "n" and granted[14].value == 60
    assert granted[16].is_date and granted[16].value == datetime(2026, 10, 5, 18, 0)
    declined = list(sheet[3])
    assert declined[6].is_date and declined[6].value == datetime(2026, 10, 6, 22, 0)
    assert declined[7].value == "Fictional: Rowan Madeup's school project is due."


def test_the_requests_register_keeps_requests_made_in_the_date_range(
    admin_client_: Client, request_set: RequestSet
) -> None:
    rows = csv_rows(
        download(admin_client_, "requests", "csv", {"start": "2026-10-06", "end": "2026-10-07"})
    )
    assert [row[8] for row in rows[1:]] == ["Declined", "Withdrawn"]
    september = {"start": "2026-09-01", "end": "2026-09-30"}
    assert csv_rows(download(admin_client_, "requests", "csv", september)) == [HEADERS]


def test_the_requests_register_filters_by_status_kind_category_and_case_manager(
    admin_client_: Client, request_set: RequestSet, other_case_manager: User
) -> None:
    def statuses(filters: dict) -> list[str]:
        return [row[8] for row in csv_rows(download(admin_client_, "requests", "csv", filters))[1:]]

    assert statuses({"status": "pending"}) == [
        "Lapsed without a decision",
        "Waiting for a decision",
    ]
    assert statuses({"kind": "window"}) == ["Withdrawn", "Waiting for a decision"]
    assert statuses({"kind": "until"}) == ["Declined", "Lapsed without a decision"]
    # "All categories" asks for messaging too.
    messaging = AccessRequest.objects.get(pk=request_set.withdrawn.pk).categories.get()
    assert statuses({"category": messaging.pk}) == ["Declined", "Withdrawn"]
    assert statuses({"case_manager": other_case_manager.pk}) == [
        "Declined",
        "Waiting for a decision",
    ]


def test_the_requests_page_shows_the_same_rows_as_the_download(
    admin_client_: Client, request_set: RequestSet
) -> None:
    response = admin_client_.get(reverse("reports:requests"))
    assert response.status_code == 200
    assert response.context["total"] == 5
    assert [row[0] for row in response.context["rows"]] == client_ids(
        csv_rows(download(admin_client_, "requests", "csv"))
    )
    content = response.content.decode()
    assert "Fictional: Quinn Fictional wants to call a cousin." in content
    assert 'name="deidentified"' in content


def test_the_reports_page_links_the_requests_register(admin_client_: Client) -> None:
    content = admin_client_.get(reverse("reports:index")).content.decode()
    assert f'href="{reverse("reports:requests")}"' in content
    assert "Youth requests register" in content


# The export record


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_each_requests_download_is_recorded_and_audited(
    admin_client_: Client, administrator: User, request_set: RequestSet, export_format: str
) -> None:
    body(download(admin_client_, "requests", export_format, {"status": "granted", **SECRET}))
    record = ExportRecord.objects.get()
    assert record.by == administrator
    assert record.report == "requests"
    assert record.export_format == export_format
    assert record.filters == {"status": "granted"}
    assert record.row_count == 1
    assert record.deidentified is True
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == administrator
    assert event.object_id == record.pk
    assert event.detail == {
        "op": "export_record_create",
        "report": "requests",
        "format": export_format,
    }


def test_the_export_record_page_names_the_requests_register(
    admin_client_: Client, request_set: RequestSet
) -> None:
    download(admin_client_, "requests", "csv")
    assert (
        "Youth requests register"
        in admin_client_.get(reverse("reports:export-list")).content.decode()
    )


# De-identified


def assert_nothing_identifies(text: str, data_set: DataSet) -> None:
    for value in (
        *data_set.names,
        *data_set.client_ids,
        "Quinn",
        "Rowan",
        *RequestSet.reasons,
        *RequestSet.notes,
        "Fictional: enjoy the call.",
        "Fictional: to finish a video call.",
    ):
        assert value not in text


def test_a_deidentified_requests_csv_has_no_names_client_ids_reasons_or_notes(
    admin_client_: Client, data_set: DataSet, request_set: RequestSet
) -> None:
    response = download(admin_client_, "requests", "csv", SECRET)
    rows = csv_rows(response)
    assert rows[0] == DEIDENTIFIED_HEADERS
    # Quinn asked first, then Rowan: one pseudonym each, the same on every row.
    assert client_ids(rows) == [
        "Youth 0001",
        "Youth 0002",
        "Youth 0001",
        "Youth 0001",
        "Youth 0002",
    ]
    assert rows[1][1:4] == ["Extra minutes today", "Social media", "30"]
    assert rows[1][6:9] == ["Granted", "Avery Cm Alpha", "2026-10-05 18:30"]
    assert_nothing_identifies(body(response).decode("utf-8-sig"), data_set)


def test_a_deidentified_requests_xlsx_has_no_names_client_ids_reasons_or_notes(
    admin_client_: Client, data_set: DataSet, request_set: RequestSet
) -> None:
    sheet = xlsx_sheet(download(admin_client_, "requests", "xlsx", SECRET))
    assert [cell.value for cell in sheet[1]] == DEIDENTIFIED_HEADERS
    text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert "Youth 0002" in text
    assert_nothing_identifies(text, data_set)


# Formula injection


def test_a_formula_in_a_reason_or_note_is_neutralised_in_csv_and_excel(
    admin_client_: Client, request_set: RequestSet
) -> None:
    attack = '=HYPERLINK("http://example.invalid","x")'
    AccessRequest.objects.filter(pk=request_set.granted.pk).update(
        reason=attack, decision_note="@SUM(A1)"
    )
    row = csv_rows(download(admin_client_, "requests", "csv"))[1]
    assert row[7] == "'" + attack
    assert row[11] == "'@SUM(A1)"
    sheet = xlsx_sheet(download(admin_client_, "requests", "xlsx"))
    assert sheet["H2"].data_type == "s" and sheet["H2"].value == "'" + attack
    assert sheet["L2"].value == "'@SUM(A1)"


# Access


def test_a_blocked_administrator_gets_no_request_of_the_blocked_youth(
    data_set: DataSet, request_set: RequestSet, administrator: User, admin_client_: Client
) -> None:
    other = make_staff("admin.golf", Role.ADMINISTRATOR, first_name="Gale")
    record_block_create(
        by=other, staff=administrator, youth=data_set.rowan, reason="Fictional: a neighbour."
    )
    response = download(admin_client_, "requests", "csv")
    text = body(response).decode("utf-8-sig")
    assert "TEST-0102" not in text and "Rowan" not in text
    assert ExportRecord.objects.get().row_count == 3
    page = admin_client_.get(reverse("reports:requests"))
    assert page.context["total"] == 3
    assert "Rowan" not in page.content.decode()
    sheet = xlsx_sheet(download(admin_client_, "requests", "xlsx"))
    assert [cell.value for cell in sheet["A"]][1:] == ["TEST-0101"] * 3


def test_case_managers_and_supervisors_cannot_open_or_download_the_requests_register(
    cm_client: Client, supervisor_client: Client, request_set: RequestSet
) -> None:
    for client in (cm_client, supervisor_client):
        assert client.get(reverse("reports:requests")).status_code == 403
        for export_format in ("csv", "xlsx"):
            assert client.post(download_url("requests", export_format)).status_code == 403
    assert not ExportRecord.objects.exists()


def test_the_requests_page_refuses_post_and_its_downloads_refuse_get(
    admin_client_: Client,
) -> None:
    assert admin_client_.post(reverse("reports:requests")).status_code == 405
    for export_format in ("csv", "xlsx"):
        assert admin_client_.get(download_url("requests", export_format)).status_code == 405
    assert not ExportRecord.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(anon_client: Client) -> None:
    response = anon_client.get(reverse("reports:requests"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-10-10", "end": "2026-10-01"}, "The end date comes before the start date."),
        ({"status": "maybe"}, "Select a valid choice."),
        ({"kind": "forever"}, "Select a valid choice."),
    ],
)
def test_bad_requests_filters_get_a_message_and_no_file(
    admin_client_: Client, request_set: RequestSet, data: dict, message: str
) -> None:
    response = download(admin_client_, "requests", "csv", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExportRecord.objects.exists()
