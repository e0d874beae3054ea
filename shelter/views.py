from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans.home import home_context as plans_home_context
from policies.home import home_context as policies_home_context
from reports.home import home_context as reports_home_context


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The day's work for the signed-in role (each app adds its panels)."""
    context = {
        "role": request.user.role,
        **plans_home_context(request.user),
        **policies_home_context(request.user),
        **reports_home_context(request.user),
    }
    return render(request, "shelter/home.html", context)
