"""Two-step sign-in: who needs it, the gate that holds a session until it is done, and
the writes (set up an authenticator, check a code, new backup codes, reset).

After the password (Django's LoginView, guarded by django-axes), a staff member who has
a confirmed authenticator app (a django-otp TOTP device) types the code it shows, or one
of their ten single-use backup codes (a static device). Supervisors and administrators
must have one (`TWO_FACTOR_REQUIRED`, on everywhere but the demo); anyone else may turn it
on. django-otp's OTPMiddleware marks the session verified (`request.user.is_verified()`)
from the device the code step stored in it; until then SecondFactorMiddleware lets the
session reach only the sign-in steps and sign-out.
"""

import math
from base64 import b32encode
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shelter.audit import audit_record
from shelter.models import AuditAction, User
from shelter.roles import Role

# Roles that may not use the product without the second step.
SECOND_FACTOR_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"

# Whether the user had a confirmed authenticator when this session signed in. Kept in the
# session so that staff without one (most case managers) cost no query per request; the
# code step and a reset correct it.
HAS_AUTHENTICATOR = "shelter_has_authenticator"


class Step(StrEnum):
    """What a signed-in session still owes before it may use the product."""

    VERIFY = "two-step-verify"
    SET_UP = "two-step-set-up"

    @property
    def url(self) -> str:
        return reverse(self.value)


def second_factor_required(user: User) -> bool:
    """Must this user pass the second step to use the product at all?"""
    return settings.TWO_FACTOR_REQUIRED and user.role in SECOND_FACTOR_ROLES


def authenticator_for(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def pending_step(request: HttpRequest) -> Step | None:
    """The step this request's session still owes, or None (computed once per request)."""
    if not hasattr(request, "_second_factor_step"):
        request._second_factor_step = _pending_step(request)  # type: ignore[attr-defined]
    return request._second_factor_step  # type: ignore[attr-defined]


def _pending_step(request: HttpRequest) -> Step | None:
    user = request.user
    if not user.is_authenticated:
        return None
    # OTPMiddleware installs is_verified(); a request that skipped it owes the step.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    session = getattr(request, "session", {})
    has_authenticator = session.get(HAS_AUTHENTICATOR)
    if has_authenticator is None:
        has_authenticator = authenticator_for(user) is not None
        session[HAS_AUTHENTICATOR] = has_authenticator
    if has_authenticator:
        return Step.VERIFY
    if second_factor_required(user):
        return Step.SET_UP
    return None


def note_authenticator_at_sign_in(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """Receiver of user_logged_in: remember whether this user has an authenticator."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[HAS_AUTHENTICATOR] = authenticator_for(user) is not None


View = Callable[..., HttpResponse]


def sign_in_step(*steps: Step) -> Callable[[View], View]:
    """Mark a view as reachable while the session owes one of `steps` (no step: any)."""

    def decorator(view: View) -> View:
        view.second_factor_steps = frozenset(steps or Step)  # type: ignore[attr-defined]
        return view

    return decorator


class SecondFactorMiddleware:
    """Hold a signed-in session that owes the second step on that step's pages.

    Everything else (pages, htmx requests, form posts, the admin) is answered with a
    redirect to the step; static files are served before this runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = pending_step(request)
        if (
            step is None
            or request.path.startswith(settings.STATIC_URL)
            or self._allowed(request, step)
        ):
            return self.get_response(request)
        url = step.url
        if request.method == "GET" and not request.headers.get("HX-Request"):
            # The path only: a query string may hold what someone typed in a search box.
            url = f"{url}?{urlencode({'next': request.path})}"
        if request.headers.get("HX-Request"):
            # htmx would swap the step's page into a fragment: ask it to navigate instead.
            response = HttpResponse(status=200)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)

    @staticmethod
    def _allowed(request: HttpRequest, step: Step) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return step in getattr(match.func, "second_factor_steps", ())


def manual_entry_key(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    text = b32encode(device.bin_key).decode("ascii")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _normalised(code: str) -> str:
    # People type backup codes with spaces or hyphens, and app codes as "123 456".
    return "".join(ch for ch in code.lower() if ch.isalnum())


@dataclass(frozen=True)
class CodeCheck:
    """The result of checking a code: the device that accepted it, or why not."""

    device: TOTPDevice | StaticDevice | None
    wait_seconds: int = 0
    # Setting up an app makes the first backup codes: shown once, then never again.
    backup_codes: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.device is not None


def _wait_seconds(devices: list[TOTPDevice | StaticDevice]) -> int:
    """Seconds until django-otp's throttle lets these devices check a code (0: now)."""
    wait = 0.0
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            wait = max(wait, (data["locked_until"] - timezone.now()).total_seconds())
    return max(math.ceil(wait), 1) if wait > 0 else 0


@transaction.atomic
def second_factor_verify(*, user: User, code: str, request: HttpRequest) -> CodeCheck:
    """Check a code from the user's authenticator app or one of their backup codes.

    A six-digit code goes to the app (django-otp refuses one already used), anything
    else to the backup codes (a used one is gone). One wrong code throttles both, so
    switching between them buys an attacker nothing; each try is audited.
    """
    authenticator = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    backup = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    devices = [device for device in (authenticator, backup) if device is not None]
    wait = _wait_seconds(devices)
    if wait:
        audit_record(
            action=AuditAction.SECOND_FACTOR_FAILED,
            actor=user,
            request=request,
            detail={"reason": "throttled"},
        )
        return CodeCheck(device=None, wait_seconds=wait)
    token = _normalised(code)
    from_app = authenticator is not None and token.isdigit() and len(token) == authenticator.digits
    target = authenticator if from_app else backup
    if target is not None and target.verify_token(token):
        for device in devices:
            if device is not target and device.throttling_failure_count:
                device.throttle_reset()
        audit_record(
            action=AuditAction.SECOND_FACTOR_OK,
            actor=user,
            request=request,
            detail={"method": "authenticator" if target is authenticator else "backup_code"},
        )
        return CodeCheck(device=target)
    for device in devices:
        # verify_token already counted the failure on the device it tried.
        if device is not target:
            device.throttle_increment()
    audit_record(
        action=AuditAction.SECOND_FACTOR_FAILED,
        actor=user,
        request=request,
        detail={"reason": "wrong_code"},
    )
    return CodeCheck(device=None)


def second_factor_sign_in(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    """Mark this session verified by `device`, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[HAS_AUTHENTICATOR] = True
    request._second_factor_step = None  # type: ignore[attr-defined]


@transaction.atomic
def second_factor_set_up_start(*, user: User) -> TOTPDevice:
    """A new secret for the user's authenticator app, unconfirmed until a code proves it.

    Starting again gives the same unconfirmed device a fresh secret: a secret that was
    shown but never confirmed is never trusted.
    """
    device = authenticator_for(user, confirmed=False) or TOTPDevice(
        user=user, name=AUTHENTICATOR_NAME, confirmed=False
    )
    device.key = TOTPDevice._meta.get_field("key").get_default()
    device.throttle_reset(commit=False)
    device.last_t = -1
    device.drift = 0
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def second_factor_set_up_confirm(
    *, user: User, device: TOTPDevice, code: str, request: HttpRequest
) -> CodeCheck:
    """Confirm a new authenticator with a code from it, and make the first backup codes."""
    wait = _wait_seconds([device])
    if wait:
        audit_record(
            action=AuditAction.SECOND_FACTOR_FAILED,
            actor=user,
            request=request,
            detail={"reason": "throttled", "step": "set_up"},
        )
        return CodeCheck(device=None, wait_seconds=wait)
    if not device.verify_token(_normalised(code)):
        audit_record(
            action=AuditAction.SECOND_FACTOR_FAILED,
            actor=user,
            request=request,
            detail={"reason": "wrong_code", "step": "set_up"},
        )
        return CodeCheck(device=None)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user)
    audit_record(action=AuditAction.SECOND_FACTOR_ENROLLED, actor=user, request=request)
    return CodeCheck(device=device, backup_codes=tuple(codes))


@transaction.atomic
def second_factor_backup_codes_renew(*, user: User, request: HttpRequest) -> list[str]:
    """Replace the user's backup codes with ten new ones (the old ones stop working)."""
    codes = _new_backup_codes(user)
    audit_record(
        action=AuditAction.CHANGE,
        actor=user,
        request=request,
        obj=user,
        detail={"op": "second_factor_backup_codes_renew"},
    )
    return codes


def _new_backup_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": BACKUP_CODES_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_reset(*, user: User, by: User, request: HttpRequest | None = None) -> int:
    """Remove a staff member's authenticator and backup codes (a lost or new phone).

    Their verified sessions lose the verification at the next request, and they set
    up two-step sign-in again (or, if their role does not need it, go without).
    Returns how many devices were removed.
    """
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        _total, by_model = model.objects.filter(user=user).delete()
        removed += by_model.get(model._meta.label, 0)
    audit_record(
        action=AuditAction.SECOND_FACTOR_RESET,
        actor=by,
        request=request,
        obj=user,
        detail={"removed": removed},
    )
    return removed
