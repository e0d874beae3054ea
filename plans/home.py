"""The plans part of each role's home page."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from plans.models import Restriction, Youth
from shelter.models import User
from shelter.roles import Role

HOME_LIST_LENGTH = 10


# Youth and reviews (H2)
def reviews_home_context(user: User) -> dict[str, Any]:
    """Case managers: their caseload; supervisors: everyone. Five queries:
    the youth count, then each review list and its count."""
    if user.role not in (Role.CASE_MANAGER, Role.SUPERVISOR):
        return {}
    today = timezone.localdate()
    current = Youth.objects.visible_to(user).current().select_related("plan")
    overdue = current.filter(plan__next_review_on__lt=today).order_by("plan__next_review_on", "pk")
    due = current.filter(
        plan__next_review_on__gte=today, plan__next_review_on__lte=today + timedelta(days=7)
    ).order_by("plan__next_review_on", "pk")
    return {
        "home_youth_count": current.count(),
        "home_youth_scope": "all" if user.role == Role.SUPERVISOR else "mine",
        "home_reviews_overdue": list(overdue[:HOME_LIST_LENGTH]),
        "home_reviews_overdue_count": overdue.count(),
        "home_reviews_due": list(due[:HOME_LIST_LENGTH]),
        "home_reviews_due_count": due.count(),
    }


def home_context(user: User) -> dict[str, Any]:
    return {**reviews_home_context(user), **restriction_home_context(user)}


# Restrictions (H3)
def restriction_home_context(user: User) -> dict[str, Any]:
    """Supervisors: long restrictions waiting for approval. Case managers: their
    caseload's restrictions in force that end within a day. Two queries each."""
    now = timezone.now()
    visible = Restriction.objects.visible_to(user).select_related("plan__youth")
    if user.role == Role.SUPERVISOR:
        waiting = visible.awaiting_decision(now).order_by("starts_at", "pk")
        return {
            "restrictions_waiting_count": waiting.count(),
            "restrictions_waiting": list(waiting[:HOME_LIST_LENGTH]),
        }
    if user.role == Role.CASE_MANAGER:
        ending = (
            visible.active_at(now).filter(ends_at__lte=now + timedelta(days=1)).order_by("ends_at")
        )
        return {
            "restrictions_ending_count": ending.count(),
            "restrictions_ending": list(ending[:HOME_LIST_LENGTH]),
        }
    return {}
