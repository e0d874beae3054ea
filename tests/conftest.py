"""Personas shared by every test: a case manager and their youth, another case
manager, a supervisor, an administrator, and an anonymous visitor."""

import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from shelter.models import User
from shelter.roles import Role
from tests.builders import make_staff, signed_in_client

# CI replays the same examples every run: a failure there is reproducible, never a
# coin toss. Local runs keep exploring new examples.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def case_manager(db: None) -> User:
    return make_staff("cm.alpha", Role.CASE_MANAGER, first_name="Avery")


@pytest.fixture
def other_case_manager(db: None) -> User:
    return make_staff("cm.bravo", Role.CASE_MANAGER, first_name="Blake")


@pytest.fixture
def supervisor(db: None) -> User:
    return make_staff("sup.charlie", Role.SUPERVISOR, first_name="Charlie")


@pytest.fixture
def other_supervisor(db: None) -> User:
    return make_staff("sup.delta", Role.SUPERVISOR, first_name="Dana")


@pytest.fixture
def administrator(db: None) -> User:
    return make_staff("admin.echo", Role.ADMINISTRATOR, first_name="Emery")


def _client_for(user: User) -> Client:
    return signed_in_client(user)


@pytest.fixture
def cm_client(case_manager: User) -> Client:
    return _client_for(case_manager)


@pytest.fixture
def other_cm_client(other_case_manager: User) -> Client:
    return _client_for(other_case_manager)


@pytest.fixture
def supervisor_client(supervisor: User) -> Client:
    return _client_for(supervisor)


@pytest.fixture
def admin_client_(administrator: User) -> Client:
    return _client_for(administrator)


@pytest.fixture
def anon_client() -> Client:
    return Client()


@pytest.fixture(autouse=True)
def _plain_static_files(settings) -> None:
    """Serve static files from the source folders: tests never run collectstatic,
    and the hashed manifest storage would fail to find its manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
