"""Small builders with fixed, clearly fictional values. Override what a test cares about."""

from datetime import date
from typing import TYPE_CHECKING, Any

from shelter.models import User
from shelter.roles import Role
from shelter.services import staff_create

if TYPE_CHECKING:
    from plans.models import Youth

TEST_PASSWORD = "correct-horse-battery-staple-42"


def make_staff(
    username: str = "cm.alpha", role: Role = Role.CASE_MANAGER, **overrides: Any
) -> User:
    fields: dict[str, Any] = {
        "first_name": "Testy",
        "last_name": username.replace(".", " ").title(),
        "email": f"{username}@example.org",
    }
    fields.update(overrides)
    return staff_create(username=username, password=TEST_PASSWORD, role=role, **fields)


def make_youth(case_manager: User, **overrides: Any) -> "Youth":
    """A fictional youth with a plan, on `case_manager`'s caseload."""
    from plans.models import Plan, Youth

    fields: dict[str, Any] = {
        "preferred_name": "Testy Youth",
        "client_id": "TEST-0001",
        "birth_year": 2010,
        "admitted_on": date(2026, 11, 1),
        "case_manager": case_manager,
    }
    fields.update(overrides)
    youth = Youth(**fields)
    youth.full_clean()
    youth.save()
    Plan.objects.create(youth=youth)
    return youth
