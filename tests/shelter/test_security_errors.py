"""Error pages reveal nothing: no stack trace, SQL or personal data, in a response or a log line."""

import logging

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from shelter import views as shelter_views
from shelter.models import User
from tests.builders import make_youth

SECRET = "SELECT preferred_name FROM plans_youth -- Testy Canary"


def _explode(user: User) -> dict:
    raise RuntimeError(SECRET)


def test_an_unexpected_error_shows_the_plain_500_page_and_logs_no_detail(
    cm_client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(shelter_views, "plans_home_context", _explode)
    cm_client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = cm_client.get(reverse("home"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    for leak in ("Testy Canary", "SELECT", "Traceback", "RuntimeError"):
        assert leak not in body
    records = [record for record in caplog.records if record.name == "django.request"]
    assert records, "the error is still logged"
    line = records[0].getMessage()
    assert "builtins.RuntimeError at tests/shelter/test_security_errors.py" in line
    assert all(record.exc_info is None for record in records)
    assert "Testy Canary" not in caplog.text
    assert "Traceback" not in caplog.text


def test_the_500_page_renders_without_any_context() -> None:
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "<script" not in html
    assert "style=" not in html


def test_the_429_page_says_when_to_try_again_and_names_nobody() -> None:
    html = render_to_string("429.html", {"retry_minutes": 15})
    assert "Please wait 15 minutes, then try again." in html


def test_a_refused_youth_page_shows_nothing_of_the_youth(
    other_cm_client: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager, preferred_name="Canary Fictional", client_id="CANARY-7")
    response = other_cm_client.get(reverse("plans:youth-detail", args=[youth.pk]))
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Canary" not in response.content
    assert b"CANARY-7" not in response.content


def test_a_forbidden_page_shows_the_plain_403_page(cm_client: Client) -> None:
    response = cm_client.get("/admin/")
    assert response.status_code == 403
    assert b"You do not have access to this page" in response.content
