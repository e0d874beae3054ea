"""The export record in the admin: read only, nothing added, changed or deleted."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reports.models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "by", "report", "export_format", "row_count", "deidentified")
    list_filter = ("report", "export_format", "deidentified")
    list_select_related = ("by",)
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
