"""Fetch-and-check helpers for youth records: 404 for what the user may not
see, 403 for what they may see but not change. Every plans view goes through
these, so a case manager cannot open another caseload's youth by editing a URL."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from plans.models import HelpContact, Restriction, Youth, YouthQuerySet
from shelter.models import User
from shelter.roles import Role


def youth_for_view(user: User, youth_id: int, queryset: YouthQuerySet | None = None) -> Youth:
    """`queryset` lets a page add its joins; it is always narrowed by visible_to."""
    base = queryset if queryset is not None else Youth.objects.all()
    youth = base.visible_to(user).filter(pk=youth_id).first()
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


def can_see_viewers(user: User) -> bool:
    """Who has viewed a youth's record is for supervisors and administrators."""
    return user.role in (Role.SUPERVISOR, Role.ADMINISTRATOR)


def youth_for_viewers(user: User, youth_id: int) -> Youth:
    """The youth whose viewers `user` may list: 404 if they may not see the youth,
    403 if they may see it but not who viewed it (case managers)."""
    youth = youth_for_view(user, youth_id, Youth.objects.select_related("plan"))
    if not can_see_viewers(user):
        raise PermissionDenied
    return youth


def youth_for_edit(user: User, youth_id: int, queryset: YouthQuerySet | None = None) -> Youth:
    youth = youth_for_view(user, youth_id, queryset)
    if not can_edit_youth(user, youth):
        raise PermissionDenied
    return youth


# Restrictions


def restriction_for_view(user: User, restriction_id: int) -> Restriction:
    restriction = (
        Restriction.objects.visible_to(user)
        .select_related("plan__youth__case_manager", "imposed_by", "decided_by", "lifted_by")
        .filter(pk=restriction_id)
        .first()
    )
    if restriction is None:
        raise Http404("No such restriction on your caseload.")
    return restriction


def restriction_for_lift(user: User, restriction_id: int) -> Restriction:
    """The youth's editors (their case manager, supervisors) may lift."""
    restriction = restriction_for_view(user, restriction_id)
    if not can_edit_youth(user, restriction.plan.youth):
        raise PermissionDenied
    return restriction


def restriction_for_decision(user: User, restriction_id: int) -> Restriction:
    """Only supervisors approve or decline, and not for a discharged youth;
    others who may see it get 403."""
    restriction = restriction_for_view(user, restriction_id)
    if user.role != Role.SUPERVISOR or not can_edit_youth(user, restriction.plan.youth):
        raise PermissionDenied
    return restriction


# Help contacts


def help_contact_for_edit(user: User, youth_id: int, contact_id: int) -> HelpContact:
    """A help contact (current or removed) of a youth the user may edit: 404 for a youth they
    may not see or a contact that is not this youth's, 403 otherwise."""
    youth = youth_for_edit(user, youth_id, Youth.objects.select_related("plan"))
    contact = (
        HelpContact.objects.select_related("added_by")
        .filter(plan=youth.plan, pk=contact_id)
        .first()
    )
    if contact is None:
        raise Http404("No such help contact.")
    contact.plan = youth.plan  # already loaded, with its youth
    return contact
