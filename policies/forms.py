"""Forms for policy work: they validate input; services make the changes."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from plans.models import Youth
from policies.markdown import markdown_input_problem
from policies.models import Contribution, PolicyVersion
from shelter.formfields import ModelMultipleChoiceByIdField
from shelter.models import User


class DateInput(forms.DateInput):
    input_type = "date"


class DraftForm(forms.Form):
    text = forms.CharField(
        label="Policy text",
        widget=forms.Textarea(attrs={"rows": 18}),
        required=False,
        # A policy is a few pages; the limit keeps the diff and checks quick.
        max_length=50_000,
        help_text=(
            "Markdown: # for a heading, - for a list item, *emphasis*, [link text](https://…). "
            "Harm reduction, not zero tolerance: say how access comes back."
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        problem = markdown_input_problem(text)
        if problem:
            # Refused here so a saved draft always renders as formatted text.
            raise forms.ValidationError(problem)
        return text


class RevisionForm(forms.Form):
    """For actions on a version as the user last saw it (submit, acknowledge)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)


class ApproveForm(forms.Form):
    effective_date = forms.DateField(
        label="In force from",
        widget=DateInput,
        help_text="The version in force now stays in force until this date.",
    )
    next_review_on = forms.DateField(
        label="Next review",
        widget=DateInput,
        help_text="When staff and youth look at this policy again.",
    )
    comment = forms.CharField(
        label="Comment (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = today or timezone.localdate()
        self.fields["effective_date"].initial = day
        self.fields["next_review_on"].initial = day + timedelta(days=365)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The author sees this comment on the draft.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class RetireForm(forms.Form):
    note = forms.CharField(
        label="Why is this policy retired?",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class YouthChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Youth) -> str:
        # A name only: client IDs never appear on policy pages.
        return obj.preferred_name


class ContributionForm(forms.ModelForm):
    youth = YouthChoiceField(
        queryset=Youth.objects.none(),
        required=False,
        label="Youth",
        help_text="A youth in the system you work with. Leave empty for a former youth.",
    )

    class Meta:
        model = Contribution
        fields = [
            "youth",
            "pseudonym",
            "kind",
            "summary",
            "contributed_on",
            "facilitated_by",
            "credit",
        ]
        widgets = {
            "contributed_on": DateInput,
            "credit": forms.RadioSelect,
        }
        help_texts = {
            "credit": "Ask the youth. Initials show as “A. B.”; not named counts them only.",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = Youth.objects.visible_to(user).current()
        self.fields["facilitated_by"].queryset = User.objects.case_managers()
        self.fields["facilitated_by"].initial = user.pk
        self.fields["contributed_on"].initial = timezone.localdate()


class PlanPoliciesForm(forms.Form):
    versions = ModelMultipleChoiceByIdField(
        queryset=PolicyVersion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Policies this plan follows",
        help_text="The versions in force today. Tick each policy the youth's plan follows.",
    )
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["versions"].queryset = choices
        self.fields["versions"].label_from_instance = lambda v: (
            f"{v.policy.title}, version {v.number}"
        )

    def clean_expected(self) -> frozenset[int]:
        raw = self.cleaned_data.get("expected") or ""
        try:
            return frozenset(int(part) for part in raw.split(",") if part)
        except ValueError:
            raise forms.ValidationError("Reload the page and try again.") from None
