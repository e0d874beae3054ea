"""Fetch-and-check helpers for the front desk: 404 for what the user may not
see, 403 for what they may see but not change. Every desk view goes through
these or plans.access, so nobody reaches another caseload by editing a URL."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from desk.models import AccessRequest, DeviceSession
from plans.access import can_edit_youth
from shelter.models import User
from shelter.roles import Role


def session_for_check_in(user: User, session_id: int) -> DeviceSession:
    """The youth's case manager and supervisors check devices in, also after
    discharge (a device must come back); administrators get 403."""
    session = (
        DeviceSession.objects.visible_to(user)
        .select_related("youth", "device", "category")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("No such device session on your caseload.")
    # visible_to already narrows a case manager to their caseload.
    if user.role not in (Role.CASE_MANAGER, Role.SUPERVISOR):
        raise PermissionDenied
    return session


def request_for_view(user: User, request_id: int) -> AccessRequest:
    access_request = (
        AccessRequest.objects.visible_to(user)
        .select_related("youth__case_manager", "requested_by", "decided_by")
        .filter(pk=request_id)
        .first()
    )
    if access_request is None:
        raise Http404("No such request on your caseload.")
    return access_request


def request_for_decision(user: User, request_id: int) -> AccessRequest:
    """The youth's case manager or a supervisor grants or declines; others who
    may see it (administrators) get 403."""
    access_request = request_for_view(user, request_id)
    if not can_edit_youth(user, access_request.youth):
        raise PermissionDenied
    return access_request
