"""Training records change only through here: each function in a transaction,
each writing its audit row in that same transaction. Records are withdrawn,
never deleted."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from library.models import Resource, TrainingRecord
from shelter.audit import audit_record
from shelter.models import AuditAction, User


@transaction.atomic
def training_record_add(
    *,
    staff: User,
    by: User,
    completed_on: date,
    hours: Decimal,
    resource: Resource | None = None,
    course_name: str = "",
) -> TrainingRecord:
    """Record a training `staff` completed: a library resource, or a course named
    in words. Refused (nothing saved) for a date in the future or negative hours."""
    if staff.role is None:
        raise ValidationError(_("Only staff record training."))
    record = TrainingRecord(
        staff=staff,
        resource=resource,
        course_name=course_name.strip(),
        completed_on=completed_on,
        hours=hours,
        recorded_by=by,
    )
    record.full_clean()
    record.save()
    audit_record(
        action=AuditAction.CHANGE, actor=by, obj=record, detail={"op": "training_record_add"}
    )
    return record


@transaction.atomic
def training_record_withdraw(*, record: TrainingRecord, by: User) -> TrainingRecord:
    """Withdraw a record entered by mistake: kept, marked with who and when. A
    second press (another tab) changes nothing and says so."""
    # Lock the row so two presses serialise: the second sees the first's withdrawal.
    current = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    if current.is_withdrawn:
        raise ValidationError(_("This training record was already withdrawn."))
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = by
    current.full_clean()
    current.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        action=AuditAction.CHANGE,
        actor=by,
        obj=current,
        detail={"op": "training_record_withdraw"},
    )
    return current
