"""Forms of the shelter app: they parse and check input; writes go through services."""

from typing import Any

from django import forms


class SecondFactorCodeForm(forms.Form):
    """A code from an authenticator app (six digits) or a backup code (eight characters)."""

    code = forms.CharField(
        label="Code",
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
            raise forms.ValidationError("Type the code: digits or letters.")
        return code
