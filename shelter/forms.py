"""Forms of the shelter app: they parse and check input; writes go through services."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shelter.models import Language


class SecondFactorCodeForm(forms.Form):
    """A code from an authenticator app (six digits) or a backup code (eight characters)."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args: Any, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if "\x00" in code or not any(ch.isalnum() for ch in code):
            raise forms.ValidationError(_("Type the code: digits or letters."))
        return code


class LanguageForm(forms.Form):
    """The language a staff member reads the pages in."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language of the pages"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Menus, pages and messages appear in this language. "
            "What staff typed about a youth stays as it was written."
        ),
    )
