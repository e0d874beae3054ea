"""The export record in the admin: read only, nothing added, changed or deleted."""

from django.contrib import admin

from reports.models import ExportRecord
from shelter.admin import ReadOnlyAdmin


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "by", "report", "export_format", "row_count", "deidentified")
    list_filter = ("report", "export_format", "deidentified")
    list_select_related = ("by",)
