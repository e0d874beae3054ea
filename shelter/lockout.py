"""The answer to a sign-in attempt while django-axes holds a lockout.

Axes counts failures per username *and* address together, so a stranger at one
address cannot lock every account, nor lock one person out from everywhere.
"""

from math import ceil
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with a plain page saying when to try again (AXES_LOCKOUT_CALLABLE).

    The page names no account: whoever is at the keyboard may not own it.
    """
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request, "429.html", {"retry_minutes": max(1, ceil(seconds / 60))}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response
