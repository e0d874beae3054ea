from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from desk.home import home_context as desk_home_context
from library.home import home_context as library_home_context
from plans.home import home_context as plans_home_context
from policies.home import home_context as policies_home_context
from reports.home import home_context as reports_home_context
from shelter.forms import LanguageForm
from shelter.home import home_context as shelter_home_context
from shelter.models import Language
from shelter.roles import Role
from shelter.services import staff_set_language

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
        "training-due",
    ),
    Role.SUPERVISOR: (
        "restrictions-waiting",
        "requests-waiting",
        "drafts-to-review",
        "policies-overdue",
        "acknowledgements-missing",
        "training-missing",
        "reviews-overdue",
        "plans-flagged",
        "drafts-returned",
        "training-due",
    ),
    Role.ADMINISTRATOR: (
        "exports",
        "accounts",
        "accounts-without-two-step",
        "accounts-deactivated",
        "audit",
        "training-due",
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
        **library_home_context(user),
        **shelter_home_context(user),
    }
    ordered = [panels[key] for key in HOME_PANELS.get(user.role, ()) if key in panels]
    context = {"role": user.role, "panels": [panel for panel in ordered if panel.shows]}
    return render(request, "shelter/home.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def language(request: HttpRequest) -> HttpResponse:
    """The staff member's own choice of language for the pages."""
    form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        chosen = Language(form.cleaned_data["language"])
        staff_set_language(user=request.user, language=chosen)
        # Said in the language just chosen: the next page is in it.
        with translation.override(chosen):
            messages.success(request, _("Language saved."))
        return redirect("language")
    return render(request, "shelter/language.html", {"form": form})
