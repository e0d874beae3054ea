"""Filters of the registers. Each narrows a queryset that starts from the
model's visible_to(user), so a filter can never widen access. Filters carry ids,
choices and dates only: no free-text search, so no names reach an export record."""

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from desk.models import AccessRequest, RequestKind, RequestStatus
from plans.filters import YouthFilter
from plans.models import Approval, Category, Restriction, RestrictionKind
from policies.models import Policy, PolicyVersion, Status
from reports.forms import DateRangeFilterForm
from shelter.models import User

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def start_of_day(day: date) -> datetime:
    """Midnight of `day` in the agency's zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class PlanRegisterFilter(YouthFilter):
    """The youth list's filters, without its search (names stay out of exports)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("search", None)
        super().__init__(*args, search="", **kwargs)


class CaseloadFilterMixin:
    """For registers filtered by case manager and category: the case managers are
    read when the form is built (accounts change), and "all categories" restrictions
    or requests count for every category."""

    filters: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["case_manager"].queryset = User.objects.case_managers()

    def filter_category(self, queryset: QuerySet, name: str, value: Category) -> QuerySet:
        return queryset.filter(Q(all_categories=True) | Q(categories=value)).distinct()


class RestrictionRegisterFilter(CaseloadFilterMixin, django_filters.FilterSet):
    start = django_filters.DateFilter(
        label=gettext_lazy("In force from"), method="filter_start", widget=DATE_INPUT
    )
    end = django_filters.DateFilter(
        label=gettext_lazy("To"), method="filter_end", widget=DATE_INPUT
    )
    case_manager = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Case manager"),
        field_name="plan__youth__case_manager",
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Any case manager"),
    )
    category = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Category"),
        queryset=Category.objects.all(),
        method="filter_category",
        empty_label=gettext_lazy("Any category"),
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"),
        choices=RestrictionKind.choices,
        empty_label=gettext_lazy("Any kind"),
    )
    approval = django_filters.ChoiceFilter(
        label=gettext_lazy("Approval"),
        choices=Approval.choices,
        empty_label=gettext_lazy("Any approval state"),
    )

    class Meta:
        model = Restriction
        fields: list[str] = []
        form = DateRangeFilterForm

    def filter_start(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        # Overlapping the range: still running at the start of the first day.
        return queryset.filter(ends_at__gt=start_of_day(value))

    def filter_end(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(starts_at__lt=start_of_day(value + timedelta(days=1)))


class PolicyVersionRegisterFilter(django_filters.FilterSet):
    policy = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Topic"),
        queryset=Policy.objects.all(),
        empty_label=gettext_lazy("Any topic"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Status.choices, empty_label=gettext_lazy("Any status")
    )
    start = django_filters.DateFilter(
        label=gettext_lazy("Created from"),
        field_name="created_at",
        method="filter_start",
        widget=DATE_INPUT,
    )
    end = django_filters.DateFilter(
        label=gettext_lazy("To"), method="filter_end", widget=DATE_INPUT
    )

    class Meta:
        model = PolicyVersion
        fields: list[str] = []
        form = DateRangeFilterForm

    def filter_start(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(created_at__gte=start_of_day(value))

    def filter_end(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(created_at__lt=start_of_day(value + timedelta(days=1)))


class RequestRegisterFilter(CaseloadFilterMixin, django_filters.FilterSet):
    """Youth requests by when they were made (the agency's days), who manages
    the youth, the category, what was asked and how it stands."""

    start = django_filters.DateFilter(
        label=gettext_lazy("Requested from"), method="filter_start", widget=DATE_INPUT
    )
    end = django_filters.DateFilter(
        label=gettext_lazy("To"), method="filter_end", widget=DATE_INPUT
    )
    case_manager = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Case manager"),
        field_name="youth__case_manager",
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Any case manager"),
    )
    category = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Category"),
        queryset=Category.objects.all(),
        method="filter_category",
        empty_label=gettext_lazy("Any category"),
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Asked for"),
        choices=RequestKind.choices,
        empty_label=gettext_lazy("Any kind"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=RequestStatus.choices,
        empty_label=gettext_lazy("Any status"),
    )

    class Meta:
        model = AccessRequest
        fields: list[str] = []
        form = DateRangeFilterForm

    def filter_start(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(requested_at__gte=start_of_day(value))

    def filter_end(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(requested_at__lt=start_of_day(value + timedelta(days=1)))


def filters_as_json(filterset: django_filters.FilterSet) -> dict[str, Any]:
    """The applied filters for the export record: ids, choices and ISO dates."""
    applied: dict[str, Any] = {}
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        if hasattr(value, "pk"):
            applied[name] = value.pk
        elif isinstance(value, date):
            applied[name] = value.isoformat()
        else:
            applied[name] = str(value)
    return applied
