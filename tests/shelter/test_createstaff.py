import pytest
from django.core.management import CommandError, call_command

from shelter.models import User
from shelter.roles import Role


def test_createstaff_makes_an_account_with_its_role(db: None, monkeypatch) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", "a-long-enough-passphrase-99")
    call_command("createstaff", "sup.new", "--role", "supervisor", "--first-name", "Sky")
    user = User.objects.get(username="sup.new")
    assert user.role == Role.SUPERVISOR
    assert user.check_password("a-long-enough-passphrase-99")
    assert not user.is_staff


def test_createstaff_gives_administrators_the_admin_site(db: None, monkeypatch) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", "a-long-enough-passphrase-99")
    call_command("createstaff", "admin.new", "--role", "administrator")
    assert User.objects.get(username="admin.new").is_staff


def test_createstaff_refuses_a_weak_password_and_creates_nothing(db: None, monkeypatch) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", "short")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("createstaff", "cm.weak", "--role", "case_manager")
    assert not User.objects.filter(username="cm.weak").exists()


def test_createstaff_refuses_a_taken_username(case_manager: User, monkeypatch) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", "a-long-enough-passphrase-99")
    with pytest.raises(CommandError, match="already exists"):
        call_command("createstaff", case_manager.username, "--role", "supervisor")
    assert User.objects.get(pk=case_manager.pk).role == Role.CASE_MANAGER
