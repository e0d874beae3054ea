"""The plans part of each role's home page."""

from typing import Any

from shelter.models import User


def home_context(user: User) -> dict[str, Any]:
    return {}
