"""The pages of two-step sign-in: the code step, setting up an authenticator app, the
backup codes, and each staff member's own "Two-step sign-in" page.

The rules and writes live in shelter/twofactor.py; SecondFactorMiddleware decides which
of these pages a session that still owes a step may reach (`sign_in_step`).
"""

import io
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from shelter.forms import SecondFactorCodeForm
from shelter.twofactor import (
    BACKUP_CODE_COUNT,
    HAS_AUTHENTICATOR,
    CodeCheck,
    Step,
    authenticator_for,
    backup_codes_left,
    manual_entry_key,
    pending_step,
    second_factor_backup_codes_renew,
    second_factor_required,
    second_factor_set_up_confirm,
    second_factor_set_up_start,
    second_factor_sign_in,
    second_factor_verify,
    sign_in_step,
)

VERIFY_HELP = gettext_lazy(
    "The 6-digit code your authenticator app shows now, or one of your backup codes. "
    "Each code works once."
)
SET_UP_HELP = gettext_lazy("The 6-digit code the app shows for this account after you add it.")


def _next_url(request: HttpRequest) -> str:
    """Where to go after the step: the page asked for (this site only), else home."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _refusal(check: CodeCheck) -> str:
    if check.wait_seconds:
        return _(
            "Too many wrong codes. Wait %(seconds)s seconds, then try again "
            "with the code your app shows at that time."
        ) % {"seconds": check.wait_seconds}
    return _(
        "That code did not work. Check that it is the newest code for this account, "
        "or use one of your backup codes."
    )


@sign_in_step(Step.VERIFY)
@require_http_methods(["GET", "POST"])
@login_required
def two_step_verify(request: HttpRequest) -> HttpResponse:
    """The code step after the password, for staff who have an authenticator app."""
    if pending_step(request) != Step.VERIFY:
        return redirect(_next_url(request))
    if authenticator_for(request.user) is None:
        # Reset by an administrator since this session signed in.
        request.session[HAS_AUTHENTICATOR] = False
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None, help_text=VERIFY_HELP)
    if request.method == "POST" and form.is_valid():
        check = second_factor_verify(
            user=request.user, code=form.cleaned_data["code"], request=request
        )
        if check.device is not None:
            second_factor_sign_in(request, check.device)
            if check.device.persistent_id.startswith("otp_static."):
                left = backup_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You used a backup code; %(left)s left. Make new ones on your "
                        "Two-step sign-in page if you are running out."
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
        form.add_error("code", _refusal(check))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/two_step_verify.html", context)


@sign_in_step(Step.SET_UP)
@require_GET
@login_required
def two_step_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: start, then scan the QR code and confirm with a code."""
    if authenticator_for(request.user) is not None:
        return redirect("two-step")
    form = SecondFactorCodeForm(help_text=SET_UP_HELP)
    return _set_up_page(request, form)


def _set_up_page(request: HttpRequest, form: SecondFactorCodeForm) -> HttpResponse:
    device = authenticator_for(request.user, confirmed=False)
    context = {
        "device": device,
        "manual_key": manual_entry_key(device) if device else "",
        "form": form,
        "required": second_factor_required(request.user),
        "next": _next_url(request),
    }
    return render(request, "registration/two_step_set_up.html", context)


@sign_in_step(Step.SET_UP)
@require_POST
@login_required
def two_step_set_up_start(request: HttpRequest) -> HttpResponse:
    if authenticator_for(request.user) is not None:
        return redirect("two-step")
    second_factor_set_up_start(user=request.user)
    return redirect(f"{reverse('two-step-set-up')}?{urlencode({'next': _next_url(request)})}")


@sign_in_step(Step.SET_UP)
@require_POST
@login_required
def two_step_set_up_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm the app with a code; then show the backup codes, once."""
    if authenticator_for(request.user) is not None:
        return redirect("two-step")
    device = authenticator_for(request.user, confirmed=False)
    if device is None:
        return redirect("two-step-set-up")
    form = SecondFactorCodeForm(request.POST, help_text=SET_UP_HELP)
    if form.is_valid():
        check = second_factor_set_up_confirm(
            user=request.user, device=device, code=form.cleaned_data["code"], request=request
        )
        if check.device is not None:
            second_factor_sign_in(request, check.device)
            return _backup_codes_page(request, list(check.backup_codes), first_time=True)
        form.add_error("code", _refusal(check))
    return _set_up_page(request, form)


@sign_in_step(Step.SET_UP)
@require_GET
@login_required
def two_step_qr_code(request: HttpRequest) -> HttpResponse:
    """The QR code of the app being set up, as an SVG image (served here: no data: URI)."""
    device = authenticator_for(request.user, confirmed=False)
    if device is None:
        raise Http404
    svg = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        svg, kind="svg", scale=6, border=4, xmldecl=False, light="#fff", title=_("QR code")
    )
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


def _backup_codes_page(request: HttpRequest, codes: list[str], *, first_time: bool) -> HttpResponse:
    context = {
        "codes": [f"{code[:4]} {code[4:]}" for code in codes],
        "first_time": first_time,
        "next": _next_url(request),
    }
    return render(request, "registration/two_step_backup_codes.html", context)


@require_GET
@login_required
def two_step(request: HttpRequest) -> HttpResponse:
    """Each staff member's own page: is two-step sign-in on, and their backup codes."""
    # The app that verified this session is already loaded by OTPMiddleware.
    verified_by = getattr(request.user, "otp_device", None)
    authenticator = (
        verified_by if isinstance(verified_by, TOTPDevice) else authenticator_for(request.user)
    )
    context = {
        "authenticator": authenticator,
        "required": second_factor_required(request.user),
        "codes_left": backup_codes_left(request.user) if authenticator else 0,
        "code_count": BACKUP_CODE_COUNT,
    }
    return render(request, "registration/two_step.html", context)


@require_POST
@login_required
def two_step_backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes, shown once; the old ones stop working."""
    if authenticator_for(request.user) is None:
        messages.error(request, _("Turn on two-step sign-in first."))
        return redirect("two-step")
    codes = second_factor_backup_codes_renew(user=request.user, request=request)
    return _backup_codes_page(request, codes, first_time=False)
