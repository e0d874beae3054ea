"""Small builders with fixed, clearly fictional values. Override what a test cares about."""

from datetime import date
from typing import TYPE_CHECKING, Any

from shelter.models import User
from shelter.roles import Role
from shelter.services import staff_create

if TYPE_CHECKING:
    from plans.models import Restriction, Youth

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


def make_restriction(youth: "Youth", imposed_by: User, **overrides: Any) -> "Restriction":
    """A restriction stored as-is (any times, any approval state), bypassing the
    service's rules for "now": for fixtures such as one that ended a minute ago.
    Categories: `categories=[keys…]` (default: social media), or all_categories=True."""
    from datetime import timedelta

    from django.utils import timezone

    from plans.models import Category, Restriction

    now = timezone.now()
    keys = overrides.pop("categories", ["social-media"])
    fields: dict[str, Any] = {
        "plan": youth.plan,
        "kind": "deny",
        "reason": "Fictional: an unknown adult keeps messaging them.",
        "starts_at": now - timedelta(hours=1),
        "ends_at": now + timedelta(hours=23),
        "imposed_by": imposed_by,
        "imposed_at": now - timedelta(hours=1),
        "approval": "not_needed",
    }
    fields.update(overrides)
    restriction = Restriction(**fields)
    restriction.full_clean()
    restriction.save()
    if not restriction.all_categories:
        restriction.categories.set(Category.objects.filter(key__in=keys))
    return restriction
