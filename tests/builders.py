"""Small builders with fixed, clearly fictional values. Override what a test cares about."""

from typing import Any

from shelter.models import User
from shelter.roles import Role
from shelter.services import staff_create

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
