"""Form fields shared by the apps."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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
