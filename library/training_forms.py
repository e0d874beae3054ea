"""The form staff use to record a training they completed: it validates input;
library/training_services.py saves it."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from library.models import Resource
from shelter.formfields import OUT_OF_RANGE, in_range


class DateInput(forms.DateInput):
    input_type = "date"


def recordable_resources() -> Any:
    """Active courses, and any active resource a role is required to complete."""
    return (
        Resource.objects.active()
        .filter(Q(is_course=True) | Q(requirements__is_active=True))
        .distinct()
        .order_by("title", "pk")
    )


class TrainingRecordForm(forms.Form):
    resource = forms.ModelChoiceField(
        queryset=Resource.objects.none(),
        required=False,
        label=gettext_lazy("Course from the library"),
        empty_label=gettext_lazy("(Not in the library)"),
    )
    course_name = forms.CharField(
        label=gettext_lazy("Or the course's name"),
        max_length=250,
        required=False,
        help_text=gettext_lazy("Only if it is not in the library."),
    )
    completed_on = forms.DateField(label=gettext_lazy("Completed on"), widget=DateInput)
    hours = forms.DecimalField(
        label=gettext_lazy("Hours"),
        max_digits=5,
        decimal_places=2,
        help_text=gettext_lazy("For example 1.5 for an hour and a half."),
    )

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["resource"].queryset = recordable_resources()
        self.fields["completed_on"].widget.attrs["max"] = self.today.isoformat()

    def clean_completed_on(self) -> date:
        completed_on = self.cleaned_data["completed_on"]
        if not in_range(completed_on):
            raise forms.ValidationError(OUT_OF_RANGE)
        if completed_on > self.today:
            raise forms.ValidationError(
                _("The date is in the future: record a training once it is done.")
            )
        return completed_on

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        if hours < 0:
            raise forms.ValidationError(_("Hours cannot be negative."))
        return hours

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        resource, name = data.get("resource"), data.get("course_name", "").strip()
        if "course_name" not in self.errors and "resource" not in self.errors:
            if resource is None and not name:
                self.add_error(
                    "course_name", _("Choose a course from the library or type its name.")
                )
            elif resource is not None and name:
                self.add_error(
                    "course_name",
                    _("Choose a course from the library or type its name, not both."),
                )
        return data
