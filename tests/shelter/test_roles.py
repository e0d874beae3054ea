import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from shelter.models import User
from shelter.roles import ROLE_PERMISSIONS, Role


@pytest.mark.django_db
def test_every_fresh_database_has_the_three_role_groups() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Case manager",
        "Supervisor",
        "Administrator",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_group_carries_exactly_its_permissions(role: Role) -> None:
    group = Group.objects.get(name=role.group_name)
    granted = {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert granted == set(ROLE_PERMISSIONS[role]) & existing


@pytest.mark.django_db
def test_only_administrators_may_manage_staff_accounts() -> None:
    def codenames(name: str) -> set[str]:
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert "change_user" in codenames("Administrator")
    assert "change_user" not in codenames("Supervisor")
    assert "change_user" not in codenames("Case manager")


def test_a_user_in_several_groups_acts_with_the_widest_role(case_manager: User) -> None:
    case_manager.groups.add(Group.objects.get(name="Supervisor"))
    fresh = User.objects.get(pk=case_manager.pk)
    assert fresh.role == Role.SUPERVISOR


def test_a_deactivated_user_has_no_role(case_manager: User) -> None:
    case_manager.is_active = False
    case_manager.save()
    assert User.objects.get(pk=case_manager.pk).role is None


def test_the_case_manager_sees_their_navigation_and_no_staff_accounts(cm_client: Client) -> None:
    response = cm_client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Case manager" in response.content
    assert reverse("admin:shelter_user_changelist").encode() not in response.content


def test_the_supervisor_sees_their_role_and_no_staff_accounts(supervisor_client: Client) -> None:
    response = supervisor_client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Supervisor" in response.content
    assert reverse("admin:shelter_user_changelist").encode() not in response.content


def test_the_administrator_sees_staff_accounts(admin_client_: Client) -> None:
    response = admin_client_.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("admin:shelter_user_changelist").encode() in response.content


@pytest.mark.parametrize("client_fixture", ["cm_client", "supervisor_client"])
def test_staff_accounts_are_refused_to_non_administrators(request, client_fixture: str) -> None:
    client: Client = request.getfixturevalue(client_fixture)
    for url in (reverse("admin:index"), reverse("admin:shelter_user_changelist")):
        response = client.get(url)
        assert response.status_code == 403, url


def test_a_user_without_a_role_is_told_so(db: None) -> None:
    user = User.objects.create_user("no.role", password="x-irrelevant-password-1")
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"no role yet" in response.content


def test_the_administrator_gives_a_role_in_the_browser(
    admin_client_: Client, case_manager: User
) -> None:
    url = reverse("admin:shelter_user_change", args=[case_manager.pk])
    page = admin_client_.get(url)
    assert page.status_code == 200
    response = admin_client_.post(
        url,
        {
            "username": case_manager.username,
            "first_name": case_manager.first_name,
            "last_name": case_manager.last_name,
            "email": case_manager.email,
            "language": case_manager.language,
            "role": Role.SUPERVISOR.value,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    assert User.objects.get(pk=case_manager.pk).role == Role.SUPERVISOR


def test_the_administrator_creates_a_staff_account_in_the_browser(admin_client_: Client) -> None:
    response = admin_client_.post(
        reverse("admin:shelter_user_add"),
        {
            "username": "new.person",
            "first_name": "Newly",
            "last_name": "Hired",
            "email": "new.person@example.org",
            "role": Role.CASE_MANAGER.value,
            "password1": "a-long-enough-passphrase-77",
            "password2": "a-long-enough-passphrase-77",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content
    created = User.objects.get(username="new.person")
    assert created.role == Role.CASE_MANAGER
    assert not created.is_staff


def test_staff_accounts_cannot_be_deleted_in_the_admin(
    admin_client_: Client, case_manager: User
) -> None:
    response = admin_client_.get(reverse("admin:shelter_user_delete", args=[case_manager.pk]))
    assert response.status_code == 403
    assert User.objects.filter(pk=case_manager.pk).exists()
