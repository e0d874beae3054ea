import contextlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _


class NoStoreMiddleware:
    """Pages about youth must not linger in a browser or proxy cache.

    Static files are answered by whitenoise before this runs, so they keep
    their long-lived caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


# Session keys for the server-side limits (seconds since the epoch).
SIGNED_IN_AT = "shelter_signed_in_at"
LAST_SEEN_AT = "shelter_last_seen_at"
# The idle clock is refreshed at most this often, so an ordinary page view does not
# rewrite the session row: the idle limit is exact to within this many seconds.
LAST_SEEN_RESOLUTION = 60
# Sent by automatic refreshes (hx-headers on the house board): not user activity.
POLL_HEADER = "X-Shelter-Poll"


def start_session_clocks(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Start both session clocks at sign-in (receiver of user_logged_in)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(timezone.now().timestamp())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class SessionLimitsMiddleware:
    """Sign out a session that has been idle too long or is older than its absolute limit.

    The cookie's own expiry is only a promise made to the browser; a copied cookie
    would outlive it. Here the server decides, from times kept in the session:
    SESSION_IDLE_TIMEOUT since the last request, SESSION_COOKIE_AGE since sign-in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = int(timezone.now().timestamp())
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen_at = session.setdefault(LAST_SEEN_AT, now)
            if now - signed_in_at >= settings.SESSION_COOKIE_AGE:
                return self._sign_out(request, _("Your session reached its time limit."))
            if now - last_seen_at >= settings.SESSION_IDLE_TIMEOUT:
                return self._sign_out(
                    request, _("You were signed out after a while without activity.")
                )
            # A page refreshing itself (the house board, every minute) is not
            # someone at the screen: it must not keep an unattended session alive.
            polling = request.headers.get(POLL_HEADER) == "1"
            if now - last_seen_at >= LAST_SEEN_RESOLUTION and not polling:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request: HttpRequest, reason: str) -> HttpResponse:
        logout(request)
        messages.info(request, _("%(reason)s Please sign in again.") % {"reason": reason})
        # The path only: a query string may hold what someone typed in a search box.
        return redirect_to_login(request.path)


class StaffLanguageMiddleware:
    """Every page in the signed-in staff member's own language (User.language).

    Pages before sign-in (the sign-in page, errors for anonymous visitors) are in
    English, the default: plain and predictable, whatever the browser asks for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = settings.LANGUAGE_CODE
        if user is not None and user.is_authenticated and user.language:
            with contextlib.suppress(LookupError):
                language = translation.get_supported_language_variant(user.language)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The same address answers in another language for another staff member.
        patch_vary_headers(response, ("Cookie",))
        return response
