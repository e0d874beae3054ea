"""Writes of the reports app: only the export record, append-only."""

from typing import Any

from django.db import transaction

from reports.models import ExportRecord
from shelter.models import User


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
    return record
