"""The front desk's panel on the youth page: record a request, check a device
out, and the check-outs that went against the plan (for the youth's editors)."""

from datetime import datetime, timedelta
from typing import Any

from desk.models import DeviceSession
from plans.access import can_edit_youth
from plans.models import Youth
from shelter.models import User
from shelter.roles import Role

OVERRIDES_WITHIN_DAYS = 14


def youth_desk_context(user: User, youth: Youth, now: datetime) -> dict[str, Any]:
    """One query, for the youth's editors only: their overrides of the last 14 days."""
    editor = can_edit_youth(user, youth)
    since = now - timedelta(days=OVERRIDES_WITHIN_DAYS)
    overrides = (
        list(DeviceSession.objects.overrides_for(user, since).filter(youth=youth)) if editor else []
    )
    return {
        "desk_overrides": overrides,
        "desk_overrides_days": OVERRIDES_WITHIN_DAYS,
        "desk_can_record": user.role in (Role.CASE_MANAGER, Role.SUPERVISOR)
        and not youth.is_discharged,
        "desk_can_check_out": editor,
    }
