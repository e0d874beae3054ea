"""Role checks shared by every app's views.

Per-object rules live on each model's `visible_to(user)` QuerySet and the
app's access helpers; this module only answers "may this role use this page".
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from shelter.roles import Role

View = Callable[..., HttpResponse]


def role_required(*roles: Role) -> Callable[[View], View]:
    """Refuse (403) a signed-in user whose role is not one of `roles`.

    Anonymous users never get here: LoginRequiredMiddleware sends them to sign in.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


any_role = role_required(*Role)
