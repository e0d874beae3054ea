"""The reports part of the administrator's home page: the past week's exports."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from reports.models import ExportRecord
from shelter.home import HOME_LIST_LENGTH, HomePanel, admin_week
from shelter.models import User
from shelter.roles import Role


def home_context(user: User) -> dict[str, HomePanel]:
    """Administrators only. Two queries: the count, then the latest exports with
    who took them."""
    if user.role != Role.ADMINISTRATOR:
        return {}
    since, until = admin_week(timezone.now())
    exports = ExportRecord.objects.visible_to(user).filter(at__gte=since, at__lt=until)
    return {
        "exports": HomePanel(
            key="exports",
            title=gettext("Exports in the past 7 days"),
            count=exports.count(),
            items=list(exports[:HOME_LIST_LENGTH]),
            item_template="reports/includes/_home_export.html",
            empty=gettext("No exports in the past 7 days."),
            more_url=reverse("reports:export-list"),
            more_label=gettext("All exports"),
        )
    }
