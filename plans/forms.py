"""Forms of the plans app: they parse and check input; writes go through plans.services."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from plans.models import (
    MAX_DAILY_LIMIT_MINUTES,
    AccessRule,
    Category,
    HelpContact,
    Plan,
    RestrictionKind,
    RiskLevel,
    TimeWindow,
    Unit,
    Youth,
)
from plans.services import PLAN_FIELDS, RuleData, WindowData
from shelter.formfields import BoundedDateTimeField, ModelMultipleChoiceByIdField
from shelter.models import User
from shelter.roles import Role

WEEKDAY_CHOICES = list(WEEKDAYS.items())  # Monday first, in the active language


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the form's fields it names,
    and above the form for the rest."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class YouthSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name or client ID"),
        max_length=80,
        required=False,
        help_text=gettext_lazy(
            "Kept out of the page address, so it stays off shared screens and logs."
        ),
    )


class YouthForm(forms.ModelForm):
    """Youth facts. Case managers add youth to their own caseload only, so the
    case manager field is for supervisors. `version` guards against overwrites."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Youth
        fields = [
            "preferred_name",
            "client_id",
            "birth_year",
            "birth_date",
            "admitted_on",
            "discharged_on",
            "case_manager",
            "unit",
            "preferred_language",
        ]
        labels = {
            "preferred_name": gettext_lazy("Preferred name"),
            "birth_year": gettext_lazy("Birth year"),
            "birth_date": gettext_lazy("Birth date"),
            "discharged_on": gettext_lazy("Discharged on"),
            "admitted_on": gettext_lazy("Admitted on"),
            "case_manager": gettext_lazy("Case manager"),
            "unit": gettext_lazy("Unit"),
        }
        help_texts = {
            "discharged_on": gettext_lazy(
                "Set this when the youth leaves. Discharged youth stay readable "
                "but can no longer be edited."
            ),
        }
        widgets = {
            "birth_date": DateInput(),
            "admitted_on": DateInput(),
            "discharged_on": DateInput(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.role == Role.SUPERVISOR:
            field = self.fields["case_manager"]
            field.queryset = User.objects.case_managers()  # type: ignore[attr-defined]
            field.error_messages["invalid_choice"] = _(
                "Choose an active case manager or supervisor."
            )
        else:
            del self.fields["case_manager"]
        unit = self.fields["unit"]
        # Units in use, and the youth's own even if it was retired since.
        in_use = Q(is_active=True) | Q(pk=self.instance.unit_id)
        unit.queryset = Unit.objects.filter(in_use)  # type: ignore[attr-defined]
        unit.empty_label = _("No unit")
        unit.help_text = _("The house, floor or wing the youth lives in. Optional.")
        unit.error_messages["invalid_choice"] = _("Choose a unit in use.")
        self.fields["preferred_language"].required = False
        if self.instance.pk is None:
            del self.fields["discharged_on"]
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version

    def clean_preferred_language(self) -> str:
        # A form posted without it (a script, an older page) keeps the youth's language.
        return self.cleaned_data["preferred_language"] or self.instance.preferred_language

    def youth_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = list(PLAN_FIELDS)
        labels = {
            "strengths": gettext_lazy("Strengths"),
            "challenges": gettext_lazy("Challenges"),
            "risk_level": gettext_lazy("Risk level"),
        }
        help_texts = {
            "risk_rationale": gettext_lazy(
                "Required when you change the risk level. The earlier one stays in the history."
            ),
        }
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "challenges": forms.Textarea(attrs={"rows": 3}),
            "youth_words": forms.Textarea(attrs={"rows": 3}),
            "risk_rationale": forms.Textarea(attrs={"rows": 2}),
            "next_review_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["risk_level"].widget = forms.RadioSelect(choices=RiskLevel.choices)

    def plan_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RuleForm(forms.Form):
    """One category's rule: a row of the rules formset (one row per active category)."""

    category = forms.IntegerField(widget=forms.HiddenInput)
    supervised = forms.BooleanField(
        label=gettext_lazy("Only with staff supervising"), required=False
    )
    daily_limit_minutes = forms.IntegerField(
        label=gettext_lazy("Daily limit (minutes)"),
        required=False,
        min_value=1,
        max_value=MAX_DAILY_LIMIT_MINUTES,
        help_text=f"1 to {MAX_DAILY_LIMIT_MINUTES}. Leave empty for no limit.",
        error_messages={
            "min_value": gettext_lazy("Enter at least 1 minute, or leave empty for no limit."),
            "max_value": format_lazy(
                gettext_lazy("Enter at most {minutes} minutes (16 hours)."),
                minutes=MAX_DAILY_LIMIT_MINUTES,
            ),
            "invalid": gettext_lazy("Enter a whole number of minutes."),
        },
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    category_name = ""

    def rule_data(self) -> RuleData:
        data = self.cleaned_data
        return RuleData(
            category_id=data["category"],
            supervised=data["supervised"],
            daily_limit_minutes=data["daily_limit_minutes"],
            note=data["note"],
        )


class WindowForm(forms.Form):
    """A time window: days, start and end. An end before the start runs past midnight."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = forms.TypedChoiceField(label=gettext_lazy("Category"), coerce=int)
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Days it opens"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(
        label=pgettext_lazy("beginning of a time span", "Start"),
        widget=TimeInput(),
        error_messages={
            "required": gettext_lazy("Give a start time."),
            "invalid": gettext_lazy("Enter a time like 20:00."),
        },
    )
    end_time = forms.TimeField(
        label=pgettext_lazy("end of a time span", "End"),
        widget=TimeInput(),
        help_text=gettext_lazy("An end before the start runs past midnight (20:00 to 01:00)."),
        error_messages={
            "required": gettext_lazy("Give an end time."),
            "invalid": gettext_lazy("Enter a time like 01:00."),
        },
    )

    def __init__(self, *args: Any, category_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mask = sum(1 << day for day in data.get("weekdays") or [])
        data["weekday_mask"] = mask
        window = TimeWindow(
            weekdays=mask, start_time=data.get("start_time"), end_time=data.get("end_time")
        )
        try:
            window.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in self.errors:
                    self.add_error(name, messages)
        return data

    def window_data(self) -> WindowData:
        data = self.cleaned_data
        return WindowData(
            category_id=data["category"],
            weekdays=data["weekday_mask"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            window_id=data["id"],
        )


class BaseWindowFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this window")


RuleFormSet = forms.formset_factory(RuleForm, extra=0)
WindowFormSet = forms.formset_factory(
    WindowForm, formset=BaseWindowFormSet, extra=1, can_delete=True
)


class PlanEditForms:
    """The plan edit page's three parts, validated together: nothing is saved
    unless the plan, every rule and every window are valid."""

    def __init__(
        self,
        data: Any,
        *,
        plan: Plan,
        categories: list[Category],
        rules: list[AccessRule],
    ) -> None:
        rules_by_category = {rule.category_id: rule for rule in rules}
        names = {category.pk: category.name for category in categories}
        names.update({rule.category_id: rule.category.name for rule in rules})
        self.plan_form = PlanForm(data, instance=plan)
        self.rules = RuleFormSet(
            data,
            prefix="rules",
            initial=[
                _rule_initial(category, rules_by_category.get(category.pk))
                for category in categories
            ],
        )
        for form in self.rules:
            category_id = form["category"].value()
            form.category_name = names.get(_int(category_id), _("Unknown category"))
        active_ids = {category.pk for category in categories}
        choices = [(category.pk, category.name) for category in categories] + [
            (rule.category_id, rule.category.name)
            for rule in rules
            if rule.category_id not in active_ids and list(rule.windows.all())
        ]
        self.windows = WindowFormSet(
            data,
            prefix="windows",
            initial=[
                {
                    "id": window.pk,
                    "category": rule.category_id,
                    "weekdays": sorted(window.day_numbers),
                    "start_time": window.start_time,
                    "end_time": window.end_time,
                }
                for rule in rules
                for window in rule.windows.all()
            ],
            form_kwargs={"category_choices": [("", gettext_lazy("Choose a category")), *choices]},
        )

    def is_valid(self) -> bool:
        # Evaluate all three so every error shows at once.
        results = [self.plan_form.is_valid(), self.rules.is_valid(), self.windows.is_valid()]
        return all(results)

    def plan_data(self) -> dict[str, Any]:
        return self.plan_form.plan_data()

    def rule_data(self) -> list[RuleData]:
        return [form.rule_data() for form in self.rules]

    def window_data(self) -> list[WindowData]:
        # Saved windows stay unless ticked for removal; a blank extra row is no window.
        deleted = self.windows.deleted_forms
        kept = [form for form in self.windows.initial_forms if form not in deleted]
        added = [
            form for form in self.windows.extra_forms if form.has_changed() and form not in deleted
        ]
        return [form.window_data() for form in kept + added]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _rule_initial(category: Category, rule: AccessRule | None) -> dict[str, Any]:
    if rule is None:
        return {"category": category.pk}
    return {
        "category": category.pk,
        "supervised": rule.supervised,
        "daily_limit_minutes": rule.daily_limit_minutes,
        "note": rule.note,
    }


# Restrictions


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; values are read in the agency's zone."""

    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class RestrictionImposeForm(forms.Form):
    all_categories = forms.BooleanField(
        label=gettext_lazy("All categories"),
        required=False,
        help_text=gettext_lazy("Every category, including any added later."),
    )
    categories = ModelMultipleChoiceByIdField(
        label=gettext_lazy("Or only these categories"),
        queryset=Category.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Meanwhile the youth may"),
        choices=[
            (RestrictionKind.DENY, gettext_lazy("Not use them at all (no access)")),
            (RestrictionKind.SUPERVISED, gettext_lazy("Use them only with staff supervising")),
        ],
        widget=forms.RadioSelect,
        initial=RestrictionKind.DENY,
        error_messages={"required": gettext_lazy("Choose no access or supervised use only.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Why: the danger or higher risk now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Write why the youth is in danger or at higher risk now.")
        },
    )
    starts_at = BoundedDateTimeField(
        label=pgettext_lazy("beginning of a time span", "Start"),
        widget=LocalDateTimeInput(),
        error_messages={
            "required": gettext_lazy("Give a start."),
            "invalid": gettext_lazy("Enter a date and time."),
        },
    )
    ends_at = BoundedDateTimeField(
        label=pgettext_lazy("end of a time span", "End"),
        widget=LocalDateTimeInput(),
        error_messages={
            "required": gettext_lazy("Give an end: every restriction ends."),
            "invalid": gettext_lazy("Enter a date and time."),
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        zone = settings.TIME_ZONE
        self.fields["starts_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["starts_at"].help_text = _("Agency time (%(zone)s). Now, or later.") % {
            "zone": zone
        }
        self.fields["ends_at"].help_text = _(
            "Agency time (%(zone)s). At most %(days)s days after the start."
        ) % {"zone": zone, "days": settings.RESTRICTION_MAX_DAYS}


class ReturnTo(forms.ChoiceField):
    """Where to go back after a decision or a lift: a fixed choice, never a URL."""

    def __init__(self) -> None:
        super().__init__(
            choices=[("youth", "youth page"), ("queue", "approvals")],
            widget=forms.HiddenInput,
            required=False,
        )


class RestrictionDecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for the case manager"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when you decline."),
    )
    return_to = ReturnTo()


class RestrictionLiftForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why, for the record"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Write why the restriction is lifted.")},
    )
    return_to = ReturnTo()


# Help the youth can always reach


class HelpContactForm(forms.ModelForm):
    """Someone the youth can always reach; written through help_contact_add."""

    class Meta:
        model = HelpContact
        fields = ["kind", "name", "how_to_reach", "note"]
        labels = {
            "name": gettext_lazy("Who or what"),
            "note": gettext_lazy("Note for the youth (optional)"),
        }
        help_texts = {
            "name": gettext_lazy(
                "A name as the youth knows them, e.g. “Aunt Rosa” or “Drop-in centre”."
            ),
            "note": gettext_lazy("Shown on the youth's printed plan, e.g. “Evenings after 6 pm”."),
        }
        error_messages = {
            "name": {"required": gettext_lazy("Write who or what this is.")},
            "how_to_reach": {"required": gettext_lazy("Write how the youth reaches them.")},
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["how_to_reach"].required = True
