"""Clearly fictional demo data for a first look at the product.

Every name here is invented; client IDs start with DEMO- so nobody can mistake
them for real records.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from shelter.models import User
from shelter.roles import Role
from shelter.services import staff_create, staff_set_role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("demo-casemanager", "Casey", "Example", Role.CASE_MANAGER),
    DemoAccount("demo-casemanager2", "Robin", "Sample", Role.CASE_MANAGER),
    DemoAccount("demo-supervisor", "Sam", "Placeholder", Role.SUPERVISOR),
    DemoAccount("demo-supervisor2", "Alex", "Fictional", Role.SUPERVISOR),
    DemoAccount("demo-admin", "Jordan", "Testperson", Role.ADMINISTRATOR),
)


@dataclass(frozen=True)
class DemoStaff:
    case_manager: User
    other_case_manager: User
    supervisor: User
    other_supervisor: User
    administrator: User


@transaction.atomic
def build_demo() -> tuple[DemoStaff, dict[str, str]]:
    """Create (or reset) the demo accounts and the fictional records.

    Returns the staff and a username → password map to print. Passwords are new
    on every run, so a leftover demo database never keeps a known password.
    """
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo accounts are only created with DEBUG on.")
    passwords: dict[str, str] = {}
    users: list[User] = []
    for account in DEMO_ACCOUNTS:
        password = f"demo-{secrets.token_urlsafe(9)}"
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = staff_create(
                username=account.username,
                password=password,
                role=account.role,
                first_name=account.first_name,
                last_name=account.last_name,
                email=f"{account.username}@example.org",
            )
        else:
            user.set_password(password)
            user.is_active = True
            user.save()
            staff_set_role(user=user, role=account.role)
        passwords[account.username] = password
        users.append(user)
    staff = DemoStaff(*users)
    seed_records(staff)
    return staff, passwords


def seed_records(staff: DemoStaff) -> None:
    """Fictional youth, plans, policies, desk and training records; each app seeds its
    own (idempotent)."""
    from desk.demo import seed as seed_desk
    from library.demo import seed as seed_library
    from plans.demo import seed as seed_plans
    from policies.demo import seed as seed_policies

    youth = seed_plans(staff)
    seed_policies(staff)
    seed_desk(staff, youth)
    seed_library(staff)
