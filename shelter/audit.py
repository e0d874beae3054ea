"""The audit trail's one way in: `audit_record`.

Every app records what the issue asks for (a sign-in, a view of a youth's record
or plan, a change, an approval, an export, a refused access) by calling

    audit_record(action=AuditAction.VIEW_YOUTH, actor=request.user, request=request, obj=youth)

`obj` is stored as its model label and primary key, never its text; `request`
gives the address and the path (without the query string, which may hold what
someone typed in a search box). `detail` is for codes and ids only: no names, no
free text. Rows cannot be changed or deleted afterwards.

Services never take a request: AuditRefusalMiddleware keeps the request being
answered in a context variable, and `audit_record` called without `request=`
(from a service, inside its transaction) takes the address and path from it:

    audit_record(action=AuditAction.CHANGE, actor=by, obj=plan, detail={"op": "plan_update"})
"""

from contextvars import ContextVar
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from shelter.addresses import client_ip
from shelter.models import AuditAction, AuditEvent, User

JSONScalar = str | int | float | bool | None

# The request being answered on this thread (or task), set by AuditRefusalMiddleware.
_current_request: ContextVar[HttpRequest | None] = ContextVar("shelter_audit_request", default=None)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def audit_record(
    *,
    action: AuditAction,
    actor: User | AnonymousUser | None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    detail: dict[str, JSONScalar | list[JSONScalar]] | None = None,
) -> AuditEvent:
    """Append one row to the audit trail and return it.

    Without `request`, the address and path come from the request being answered
    (none in a management command or a test calling a service directly).
    """
    request = request if request is not None else _current_request.get()
    event = AuditEvent(
        action=action,
        actor=actor if isinstance(actor, User) else None,
        detail=detail or {},
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = obj.pk
    if request is not None:
        event.ip_address = client_ip(request)
        event.path = request.path[: AuditEvent._meta.get_field("path").max_length]
    # The actor is an instance already loaded: checking it exists would cost a query
    # on every page view (the foreign key constraint guards it anyway).
    event.full_clean(exclude=["actor"])
    event.save()
    return event


# Receivers for Django's sign-in signals: each only records the event.


def record_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(action=AuditAction.SIGN_IN, actor=user, request=_real(request))


def record_sign_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    audit_record(action=AuditAction.SIGN_OUT, actor=user, request=_real(request))


def record_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The account is named only if it exists; what was typed is never stored (people
    # sometimes type their password into the username box).
    username = credentials.get("username")
    actor = User.objects.filter(username=username).first() if username else None
    audit_record(action=AuditAction.SIGN_IN_FAILED, actor=actor, request=_real(request))


def _real(request: HttpRequest | None) -> HttpRequest | None:
    # The test client's force_login passes a bare HttpRequest with no address or path.
    if request is None or not request.META:
        return None
    return request


class AuditRefusalMiddleware:
    """Record a refused access (a view raised PermissionDenied or Http404) by a signed-in user,
    and keep the request at hand for `audit_record` calls from services.

    Anonymous visitors are sent to sign in before any view runs, so a refusal here
    always has an author.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            # Reset, not left behind: a thread serves many requests (and tests
            # call services between requests).
            _current_request.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if not isinstance(exception, PermissionDenied | Http404):
            return
        if not request.user.is_authenticated:
            return
        status = 403 if isinstance(exception, PermissionDenied) else 404
        audit_record(
            action=AuditAction.ACCESS_REFUSED,
            actor=request.user,
            request=request,
            detail={"status": status},
        )
