"""Forms of the reports: a date range that refuses nonsense, and the download options."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from shelter.formfields import OUT_OF_RANGE, in_range

MAX_RANGE = timedelta(days=5 * 366)


def check_date_range(form: forms.Form, start_field: str, end_field: str) -> None:
    """A date outside 1900-2999 (reports count up to the midnight after the end
    date, and 31 Dec 9999 has none), a range ending before it starts, or one longer
    than five years, is refused with a message next to the date."""
    for name in (start_field, end_field):
        if not in_range(form.cleaned_data.get(name)):
            form.add_error(name, OUT_OF_RANGE)
    start: date | None = form.cleaned_data.get(start_field)
    end: date | None = form.cleaned_data.get(end_field)
    if start and end:
        if end < start:
            form.add_error(end_field, gettext("The end date comes before the start date."))
        elif end - start > MAX_RANGE:
            form.add_error(end_field, gettext("Choose a range of at most five years."))


class DateRangeFilterForm(forms.Form):
    """The form class of filter sets with `start` and `end` date filters."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_date_range(self, "start", "end")
        return cleaned


class SummaryRangeForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_date_range(self, "start", "end")
        return cleaned


class DownloadForm(forms.Form):
    deidentified = forms.BooleanField(
        label=gettext_lazy(
            "De-identified: no names or client IDs (youth get a pseudonym for this file only)"
        ),
        required=False,
    )
