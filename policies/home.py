"""The policies part of each role's home page.

Case managers (and supervisors, who may hold a caseload): plans on their
caseload that follow a policy version no longer in force, and their drafts
returned for changes. Supervisors also: drafts to review, policies overdue for
review, and how many staff have not acknowledged each policy in force.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from plans.models import Youth
from policies.models import PlanPolicy, PolicyVersion, Status
from shelter.home import HOME_LIST_LENGTH, HomePanel
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


def home_context(user: User) -> dict[str, HomePanel]:
    """Case managers: three queries (flagged plans counted, then listed; their open
    drafts). Supervisors: four more (drafts to review come with the open drafts;
    overdue policies; the two for missing acknowledgements)."""
    role = user.role
    if role not in (Role.CASE_MANAGER, Role.SUPERVISOR):
        return {}
    now = timezone.now()
    today = timezone.localdate(now)
    # Only the plans of one's own caseload, as far as one may see it (a block wins).
    caseload = Youth.objects.visible_to(user).current(now).filter(case_manager=user)
    flagged = (
        PlanPolicy.objects.needing_review(today)
        .filter(plan__youth__in=caseload.values("pk"))
        .select_related("plan__youth", "policy_version__policy")
        .order_by("plan__youth__preferred_name", "policy_version__policy__position", "pk")
    )
    # At most one open version per policy: a short list, split here.
    needing_me = Q(status=Status.RETURNED, created_by=user)
    if role == Role.SUPERVISOR:
        needing_me |= Q(status=Status.SUBMITTED) & ~Q(created_by=user)
    open_versions = list(
        PolicyVersion.objects.visible_to(user)
        .filter(needing_me)
        .select_related("policy", "created_by")
        .order_by("submitted_at", "policy__position", "pk")
    )
    returned = [v for v in open_versions if v.status == Status.RETURNED]
    policy_list = reverse("policies:policy-list")
    panels = {
        "plans-flagged": HomePanel(
            key="plans-flagged",
            title=gettext("Plans to review because a policy changed"),
            count=flagged.count(),
            items=list(flagged[:HOME_LIST_LENGTH]),
            item_template="policies/includes/_home_flagged_plan.html",
            empty=gettext("No plan on your caseload follows an old policy version."),
            optional=role == Role.SUPERVISOR,
        ),
        "drafts-returned": HomePanel(
            key="drafts-returned",
            title=gettext("Your policy drafts returned for changes"),
            count=len(returned),
            items=returned,
            item_template="policies/includes/_home_version.html",
            empty=gettext("None of your drafts is waiting for changes."),
            more_url=policy_list,
            more_label=gettext("All policies"),
            optional=role == Role.SUPERVISOR,
        ),
    }
    if role == Role.SUPERVISOR:
        to_review = [v for v in open_versions if v.status == Status.SUBMITTED]
        overdue = list(
            PolicyVersion.objects.visible_to(user)
            .overdue_for_review(today)
            .select_related("policy")
            .order_by("next_review_on", "policy__position")
        )
        missing = missing_acknowledgements()
        panels |= {
            "drafts-to-review": HomePanel(
                key="drafts-to-review",
                title=gettext("Policy drafts to review"),
                count=len(to_review),
                items=to_review,
                item_template="policies/includes/_home_draft_to_review.html",
                empty=gettext("No drafts are waiting for you."),
                more_url=reverse("policies:review-queue"),
                more_label=gettext("Open the policy reviews"),
            ),
            "policies-overdue": HomePanel(
                key="policies-overdue",
                title=gettext("Policies overdue for review"),
                count=len(overdue),
                items=overdue,
                item_template="policies/includes/_home_overdue_policy.html",
                empty=gettext("Every policy in force is within its review date."),
                more_url=policy_list,
                more_label=gettext("All policies"),
            ),
            "acknowledgements-missing": HomePanel(
                key="acknowledgements-missing",
                title=gettext("Policies some staff have not acknowledged"),
                count=len(missing),
                items=missing,
                item_template="policies/includes/_home_missing_acks.html",
                empty=gettext("Every active staff member has acknowledged every policy in force."),
                more_url=policy_list,
                more_label=gettext("All policies"),
            ),
        }
    return panels
