"""Forms for policy work: they validate input; services make the changes."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import Youth
from policies.markdown import markdown_input_problem
from policies.models import Contribution, PolicyVersion
from shelter.formfields import ModelMultipleChoiceByIdField
from shelter.models import User


class DateInput(forms.DateInput):
    input_type = "date"


class DraftForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Policy text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        required=False,
        # A policy is a few pages; the limit keeps the diff and checks quick.
        max_length=50_000,
        help_text=gettext_lazy(
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
        label=gettext_lazy("In force from"),
        widget=DateInput,
        help_text=gettext_lazy("The version in force now stays in force until this date."),
    )
    next_review_on = forms.DateField(
        label=gettext_lazy("Next review"),
        widget=DateInput,
        help_text=gettext_lazy("When staff and youth look at this policy again."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = today or timezone.localdate()
        self.fields["effective_date"].initial = day
        self.fields["next_review_on"].initial = day + timedelta(days=365)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What needs to change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The author sees this comment on the draft."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class RetireForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why is this policy retired?"),
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
        label=gettext_lazy("Youth"),
        help_text=gettext_lazy(
            "A youth in the system you work with. Leave empty for a former youth."
        ),
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
            "credit": gettext_lazy(
                "Ask the youth. Initials show as “A. B.”; not named counts them only."
            ),
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
        label=gettext_lazy("Policies this plan follows"),
        help_text=gettext_lazy(
            "The versions in force today. Tick each policy the youth's plan follows."
        ),
    )
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["versions"].queryset = choices
        self.fields["versions"].label_from_instance = lambda v: (
            _("%(title)s, version %(number)s") % {"title": v.policy.title, "number": v.number}
        )

    def clean_expected(self) -> frozenset[int]:
        raw = self.cleaned_data.get("expected") or ""
        try:
            return frozenset(int(part) for part in raw.split(",") if part)
        except ValueError:
            raise forms.ValidationError(_("Reload the page and try again.")) from None
