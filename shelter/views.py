from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from desk.home import home_context as desk_home_context
from plans.home import home_context as plans_home_context
from policies.home import home_context as policies_home_context
from reports.home import home_context as reports_home_context
from shelter.home import home_context as shelter_home_context
from shelter.roles import Role

# Each role's panels, most pressing first. A name with no panel (an app that has
# nothing for this role) is skipped.
HOME_PANELS: dict[Role, tuple[str, ...]] = {
    Role.CASE_MANAGER: (
        "youth",
        "reviews-overdue",
        "reviews-due",
        "restrictions-ending",
        "requests-waiting",
        "overrides",
        "plans-flagged",
        "drafts-returned",
    ),
    Role.SUPERVISOR: (
        "restrictions-waiting",
        "requests-waiting",
        "drafts-to-review",
        "policies-overdue",
        "acknowledgements-missing",
        "reviews-overdue",
        "plans-flagged",
        "drafts-returned",
    ),
    Role.ADMINISTRATOR: (
        "exports",
        "accounts",
        "accounts-without-two-step",
        "accounts-deactivated",
        "audit",
    ),
}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The day's work for the signed-in role (each app adds its panels)."""
    user = request.user
    panels = {
        **plans_home_context(user),
        **desk_home_context(user),
        **policies_home_context(user),
        **reports_home_context(user),
        **shelter_home_context(user),
    }
    ordered = [panels[key] for key in HOME_PANELS.get(user.role, ()) if key in panels]
    context = {"role": user.role, "panels": [panel for panel in ordered if panel.shows]}
    return render(request, "shelter/home.html", context)
