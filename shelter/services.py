"""Writes about staff accounts that span several objects (user, groups)."""

from django.contrib.auth.models import Group
from django.db import transaction

from shelter.models import Language, User
from shelter.roles import Role


@transaction.atomic
def staff_set_role(*, user: User, role: Role) -> User:
    """Give a staff member exactly one role.

    Administrators manage accounts in the Django admin, so only they get
    is_staff; nobody gets superuser powers through a role.
    """
    groups = Group.objects.filter(name__in=[r.group_name for r in Role])
    user.groups.remove(*groups)
    user.groups.add(Group.objects.get(name=role.group_name))
    user.is_staff = role == Role.ADMINISTRATOR
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("role", None)
    return user


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.full_clean()
    user.save()
    return staff_set_role(user=user, role=role)


@transaction.atomic
def staff_set_language(*, user: User, language: Language) -> User:
    """The language of the staff member's pages, from their next page on."""
    user.language = language
    user.full_clean()
    user.save(update_fields=["language"])
    return user
