"""Two-step sign-in: who must pass it, the gate before it, single-use codes, backup
codes, throttling, the audit rows, and the administrator's reset."""

import runpy
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shelter.models import AuditAction, AuditEvent, User
from shelter.roles import Role
from shelter.twofactor import BACKUP_CODE_COUNT
from tests.builders import (
    TEST_PASSWORD,
    make_authenticator,
    make_staff,
    signed_in_client,
    totp_code,
)
from tests.url_patterns import all_endpoints

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(settings.BASE_DIR) / "shelter" / "settings.py"
VERIFY = reverse("two-step-verify")
SET_UP = reverse("two-step-set-up")
SIGN_IN_STEPS = {"login", "logout"}
SET_UP_PAGES = SIGN_IN_STEPS | {
    "two-step-set-up",
    "two-step-set-up-start",
    "two-step-set-up-confirm",
    "two-step-qr-code",
}
VERIFY_PAGES = SIGN_IN_STEPS | {"two-step-verify"}


def password_step(user: User, next_url: str = "") -> Client:
    """A client past the password only, as the sign-in page leaves it."""
    client = Client()
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def enter_code(client: Client, code: str, next_url: str = "") -> object:
    return client.post(VERIFY, {"code": code, "next": next_url})


def backup_codes(user: User) -> list[str]:
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def give_backup_codes(user: User) -> list[str]:
    device = StaticDevice.objects.create(user=user, name="Backup codes")
    for token in ("aaaa2222", "bbbb3333"):
        device.token_set.create(token=token)
    return ["aaaa2222", "bbbb3333"]


# The gate, for each role.


def test_a_supervisor_without_an_app_is_sent_to_set_it_up(supervisor: User) -> None:
    client = password_step(supervisor, "/youth/")
    response = client.get("/youth/")
    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP}?next=%2Fyouth%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Set up two-step sign-in" in page.content
    assert b"Your role can see records about many youth" in page.content


def test_an_administrator_without_an_app_is_sent_to_set_it_up_even_for_the_admin(
    administrator: User,
) -> None:
    client = password_step(administrator)
    response = client.get(reverse("admin:shelter_user_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(SET_UP)


@pytest.mark.parametrize("method", ["get", "post"])
def test_before_setting_up_a_supervisor_reaches_only_the_set_up_pages_and_sign_out(
    supervisor: User, method: str
) -> None:
    client = password_step(supervisor)
    for endpoint in all_endpoints():
        if endpoint.name in SET_UP_PAGES:
            continue
        response = getattr(client, method)(endpoint.path)
        assert response.status_code == 302, endpoint
        assert response["Location"].startswith(SET_UP), endpoint


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_supervisor_with_an_app_reaches_only_the_code_step_until_they_enter_a_code(
    supervisor: User, method: str
) -> None:
    make_authenticator(supervisor)
    client = password_step(supervisor)
    for endpoint in all_endpoints():
        if endpoint.name in VERIFY_PAGES:
            continue
        response = getattr(client, method)(endpoint.path)
        assert response.status_code == 302, endpoint
        assert response["Location"].startswith(VERIFY), endpoint
    assert client.get(VERIFY).status_code == 200


def test_a_case_manager_without_an_app_goes_straight_in(case_manager: User) -> None:
    client = password_step(case_manager)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("plans:youth-list")).status_code == 200


def test_a_case_manager_who_turned_it_on_must_enter_a_code(case_manager: User) -> None:
    device = make_authenticator(case_manager)
    client = password_step(case_manager)
    response = client.get(reverse("home"))
    assert response["Location"] == f"{VERIFY}?next=%2F"
    response = enter_code(client, totp_code(device), "/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


def test_an_htmx_request_is_told_to_navigate_to_the_step(supervisor: User) -> None:
    make_authenticator(supervisor)
    client = password_step(supervisor)
    response = client.get(reverse("plans:youth-list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == VERIFY
    assert response.content == b""


def test_static_files_and_sign_out_stay_reachable_at_the_code_step(supervisor: User) -> None:
    make_authenticator(supervisor)
    client = password_step(supervisor)
    assert client.get("/static/css/shelter.css").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_step_pages_show_no_menu_of_other_pages(supervisor: User) -> None:
    make_authenticator(supervisor)
    page = password_step(supervisor).get(VERIFY)
    assert reverse("plans:youth-list").encode() not in page.content
    assert reverse("password_change").encode() not in page.content
    assert b"Sign out" in page.content


def test_an_idle_session_at_the_code_step_is_signed_out_not_asked_for_a_code(
    supervisor: User,
) -> None:
    from shelter.middleware import LAST_SEEN_AT

    make_authenticator(supervisor)
    client = password_step(supervisor)
    session = client.session
    session[LAST_SEEN_AT] -= settings.SESSION_IDLE_TIMEOUT
    session.save()
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))


# The code step.


def test_the_right_code_signs_in_to_the_page_asked_for_under_a_new_session_key(
    supervisor: User,
) -> None:
    device = make_authenticator(supervisor)
    client = password_step(supervisor, "/youth/")
    key_after_password = client.session.session_key
    response = client.get(f"{VERIFY}?next=/youth/")
    assert b'value="/youth/"' in response.content
    response = enter_code(client, totp_code(device), "/youth/")
    assert response.status_code == 302
    assert response["Location"] == "/youth/"
    assert client.session.session_key != key_after_password
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/youth/").status_code == 200


def test_the_code_step_never_sends_anyone_to_another_site(supervisor: User) -> None:
    device = make_authenticator(supervisor)
    client = password_step(supervisor)
    response = enter_code(client, totp_code(device), "https://evil.example/")
    assert response["Location"] == reverse("home")


def test_a_code_already_used_is_refused(supervisor: User) -> None:
    device = make_authenticator(supervisor)
    code = totp_code(device)
    first = password_step(supervisor)
    assert enter_code(first, code).status_code == 302
    second = password_step(supervisor)
    response = enter_code(second, code)
    assert response.status_code == 200
    assert b"That code did not work" in response.content
    assert second.get(reverse("home"))["Location"].startswith(VERIFY)


def test_a_wrong_code_is_refused_with_a_message_next_to_the_field(supervisor: User) -> None:
    make_authenticator(supervisor)
    client = password_step(supervisor)
    response = enter_code(client, "000000")
    assert response.status_code == 200
    assert b"That code did not work" in response.content
    assert b"invalid-feedback" in response.content
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "typed", ["", "   ", "--", "\x00\x00"], ids=["empty", "spaces", "dashes", "nul"]
)
def test_a_blank_or_garbled_code_is_a_form_error(supervisor: User, typed: str) -> None:
    make_authenticator(supervisor)
    client = password_step(supervisor)
    response = enter_code(client, typed)
    assert response.status_code == 200
    assert b"invalid-feedback" in response.content
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_backup_code_works_once(supervisor: User) -> None:
    make_authenticator(supervisor)
    code, other = give_backup_codes(supervisor)
    first = password_step(supervisor)
    # Typed the way the page shows it: two groups of four.
    response = enter_code(first, f"{code[:4]} {code[4:]}".upper())
    assert response.status_code == 302
    assert first.get(reverse("home")).status_code == 200
    assert backup_codes(supervisor) == [other]
    second = password_step(supervisor)
    response = enter_code(second, code)
    assert response.status_code == 200
    assert b"That code did not work" in response.content


def test_signing_in_with_a_backup_code_says_how_many_are_left(supervisor: User) -> None:
    make_authenticator(supervisor)
    code, _other = give_backup_codes(supervisor)
    client = password_step(supervisor)
    page = client.post(VERIFY, {"code": code}, follow=True)
    assert b"You used a backup code; 1 left" in page.content


def test_wrong_codes_are_throttled_with_a_clear_message_even_for_the_right_code(
    supervisor: User,
) -> None:
    device = make_authenticator(supervisor)
    give_backup_codes(supervisor)
    client = password_step(supervisor)
    enter_code(client, "000000")
    response = enter_code(client, totp_code(device))
    assert response.status_code == 200
    assert b"Too many wrong codes. Wait" in response.content
    assert DEVICE_ID_SESSION_KEY not in client.session
    # A backup code is throttled too: switching kinds of code buys nothing.
    response = enter_code(client, "aaaa2222")
    assert b"Too many wrong codes" in response.content
    assert "aaaa2222" in backup_codes(supervisor)


def test_after_the_wait_the_right_code_works_and_the_throttle_resets(supervisor: User) -> None:
    device = make_authenticator(supervisor)
    give_backup_codes(supervisor)
    client = password_step(supervisor)
    enter_code(client, "000000")
    enter_code(client, "zzzz9999")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    TOTPDevice.objects.update(throttling_failure_timestamp=an_hour_ago)
    StaticDevice.objects.update(throttling_failure_timestamp=an_hour_ago)
    assert enter_code(client, totp_code(device)).status_code == 302
    assert TOTPDevice.objects.get().throttling_failure_count == 0
    assert StaticDevice.objects.get().throttling_failure_count == 0


def test_each_code_attempt_is_audited(supervisor: User) -> None:
    device = make_authenticator(supervisor)
    client = password_step(supervisor)
    enter_code(client, "000000")
    enter_code(client, "111111")
    TOTPDevice.objects.update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1))
    enter_code(client, totp_code(device))
    events = list(
        AuditEvent.objects.filter(actor=supervisor, action__startswith="second_factor")
        .order_by("pk")
        .values_list("action", "detail", "path")
    )
    assert events == [
        (AuditAction.SECOND_FACTOR_FAILED, {"reason": "wrong_code"}, VERIFY),
        (AuditAction.SECOND_FACTOR_FAILED, {"reason": "throttled"}, VERIFY),
        (AuditAction.SECOND_FACTOR_OK, {"method": "authenticator"}, VERIFY),
    ]


def test_an_unconfirmed_app_does_not_count_as_turned_on(case_manager: User) -> None:
    TOTPDevice.objects.create(user=case_manager, name="Authenticator app", confirmed=False)
    client = password_step(case_manager)
    assert client.get(reverse("home")).status_code == 200


# Setting up an authenticator app.


def test_a_supervisor_sets_up_an_app_and_gets_ten_backup_codes_once(supervisor: User) -> None:
    client = password_step(supervisor, "/youth/")
    page = client.get(f"{SET_UP}?next=/youth/")
    assert b"Start" in page.content
    assert client.get(reverse("two-step-qr-code")).status_code == 404
    response = client.post(reverse("two-step-set-up-start"), {"next": "/youth/"})
    assert response["Location"] == f"{SET_UP}?next=%2Fyouth%2F"
    device = TOTPDevice.objects.get(user=supervisor)
    assert not device.confirmed
    page = client.get(response["Location"])
    assert reverse("two-step-qr-code").encode() in page.content
    key = page.content.split(b'data-testid="manual-key">')[1].split(b"<")[0].decode()
    assert len(key.replace(" ", "")) == 32
    qr = client.get(reverse("two-step-qr-code"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")
    assert b"style" not in qr.content
    assert "no-store" in qr["Cache-Control"]

    response = client.post(reverse("two-step-set-up-confirm"), {"code": "000000"})
    assert response.status_code == 200
    assert b"That code did not work" in response.content
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    TOTPDevice.objects.update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1))
    response = client.post(
        reverse("two-step-set-up-confirm"), {"code": totp_code(device), "next": "/youth/"}
    )
    assert response.status_code == 200
    assert b"Print these codes or write them down now" in response.content
    assert b'href="/youth/"' in response.content
    device.refresh_from_db()
    assert device.confirmed
    codes = backup_codes(supervisor)
    assert len(codes) == BACKUP_CODE_COUNT == len(set(codes))
    for code in codes:
        assert f"{code[:4]} {code[4:]}".encode() in response.content
    assert client.get("/youth/").status_code == 200
    assert AuditEvent.objects.filter(
        actor=supervisor, action=AuditAction.SECOND_FACTOR_ENROLLED
    ).exists()
    # Shown once: the set-up pages are done with, and no page shows the codes again.
    assert client.get(SET_UP)["Location"] == reverse("two-step")
    assert codes[0].encode() not in client.get(reverse("two-step")).content


def test_starting_again_gives_a_new_key_and_the_old_one_stops_working(supervisor: User) -> None:
    client = password_step(supervisor)
    client.post(reverse("two-step-set-up-start"))
    first = TOTPDevice.objects.get(user=supervisor)
    old_code = totp_code(first)
    client.post(reverse("two-step-set-up-start"))
    second = TOTPDevice.objects.get(user=supervisor)
    assert second.pk == first.pk
    assert second.key != first.key
    response = client.post(reverse("two-step-set-up-confirm"), {"code": old_code})
    assert b"That code did not work" in response.content


def test_a_case_manager_turns_it_on_from_their_account_page(cm_client: Client) -> None:
    page = cm_client.get(reverse("two-step"))
    assert b"Off." in page.content
    cm_client.post(reverse("two-step-set-up-start"))
    device = TOTPDevice.objects.get()
    response = cm_client.post(reverse("two-step-set-up-confirm"), {"code": totp_code(device)})
    assert b"Your backup codes" in response.content
    page = cm_client.get(reverse("two-step"))
    assert b"On." in page.content
    assert f"Backup codes left: <strong>{BACKUP_CODE_COUNT}</strong>".encode() in page.content


def test_new_backup_codes_replace_the_old_ones(supervisor_client: Client, supervisor: User) -> None:
    old = give_backup_codes(supervisor)
    response = supervisor_client.post(reverse("two-step-backup-codes"))
    assert response.status_code == 200
    assert b"Your earlier backup codes no longer work" in response.content
    new = backup_codes(supervisor)
    assert len(new) == BACKUP_CODE_COUNT
    assert not set(old) & set(new)
    event = AuditEvent.objects.get(actor=supervisor, action=AuditAction.CHANGE)
    assert event.detail == {"op": "second_factor_backup_codes_renew"}


def test_new_backup_codes_need_two_step_sign_in_turned_on(
    cm_client: Client, case_manager: User
) -> None:
    response = cm_client.post(reverse("two-step-backup-codes"))
    assert response["Location"] == reverse("two-step")
    assert not backup_codes(case_manager)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("two-step", "post"),
        ("two-step-backup-codes", "get"),
        ("two-step-set-up", "post"),
        ("two-step-set-up-start", "get"),
        ("two-step-set-up-confirm", "get"),
        ("two-step-qr-code", "post"),
        ("two-step-verify", "put"),
    ],
)
def test_each_two_step_page_refuses_the_wrong_method(cm_client: Client, name: str, method: str):
    assert getattr(cm_client, method)(reverse(name)).status_code == 405


def test_the_settings_refuse_to_turn_it_off_with_debug_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "p" * 64)
    monkeypatch.setenv("TWO_FACTOR_REQUIRED", "false")
    with pytest.raises(ImproperlyConfigured, match="TWO_FACTOR_REQUIRED can only be turned off"):
        runpy.run_path(str(SETTINGS_FILE))
    monkeypatch.setenv("DEBUG", "true")
    assert runpy.run_path(str(SETTINGS_FILE))["TWO_FACTOR_REQUIRED"] is False
    monkeypatch.delenv("TWO_FACTOR_REQUIRED")
    monkeypatch.setenv("DEBUG", "false")
    assert runpy.run_path(str(SETTINGS_FILE))["TWO_FACTOR_REQUIRED"] is True


def test_with_it_not_required_a_supervisor_without_an_app_goes_straight_in(
    supervisor: User, settings
) -> None:
    settings.TWO_FACTOR_REQUIRED = False
    client = password_step(supervisor)
    assert client.get(reverse("home")).status_code == 200


# The administrator's reset.


def test_an_administrator_resets_a_supervisors_two_step_sign_in(
    admin_client_: Client, administrator: User, supervisor: User
) -> None:
    supervisor_session = signed_in_client(supervisor)
    give_backup_codes(supervisor)
    url = reverse("admin:shelter_user_two_step_reset", args=[supervisor.pk])
    change = admin_client_.get(reverse("admin:shelter_user_change", args=[supervisor.pk]))
    assert url.encode() in change.content
    confirm = admin_client_.get(url)
    assert confirm.status_code == 200
    assert b"Yes, reset two-step sign-in" in confirm.content
    assert TOTPDevice.objects.filter(user=supervisor).exists()

    response = admin_client_.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    assert not StaticDevice.objects.filter(user=supervisor).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert (event.actor, event.object_id, event.object_type) == (
        administrator,
        supervisor.pk,
        "shelter.user",
    )
    assert event.detail == {"removed": 2}
    # Their signed-in session must set an app up again before anything else.
    response = supervisor_session.get(reverse("home"))
    assert response["Location"].startswith(VERIFY)
    assert supervisor_session.get(response["Location"])["Location"] == "/"
    assert supervisor_session.get("/")["Location"].startswith(SET_UP)
    assert password_step(supervisor).get("/")["Location"].startswith(SET_UP)


def test_a_reset_case_manager_signs_in_with_the_password_alone(
    admin_client_: Client, case_manager: User
) -> None:
    make_authenticator(case_manager)
    admin_client_.post(reverse("admin:shelter_user_two_step_reset", args=[case_manager.pk]))
    assert password_step(case_manager).get(reverse("home")).status_code == 200


def test_only_administrators_reset_two_step_sign_in(
    supervisor_client: Client, cm_client: Client, other_supervisor: User
) -> None:
    make_authenticator(other_supervisor)
    url = reverse("admin:shelter_user_two_step_reset", args=[other_supervisor.pk])
    for client in (supervisor_client, cm_client):
        assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=other_supervisor).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_RESET).exists()


def test_the_reset_page_refuses_the_wrong_method_and_unknown_staff(
    admin_client_: Client, supervisor: User
) -> None:
    url = reverse("admin:shelter_user_two_step_reset", args=[supervisor.pk])
    assert admin_client_.put(url).status_code == 405
    missing = reverse("admin:shelter_user_two_step_reset", args=[99999])
    assert admin_client_.get(missing).status_code == 404


# Sessions and cost.


def test_a_password_change_keeps_the_session_verified(supervisor_client: Client) -> None:
    new = "a-brand-new-long-passphrase-77"
    response = supervisor_client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert supervisor_client.get(reverse("home")).status_code == 200


def test_a_deactivated_supervisor_is_signed_out_not_asked_for_a_code(supervisor: User) -> None:
    client = signed_in_client(supervisor)
    supervisor.is_active = False
    supervisor.save()
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_the_gate_costs_no_query_for_staff_without_an_app_and_one_for_a_verified_session(
    cm_client: Client, supervisor_client: Client
) -> None:
    def otp_queries(client: Client) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return [q["sql"] for q in queries.captured_queries if "otp_" in q["sql"]]

    assert otp_queries(cm_client) == []
    # The device that verified the session, looked up by its primary key.
    assert len(otp_queries(supervisor_client)) == 1


def test_make_staff_supervisors_need_the_step_but_signed_in_clients_are_verified(
    db: None,
) -> None:
    administrator = make_staff("admin.two", Role.ADMINISTRATOR)
    assert password_step(administrator).get("/")["Location"].startswith(SET_UP)
    assert signed_in_client(administrator).get("/").status_code == 200


@pytest.mark.parametrize("codes", [1, BACKUP_CODE_COUNT])
def test_the_two_step_page_runs_a_fixed_number_of_queries(
    supervisor_client: Client, supervisor: User, codes: int, django_assert_num_queries
) -> None:
    device = StaticDevice.objects.create(user=supervisor, name="Backup codes")
    for number in range(codes):
        device.token_set.create(token=f"code{number:04d}")
    # session, user, the app that verified the session (the page shows it), groups
    # (role), the count of backup codes left.
    with django_assert_num_queries(5):
        response = supervisor_client.get(reverse("two-step"))
    assert f"Backup codes left: <strong>{codes}</strong>".encode() in response.content
