"""The youth list's filters. They always narrow a queryset that starts from
Youth.objects.visible_to(user), so a filter can never widen access.

Filters carry ids and choices only (GET parameters are fine in URLs); the free
text search arrives separately (from the session) so names never reach a URL.
"""

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from plans.models import RiskLevel, Youth, YouthQuerySet
from shelter.models import User
from shelter.roles import Role


class YouthFilter(django_filters.FilterSet):
    CURRENT, DISCHARGED, ALL = "current", "discharged", "all"
    OVERDUE, DUE_SOON = "overdue", "week"

    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Youth"),
        choices=[
            (CURRENT, gettext_lazy("Current youth")),
            (DISCHARGED, gettext_lazy("Discharged")),
            (ALL, gettext_lazy("All")),
        ],
        method="filter_status",
        empty_label=None,
    )
    case_manager = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Case manager"),
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Any case manager"),
    )
    risk_level = django_filters.ChoiceFilter(
        label=gettext_lazy("Risk level"),
        field_name="plan__risk_level",
        choices=RiskLevel.choices,
        empty_label=gettext_lazy("Any risk level"),
    )
    review = django_filters.ChoiceFilter(
        label=gettext_lazy("Review"),
        choices=[
            (OVERDUE, gettext_lazy("Overdue")),
            (DUE_SOON, gettext_lazy("Due in the next 7 days")),
        ],
        method="filter_review",
        empty_label=gettext_lazy("Any review date"),
    )
    restricted = django_filters.ChoiceFilter(
        label=gettext_lazy("Restricted now"),
        choices=[
            ("yes", gettext_lazy("Restricted now")),
            ("no", gettext_lazy("Not restricted now")),
        ],
        method="filter_restricted",
        empty_label=gettext_lazy("With or without a restriction"),
    )

    class Meta:
        model = Youth
        fields: list[str] = []

    def __init__(self, *args: Any, search: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.search = search
        user = getattr(self.request, "user", None)
        if getattr(user, "role", None) == Role.CASE_MANAGER:
            # Their list is their caseload: nothing to choose.
            del self.filters["case_manager"]
        else:
            self.filters["case_manager"].queryset = User.objects.case_managers()

    def filter_queryset(self, queryset: YouthQuerySet) -> YouthQuerySet:
        queryset = super().filter_queryset(queryset)
        if self.search:
            queryset = queryset.filter(
                Q(preferred_name__icontains=self.search) | Q(client_id__icontains=self.search)
            )
        return queryset

    def filter_status(self, queryset: YouthQuerySet, name: str, value: str) -> YouthQuerySet:
        if value == self.CURRENT:
            return queryset.current()
        if value == self.DISCHARGED:
            return queryset.discharged()
        return queryset

    def filter_review(self, queryset: YouthQuerySet, name: str, value: str) -> YouthQuerySet:
        today = timezone.localdate()
        if value == self.OVERDUE:
            return queryset.filter(plan__next_review_on__lt=today)
        return queryset.filter(
            plan__next_review_on__gte=today, plan__next_review_on__lte=today + timedelta(days=7)
        )

    def filter_restricted(self, queryset: YouthQuerySet, name: str, value: str) -> YouthQuerySet:
        return queryset.filter(restricted_now=(value == "yes"))
