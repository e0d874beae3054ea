"""Writes of the reports app: only the export record, append-only."""

from typing import Any

from django.db import transaction

from reports.models import ExportRecord
from shelter.audit import audit_record
from shelter.models import AuditAction, User


@transaction.atomic
def export_record_create(
    *,
    by: User,
    report: str,
    export_format: str,
    filters: dict[str, Any],
    row_count: int,
    deidentified: bool,
) -> ExportRecord:
    record = ExportRecord(
        by=by,
        report=report,
        export_format=export_format,
        filters=filters,
        row_count=row_count,
        deidentified=deidentified,
    )
    record.full_clean()
    record.save()
    audit_record(
        action=AuditAction.EXPORT,
        actor=by,
        obj=record,
        detail={"op": "export_record_create", "report": report, "format": export_format},
    )
    return record
