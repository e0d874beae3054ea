"""Administrators curate the library here: topics (with the plan categories and
policies each is about) and resources. Nothing is deleted: a resource is retired
by unticking "is active". A link that is not http(s) is refused by
Resource.clean(), next to the field, and nothing is saved."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from library.models import RequiredTraining, Resource, Topic
from shelter.admin import NoDeleteAdmin


@admin.register(Topic)
class TopicAdmin(NoDeleteAdmin):
    list_display = ("name", "key", "position")
    search_fields = ("name",)
    filter_horizontal = ("categories", "policies")


@admin.register(Resource)
class ResourceAdmin(NoDeleteAdmin):
    list_display = ("title", "publisher", "audience", "is_course", "is_active")
    list_filter = ("is_active", "audience", "topics", "is_course")
    search_fields = ("title", "publisher", "summary")
    filter_horizontal = ("topics",)
    # An address typed without its scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = (
        "title",
        "url",
        "publisher",
        "summary",
        "audience",
        "topics",
        "is_course",
        "is_active",
    )

    def save_model(self, request: HttpRequest, obj: Resource, form: Any, change: bool) -> None:
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RequiredTraining)
class RequiredTrainingAdmin(NoDeleteAdmin):
    """Which course each role must complete, and how often. Retired by unticking
    "is active" (its history stays); one active requirement per course and role."""

    list_display = ("resource", "role", "renewal_months", "is_active")
    list_filter = ("is_active", "role")
    search_fields = ("resource__title",)
    list_select_related = ("resource",)
    fields = ("resource", "role", "renewal_months", "is_active")
