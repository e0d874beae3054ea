"""Form fields shared by the apps."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _

# The range of the database's integer keys (SQLite's INTEGER, PostgreSQL's bigint).
LARGEST_ID = 2**63 - 1


class ModelMultipleChoiceByIdField(forms.ModelMultipleChoiceField):
    """Tick boxes of records, chosen by id, that refuse an id no database can hold.

    Django looks the chosen ids up with one `IN (…)` query, and a number past the
    database's integer range (typed into a tampered request) fails that query
    (a 500) instead of being an invalid choice: it is refused here first.
    """

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: Django refuses it as an invalid choice
            if not -LARGEST_ID <= number <= LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


# Dates people type are refused outside these years: arithmetic near the calendar's
# edge overflows (the day after 31 Dec 9999; that evening in UTC, which PostgreSQL
# stores but Python cannot read back).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def _out_of_range() -> str:
    return _("Enter a date between the years %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_YEAR,
        "latest": LATEST_YEAR,
    }


# Lazy: said in the language of the page that shows it.
OUT_OF_RANGE = lazy(_out_of_range, str)()


def in_range(value: date | None) -> bool:
    return value is None or EARLIEST_YEAR <= value.year <= LATEST_YEAR


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time between the years 1900 and 2999, refused next to the field otherwise."""

    def validate(self, value: datetime | None) -> None:
        super().validate(value)
        if not in_range(value):
            raise ValidationError(OUT_OF_RANGE, code="out_of_range")
