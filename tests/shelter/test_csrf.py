"""CSRF protection on every POST: a client that enforces the check, signed in as
each role (and anonymous), is refused on every URL of the project when it sends no
token. Enumerated from the resolver: a new URL is covered the day it is added.

The check runs before any view, so every URL refuses a token-less POST, whether its
view takes POSTs or not; the test tells the CSRF refusal apart from a role's 403 by
answering it with its own failure view.
"""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse

from tests.shelter.seeded_world import ROLES, World, seed_world, send
from tests.shelter.test_access_matrix import EXPECTED

pytestmark = pytest.mark.django_db

REFUSED_FOR_CSRF = b"refused: no valid CSRF token"


def csrf_refused(request: HttpRequest, reason: str = "") -> HttpResponse:
    return HttpResponse(REFUSED_FOR_CSRF, status=403)


@pytest.fixture
def world(settings) -> World:
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_refused"
    return seed_world()


def enforcing(client: Client) -> Client:
    client.handler.enforce_csrf_checks = True
    return client


def test_the_walk_covers_the_pages_that_take_a_post(world: World) -> None:
    takes_post = {name for name, (_get, post) in EXPECTED.items() if "405" not in post.split()}
    walked = {endpoint.name for endpoint in world.endpoints()}
    assert {"plans:plan-edit", "plans:restriction-approve", "login", "logout"} <= takes_post
    assert takes_post <= walked


@pytest.mark.parametrize("role", ROLES)
def test_every_post_without_a_token_is_refused(world: World, role: str) -> None:
    client = enforcing(world.client(role))
    # The CSRF cookie, as a browser that opened a form has it: only the token is missing.
    client.get(reverse("login" if role == "anonymous" else "password_change"))
    assert "csrftoken" in client.cookies
    let_through = []
    for endpoint in world.endpoints():
        response = send(client, "post", endpoint.path)
        if response.status_code != 403 or response.content_bytes != REFUSED_FOR_CSRF:
            let_through.append(f"{endpoint.name} ({endpoint.path}): {response.status_code}")
    assert not let_through, f"{role}: POST without a CSRF token let through:\n" + "\n".join(
        let_through
    )


@pytest.mark.parametrize("role", ["case_manager", "supervisor", "administrator"])
def test_a_post_with_the_token_gets_through(world: World, role: str) -> None:
    client = enforcing(world.client(role))
    client.get(reverse("plans:youth-list"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("plans:youth-search"), {"q": "x", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response.content != REFUSED_FOR_CSRF
