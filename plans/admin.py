"""Administrators manage technology categories here; youth and plans are shown
read-only (they are edited on the product's own pages, with history and
concurrency checks). Nothing is deleted anywhere: a category is retired by
unticking "is active"."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from plans.models import Category, Plan, Youth


class NoDeleteAdmin(SimpleHistoryAdmin):
    actions = None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(NoDeleteAdmin):
    list_display = ("name", "key", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "key")
    prepopulated_fields = {"key": ("name",)}


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Youth)
class YouthAdmin(ReadOnlyAdmin):
    list_display = ("client_id", "case_manager", "admitted_on", "discharged_on")
    list_select_related = ("case_manager",)
    # No search by name: the admin's search goes into the URL (?q=).
    list_filter = ("discharged_on",)


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("youth", "risk_level", "next_review_on", "updated_at")
    list_select_related = ("youth",)
    list_filter = ("risk_level",)
