"""Text that a spreadsheet would run as a formula is neutralised in CSV and Excel."""

import pytest
from django.test import Client

from plans.models import Restriction
from reports.exports import neutralise
from tests.reports.conftest import DataSet
from tests.reports.helpers import csv_rows, download, xlsx_sheet

pytestmark = pytest.mark.django_db

ATTACKS = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("value", ATTACKS)
def test_cells_starting_like_a_formula_get_a_leading_quote(value: str) -> None:
    assert neutralise(value) == "'" + value


def test_numbers_and_ordinary_text_are_left_alone() -> None:
    assert neutralise(-3) == -3
    assert neutralise("Fictional reason") == "Fictional reason"


def test_a_formula_in_a_reason_is_neutralised_in_csv_and_excel(
    admin_client_: Client, data_set: DataSet
) -> None:
    Restriction.objects.filter(pk=data_set.lifted.pk).update(reason=ATTACKS[0])
    rows = csv_rows(download(admin_client_, "restrictions", "csv"))
    assert rows[1][4] == "'" + ATTACKS[0]
    cell = xlsx_sheet(download(admin_client_, "restrictions", "xlsx"))["E2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + ATTACKS[0]


def test_a_name_starting_with_a_plus_is_neutralised(
    admin_client_: Client, data_set: DataSet
) -> None:
    type(data_set.quinn).objects.filter(pk=data_set.quinn.pk).update(preferred_name="+Quinn")
    rows = csv_rows(download(admin_client_, "plans", "csv"))
    assert rows[1][1] == "'+Quinn"
    assert xlsx_sheet(download(admin_client_, "plans", "xlsx"))["B2"].value == "'+Quinn"
