from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The day's work for the signed-in role (each app adds its panel)."""
    context = {"role": request.user.role}
    return render(request, "shelter/home.html", context)
