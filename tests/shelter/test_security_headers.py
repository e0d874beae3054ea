"""Security headers on every page, and the production settings pass Django's deploy check."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
}


def _policy(header: str) -> dict[str, str]:
    directives = [part.strip() for part in header.split(";") if part.strip()]
    return {name: value for name, _, value in (d.partition(" ") for d in directives)}


@pytest.mark.parametrize("page", ["home", "login"])
def test_pages_carry_the_strict_content_security_policy(
    cm_client: Client, anon_client: Client, page: str
) -> None:
    client = cm_client if page == "home" else anon_client
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert _policy(response["Content-Security-Policy"]) == EXPECTED_CSP


def test_a_page_with_youth_data_has_the_protective_headers(cm_client: Client) -> None:
    response = cm_client.get(reverse("plans:youth-list"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_https_requests_get_strict_transport_security(cm_client: Client, settings) -> None:
    # Tests speak plain HTTP; these are the production values (test_security_sessions).
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = cm_client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.slow_subprocess
def test_the_deploy_check_passes_with_production_settings() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="deploy-check-" + "k" * 60,
        ALLOWED_HOSTS="plans.example.org",
        DJANGO_SETTINGS_MODULE="shelter.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
