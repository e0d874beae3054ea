"""Passwords: Argon2 hashes, long pass-phrases welcome, common and username-like ones refused."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse

from shelter.models import User
from tests.builders import TEST_PASSWORD


def _change_password(client: Client, new: str):
    return client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )


def test_new_passwords_are_hashed_with_argon2(case_manager: User) -> None:
    assert case_manager.password.startswith("argon2$")


def test_a_long_pass_phrase_is_accepted(cm_client: Client, case_manager: User) -> None:
    phrase = "the river runs past the old mill every spring morning"
    response = _change_password(cm_client, phrase)
    assert response.status_code == 302
    case_manager.refresh_from_db()
    assert case_manager.check_password(phrase)
    assert case_manager.password.startswith("argon2$")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password1234", b"This password is too common."),
        ("cm.alpha2026", b"The password is too similar to the username."),
        ("384729105738", b"This password is entirely numeric."),
    ],
    ids=["common", "like-the-username", "only-digits"],
)
def test_a_weak_password_is_refused_next_to_the_field(
    cm_client: Client, case_manager: User, password: str, message: bytes
) -> None:
    response = _change_password(cm_client, password)
    assert response.status_code == 200
    assert message in response.content
    case_manager.refresh_from_db()
    assert case_manager.check_password(TEST_PASSWORD)


def test_an_older_pbkdf2_hash_still_signs_in_and_is_upgraded_to_argon2(
    anon_client: Client, case_manager: User
) -> None:
    User.objects.filter(pk=case_manager.pk).update(
        password=make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    )
    response = anon_client.post(
        reverse("login"), {"username": case_manager.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    case_manager.refresh_from_db()
    assert case_manager.password.startswith("argon2$")
