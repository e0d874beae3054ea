"""Forms of the front desk: they parse and check input; writes go through
desk.services."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desk.models import MAX_EXTRA_MINUTES, Device, GrantPreset, RequestKind
from plans.forms import LocalDateTimeInput, TimeInput
from plans.models import Category
from plans.rightnow import CategoryAccess
from shelter.formfields import BoundedDateTimeField, ModelMultipleChoiceByIdField
from shelter.models import User

OWN_PHONE = "own-phone"


class ReturnTo(forms.ChoiceField):
    """Where to go back after a desk action: a fixed choice, never a URL."""

    def __init__(self) -> None:
        super().__init__(
            choices=[("board", "house board"), ("log", "device log"), ("youth", "youth page")],
            widget=forms.HiddenInput,
            required=False,
        )


class BoardQuery(forms.CharField):
    """The board's filters to go back to ("unit=2"); desk.views keeps only known ids."""

    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, max_length=200)


@dataclass(frozen=True)
class DeviceChoice:
    """One thing the desk can hand out now, with the plan's word on it."""

    value: str  # OWN_PHONE or a device id
    what: str  # "Their own phone", "Laptop 3 (computer)"
    device: Device | None
    category: Category
    access: CategoryAccess | None  # None: the plan has no rule for this category

    @property
    def plan_words(self) -> str:
        """ "Laptop 3 (computer) — Shelter computers: Closed — opens 16:00"."""
        if self.access is None:
            return gettext("%(what)s — no rule in the plan") % {"what": self.what}
        return gettext("%(what)s — %(category)s: %(state)s") % {
            "what": self.what,
            "category": self.access.category_name,
            "state": self.access.label,
        }

    @property
    def label(self) -> str:
        if self.against_plan:
            return gettext("%(words)s — against the plan") % {"words": self.plan_words}
        return self.plan_words

    @property
    def against_plan(self) -> bool:
        return self.access is not None and self.access.against_plan

    @property
    def supervised(self) -> bool:
        return self.access is not None and self.access.supervised


class DeviceRadioSelect(forms.RadioSelect):
    """Radio buttons that tell the page's script, per choice, whether it goes
    against the plan or needs supervision (data attributes, no inline script)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flags: dict[str, dict[str, str]] = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"].update(self.flags.get(str(option["value"]), {}))
        return option


class CheckOutForm(forms.Form):
    what = forms.ChoiceField(
        label=_("What the youth takes"),
        widget=DeviceRadioSelect,
        error_messages={
            "required": _("Choose the youth's own phone or a free shelter device."),
            "invalid_choice": _("That device is no longer free: choose another."),
        },
    )
    supervised_by = forms.ModelChoiceField(
        label=_("Staff member supervising"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody: the plan does not ask for supervision"),
        help_text=_("Needed when the plan says this use is supervised."),
    )
    override_reason = forms.CharField(
        label=_("Why go against the plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed only when the choice goes against the plan (see above). "
            "It is logged and shown to the case manager."
        ),
    )
    return_to = ReturnTo()
    board_query = BoardQuery()

    def __init__(self, *args: Any, choices: list[DeviceChoice], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = {choice.value: choice for choice in choices}
        field = self.fields["what"]
        field.choices = [(choice.value, choice.label) for choice in choices]
        field.widget.flags = {
            choice.value: {
                "data-against-plan": "true" if choice.against_plan else "false",
                "data-supervised": "true" if choice.supervised else "false",
            }
            for choice in choices
        }
        if len(choices) == 1:
            field.initial = choices[0].value
        supervisor = self.fields["supervised_by"]
        supervisor.queryset = User.objects.case_managers().order_by("first_name", "username")  # type: ignore[attr-defined]
        if any(choice.supervised for choice in choices):
            supervisor.initial = user.pk

    def choice(self) -> DeviceChoice:
        return self.choices[self.cleaned_data["what"]]


class CheckInForm(forms.Form):
    return_to = ReturnTo()
    board_query = BoardQuery()


class AccessRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The youth asks for"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        initial=RequestKind.EXTRA_MINUTES,
        error_messages={"required": _("Choose what the youth asks for.")},
    )
    all_categories = forms.BooleanField(label=_("All categories"), required=False)
    categories = ModelMultipleChoiceByIdField(
        label=_("Or only these categories"),
        queryset=Category.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label=_("Their reason, in their own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write what the youth said, as they said it."),
        error_messages={"required": _("Write the youth's reason, in their words.")},
    )
    minutes = forms.IntegerField(
        label=_("Extra minutes asked for"),
        required=False,
        min_value=1,
        max_value=MAX_EXTRA_MINUTES,
        help_text=_("For extra minutes today."),
    )
    starts_at = BoundedDateTimeField(
        label=_("From"),
        required=False,
        widget=LocalDateTimeInput(),
        help_text=_("For a one-off window. Agency time."),
        error_messages={"invalid": _("Enter a date and time.")},
    )
    ends_at = BoundedDateTimeField(
        label=_("Until"),
        required=False,
        widget=LocalDateTimeInput(),
        help_text=_("For a one-off window or “until a time tonight”. Agency time."),
        error_messages={"invalid": _("Enter a date and time.")},
    )


class DecisionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class GrantForm(DecisionForm):
    preset = forms.ChoiceField(
        choices=GrantPreset.choices,
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose how long to grant it for.")},
    )
    until = forms.TimeField(
        label=_("Until (agency time)"),
        required=False,
        widget=TimeInput(),
        help_text=_(
            "For “Grant until this time”. A time already past today means after midnight tonight."
        ),
        error_messages={"invalid": _("Enter a time, such as 21:30.")},
    )
    note = forms.CharField(
        label=_("Note for the youth (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def until_at(self) -> datetime | None:
        """The time typed, in the agency's zone: today, or after midnight tonight
        when that time of day has already passed ("until 00:30")."""
        chosen: time | None = self.cleaned_data.get("until")
        if chosen is None:
            return None
        now = timezone.localtime()
        until = timezone.make_aware(datetime.combine(now.date(), chosen))
        if until <= now:
            until = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), chosen))
        return until


class DeclineForm(DecisionForm):
    note = forms.CharField(
        label=_("Why not: what the youth is told"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the reason the youth is told.")},
    )
