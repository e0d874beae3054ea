"""The reports part of the administrator's home page: the latest exports."""

from typing import Any

from reports.models import ExportRecord
from shelter.models import User
from shelter.roles import Role

RECENT_EXPORTS = 5


def home_context(user: User) -> dict[str, Any]:
    """Administrators only. One query: the latest exports with who took them."""
    if user.role != Role.ADMINISTRATOR:
        return {}
    return {"recent_exports": list(ExportRecord.objects.visible_to(user)[:RECENT_EXPORTS])}
