"""The library page's filters: a topic and an audience, by id and choice (nothing
personal, so GET parameters are fine). They narrow a queryset that starts from
Resource.objects.visible_to(user)."""

import django_filters
from django.utils.translation import gettext_lazy

from library.models import Audience, Resource, Topic


class ResourceFilter(django_filters.FilterSet):
    topic = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Topic"),
        field_name="topics",
        queryset=Topic.objects.all(),
        empty_label=gettext_lazy("Any topic"),
    )
    audience = django_filters.ChoiceFilter(
        label=gettext_lazy("For"),
        choices=Audience.choices,
        empty_label=gettext_lazy("Staff and youth"),
    )

    class Meta:
        model = Resource
        fields: list[str] = []
