"""Sessions: a new key at sign-in, idle and absolute limits on the server, and revocation."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shelter.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from shelter.models import User
from tests.builders import TEST_PASSWORD

SETTINGS_FILE = Path(settings.BASE_DIR) / "shelter" / "settings.py"


def _set_clocks(client: Client, *, signed_in_ago: int, last_seen_ago: int) -> None:
    now = int(timezone.now().timestamp())
    session = client.session
    session[SIGNED_IN_AT] = now - signed_in_ago
    session[LAST_SEEN_AT] = now - last_seen_ago
    session.save()


def test_signing_in_gives_a_new_session_key(anon_client: Client, case_manager: User) -> None:
    before = anon_client.session
    before["visited"] = True
    before.save()
    old_key = before.session_key
    response = anon_client.post(
        reverse("login"), {"username": case_manager.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    new_key = anon_client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()


def test_a_session_idle_for_the_timeout_is_signed_out(cm_client: Client) -> None:
    _set_clocks(cm_client, signed_in_ago=20 * 60, last_seen_ago=15 * 60)
    response = cm_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"
    follow = cm_client.get(response["Location"])
    assert b"signed out after a while without activity" in follow.content
    assert cm_client.get(reverse("home")).status_code == 302


def test_a_session_used_within_the_timeout_stays_and_its_idle_clock_restarts(
    cm_client: Client,
) -> None:
    _set_clocks(cm_client, signed_in_ago=20 * 60, last_seen_ago=14 * 60)
    assert cm_client.get(reverse("home")).status_code == 200
    last_seen = cm_client.session[LAST_SEEN_AT]
    assert int(timezone.now().timestamp()) - last_seen < 5


def test_the_idle_timeout_comes_from_settings(cm_client: Client, settings) -> None:
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    _set_clocks(cm_client, signed_in_ago=10 * 60, last_seen_ago=5 * 60)
    assert cm_client.get(reverse("home")).status_code == 302


def test_a_busy_session_still_ends_at_the_absolute_limit(cm_client: Client) -> None:
    _set_clocks(cm_client, signed_in_ago=12 * 60 * 60, last_seen_ago=10)
    response = cm_client.get(reverse("home"))
    assert response.status_code == 302
    follow = cm_client.get(response["Location"])
    assert b"Your session reached its time limit" in follow.content


def test_the_sign_out_redirect_keeps_no_query_string(cm_client: Client) -> None:
    _set_clocks(cm_client, signed_in_ago=20 * 60, last_seen_ago=15 * 60)
    response = cm_client.get(reverse("home") + "?q=Testy")
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_a_deactivated_user_is_signed_out_at_their_next_request(
    cm_client: Client, case_manager: User
) -> None:
    assert cm_client.get(reverse("home")).status_code == 200
    case_manager.is_active = False
    case_manager.save()
    response = cm_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_password_change_ends_the_users_other_sessions_but_not_this_one(
    cm_client: Client, case_manager: User
) -> None:
    elsewhere = Client()
    elsewhere.force_login(case_manager)
    assert elsewhere.get(reverse("home")).status_code == 200
    new = "a-brand-new-long-passphrase-77"
    response = cm_client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert cm_client.get(reverse("home")).status_code == 200
    assert elsewhere.get(reverse("home")).status_code == 302


def test_production_cookies_are_secure_http_only_and_same_site(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "p" * 64)
    monkeypatch.delenv("HTTPS", raising=False)
    production = runpy.run_path(str(SETTINGS_FILE))
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert production["SECURE_HSTS_SECONDS"] == 31_536_000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_AGE"] == 12 * 60 * 60
    assert production["SESSION_IDLE_TIMEOUT"] == 15 * 60


def test_a_request_soon_after_the_last_one_does_not_rewrite_the_session(
    cm_client: Client,
) -> None:
    # The idle clock moves at most once a minute, so ordinary page views keep their
    # query counts: no UPDATE of the session row on every request.
    _set_clocks(cm_client, signed_in_ago=30, last_seen_ago=30)
    with CaptureQueriesContext(connection) as queries:
        assert cm_client.get(reverse("home")).status_code == 200
    assert not [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]
