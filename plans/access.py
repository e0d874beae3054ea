"""Fetch-and-check helpers for youth records: 404 for what the user may not
see, 403 for what they may see but not change. Every plans view goes through
these, so a case manager cannot open another caseload's youth by editing a URL."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from plans.models import Youth
from shelter.models import User
from shelter.roles import Role


def youth_for_view(user: User, youth_id: int) -> Youth:
    youth = Youth.objects.visible_to(user).filter(pk=youth_id).first()
    if youth is None:
        raise Http404("No such youth on your caseload.")
    return youth


def can_edit_youth(user: User, youth: Youth) -> bool:
    """Case managers edit their caseload, supervisors everyone; administrators
    read only. Discharged youth stay readable but are no longer edited."""
    if youth.is_discharged:
        return False
    if user.role == Role.SUPERVISOR:
        return True
    return user.role == Role.CASE_MANAGER and youth.case_manager_id == user.pk


def youth_for_edit(user: User, youth_id: int) -> Youth:
    youth = youth_for_view(user, youth_id)
    if not can_edit_youth(user, youth):
        raise PermissionDenied
    return youth
