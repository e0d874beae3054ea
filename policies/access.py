"""Fetch-and-check helpers for policy pages: 404 for what the user may not
see, 403 for what they may see but not change.

Who may do what: every role reads policies; case managers and supervisors
write drafts and record youth contributions (any of them may edit an open
draft: drafting is shared agency work; only its author submits it);
supervisors review, approve, return and retire; administrators read.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from plans.access import youth_for_edit
from plans.models import Plan
from policies.models import Policy, PolicyVersion
from shelter.models import User
from shelter.roles import Role

WRITER_ROLES = (Role.CASE_MANAGER, Role.SUPERVISOR)


def can_write(user: User) -> bool:
    return user.role in WRITER_ROLES


def can_review(user: User, version: PolicyVersion) -> bool:
    """Supervisors review drafts, never their own."""
    return user.role == Role.SUPERVISOR and version.created_by_id != user.pk


def policy_for_view(user: User, policy_id: int) -> Policy:
    policy = Policy.objects.visible_to(user).filter(pk=policy_id).first()
    if policy is None:
        raise Http404("No such policy.")
    return policy


def version_for_view(user: User, version_id: int) -> PolicyVersion:
    version = (
        PolicyVersion.objects.visible_to(user)
        .select_related("policy", "created_by", "updated_by", "approved_by", "based_on")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise Http404("No such policy version.")
    return version


def version_for_write(user: User, version_id: int) -> PolicyVersion:
    version = version_for_view(user, version_id)
    if not can_write(user):
        raise PermissionDenied
    return version


def version_for_review(user: User, version_id: int) -> PolicyVersion:
    version = version_for_view(user, version_id)
    if user.role != Role.SUPERVISOR:
        raise PermissionDenied
    return version


def plan_for_edit(user: User, plan_id: int) -> Plan:
    """The plan of a youth the user may edit (404 outside their caseload)."""
    youth_id = Plan.objects.filter(pk=plan_id).values_list("youth_id", flat=True).first()
    if youth_id is None:
        raise Http404("No such plan on your caseload.")
    youth = youth_for_edit(user, youth_id)
    return Plan.objects.select_related("youth").get(pk=plan_id, youth=youth)
