"""Lockout after repeated failed sign-ins, counted per username and address together."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shelter.models import User
from tests.builders import TEST_PASSWORD

WRONG = "not-the-right-passphrase-1"


def _sign_in(client: Client, username: str, password: str, address: str = "10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _fail(client: Client, username: str, times: int, address: str = "10.1.1.1") -> list[int]:
    return [_sign_in(client, username, WRONG, address).status_code for _ in range(times)]


def test_the_fifth_failure_locks_the_account_out_from_that_address_with_a_429(
    anon_client: Client, case_manager: User
) -> None:
    assert _fail(anon_client, case_manager.username, 4) == [200, 200, 200, 200]
    locked = _sign_in(anon_client, case_manager.username, WRONG)
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    assert b"Too many sign-in attempts" in locked.content
    assert b"wait 15 minutes" in locked.content
    # The right password does not help while the lockout lasts, and nothing is signed in.
    again = _sign_in(anon_client, case_manager.username, TEST_PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in anon_client.session


def test_the_lockout_page_names_no_account(anon_client: Client, case_manager: User) -> None:
    _fail(anon_client, case_manager.username, 5)
    locked = _sign_in(anon_client, case_manager.username, WRONG)
    assert locked.status_code == 429
    assert case_manager.username.encode() not in locked.content


def test_another_account_can_still_sign_in_from_the_same_address(
    anon_client: Client, case_manager: User, supervisor: User
) -> None:
    _fail(anon_client, case_manager.username, 5)
    response = _sign_in(Client(), supervisor.username, TEST_PASSWORD)
    assert response.status_code == 302


def test_the_same_account_can_still_sign_in_from_another_address(
    anon_client: Client, case_manager: User
) -> None:
    _fail(anon_client, case_manager.username, 5)
    response = _sign_in(Client(), case_manager.username, TEST_PASSWORD, address="10.2.2.2")
    assert response.status_code == 302


def test_the_account_can_sign_in_again_after_the_cool_off(
    anon_client: Client, case_manager: User
) -> None:
    _fail(anon_client, case_manager.username, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _sign_in(anon_client, case_manager.username, TEST_PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_earlier_failures(
    anon_client: Client, case_manager: User
) -> None:
    _fail(anon_client, case_manager.username, 4)
    assert _sign_in(Client(), case_manager.username, TEST_PASSWORD).status_code == 302
    assert _fail(anon_client, case_manager.username, 4) == [200, 200, 200, 200]


def test_the_limit_and_the_cool_off_come_from_settings(
    anon_client: Client, case_manager: User, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    assert _fail(anon_client, case_manager.username, 2) == [200, 429]
    locked = _sign_in(anon_client, case_manager.username, WRONG)
    assert locked["Retry-After"] == "60"
    assert b"wait 1 minute," in locked.content


def test_the_admin_sign_in_offers_no_way_around_the_lockout(
    anon_client: Client, case_manager: User
) -> None:
    _fail(anon_client, case_manager.username, 5)
    response = anon_client.post(
        "/admin/login/",
        {"username": case_manager.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.1.1.1",
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in anon_client.session


def test_behind_a_proxy_each_visitor_is_counted_by_their_own_address(
    anon_client: Client, case_manager: User, settings
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        anon_client.post(
            reverse("login"),
            {"username": case_manager.username, "password": WRONG},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    colleague = Client().post(
        reverse("login"),
        {"username": case_manager.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert colleague.status_code == 302


def test_an_administrator_can_lift_a_lockout_early(
    anon_client: Client, case_manager: User, admin_client_: Client
) -> None:
    _fail(anon_client, case_manager.username, 5)
    attempt = AccessAttempt.objects.get()
    assert admin_client_.get("/admin/axes/accessattempt/").status_code == 200
    response = admin_client_.post(
        f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert _sign_in(anon_client, case_manager.username, TEST_PASSWORD).status_code == 302
