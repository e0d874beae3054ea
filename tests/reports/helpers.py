"""Reading downloads back: CSV as rows of text, .xlsx through openpyxl."""

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet


def download_url(report: str, export_format: str) -> str:
    return reverse(
        "reports:register-download", kwargs={"report": report, "export_format": export_format}
    )


def download(
    client: Client, report: str, export_format: str, data: dict[str, Any] | None = None
) -> HttpResponse:
    return client.post(download_url(report, export_format), data or {})


def body(response: HttpResponse) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response: HttpResponse) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_sheet(response: HttpResponse) -> Worksheet:
    return load_workbook(io.BytesIO(body(response))).active
