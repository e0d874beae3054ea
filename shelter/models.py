from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shelter.roles import ROLE_PRECEDENCE, Role


class StaffQuerySet(models.QuerySet["User"]):
    def with_role(self, role: Role) -> "StaffQuerySet":
        return self.filter(is_active=True, groups__name=role.group_name)

    def case_managers(self) -> "StaffQuerySet":
        """Active staff who may hold a caseload (case managers and supervisors)."""
        return self.filter(
            is_active=True,
            groups__name__in=[Role.CASE_MANAGER.group_name, Role.SUPERVISOR.group_name],
        ).distinct()


class StaffManager(UserManager.from_queryset(StaffQuerySet)):  # type: ignore[misc]
    pass


class Language(models.TextChoices):
    """The languages the interface and the youth's printable plan come in."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


class User(AbstractUser):
    """A staff member. Youth never sign in; their voice is recorded by staff."""

    language = models.CharField(
        _("interface language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )

    objects = StaffManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role(self) -> Role | None:
        if not self.is_active:
            return None
        if self.is_superuser:
            return Role.ADMINISTRATOR
        names = {group.name for group in self.groups.all()}
        for role in ROLE_PRECEDENCE:
            if role.group_name in names:
                return role
        return None

    @property
    def role_label(self) -> str:
        return str(self.role.label) if self.role else gettext("No role")

    @property
    def is_case_manager(self) -> bool:
        return self.role == Role.CASE_MANAGER

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit row."""


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", pgettext_lazy("audit action", "Signed in")
    SIGN_IN_FAILED = "sign_in_failed", pgettext_lazy("audit action", "Sign-in failed")
    SIGN_OUT = "sign_out", pgettext_lazy("audit action", "Signed out")
    VIEW_YOUTH = "view_youth", pgettext_lazy("audit action", "Viewed a youth's record")
    VIEW_PLAN = "view_plan", pgettext_lazy("audit action", "Viewed a plan")
    CHANGE = "change", pgettext_lazy("audit action", "Changed a record")
    APPROVE = "approve", pgettext_lazy("audit action", "Approved")
    EXPORT = "export", pgettext_lazy("audit action", "Exported")
    ACCESS_REFUSED = "access_refused", pgettext_lazy("audit action", "Access refused")
    SECOND_FACTOR_OK = (
        "second_factor_ok",
        pgettext_lazy("audit action", "Second sign-in step passed"),
    )
    SECOND_FACTOR_FAILED = (
        "second_factor_failed",
        pgettext_lazy("audit action", "Second sign-in step failed"),
    )
    SECOND_FACTOR_ENROLLED = (
        "second_factor_enrolled",
        pgettext_lazy("audit action", "Two-step sign-in turned on"),
    )
    SECOND_FACTOR_RESET = (
        "second_factor_reset",
        pgettext_lazy("audit action", "Two-step sign-in reset"),
    )


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    # Bulk writes would skip the model's refusal: refuse them here too.
    def update(self, **kwargs: object) -> int:
        raise AuditTrailIsAppendOnly("Audit rows cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("Audit rows cannot be deleted.")

    def for_object(self, obj: models.Model) -> "AuditEventQuerySet":
        return self.filter(object_type=obj._meta.label_lower, object_id=obj.pk)


class AuditEvent(models.Model):
    """One thing that happened, for the audit trail: who, when, what, from where.

    Append-only: written through shelter.audit.audit_record, never changed or deleted
    (on PostgreSQL a trigger refuses UPDATE and DELETE as well). No names or free text:
    the object is a type and a numeric id, the path has no query string, and `detail`
    holds only codes and ids. No HistoricalRecords: rows never change.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: staff accounts are deactivated, never deleted, and the trail keeps its author.
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(max_length=32, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return gettext("%(action)s at %(time)s") % {
            "action": self.get_action_display(),
            "time": f"{self.at:%Y-%m-%d %H:%M}",
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("Audit rows cannot be deleted.")


class DigestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DigestDelivery(models.Model):
    """One staff member's daily digest email for one day: sent once, or failed and
    retried on the next run without sending the others' again. Holds no content."""

    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="digests")
    day = models.DateField()
    status = models.CharField(max_length=8, choices=DigestStatus.choices)
    attempts = models.PositiveSmallIntegerField(default=1)
    last_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The exception's type only: its message could quote an address or content.
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-day", "staff_id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "day"], name="one_digest_per_staff_and_day"),
        ]
        verbose_name_plural = _("digest deliveries")

    def __str__(self) -> str:
        return gettext("Digest %(number)s") % {"number": self.pk}
