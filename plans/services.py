"""Writes about youth and their plans: admission, edits, and the plan with its
rules and windows as one unit.

Every write records who did it (`_history_user`) and stamps all history rows
of one save with the same instant (`_history_date`), so the history page can
show a save as one entry and a conflict can list exactly the saves that came
after the version a user loaded.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.access import can_edit_youth
from plans.history import HistoryEntry, youth_history
from plans.models import (
    AccessRule,
    Approval,
    Category,
    HelpContact,
    HelpKind,
    Plan,
    RecordBlock,
    Restriction,
    RestrictionKind,
    TimeWindow,
    Unit,
    Youth,
)
from shelter.audit import audit_record
from shelter.models import AuditAction, Language, User
from shelter.roles import Role

PLAN_FIELDS = (
    "strengths",
    "challenges",
    "youth_words",
    "risk_level",
    "risk_rationale",
    "next_review_on",
    "youth_participated",
    "youth_agreed",
)
YOUTH_FIELDS = (
    "preferred_name",
    "client_id",
    "birth_year",
    "birth_date",
    "admitted_on",
    "discharged_on",
    "case_manager",
    "unit",
    "preferred_language",
)


@dataclass(frozen=True)
class RuleData:
    category_id: int
    supervised: bool = False
    daily_limit_minutes: int | None = None
    note: str = ""


@dataclass(frozen=True)
class WindowData:
    category_id: int
    weekdays: int  # bit 0 = Monday … bit 6 = Sunday
    start_time: time
    end_time: time
    window_id: int | None = None  # None: a new window


class EditConflict(Exception):
    """Someone else saved the record after this user loaded it."""

    def __init__(self, changes: list[HistoryEntry]) -> None:
        super().__init__(_("The record changed after it was loaded."))
        self.changes = changes


class PlanConflict(EditConflict):
    pass


class YouthConflict(EditConflict):
    pass


def _stamp(instance: models.Model, by: User, now: datetime) -> None:
    instance._history_user = by  # type: ignore[attr-defined]
    instance._history_date = now  # type: ignore[attr-defined]


def _version_date(history: Any, version: int) -> datetime | None:
    record = history.filter(version=version).order_by("-history_date").first()
    return record.history_date if record else None


@transaction.atomic
def youth_admit(
    *,
    by: User,
    preferred_name: str,
    client_id: str,
    birth_year: int,
    admitted_on: date,
    case_manager: User,
    birth_date: date | None = None,
    unit: Unit | None = None,
    preferred_language: str = Language.ENGLISH,
    now: datetime | None = None,
) -> Youth:
    """Add a youth with their (empty) plan and one rule per active category.

    Case managers may only add youth to their own caseload.
    """
    if by.role not in (Role.CASE_MANAGER, Role.SUPERVISOR):
        raise PermissionDenied
    if by.role == Role.CASE_MANAGER and case_manager.pk != by.pk:
        raise ValidationError({"case_manager": _("You can only add youth to your own caseload.")})
    _check_unit(unit, None)
    now = now or timezone.now()
    youth = Youth(
        preferred_name=preferred_name,
        client_id=client_id,
        birth_year=birth_year,
        birth_date=birth_date,
        admitted_on=admitted_on,
        case_manager=case_manager,
        unit=unit,
        preferred_language=preferred_language,
    )
    youth.full_clean()
    _stamp(youth, by, now)
    youth.save()
    plan = Plan(youth=youth, updated_by=by)
    plan.full_clean()
    _stamp(plan, by, now)
    plan.save()
    for category in Category.objects.filter(is_active=True):
        rule = AccessRule(plan=plan, category=category)
        _stamp(rule, by, now)
        rule.save()
    audit_record(action=AuditAction.CHANGE, actor=by, obj=youth, detail={"op": "youth_admit"})
    return youth


@transaction.atomic
def youth_update(
    *,
    youth: Youth,
    expected_version: int,
    by: User,
    data: dict[str, Any],
    now: datetime | None = None,
) -> Youth:
    """Edit a youth's facts (discharging is setting discharged_on).

    Refuses with YouthConflict when the youth was saved by someone else since
    `expected_version` was loaded. Only supervisors reassign case managers.
    """
    claimed = Youth.objects.filter(pk=youth.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise YouthConflict(_changes_since(youth, Youth.history, expected_version, "youth"))
    now = now or timezone.now()
    current = Youth.objects.select_related("case_manager").get(pk=youth.pk)
    unknown = set(data) - set(YOUTH_FIELDS)
    if unknown:
        raise ValueError(f"Not youth fields: {sorted(unknown)}")
    new_manager = data.get("case_manager", current.case_manager)
    if new_manager.pk != current.case_manager_id and by.role != Role.SUPERVISOR:
        raise ValidationError({"case_manager": _("Only a supervisor can reassign a youth.")})
    if "unit" in data:
        _check_unit(data["unit"], current.unit_id)
    for name, value in data.items():
        setattr(current, name, value)
    current.version = expected_version + 1
    current.full_clean()
    _stamp(current, by, now)
    current.save()
    audit_record(action=AuditAction.CHANGE, actor=by, obj=current, detail={"op": "youth_update"})
    return current


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    expected_version: int,
    by: User,
    plan_data: dict[str, Any],
    rules: Sequence[RuleData],
    windows: Sequence[WindowData],
    now: datetime | None = None,
) -> Plan:
    """Save the plan, its rules and its time windows as one unit.

    `windows` is the full wanted set: windows of this plan missing from it are
    removed (their history stays). Refuses with PlanConflict when the plan was
    saved by someone else since `expected_version` was loaded, so nobody
    silently overwrites a colleague. A changed risk level needs a new rationale.
    """
    # Claim the version first: of two concurrent saves exactly one UPDATE matches.
    claimed = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise PlanConflict(_changes_since(plan.youth, Plan.history, expected_version, "plan"))
    now = now or timezone.now()
    current = Plan.objects.get(pk=plan.pk)
    unknown = set(plan_data) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Not plan fields: {sorted(unknown)}")

    old_level, old_rationale, old_agreed = (
        current.risk_level,
        current.risk_rationale,
        current.youth_agreed,
    )
    for name, value in plan_data.items():
        setattr(current, name, value)
    rationale = (current.risk_rationale or "").strip()
    if current.risk_level != old_level and (not rationale or rationale == old_rationale.strip()):
        raise ValidationError(
            {
                "risk_rationale": _(
                    "The risk level changed: write why. The earlier rationale stays in the history."
                )
            }
        )
    if current.risk_level != old_level or rationale != old_rationale.strip():
        current.risk_assessed_by = by
        current.risk_assessed_at = now
    if current.youth_agreed and not old_agreed:
        current.youth_agreed_on = timezone.localdate(now)
    elif not current.youth_agreed:
        current.youth_agreed_on = None
    current.updated_by = by
    current.version = expected_version + 1

    rules_by_category = _save_rules(current, rules, by, now)
    _save_windows(current, rules_by_category, windows, by, now)

    current.full_clean()
    _stamp(current, by, now)
    current.save()
    audit_record(action=AuditAction.CHANGE, actor=by, obj=current, detail={"op": "plan_update"})
    return current


def _save_rules(
    plan: Plan, rules: Sequence[RuleData], by: User, now: datetime
) -> dict[int, AccessRule]:
    """Update changed rules and make sure every active category has one."""
    existing = {rule.category_id: rule for rule in plan.rules.all()}
    active = set(Category.objects.filter(is_active=True).values_list("pk", flat=True))
    wanted = {data.category_id: data for data in rules}
    if set(wanted) - active - set(existing):
        raise ValidationError(_("A category in this plan is not in use any more. Reload the page."))
    for category_id in active | set(wanted):
        data = wanted.get(category_id, RuleData(category_id=category_id))
        rule = existing.get(category_id)
        if rule is None:
            rule = AccessRule(plan=plan, category_id=category_id)
        elif (rule.supervised, rule.daily_limit_minutes, rule.note) == (
            data.supervised,
            data.daily_limit_minutes,
            data.note,
        ) or category_id not in wanted:
            continue
        rule.supervised = data.supervised
        rule.daily_limit_minutes = data.daily_limit_minutes
        rule.note = data.note
        rule.full_clean(exclude=["plan"])
        _stamp(rule, by, now)
        rule.save()
        existing[category_id] = rule
    return existing


def _save_windows(
    plan: Plan,
    rules_by_category: dict[int, AccessRule],
    windows: Sequence[WindowData],
    by: User,
    now: datetime,
) -> None:
    existing = {window.pk: window for window in TimeWindow.objects.filter(rule__plan=plan)}
    kept: set[int] = set()
    for data in windows:
        rule = rules_by_category.get(data.category_id)
        if rule is None:
            raise ValidationError(_("A time window names a category this plan has no rule for."))
        if data.window_id is not None:
            window = existing.get(data.window_id)
            if window is None:
                raise ValidationError(_("A time window was removed meanwhile. Reload the page."))
            kept.add(window.pk)
            if (window.rule_id, window.weekdays, window.start_time, window.end_time) == (
                rule.pk,
                data.weekdays,
                data.start_time,
                data.end_time,
            ):
                continue
        else:
            window = TimeWindow()
        window.rule = rule
        window.weekdays = data.weekdays
        window.start_time = data.start_time
        window.end_time = data.end_time
        window.full_clean()
        _stamp(window, by, now)
        window.save()
    for window_id, window in existing.items():
        if window_id not in kept:
            _stamp(window, by, now)
            window.delete()


def _check_unit(unit: Unit | None, current_unit_id: int | None) -> None:
    """A youth moves only into a unit in use; one whose unit was retired keeps it."""
    if unit is not None and not unit.is_active and unit.pk != current_unit_id:
        raise ValidationError({"unit": _("This unit is no longer in use. Choose another one.")})


def _changes_since(youth: Youth, history: Any, version: int, part: str) -> list[HistoryEntry]:
    """What others saved after `version` of the youth or plan was loaded."""
    after = _version_date(history.filter(**_owner_filter(youth, part)), version)
    return youth_history(youth, parts={part}, after=after)


def _owner_filter(youth: Youth, part: str) -> dict[str, int]:
    return {"id": youth.pk} if part == "youth" else {"youth_id": youth.pk}


# Restrictions

logger = logging.getLogger(__name__)

# A start this far in the past is still "now": the form's default start is the
# moment the page was opened, and filling it in takes a few minutes.
RESTRICTION_BACKDATE_GRACE = timedelta(minutes=5)


class RestrictionConflict(Exception):
    """The restriction changed since the page was loaded (decided, lifted or ended)."""

    def __init__(self, restriction: Restriction, now: datetime) -> None:
        self.restriction = restriction
        super().__init__(
            _(
                "Nothing was changed: this restriction changed since your page was loaded. "
                "Its status now: %(status)s."
            )
            % {"status": restriction.status_at(now)}
        )


def restriction_needs_approval(*, starts_at: datetime, ends_at: datetime) -> bool:
    return ends_at - starts_at > timedelta(hours=settings.RESTRICTION_APPROVAL_HOURS)


def _restriction_errors(
    *,
    categories: list[Category],
    all_categories: bool,
    kind: str,
    reason: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    now: datetime,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not all_categories and not categories:
        errors["categories"] = _("Choose at least one category, or “All categories”.")
    if kind not in RestrictionKind.values:
        errors["kind"] = _("Choose no access or supervised use only.")
    if not reason.strip():
        errors["reason"] = _("Write why the youth is in danger or at higher risk now.")
    if starts_at is None:
        errors["starts_at"] = _("Give a start.")
    elif starts_at < now - RESTRICTION_BACKDATE_GRACE:
        errors["starts_at"] = _(
            "The start cannot be in the past (more than 5 minutes ago). Use now or a later time."
        )
    if ends_at is None:
        errors["ends_at"] = _("Give an end: every restriction ends.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    elif starts_at is not None and ends_at - starts_at > timedelta(
        days=settings.RESTRICTION_MAX_DAYS
    ):
        errors["ends_at"] = _(
            "A restriction can last at most %(days)s days. "
            "Choose an earlier end; a new restriction can follow if the risk remains."
        ) % {"days": settings.RESTRICTION_MAX_DAYS}
    return errors


@transaction.atomic
def restriction_impose(
    *,
    plan: Plan,
    by: User,
    categories: Iterable[Category],
    all_categories: bool,
    kind: str,
    reason: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    now: datetime | None = None,
) -> Restriction:
    """Restrict or deny some or all categories for a bounded period.

    Longer than RESTRICTION_APPROVAL_HOURS it waits for a supervisor's approval
    and does not take effect until then; a supervisor imposing a long one is
    that approval (decided_by is them). Raises ValidationError keyed by field.
    """
    now = now or timezone.now()
    if not can_edit_youth(by, plan.youth):
        raise PermissionDenied
    chosen = [] if all_categories else list(categories)
    errors = _restriction_errors(
        categories=chosen,
        all_categories=all_categories,
        kind=kind,
        reason=reason,
        starts_at=starts_at,
        ends_at=ends_at,
        now=now,
    )
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None and ends_at is not None  # checked above
    restriction = Restriction(
        plan=plan,
        all_categories=all_categories,
        kind=kind,
        reason=reason.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        imposed_by=by,
        imposed_at=now,
    )
    if not restriction_needs_approval(starts_at=starts_at, ends_at=ends_at):
        restriction.approval = Approval.NOT_NEEDED
    elif by.role == Role.SUPERVISOR:
        # Product decision: a supervisor's own long restriction needs no second
        # supervisor; their imposing it is the approval, recorded as such.
        restriction.approval = Approval.APPROVED
        restriction.decided_by = by
        restriction.decided_at = now
        restriction.decision_note = "Imposed by a supervisor."
    else:
        restriction.approval = Approval.PENDING
    restriction.full_clean()
    _stamp(restriction, by, now)
    restriction.save()
    restriction.categories.set(chosen)
    audit_record(
        action=AuditAction.CHANGE,
        actor=by,
        obj=restriction,
        detail={"op": "restriction_impose", "approval": restriction.approval},
    )
    logger.info(
        "restriction %s imposed on plan %s by user %s (%s)",
        restriction.pk,
        plan.pk,
        by.pk,
        restriction.approval,
    )
    return restriction


def _restriction_decide(
    *, restriction: Restriction, by: User, approval: Approval, note: str, now: datetime
) -> Restriction:
    if by.role != Role.SUPERVISOR or not can_edit_youth(by, restriction.plan.youth):
        raise PermissionDenied
    # The conditional UPDATE is the lock: of two supervisors deciding at once
    # (or a decision racing a lift), exactly one matches the pending row. The
    # refresh then reads the row as the winner left it.
    claimed = Restriction.objects.filter(
        pk=restriction.pk, approval=Approval.PENDING, lifted_at__isnull=True, ends_at__gt=now
    ).update(approval=approval)
    restriction.refresh_from_db()
    if not claimed:
        raise RestrictionConflict(restriction, now)
    restriction.decided_by = by
    restriction.decided_at = now
    restriction.decision_note = note.strip()
    restriction.full_clean()
    _stamp(restriction, by, now)
    restriction.save()  # the history row records who decided
    logger.info("restriction %s %s by user %s", restriction.pk, approval, by.pk)
    return restriction


@transaction.atomic
def restriction_approve(
    *, restriction: Restriction, by: User, note: str = "", now: datetime | None = None
) -> Restriction:
    """A supervisor lets a long restriction take effect (from its start)."""
    decided = _restriction_decide(
        restriction=restriction,
        by=by,
        approval=Approval.APPROVED,
        note=note,
        now=now or timezone.now(),
    )
    audit_record(
        action=AuditAction.APPROVE, actor=by, obj=decided, detail={"op": "restriction_approve"}
    )
    return decided


@transaction.atomic
def restriction_decline(
    *, restriction: Restriction, by: User, note: str, now: datetime | None = None
) -> Restriction:
    """A supervisor refuses a long restriction; it never takes effect. A note is required."""
    if not note.strip():
        raise ValidationError({"note": _("Write why you decline, for the case manager.")})
    decided = _restriction_decide(
        restriction=restriction,
        by=by,
        approval=Approval.DECLINED,
        note=note,
        now=now or timezone.now(),
    )
    audit_record(
        action=AuditAction.CHANGE, actor=by, obj=decided, detail={"op": "restriction_decline"}
    )
    return decided


@transaction.atomic
def restriction_lift(
    *, restriction: Restriction, by: User, note: str, now: datetime | None = None
) -> Restriction:
    """End a restriction early (or withdraw one not yet started or decided), with a note.

    Nothing else changes: from `now` on the youth's usual rules apply again.
    """
    now = now or timezone.now()
    if not can_edit_youth(by, restriction.plan.youth):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Write why the restriction is lifted.")})
    claimed = (
        Restriction.objects.filter(pk=restriction.pk, lifted_at__isnull=True, ends_at__gt=now)
        .exclude(approval=Approval.DECLINED)
        .update(lifted_at=now)
    )
    restriction.refresh_from_db()
    if not claimed:
        raise RestrictionConflict(restriction, now)
    restriction.lifted_by = by
    restriction.lift_note = note.strip()
    restriction.full_clean()
    _stamp(restriction, by, now)
    restriction.save()
    audit_record(
        action=AuditAction.CHANGE, actor=by, obj=restriction, detail={"op": "restriction_lift"}
    )
    logger.info("restriction %s lifted by user %s", restriction.pk, by.pk)
    return restriction


# Record blocks (conflicts of interest)


@transaction.atomic
def record_block_create(
    *, by: User, staff: User, youth: Youth, reason: str, now: datetime | None = None
) -> RecordBlock:
    """Keep `staff` away from `youth`'s record. Only administrators block, and
    never themselves (nobody decides alone about their own access)."""
    if by.role != Role.ADMINISTRATOR:
        raise PermissionDenied
    now = now or timezone.now()
    block = RecordBlock(
        staff=staff, youth=youth, reason=reason.strip(), created_by=by, created_at=now
    )
    block.full_clean()
    _stamp(block, by, now)
    block.save()
    audit_record(
        action=AuditAction.CHANGE,
        actor=by,
        obj=block,
        detail={"op": "record_block_create", "staff": staff.pk, "youth": youth.pk},
    )
    logger.info("record block %s created by user %s", block.pk, by.pk)
    return block


@transaction.atomic
def record_block_lift(*, block: RecordBlock, by: User, now: datetime | None = None) -> RecordBlock:
    """Give the staff member back the access their role gives. The block is kept,
    marked lifted; an administrator cannot lift a block on themselves."""
    if by.role != Role.ADMINISTRATOR:
        raise PermissionDenied
    if block.staff_id == by.pk:
        raise ValidationError(_("You cannot lift a block on yourself: ask another administrator."))
    now = now or timezone.now()
    # Conditional: two administrators lifting at once must not both succeed.
    claimed = RecordBlock.objects.filter(pk=block.pk, lifted_at__isnull=True).update(lifted_at=now)
    block.refresh_from_db()
    if not claimed:
        raise ValidationError(_("This block was already lifted."))
    block.lifted_by = by
    block.full_clean()
    _stamp(block, by, now)
    block.save()
    audit_record(
        action=AuditAction.CHANGE,
        actor=by,
        obj=block,
        detail={"op": "record_block_lift", "staff": block.staff_id, "youth": block.youth_id},
    )
    logger.info("record block %s lifted by user %s", block.pk, block.lifted_by_id)
    return block


# Help the youth can always reach


@transaction.atomic
def help_contact_add(
    *,
    plan: Plan,
    by: User,
    kind: str,
    name: str,
    how_to_reach: str,
    note: str = "",
    now: datetime | None = None,
) -> HelpContact:
    """Name someone the youth can always reach, whatever a restriction says
    (a family member approved in the plan, a service). The youth's editors only."""
    if not can_edit_youth(by, plan.youth):
        raise PermissionDenied
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if kind not in HelpKind.values:
        errors["kind"] = _("Choose what kind of help this is.")
    if not name.strip():
        errors["name"] = _("Write who or what this is.")
    if not how_to_reach.strip():
        errors["how_to_reach"] = _(
            "Write how the youth reaches them: a phone number, a text number or a web address."
        )
    if errors:
        raise ValidationError(errors)
    contact = HelpContact(
        plan=plan,
        kind=kind,
        name=name.strip(),
        how_to_reach=how_to_reach.strip(),
        note=note.strip(),
        added_by=by,
        added_at=now,
    )
    contact.full_clean()
    _stamp(contact, by, now)
    contact.save()
    audit_record(
        action=AuditAction.CHANGE, actor=by, obj=contact, detail={"op": "help_contact_add"}
    )
    return contact


class HelpContactGone(Exception):
    """The contact was removed already (by a colleague, or by a second click)."""


@transaction.atomic
def help_contact_remove(
    *, contact: HelpContact, by: User, now: datetime | None = None
) -> HelpContact:
    """Take a contact off the youth's list; it stays in the history. Raises
    HelpContactGone, changing nothing, when it was removed meanwhile."""
    if not can_edit_youth(by, contact.plan.youth):
        raise PermissionDenied
    now = now or timezone.now()
    # Claim first: of two concurrent removals exactly one UPDATE matches.
    claimed = HelpContact.objects.filter(pk=contact.pk, removed_at__isnull=True).update(
        removed_at=now
    )
    if not claimed:
        raise HelpContactGone
    contact.removed_at = now
    contact.removed_by = by
    contact.full_clean()
    _stamp(contact, by, now)
    contact.save()
    audit_record(
        action=AuditAction.CHANGE, actor=by, obj=contact, detail={"op": "help_contact_remove"}
    )
    return contact
