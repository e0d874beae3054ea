"""Writes at the front desk: lending devices (and holding youth's own phones)
and the youth's requests for more access. Every function is keyword-only,
atomic, checks who may act, and writes an audit row in the same transaction.

Interface (h5's pages call these; field names match the ValidationError keys):

    device_check_out(*, actor: User, youth: Youth, category: Category | None = None,
                     device: Device | None = None, supervised_by: User | None = None,
                     override_reason: str = "", now: datetime | None = None) -> DeviceSession
        device None = the youth's own phone held at the desk (category
        "phone-possession"); otherwise the device's category, unless `category`
        is given. Raises CheckOutAgainstPlan (a ValidationError on
        "override_reason", with .state and .access) when the plan says no right
        now (outside a window, limit reached, restricted) and no reason is given;
        ValidationError on "supervised_by" (supervision required), "device"
        (already out, not in use), "category" (already out to this youth, no rule);
        PermissionDenied unless the actor edits this youth (plans.access.can_edit_youth).

    device_check_in(*, actor: User, session: DeviceSession, now: datetime | None = None)
        -> DeviceSession
        Raises SessionAlreadyCheckedIn when someone checked it in meanwhile.

    access_request_record(*, actor: User, youth: Youth, kind: str,
                          categories: Iterable[Category], all_categories: bool, reason: str,
                          minutes: int | None = None, starts_at: datetime | None = None,
                          ends_at: datetime | None = None, now: datetime | None = None)
        -> AccessRequest
        kind: RequestKind (extra_minutes needs `minutes`; until needs `ends_at`;
        window needs `starts_at` and `ends_at`). ValidationError keys: categories,
        kind, reason, minutes, starts_at, ends_at. Anyone who may see the youth.

    access_request_grant(*, actor: User, request: AccessRequest, expected_version: int,
                         preset: str, until: datetime | None = None, note: str = "",
                         now: datetime | None = None) -> AccessRequest
        preset: GrantPreset "15m" | "1h" | "until" | "today". Extra minutes: 15m/1h
        grant 15/60 extra minutes, "today" the minutes asked, all for the rest of
        today. Until / window: opens from now (or the asked start, if later) for
        15 min, 1 h, until `until` (default: the asked end) or the end of today.
        Raises RequestConflict (stale form, decided meanwhile); ValidationError
        on "preset", "until" (ends before it starts, in the past, over a day),
        "categories" (a restriction wins: lift it first).

    access_request_decline(*, actor: User, request: AccessRequest, expected_version: int,
                           note: str, now: datetime | None = None) -> AccessRequest
        ValidationError on "note" when empty (the reason the youth is told).

    access_request_withdraw(*, actor: User, request: AccessRequest, expected_version: int,
                            now: datetime | None = None) -> AccessRequest
        The youth changed their mind: whoever recorded it, or the youth's editors.

Granting and declining are for the youth's editors (their case manager, supervisors).
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.board import youth_access
from desk.models import (
    MAX_EXTRA_MINUTES,
    PHONE_POSSESSION,
    AccessRequest,
    Device,
    DeviceSession,
    GrantPreset,
    RequestKind,
    RequestStatus,
)
from plans.access import can_edit_youth
from plans.models import Category, Restriction, Youth
from plans.rightnow import CategoryAccess
from shelter.audit import audit_record
from shelter.models import AuditAction, User
from shelter.roles import Role

logger = logging.getLogger(__name__)

# An exception is for today, not a change of plan: longer needs a plan edit.
MAX_EXCEPTION_LENGTH = timedelta(hours=24)
PRESET_LENGTHS = {GrantPreset.FIFTEEN_MINUTES: 15, GrantPreset.ONE_HOUR: 60}


class CheckOutAgainstPlan(ValidationError):
    """The plan says no right now and no override reason was given."""

    def __init__(self, access: CategoryAccess) -> None:
        self.access = access
        self.state = access.state
        super().__init__(
            {
                "override_reason": _(
                    "%(category)s is not allowed right now: %(state)s. "
                    "To hand it out anyway, write why (the case manager will see it)."
                )
                % {"category": access.category_name, "state": access.label}
            }
        )


class SessionAlreadyCheckedIn(Exception):
    def __init__(self, session: DeviceSession) -> None:
        self.session = session
        words = {"what": session.what}
        if session.checked_in_at:
            words["time"] = f"{timezone.localtime(session.checked_in_at):%H:%M}"
        if session.checked_in_by_id:
            words["who"] = str(session.checked_in_by)
        if "time" in words and "who" in words:
            text = _("Nothing was changed: %(what)s was already checked in at %(time)s by %(who)s.")
        elif "time" in words:
            text = _("Nothing was changed: %(what)s was already checked in at %(time)s.")
        elif "who" in words:
            text = _("Nothing was changed: %(what)s was already checked in by %(who)s.")
        else:
            text = _("Nothing was changed: %(what)s was already checked in.")
        super().__init__(text % words)


class RequestConflict(Exception):
    """The request changed since the page was loaded (decided, withdrawn, edited)."""

    def __init__(self, request: AccessRequest) -> None:
        self.request = request
        super().__init__(
            _(
                "Nothing was changed: this request changed since your page was loaded. "
                "It is now: %(status)s."
            )
            % {"status": request.get_status_display().lower()}
        )


def _stamp(instance: models.Model, by: User, now: datetime) -> None:
    instance._history_user = by  # type: ignore[attr-defined]
    instance._history_date = now  # type: ignore[attr-defined]


def _end_of_day(moment: datetime) -> datetime:
    """The next local midnight after `moment`."""
    local = timezone.localtime(moment)
    tomorrow = local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))


# The device log


@transaction.atomic
def device_check_out(
    *,
    actor: User,
    youth: Youth,
    category: Category | None = None,
    device: Device | None = None,
    supervised_by: User | None = None,
    override_reason: str = "",
    now: datetime | None = None,
) -> DeviceSession:
    """Hand a device (or the youth's own phone) to a youth, checked against the
    plan right now: minutes used today, exceptions and restrictions included."""
    now = now or timezone.now()
    if not can_edit_youth(actor, youth):
        raise PermissionDenied
    if category is None:
        if device is not None:
            category = device.category
        else:
            category = Category.objects.get(key=PHONE_POSSESSION)
    if device is not None and not device.is_active:
        raise ValidationError(
            {"device": _("%(device)s is not in use any more.") % {"device": device}}
        )
    if device is not None:
        out = DeviceSession.objects.open().filter(device=device).first()
        if out is not None:
            raise ValidationError(
                {
                    "device": _("%(device)s is already out (since %(time)s). Check it in first.")
                    % {
                        "device": device,
                        "time": f"{timezone.localtime(out.checked_out_at):%H:%M}",
                    }
                }
            )
    if DeviceSession.objects.open().filter(youth=youth, category=category).exists():
        raise ValidationError(
            {
                "category": _("This youth already has %(category)s out. Check that in first.")
                % {"category": category}
            }
        )
    access = youth_access(youth, now).category(category.key)
    if access is None:
        raise ValidationError(
            {"category": _("The plan has no rule for %(category)s.") % {"category": category}}
        )
    override_reason = override_reason.strip()
    if access.against_plan and not override_reason:
        raise CheckOutAgainstPlan(access)
    if access.supervised and supervised_by is None:
        raise ValidationError(
            {"supervised_by": _("The plan says supervised use: name who is supervising.")}
        )
    if supervised_by is not None and (
        not supervised_by.is_active or supervised_by.role not in tuple(Role)
    ):
        raise ValidationError({"supervised_by": _("Choose an active staff member.")})
    session = DeviceSession(
        youth=youth,
        category=category,
        device=device,
        checked_out_at=now,
        checked_out_by=actor,
        supervised_by=supervised_by,
        override_reason=override_reason if access.against_plan else "",
        override_state=str(access.state) if access.against_plan else "",
    )
    session.full_clean(validate_constraints=False)
    _stamp(session, actor, now)
    try:
        # A savepoint: a check-out racing ours (same device, or same youth and
        # category) loses on the unique constraint, and this transaction goes on.
        with transaction.atomic():
            session.save()
    except IntegrityError as error:
        raise ValidationError(
            {"device": _("Someone checked this out a moment ago. Reload the board.")}
        ) from error
    audit_record(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=session,
        detail={"op": "device_check_out", "override_state": session.override_state or None},
    )
    if session.override_state:
        logger.info(
            "device session %s checked out against the plan (%s) by user %s",
            session.pk,
            session.override_state,
            actor.pk,
        )
    return session


def _may_check_in(actor: User, youth: Youth) -> bool:
    # A device must come back even after discharge, or it stays "out" forever:
    # the youth's case manager and supervisors may check in for a discharged youth.
    if can_edit_youth(actor, youth):
        return True
    return actor.role == Role.SUPERVISOR or (
        actor.role == Role.CASE_MANAGER and youth.case_manager_id == actor.pk
    )


@transaction.atomic
def device_check_in(
    *, actor: User, session: DeviceSession, now: datetime | None = None
) -> DeviceSession:
    """Take a device (or phone) back. Of two staff checking in the same session
    from stale pages, the second is refused: the first time stands."""
    now = now or timezone.now()
    if not _may_check_in(actor, session.youth):
        raise PermissionDenied
    # Never before it went out (a clock a little behind another's).
    checked_in_at = max(now, session.checked_out_at)
    claimed = DeviceSession.objects.filter(pk=session.pk, checked_in_at__isnull=True).update(
        checked_in_at=checked_in_at, checked_in_by=actor, version=F("version") + 1
    )
    session.refresh_from_db()
    if not claimed:
        raise SessionAlreadyCheckedIn(session)
    session.full_clean(validate_constraints=False)
    _stamp(session, actor, now)
    session.save()  # the history row records who checked it in
    audit_record(
        action=AuditAction.CHANGE, actor=actor, obj=session, detail={"op": "device_check_in"}
    )
    return session


# Youth requests and exceptions


def _request_errors(
    *,
    kind: str,
    categories: list[Category],
    all_categories: bool,
    reason: str,
    minutes: int | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    now: datetime,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not all_categories and not categories:
        errors["categories"] = _("Choose at least one category, or “All categories”.")
    if not reason.strip():
        errors["reason"] = _("Write the youth's reason, in their words.")
    if kind == RequestKind.EXTRA_MINUTES:
        if minutes is None or not 1 <= minutes <= MAX_EXTRA_MINUTES:
            errors["minutes"] = _("Give the minutes asked for (1 to %(most)s).") % {
                "most": MAX_EXTRA_MINUTES
            }
    elif kind == RequestKind.UNTIL:
        if ends_at is None:
            errors["ends_at"] = _("Give the time the youth asks to be allowed until.")
        elif ends_at <= now:
            errors["ends_at"] = _("This time has already passed.")
    elif kind == RequestKind.WINDOW:
        if starts_at is None:
            errors["starts_at"] = _("Give when the one-off window starts.")
        if ends_at is None:
            errors["ends_at"] = _("Give when the one-off window ends.")
        elif starts_at is not None and ends_at <= starts_at:
            errors["ends_at"] = _("The end must come after the start.")
        elif ends_at <= now:
            errors["ends_at"] = _("This time has already passed.")
    else:
        errors["kind"] = _("Choose what the youth asks for.")
    return errors


@transaction.atomic
def access_request_record(
    *,
    actor: User,
    youth: Youth,
    kind: str,
    categories: Iterable[Category],
    all_categories: bool,
    reason: str,
    minutes: int | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    now: datetime | None = None,
) -> AccessRequest:
    """Write down what a youth asks for, in their words; staff decide later."""
    now = now or timezone.now()
    if not Youth.objects.visible_to(actor).filter(pk=youth.pk).exists():
        raise PermissionDenied
    if youth.is_discharged:
        raise ValidationError(_("This youth has been discharged: their record is read-only."))
    chosen = [] if all_categories else list(categories)
    errors = _request_errors(
        kind=kind,
        categories=chosen,
        all_categories=all_categories,
        reason=reason,
        minutes=minutes,
        starts_at=starts_at,
        ends_at=ends_at,
        now=now,
    )
    if errors:
        raise ValidationError(errors)
    request = AccessRequest(
        youth=youth,
        all_categories=all_categories,
        kind=kind,
        reason=reason.strip(),
        minutes=minutes if kind == RequestKind.EXTRA_MINUTES else None,
        asked_from=starts_at if kind != RequestKind.EXTRA_MINUTES else None,
        asked_until=ends_at if kind != RequestKind.EXTRA_MINUTES else None,
        requested_by=actor,
        requested_at=now,
    )
    request.full_clean()
    _stamp(request, actor, now)
    request.save()
    request.categories.set(chosen)
    audit_record(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=request,
        detail={"op": "access_request_record", "kind": kind},
    )
    return request


def _grant_terms(
    request: AccessRequest, preset: str, until: datetime | None, now: datetime
) -> tuple[datetime, datetime, int]:
    """(granted_from, granted_until, extra minutes) for a preset, or ValidationError."""
    if preset not in GrantPreset.values:
        raise ValidationError({"preset": _("Choose 15 minutes, 1 hour, until a time, or today.")})
    if request.kind == RequestKind.EXTRA_MINUTES:
        if preset == GrantPreset.UNTIL:
            raise ValidationError(
                {"preset": _("Extra minutes are for today: choose 15 minutes, 1 hour or today.")}
            )
        extra = PRESET_LENGTHS.get(GrantPreset(preset)) or request.minutes or 0
        return now, _end_of_day(now), extra
    starts = max(now, request.asked_from) if request.asked_from else now
    if preset == GrantPreset.TODAY:
        ends = _end_of_day(starts)
    elif preset == GrantPreset.UNTIL:
        ends_or_none = until or request.asked_until
        if ends_or_none is None:
            raise ValidationError({"until": _("Give the time the exception ends.")})
        ends = ends_or_none
    else:
        ends = starts + timedelta(minutes=PRESET_LENGTHS[GrantPreset(preset)])
    if ends <= starts:
        raise ValidationError(
            {"until": _("The exception would end before it starts. Choose a later time.")}
        )
    if ends - starts > MAX_EXCEPTION_LENGTH:
        raise ValidationError(
            {"until": _("An exception lasts a day at most. For longer, change the plan.")}
        )
    return starts, ends, 0


def _restrictions_during(request: AccessRequest, starts: datetime, ends: datetime) -> bool:
    """Whether a restriction in effect covers one of the request's categories
    at some instant of [starts, ends)."""
    overlapping = (
        Restriction.objects.in_effect()
        .filter(plan__youth=request.youth, starts_at__lt=ends, ends_at__gt=starts)
        .filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=starts))
    )
    if request.all_categories:
        return overlapping.exists()
    wanted = request.categories.all()
    return overlapping.filter(Q(all_categories=True) | Q(categories__in=wanted)).exists()


def _claim(request: AccessRequest, expected_version: int, status: RequestStatus) -> None:
    """The conditional UPDATE is the lock: of two staff deciding from stale
    forms, exactly one matches the pending row at the version they loaded."""
    claimed = AccessRequest.objects.filter(
        pk=request.pk, version=expected_version, status=RequestStatus.PENDING
    ).update(status=status, version=F("version") + 1)
    request.refresh_from_db()
    if not claimed:
        raise RequestConflict(request)


@transaction.atomic
def access_request_grant(
    *,
    actor: User,
    request: AccessRequest,
    expected_version: int,
    preset: str,
    until: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> AccessRequest:
    """Grant a request as a temporary exception that ends by itself. A
    restriction always wins: lifting it is its own decision, made first."""
    now = now or timezone.now()
    if not can_edit_youth(actor, request.youth):
        raise PermissionDenied
    if not request.is_pending or request.version != expected_version:
        # Refuse before any other message: the form itself is stale.
        raise RequestConflict(request)
    starts, ends, extra = _grant_terms(request, preset, until, now)
    if ends <= now:
        raise ValidationError({"until": _("This time has already passed.")})
    if _restrictions_during(request, starts, ends):
        raise ValidationError(
            {
                "categories": _(
                    "A restriction covers this time: a restriction wins. "
                    "Lift it first if the youth's safety allows, then grant the request."
                )
            }
        )
    _claim(request, expected_version, RequestStatus.GRANTED)
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note.strip()
    request.granted_from = starts
    request.granted_until = ends
    request.granted_extra_minutes = extra
    request.full_clean()
    _stamp(request, actor, now)
    request.save()
    audit_record(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=request,
        detail={"op": "access_request_grant", "preset": preset},
    )
    return request


@transaction.atomic
def access_request_decline(
    *,
    actor: User,
    request: AccessRequest,
    expected_version: int,
    note: str,
    now: datetime | None = None,
) -> AccessRequest:
    """Say no, with the reason the youth is told."""
    now = now or timezone.now()
    if not can_edit_youth(actor, request.youth):
        raise PermissionDenied
    if not request.is_pending or request.version != expected_version:
        raise RequestConflict(request)
    if not note.strip():
        raise ValidationError({"note": _("Write the reason the youth will be told.")})
    _claim(request, expected_version, RequestStatus.DECLINED)
    request.decided_by = actor
    request.decided_at = now
    request.decision_note = note.strip()
    request.full_clean()
    _stamp(request, actor, now)
    request.save()
    audit_record(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=request,
        detail={"op": "access_request_decline"},
    )
    return request


@transaction.atomic
def access_request_withdraw(
    *,
    actor: User,
    request: AccessRequest,
    expected_version: int,
    now: datetime | None = None,
) -> AccessRequest:
    """The youth no longer asks: kept, marked withdrawn."""
    now = now or timezone.now()
    if request.requested_by_id != actor.pk and not can_edit_youth(actor, request.youth):
        raise PermissionDenied
    _claim(request, expected_version, RequestStatus.WITHDRAWN)
    request.decided_by = actor
    request.decided_at = now
    request.full_clean()
    _stamp(request, actor, now)
    request.save()
    audit_record(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=request,
        detail={"op": "access_request_withdraw"},
    )
    return request
