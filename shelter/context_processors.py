from typing import Any

from django.http import HttpRequest

from shelter.navigation import items_for
from shelter.twofactor import pending_step


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # Mid sign-in (the code step or setting up an app) there is nowhere else to go yet.
    if pending_step(request) is not None:
        return {"nav_items": [], "second_factor_pending": True}
    return {"nav_items": items_for(user.role)}
