from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy


class ShelterAdminSite(AdminSite):
    """The Django admin, where administrators manage staff and reference data.

    One sign-in page serves the whole product: the admin's own login hands over
    to it, and a signed-in user without admin rights gets 403, not a second form.
    """

    site_header = gettext_lazy("Shelter technology plans: administration")
    site_title = gettext_lazy("Shelter administration")
    index_title = gettext_lazy("Staff accounts and reference data")

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    @login_not_required
    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", "/admin/"))
