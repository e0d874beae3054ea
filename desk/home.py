"""The front desk's part of the home page: youth requests waiting for a
decision, and check-outs that went against the plan."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.models import AccessRequest, DeviceSession
from shelter.home import HOME_LIST_LENGTH, HomePanel
from shelter.models import User
from shelter.roles import Role

OVERRIDES_WITHIN_DAYS = 7


def home_context(user: User) -> dict[str, HomePanel]:
    """Case managers: requests waiting and recent overrides for their caseload
    (four queries: each counted, then listed). Supervisors: every request they
    may see that waits (two queries)."""
    if user.role not in (Role.CASE_MANAGER, Role.SUPERVISOR):
        return {}
    now = timezone.now()
    waiting = (
        AccessRequest.objects.visible_to(user)
        .waiting(now)
        .select_related("youth")
        .order_by("requested_at", "pk")
    )
    panels = {
        "requests-waiting": HomePanel(
            key="requests-waiting",
            title=_("Youth requests waiting for a decision"),
            count=waiting.count(),
            items=list(waiting[:HOME_LIST_LENGTH]),
            item_template="desk/includes/_home_request.html",
            empty=_("No requests waiting."),
            more_url=reverse("desk:request-list"),
            more_label=_("All requests"),
        )
    }
    if user.role == Role.CASE_MANAGER:
        since = now - timedelta(days=OVERRIDES_WITHIN_DAYS)
        overrides = DeviceSession.objects.overrides_for(user, since)
        panels["overrides"] = HomePanel(
            key="overrides",
            title=_("Check-outs against the plan, last %(days)s days")
            % {"days": OVERRIDES_WITHIN_DAYS},
            count=overrides.count(),
            items=list(overrides[:HOME_LIST_LENGTH]),
            item_template="desk/includes/_home_override.html",
            empty=_("No check-outs against the plan for your youth this week."),
            # The nearest full list: the log shows today's sessions.
            more_url=reverse("desk:device-log"),
            more_label=_("Today's device log"),
        )
    return panels
