"""The record of every export: who took which report, when, with which filters.

Append-only: rows are written by reports.services.export_record_create and never
changed or deleted (the admin offers neither).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from shelter.roles import Role


class Report(models.TextChoices):
    PLANS = "plans", gettext_lazy("Plans register")
    RESTRICTIONS = "restrictions", gettext_lazy("Restrictions register")
    POLICIES = "policies", gettext_lazy("Policy versions register")
    REQUESTS = "requests", gettext_lazy("Youth requests register")
    SUMMARY = "summary", gettext_lazy("De-identified summary")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", gettext_lazy("Excel")


class ExportRecordQuerySet(models.QuerySet["ExportRecord"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> "ExportRecordQuerySet":  # type: ignore[valid-type]
        """Only administrators read the export record."""
        if getattr(user, "role", None) == Role.ADMINISTRATOR:
            return self.select_related("by")
        return self.none()


class ExportRecord(models.Model):
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    report = models.CharField(max_length=20, choices=Report.choices)
    export_format = models.CharField("format", max_length=8, choices=ExportFormat.choices)
    # Ids, choices and dates only: the reports never take free-text search.
    filters = models.JSONField(default=dict, blank=True)
    row_count = models.PositiveIntegerField()
    deidentified = models.BooleanField(default=False)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Export {self.pk}"

    @property
    def filters_label(self) -> str:
        if not self.filters:
            return gettext("No filters")
        return "; ".join(f"{key}: {value}" for key, value in sorted(self.filters.items()))
