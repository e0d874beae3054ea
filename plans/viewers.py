"""Who has viewed a youth's record: read from the audit trail.

Youth have the right to know who reviewed their records. Every opening of the
youth's page, plan edit page, history or printable plan writes a VIEW_YOUTH or
VIEW_PLAN row (see shelter.audit); this folds them into one line per staff member.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q

from plans.models import Plan, Youth
from shelter.models import AuditAction, AuditEvent, User


@dataclass(frozen=True)
class RecordViewer:
    staff: User
    views: int
    first_at: datetime
    last_at: datetime


def record_viewers(youth: Youth) -> list[RecordViewer]:
    """One row per staff member who viewed the youth's record or plan, the most
    recent viewer first. `youth.plan` should be loaded with the youth.

    Two queries: the counts per staff member (grouped in the database, on the
    audit trail's object index), then those staff with their groups (for the role).
    """
    views = (
        AuditEvent.objects.filter(
            Q(
                action=AuditAction.VIEW_YOUTH,
                object_type=Youth._meta.label_lower,
                object_id=youth.pk,
            )
            | Q(
                action=AuditAction.VIEW_PLAN,
                object_type=Plan._meta.label_lower,
                object_id=youth.plan.pk,
            ),
            actor__isnull=False,
        )
        .values("actor")
        .annotate(views=Count("pk"), first_at=Min("at"), last_at=Max("at"))
        .order_by("-last_at", "actor")
    )
    rows = list(views)
    staff = User.objects.prefetch_related("groups").in_bulk([row["actor"] for row in rows])
    return [
        RecordViewer(
            staff=staff[row["actor"]],
            views=row["views"],
            first_at=row["first_at"],
            last_at=row["last_at"],
        )
        for row in rows
    ]
