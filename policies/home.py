"""The policies part of each role's home page.

Case managers (and supervisors, who may hold a caseload): plans on their
caseload that follow a policy version no longer in force, and their drafts
returned for changes. Supervisors also: drafts to review, policies overdue for
review, and how many staff have not acknowledged each policy in force.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from policies.models import PlanPolicy, PolicyVersion, Status
from shelter.models import User
from shelter.roles import Role


@dataclass(frozen=True)
class MissingAcknowledgements:
    version: PolicyVersion
    missing: int


def active_staff() -> Any:
    """Every active staff member with a role: they all read the policies in force."""
    return User.objects.filter(
        is_active=True, groups__name__in=[role.group_name for role in Role]
    ).distinct()


def missing_acknowledgements() -> list[MissingAcknowledgements]:
    """Per policy in force, how many active staff have not acknowledged it (2 queries)."""
    staff = active_staff()
    total = staff.count()
    versions = (
        PolicyVersion.objects.in_force()
        .select_related("policy")
        .annotate(
            acknowledged=Count(
                "acknowledgements__user",
                filter=Q(acknowledgements__user__in=staff.values("pk")),
                distinct=True,
            )
        )
        .order_by("policy__position")
    )
    return [
        MissingAcknowledgements(version=v, missing=total - v.acknowledged)
        for v in versions
        if total > v.acknowledged
    ]


def home_context(user: User) -> dict[str, Any]:
    role = user.role
    if role not in (Role.CASE_MANAGER, Role.SUPERVISOR):
        return {}
    today = timezone.localdate()
    context: dict[str, Any] = {
        "policies_flagged_plans": list(
            PlanPolicy.objects.needing_review(today)
            .filter(plan__youth__case_manager=user)
            .filter(
                Q(plan__youth__discharged_on__isnull=True) | Q(plan__youth__discharged_on__gt=today)
            )
            .select_related("plan__youth", "policy_version__policy")
            .order_by("plan__youth__preferred_name", "policy_version__policy__position")
        ),
        "policies_returned_drafts": list(
            PolicyVersion.objects.filter(status=Status.RETURNED, created_by=user)
            .select_related("policy")
            .order_by("policy__position")
        ),
    }
    if role == Role.SUPERVISOR:
        context.update(
            {
                "policies_to_review": list(
                    PolicyVersion.objects.filter(status=Status.SUBMITTED)
                    .exclude(created_by=user)
                    .select_related("policy", "created_by")
                    .order_by("submitted_at", "pk")
                ),
                "policies_overdue": list(
                    PolicyVersion.objects.overdue_for_review(today)
                    .select_related("policy")
                    .order_by("next_review_on")
                ),
                "policies_missing_acks": missing_acknowledgements(),
            }
        )
    return context
