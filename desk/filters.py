"""The house board's filters. They always narrow a queryset that starts from
Youth.objects.visible_to(user).current(), so a filter can never widen access.
Both carry ids only (fine in URLs): a unit, a case manager."""

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from plans.models import Unit, Youth
from shelter.models import User
from shelter.roles import Role


class BoardFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Every unit")
    )
    case_manager = django_filters.ModelChoiceFilter(
        label=_("Case manager"),
        queryset=User.objects.none(),
        empty_label=_("Any case manager"),
    )

    class Meta:
        model = Youth
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.filter(is_active=True)
        user = getattr(self.request, "user", None)
        if getattr(user, "role", None) == Role.CASE_MANAGER:
            # Their board is their caseload: nothing to choose.
            del self.filters["case_manager"]
        else:
            self.filters["case_manager"].queryset = User.objects.case_managers()

    @property
    def query_string(self) -> str:
        """The valid filters only, to carry over to the refresh and back from a form."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return "&".join(
            f"{name}={value.pk}" for name, value in sorted(data.items()) if value is not None
        )
