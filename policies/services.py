"""Every change to a policy goes through here: one function per action, each
in a transaction, each writing its PolicyTransition in that same transaction.

Concurrency: a version's `revision` (and, for status changes, its status) is
checked with a conditional UPDATE, so a stale form (a second approval, an edit
over someone else's save) changes nothing and gets a message saying why.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from plans.models import Plan, Youth
from policies.models import (
    EDITABLE_STATUSES,
    PUBLISHED_STATUSES,
    Acknowledgement,
    Contribution,
    PlanPolicy,
    Policy,
    PolicyTransition,
    PolicyVersion,
    Status,
)
from shelter.audit import audit_record
from shelter.models import AuditAction, User
from shelter.roles import Role

WRITER_ROLES = (Role.CASE_MANAGER, Role.SUPERVISOR)


class EditConflict(ValidationError):
    """Someone else saved the draft since the form was opened."""


def _describe(version: PolicyVersion) -> str:
    when = timezone.localtime(version.updated_at)
    return _("%(who)s at %(time)s on %(day)s") % {
        "who": version.updated_by,
        "time": f"{when:%H:%M}",
        "day": date_format(when, "j M Y"),
    }


def _claim(version: PolicyVersion, *, revision: int, statuses: Iterable[str]) -> bool:
    """Bump the revision if nobody changed the version (or its status) since
    `revision` was read. 0 rows updated means a stale form."""
    updated = PolicyVersion.objects.filter(
        pk=version.pk, revision=revision, status__in=list(statuses)
    ).update(revision=F("revision") + 1)
    if updated:
        version.revision = revision + 1
    return bool(updated)


# "Nothing was <done>": the past participle of each action, translated whole.
_STALE_ACTIONS = {
    "saved": pgettext_lazy("nothing was …", "saved"),
    "submitted": pgettext_lazy("nothing was …", "submitted"),
    "approved": pgettext_lazy("nothing was …", "approved"),
    "returned": pgettext_lazy("nothing was …", "returned"),
    "retired": pgettext_lazy("nothing was …", "retired"),
}


def _stale_message(version: PolicyVersion, action: str) -> str:
    current = PolicyVersion.objects.select_related("updated_by", "approved_by").get(pk=version.pk)
    if current.status != version.status or current.status not in EDITABLE_STATUSES:
        last = current.transitions.select_related("by").order_by("-at", "-pk").first()
        done = _STALE_ACTIONS[action]
        if last is None:
            return _(
                "Nothing was %(action)s: this version is now “%(status)s”. "
                "Reload the page to see it."
            ) % {"action": done, "status": current.get_status_display()}
        return _(
            "Nothing was %(action)s: this version is now “%(status)s” by %(by)s at %(time)s. "
            "Reload the page to see it."
        ) % {
            "action": done,
            "status": current.get_status_display(),
            "by": last.by,
            "time": f"{timezone.localtime(last.at):%H:%M}",
        }
    return _(
        "Nothing was %(action)s: %(who)s saved this draft since you opened it. "
        "Reload the page to see their changes."
    ) % {"action": _STALE_ACTIONS[action], "who": _describe(current)}


def _transition(
    version: PolicyVersion, *, to_status: str, by: User, comment: str = "", at=None
) -> None:
    PolicyTransition.objects.create(
        version=version,
        from_status=version.status,
        to_status=to_status,
        by=by,
        at=at or timezone.now(),
        comment=comment,
    )


def _audit_change(by: User, obj: models.Model, op: str) -> None:
    """The audit row of a change, written in the service's own transaction."""
    audit_record(action=AuditAction.CHANGE, actor=by, obj=obj, detail={"op": op})


def _require_writer(user: User) -> None:
    if user.role not in WRITER_ROLES:
        raise ValidationError(_("Only case managers and supervisors write policy drafts."))


def _require_supervisor(user: User) -> None:
    if user.role != Role.SUPERVISOR:
        raise ValidationError(_("Only a supervisor can do this."))


@transaction.atomic
def policy_version_start_draft(*, policy: Policy, by: User) -> tuple[PolicyVersion, bool]:
    """Start a new draft from the text of the version in force (or of a version
    approved for a later date), or return the policy's open draft if there is
    one (one open draft per policy).

    Returns (draft, created)."""
    _require_writer(by)
    # Lock the policy row: two staff pressing "new draft" at once get the same draft.
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.is_retired:
        raise ValidationError(_("This policy is retired: it takes no new drafts."))
    existing = PolicyVersion.objects.filter(policy=policy).open().first()
    if existing is not None:
        return existing, False
    # The newest agreed text: the version in force, or one approved to come into
    # force later (starting from the older text would silently drop its changes).
    base = (
        PolicyVersion.objects.filter(policy=policy, status=Status.APPROVED)
        .order_by("-effective_date", "-number")
        .first()
    )
    highest = PolicyVersion.objects.filter(policy=policy).aggregate(n=Max("number"))["n"] or 0
    now = timezone.now()
    draft = PolicyVersion(
        policy=policy,
        number=highest + 1,
        text=base.text if base else "",
        status=Status.DRAFT,
        based_on=base,
        created_by=by,
        created_at=now,
        updated_by=by,
        updated_at=now,
    )
    draft.full_clean()
    draft.save()
    PolicyTransition.objects.create(
        version=draft,
        from_status="",
        to_status=Status.DRAFT,
        by=by,
        at=now,
        comment=f"Started from version {base.number}." if base else "Started from a blank page.",
    )
    _audit_change(by, draft, "policy_version_start_draft")
    return draft, True


@transaction.atomic
def policy_version_edit(
    *, version: PolicyVersion, text: str, revision: int, by: User
) -> PolicyVersion:
    """Save new text on an open draft. Any case manager or supervisor may edit
    (drafting is shared agency work); submitted and approved versions never change."""
    _require_writer(by)
    if not version.is_editable:
        raise ValidationError(
            _(
                "This version is “%(status)s” and can no longer be edited. "
                "To change it, start a new draft."
            )
            % {"status": version.get_status_display()}
        )
    if not _claim(version, revision=revision, statuses=EDITABLE_STATUSES):
        raise EditConflict(_stale_message(version, "saved"))
    version.text = text
    version.updated_by = by
    version.updated_at = timezone.now()
    version.full_clean()
    version.save()
    _audit_change(by, version, "policy_version_edit")
    return version


@transaction.atomic
def policy_version_submit(*, version: PolicyVersion, revision: int, by: User) -> PolicyVersion:
    """Only the draft's author submits it, as they last saw it."""
    _require_writer(by)
    if version.created_by_id != by.pk:
        raise ValidationError(
            _("Only the author of this draft (%(author)s) can submit it for review.")
            % {"author": version.created_by}
        )
    if not version.is_editable:
        raise ValidationError(
            _("This version is already “%(status)s”.") % {"status": version.get_status_display()}
        )
    if Policy.objects.filter(pk=version.policy_id, retired_at__isnull=False).exists():
        raise ValidationError(_("This policy is retired: its drafts can no longer be submitted."))
    if not version.text.strip():
        raise ValidationError(_("Write the policy text before submitting it."))
    if not _claim(version, revision=revision, statuses=EDITABLE_STATUSES):
        raise ValidationError(_stale_message(version, "submitted"))
    now = timezone.now()
    _transition(version, to_status=Status.SUBMITTED, by=by, at=now)
    version.status = Status.SUBMITTED
    version.submitted_at = now
    version.full_clean()
    version.save()
    _audit_change(by, version, "policy_version_submit")
    return version


def _review_checks(version: PolicyVersion, by: User) -> None:
    _require_supervisor(by)
    if version.created_by_id == by.pk:
        raise ValidationError(
            _("You wrote this draft, so another supervisor has to review it. Nothing was changed.")
        )
    if version.status != Status.SUBMITTED:
        raise ValidationError(
            _("Nothing was changed: this version is “%(status)s”, not waiting for review.")
            % {"status": version.get_status_display()}
        )


def earliest_effective_date(policy: Policy) -> tuple[date, PolicyVersion] | None:
    """The effective date a new approval may not precede: that of the latest
    version approved so far (in force or coming)."""
    latest = (
        PolicyVersion.objects.filter(policy=policy, status__in=PUBLISHED_STATUSES)
        .order_by("-effective_date", "-number")
        .first()
    )
    if latest is None or latest.effective_date is None:
        return None
    return latest.effective_date, latest


@transaction.atomic
def policy_version_approve(
    *,
    version: PolicyVersion,
    revision: int,
    by: User,
    effective_date: date,
    next_review_on: date,
    comment: str = "",
) -> PolicyVersion:
    """Approve a submitted draft: in force from `effective_date`; the version
    in force before it becomes superseded on that date (derived, see models)."""
    _review_checks(version, by)
    # Serialise approvals of the same policy: the effective-date rule reads other versions.
    policy = Policy.objects.select_for_update().get(pk=version.policy_id)
    if policy.is_retired:
        raise ValidationError(_("This policy is retired: nothing can be approved."))
    errors: dict[str, str] = {}
    floor = earliest_effective_date(policy)
    if floor is not None and effective_date < floor[0]:
        errors["effective_date"] = _(
            "The effective date cannot be before %(day)s, "
            "when version %(number)s came (or comes) into force."
        ) % {"day": date_format(floor[0], "j M Y"), "number": floor[1].number}
    if next_review_on <= effective_date:
        errors["next_review_on"] = _("The next review must come after the effective date.")
    if errors:
        raise ValidationError(errors)
    if not _claim(version, revision=revision, statuses=[Status.SUBMITTED]):
        raise ValidationError(_stale_message(version, "approved"))
    now = timezone.now()
    _transition(version, to_status=Status.APPROVED, by=by, comment=comment, at=now)
    version.status = Status.APPROVED
    version.effective_date = effective_date
    version.next_review_on = next_review_on
    version.approved_by = by
    version.approved_at = now
    version.full_clean()
    version.save()
    audit_record(
        action=AuditAction.APPROVE, actor=by, obj=version, detail={"op": "policy_version_approve"}
    )
    return version


@transaction.atomic
def policy_version_return(
    *, version: PolicyVersion, revision: int, by: User, comment: str
) -> PolicyVersion:
    """Send a submitted draft back to its author with the reviewer's comments."""
    _review_checks(version, by)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change.")})
    if not _claim(version, revision=revision, statuses=[Status.SUBMITTED]):
        raise ValidationError(_stale_message(version, "returned"))
    _transition(version, to_status=Status.RETURNED, by=by, comment=comment.strip())
    version.status = Status.RETURNED
    version.full_clean()
    version.save()
    _audit_change(by, version, "policy_version_return")
    return version


@transaction.atomic
def policy_retire(*, policy: Policy, by: User, note: str) -> Policy:
    """Retire a policy: its version in force (and any approved for later) becomes
    retired. Superseded versions keep their state; nothing is deleted."""
    _require_supervisor(by)
    if not note.strip():
        raise ValidationError({"note": _("Say why the policy is retired.")})
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.is_retired:
        raise ValidationError(_("This policy is already retired."))
    now = timezone.now()
    today = timezone.localdate(now)
    live = list(PolicyVersion.objects.filter(policy=policy).in_force(today)) + list(
        PolicyVersion.objects.filter(policy=policy).coming(today)
    )
    for version in live:
        if not _claim(version, revision=version.revision, statuses=[Status.APPROVED]):
            raise ValidationError(_stale_message(version, "retired"))
        _transition(version, to_status=Status.RETIRED, by=by, comment=note.strip(), at=now)
        version.status = Status.RETIRED
        version.full_clean()
        version.save()
    policy.retired_at = now
    policy.retired_by = by
    policy.retired_note = note.strip()
    policy.full_clean()
    policy.save()
    _audit_change(by, policy, "policy_retire")
    return policy


@transaction.atomic
def contribution_record(
    *,
    version: PolicyVersion,
    by: User,
    youth: Youth | None,
    pseudonym: str,
    kind: str,
    contributed_on: date,
    facilitated_by: User,
    credit: str,
    summary: str = "",
) -> Contribution:
    """Record a youth's part in an open draft. The youth must be one `by` may see."""
    _require_writer(by)
    locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("This version is “%(status)s”: contributions are recorded on drafts only.")
            % {"status": locked.get_status_display()}
        )
    if youth is not None and not Youth.objects.visible_to(by).filter(pk=youth.pk).exists():
        raise ValidationError({"youth": _("Choose a youth on your caseload.")})
    contribution = Contribution(
        version=locked,
        youth=youth,
        pseudonym=pseudonym,
        kind=kind,
        contributed_on=contributed_on,
        facilitated_by=facilitated_by,
        credit=credit,
        summary=summary,
        recorded_by=by,
    )
    contribution.full_clean()
    contribution.save()
    _audit_change(by, contribution, "contribution_record")
    return contribution


@transaction.atomic
def acknowledgement_record(*, version: PolicyVersion, user: User) -> tuple[Acknowledgement, bool]:
    """A staff member has read the version in force. Once per version: a second
    press returns the first acknowledgement."""
    if user.role is None:
        raise ValidationError(_("Only staff acknowledge policies."))
    if not PolicyVersion.objects.filter(pk=version.pk).in_force().exists():
        raise ValidationError(_("Only the version in force can be acknowledged."))
    acknowledgement, created = Acknowledgement.objects.get_or_create(version=version, user=user)
    if created:
        _audit_change(user, acknowledgement, "acknowledgement_record")
    return acknowledgement, created


@transaction.atomic
def plan_policies_set(
    *, plan: Plan, versions: Iterable[PolicyVersion], by: User, expected: frozenset[int]
) -> list[PlanPolicy]:
    """Record which versions in force the plan follows (one per policy).

    `expected` is the set of link ids the editor saw: if someone else changed
    the links meanwhile, nothing is changed. Links are stopped, never deleted.
    """
    # Lock the plan row so two editors serialise here.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    current = list(
        PlanPolicy.objects.current().filter(plan=plan).select_related("policy_version__policy")
    )
    if frozenset(link.pk for link in current) != expected:
        raise ValidationError(
            _(
                "Someone else changed the policies this plan follows since you opened the page. "
                "Nothing was changed: reload the page to see their choice."
            )
        )
    chosen = list(versions)
    in_force_ids = set(
        PolicyVersion.objects.in_force()
        .filter(pk__in=[v.pk for v in chosen])
        .values_list("pk", flat=True)
    )
    errors = [v for v in chosen if v.pk not in in_force_ids]
    if errors:
        raise ValidationError({"versions": _("Choose only versions in force today.")})
    if len({v.policy_id for v in chosen}) != len(chosen):
        raise ValidationError({"versions": _("Choose one version per policy.")})
    now = timezone.now()
    chosen_ids = {v.pk for v in chosen}
    kept_ids = set()
    for link in current:
        if link.policy_version_id in chosen_ids:
            kept_ids.add(link.policy_version_id)
            continue
        link.stopped_at = now
        link.stopped_by = by
        link.full_clean()
        link.save()
    created = []
    for version in chosen:
        if version.pk in kept_ids:
            continue
        link = PlanPolicy(plan=plan, policy_version=version, recorded_by=by, recorded_at=now)
        link.full_clean()
        link.save()
        created.append(link)
    _audit_change(by, plan, "plan_policies_set")
    return created
