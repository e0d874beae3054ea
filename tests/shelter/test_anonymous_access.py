from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

from tests.url_patterns import all_endpoints

# The only pages a visitor may open without signing in.
PUBLIC_NAMES = {"login"}


def test_the_walk_finds_the_projects_pages() -> None:
    names = {endpoint.name for endpoint in all_endpoints()}
    assert {"home", "login", "logout", "password_change", "admin:index"} <= names


PROTECTED = [endpoint for endpoint in all_endpoints() if endpoint.name not in PUBLIC_NAMES]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", PROTECTED, ids=lambda e: e.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(anon_client: Client, endpoint, method: str) -> None:
    response = getattr(anon_client, method)(endpoint.path, follow=True)
    # The admin's own login hands over to the product's single sign-in page.
    assert response.redirect_chain, endpoint
    assert urlparse(response.redirect_chain[-1][0]).path == reverse("login"), endpoint
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.mark.django_db
def test_the_login_page_is_public(anon_client: Client) -> None:
    response = anon_client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


@pytest.mark.django_db
def test_static_files_are_public(anon_client: Client) -> None:
    response = anon_client.get("/static/css/shelter.css")
    assert response.status_code == 200
