import pytest
from django.test import Client
from django.urls import reverse

from shelter.models import User
from tests.builders import TEST_PASSWORD

GENERIC_ERROR = b"Please enter a correct username and password"


def test_staff_sign_in_and_land_on_their_home(anon_client: Client, case_manager: User) -> None:
    response = anon_client.post(
        reverse("login"), {"username": case_manager.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    ("username", "password"),
    [("cm.alpha", "wrong-password-123"), ("nobody.here", TEST_PASSWORD), ("nobody.here", "x")],
    ids=["wrong-password", "unknown-user", "both-wrong"],
)
def test_a_failed_sign_in_reveals_nothing_about_which_part_was_wrong(
    anon_client: Client, case_manager: User, username: str, password: str
) -> None:
    response = anon_client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert GENERIC_ERROR in response.content
    assert b"_auth_user_id" not in response.cookies.output().encode()
    assert "_auth_user_id" not in anon_client.session


def test_a_deactivated_account_cannot_sign_in(anon_client: Client, case_manager: User) -> None:
    case_manager.is_active = False
    case_manager.save()
    response = anon_client.post(
        reverse("login"), {"username": case_manager.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert GENERIC_ERROR in response.content


def test_sign_out_is_a_post_and_ends_the_session(cm_client: Client) -> None:
    assert cm_client.get(reverse("logout")).status_code == 405
    response = cm_client.post(reverse("logout"))
    assert response.status_code == 302
    assert cm_client.get(reverse("home")).status_code == 302


def test_password_change_keeps_the_user_signed_in(cm_client: Client, case_manager: User) -> None:
    response = cm_client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "another-long-passphrase-88",
            "new_password2": "another-long-passphrase-88",
        },
    )
    assert response.status_code == 302
    case_manager.refresh_from_db()
    assert case_manager.check_password("another-long-passphrase-88")
    assert cm_client.get(reverse("home")).status_code == 200


def test_a_short_password_is_refused_with_a_message(cm_client: Client, case_manager: User) -> None:
    response = cm_client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "short1!", "new_password2": "short1!"},
    )
    assert response.status_code == 200
    assert b"at least 12 characters" in response.content
    case_manager.refresh_from_db()
    assert case_manager.check_password(TEST_PASSWORD)


def test_pages_showing_records_are_not_cached(cm_client: Client) -> None:
    response = cm_client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]
