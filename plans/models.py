"""Youth, their technology-use plans, access rules and temporary restrictions.

Nothing here is deleted: youth are discharged, plans and rules are edited with
history kept (django-simple-history), restrictions are lifted, declined or
simply end. Plans and youth carry a `version` so two staff editing the same
record cannot silently overwrite each other (see plans/services.py).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from shelter.models import Language
from shelter.roles import Role

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_DAILY_LIMIT_MINUTES = 16 * 60


def weekday_ranges(days: "frozenset[int] | set[int]") -> str:
    """Plain day list with runs of three or more shortened: "Mon–Fri, Sun"."""
    ordered = sorted(days)
    if len(ordered) == 7:
        return _("every day")
    runs: list[list[int]] = []
    for day in ordered:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAY_NAMES[run[0]]}–{WEEKDAY_NAMES[run[-1]]}")
        else:
            parts.extend(WEEKDAY_NAMES[day] for day in run)
    return ", ".join(parts)


class Category(models.Model):
    """A technology category (social media, messaging…): data an administrator extends."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = gettext_lazy("categories")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A house, floor or wing of the shelter: data an administrator keeps. The house
    board filters by it."""

    name = models.CharField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class YouthQuerySet(models.QuerySet["Youth"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> "YouthQuerySet":  # type: ignore[valid-type]
        """The youth a staff member may see: their caseload, or everyone for
        supervisors and administrators. Every page and export starts here."""
        role = getattr(user, "role", None)
        if role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
            visible = self
        elif role == Role.CASE_MANAGER:
            visible = self.filter(case_manager=user)
        else:
            return self.none()
        # A block (conflict of interest) wins over every role.
        blocked = RecordBlock.objects.active().filter(staff=user, youth=models.OuterRef("pk"))
        return visible.exclude(models.Exists(blocked)).select_related("case_manager")

    def current(self, on: "datetime | None" = None) -> "YouthQuerySet":
        today = timezone.localdate(on) if on else timezone.localdate()
        return self.filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=today))

    def discharged(self, on: "datetime | None" = None) -> "YouthQuerySet":
        today = timezone.localdate(on) if on else timezone.localdate()
        return self.filter(discharged_on__lte=today)

    def for_list(self, now: datetime) -> "YouthQuerySet":
        """Joins for lists: the plan, and whether a restriction is in force at `now`."""
        in_force = Restriction.objects.active_at(now).filter(plan__youth=models.OuterRef("pk"))
        return self.select_related("plan").annotate(restricted_now=models.Exists(in_force))


class Youth(models.Model):
    """Minimal personal data: only what the work needs."""

    preferred_name = models.CharField(max_length=80)
    client_id = models.CharField(
        gettext_lazy("agency client ID"),
        max_length=40,
        unique=True,
        help_text=gettext_lazy("The agency's own identifier for this youth."),
    )
    birth_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    birth_date = models.DateField(
        null=True, blank=True, help_text=gettext_lazy("Only if the work needs it.")
    )
    admitted_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseload"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="youth"
    )
    preferred_language = models.CharField(
        gettext_lazy("preferred language"),
        max_length=8,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=gettext_lazy("The language their printable plan is printed in."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = YouthQuerySet.as_manager()

    class Meta:
        ordering = ["preferred_name", "client_id"]
        verbose_name_plural = gettext_lazy("youth")

    def __str__(self) -> str:
        return f"{self.preferred_name} ({self.client_id})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            errors["birth_date"] = _("The birth date is not in the birth year.")
        if self.discharged_on and self.admitted_on and self.discharged_on < self.admitted_on:
            errors["discharged_on"] = _("Discharge cannot come before admission.")
        if self.case_manager_id is not None:
            manager = self.case_manager
            if not manager.is_active or manager.role not in (Role.CASE_MANAGER, Role.SUPERVISOR):
                errors["case_manager"] = _("Choose an active case manager or supervisor.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_discharged(self) -> bool:
        return self.discharged_on is not None and self.discharged_on <= timezone.localdate()


class RiskLevel(models.TextChoices):
    LOW = "low", gettext_lazy("Low")
    MODERATE = "moderate", gettext_lazy("Moderate")
    HIGH = "high", gettext_lazy("High")


class Plan(models.Model):
    """The youth's one current technology-use plan; every earlier state is in history."""

    youth = models.OneToOneField(Youth, on_delete=models.PROTECT, related_name="plan")
    strengths = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    youth_words = models.TextField(
        gettext_lazy("in the youth's own words"),
        blank=True,
        help_text=gettext_lazy(
            "What connection matters to them: people, school, work, communities."
        ),
    )
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)
    risk_rationale = models.TextField(gettext_lazy("why this risk level"), blank=True)
    risk_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk_assessed_at = models.DateTimeField(null=True, blank=True)
    next_review_on = models.DateField(gettext_lazy("next review"), null=True, blank=True)
    youth_participated = models.BooleanField(
        gettext_lazy("the youth took part in writing this plan"), default=False
    )
    youth_agreed = models.BooleanField(
        gettext_lazy("the youth agrees with this plan"), default=False
    )
    youth_agreed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Plan of {self.youth}"

    def is_review_overdue(self, today: "datetime | None" = None) -> bool:
        day = today or timezone.localdate()
        return self.next_review_on is not None and self.next_review_on < day


class AccessRule(models.Model):
    """How the youth may use one category: freely, supervised, inside windows,
    up to a daily limit, or a combination. One per plan and category."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="rules")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    supervised = models.BooleanField(gettext_lazy("only with staff supervising"), default=False)
    daily_limit_minutes = models.PositiveSmallIntegerField(
        gettext_lazy("daily limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAILY_LIMIT_MINUTES)],
        help_text=gettext_lazy("Leave empty for no limit."),
    )
    note = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["category__position", "category__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "category"], name="one_rule_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.category} rule"

    @property
    def summary(self) -> str:
        """The rule in short plain words, e.g. "supervised, Mon–Fri 16:00–20:00,
        60 min a day". Reads `windows.all()`: prefetch it on list pages."""
        parts: list[str] = []
        if self.supervised:
            parts.append(_("supervised"))
        parts.extend(window.summary for window in self.windows.all())
        if self.daily_limit_minutes:
            parts.append(_("%(minutes)s min a day") % {"minutes": self.daily_limit_minutes})
        return ", ".join(parts) if parts else _("free use")


class TimeWindow(models.Model):
    """Days of the week plus a start and end time. An end before the start runs
    past midnight: Friday 20:00–01:00 covers Saturday 00:30."""

    rule = models.ForeignKey(AccessRule, on_delete=models.CASCADE, related_name="windows")
    # Bit 0 is Monday … bit 6 is Sunday: the day the window opens.
    weekdays = models.PositiveSmallIntegerField(validators=[MaxValueValidator(127)])
    start_time = models.TimeField()
    end_time = models.TimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["start_time", "pk"]

    def __str__(self) -> str:
        return self.summary

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.weekdays:
            errors["weekdays"] = _("Choose at least one day of the week.")
        if self.start_time is not None and self.start_time == self.end_time:
            errors["end_time"] = _(
                "Start and end are the same. For all day, leave the category without windows."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def day_numbers(self) -> frozenset[int]:
        return frozenset(day for day in range(7) if self.weekdays & (1 << day))

    @property
    def runs_past_midnight(self) -> bool:
        return self.end_time < self.start_time

    @property
    def weekday_label(self) -> str:
        return weekday_ranges(self.day_numbers)

    @property
    def summary(self) -> str:
        return f"{self.weekday_label} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class RestrictionKind(models.TextChoices):
    DENY = "deny", gettext_lazy("No access")
    SUPERVISED = "supervised", gettext_lazy("Supervised use only")


class Approval(models.TextChoices):
    NOT_NEEDED = "not_needed", gettext_lazy("Not needed")
    PENDING = "pending", gettext_lazy("Waiting for a supervisor")
    APPROVED = "approved", pgettext_lazy("restriction approval", "Approved")
    DECLINED = "declined", pgettext_lazy("restriction approval", "Declined")


class RestrictionQuerySet(models.QuerySet["Restriction"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> "RestrictionQuerySet":  # type: ignore[valid-type]
        return self.filter(plan__youth__in=Youth.objects.visible_to(user))

    def in_effect(self) -> "RestrictionQuerySet":
        """Restrictions that count (approved or needing no approval); the time
        check is done by the caller, or by active_at()."""
        return self.filter(approval__in=[Approval.NOT_NEEDED, Approval.APPROVED])

    def awaiting_decision(self, moment: datetime) -> "RestrictionQuerySet":
        """Waiting for a supervisor at `moment`: pending, not withdrawn, not over,
        and the youth not discharged (a discharged youth's record is read-only)."""
        today = timezone.localdate(moment)
        return self.filter(
            Q(plan__youth__discharged_on__isnull=True) | Q(plan__youth__discharged_on__gt=today),
            approval=Approval.PENDING,
            lifted_at__isnull=True,
            ends_at__gt=moment,
        )

    def active_at(self, moment: datetime) -> "RestrictionQuerySet":
        return (
            self.in_effect()
            .filter(starts_at__lte=moment, ends_at__gt=moment)
            .filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=moment))
        )


class Restriction(models.Model):
    """Time-bound restriction of some or all categories while the youth is in
    danger or at higher risk. Never open-ended: harm reduction, not zero tolerance."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="restrictions")
    all_categories = models.BooleanField(default=False)
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    kind = models.CharField(
        max_length=12, choices=RestrictionKind.choices, default=RestrictionKind.DENY
    )
    reason = models.TextField(
        help_text=gettext_lazy("Why the youth is in danger or at higher risk now.")
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    imposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imposed_at = models.DateTimeField(default=timezone.now)
    approval = models.CharField(
        max_length=12, choices=Approval.choices, default=Approval.NOT_NEEDED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_note = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[categories])
    objects = RestrictionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="restriction_ends_after_start"
            ),
        ]
        indexes = [
            # "In force now" and "waiting for a decision" read only restrictions not yet
            # over: a few thousand of an agency's tens of thousands (scripts/bench_pages.py).
            models.Index(fields=["ends_at"], name="restriction_ends_at_idx"),
        ]

    def __str__(self) -> str:
        return f"Restriction {self.pk}"

    @property
    def length(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def effective_end(self) -> datetime:
        if self.lifted_at is not None and self.lifted_at < self.ends_at:
            return self.lifted_at
        return self.ends_at

    @property
    def length_label(self) -> str:
        """ "3 days 4 hours", "90 minutes": the planned length in plain words."""
        minutes = int(self.length.total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        parts = [
            words % {"count": value}
            for value, words in (
                (days, ngettext("%(count)s day", "%(count)s days", days)),
                (hours, ngettext("%(count)s hour", "%(count)s hours", hours)),
                (minutes, ngettext("%(count)s minute", "%(count)s minutes", minutes)),
            )
            if value
        ]
        return " ".join(parts) or _("under a minute")

    @property
    def counts(self) -> bool:
        """Approved, or short enough to need no approval: only these ever take effect."""
        return self.approval in (Approval.NOT_NEEDED, Approval.APPROVED)

    def is_in_force_at(self, moment: datetime) -> bool:
        return self.counts and self.starts_at <= moment < self.effective_end

    def has_ended_at(self, moment: datetime) -> bool:
        """Over for good: past its (possibly lifted) end, or declined."""
        return self.approval == Approval.DECLINED or self.effective_end <= moment

    def awaits_decision_at(self, moment: datetime) -> bool:
        return (
            self.approval == Approval.PENDING and self.lifted_at is None and self.ends_at > moment
        )

    def can_be_lifted_at(self, moment: datetime) -> bool:
        return self.lifted_at is None and not self.has_ended_at(moment)

    def status_at(self, moment: datetime) -> str:
        """Plain words for staff, times in the agency's zone. Reads imposed_by,
        decided_by and lifted_by: select them with the restriction."""

        def when(value: datetime) -> str:
            return dateformat.format(timezone.localtime(value), "D j M H:i")

        if self.approval == Approval.DECLINED:
            return _("Declined by %(who)s on %(when)s") % {
                "who": self.decided_by,
                "when": when(self.decided_at or self.imposed_at),
            }
        if self.lifted_at is not None and self.lifted_at < self.ends_at:
            lifted = {"who": self.lifted_by, "when": when(self.lifted_at)}
            if self.approval == Approval.PENDING:
                return _("Withdrawn by %(who)s on %(when)s before a decision") % lifted
            if self.lifted_at <= self.starts_at:
                return _("Cancelled by %(who)s on %(when)s before it began") % lifted
            return _("Lifted early by %(who)s on %(when)s") % lifted
        if self.approval == Approval.PENDING:
            if self.ends_at <= moment:
                return _("Ended without a decision: it never took effect")
            return _("Waiting for a supervisor's approval: not in force yet")
        words = {
            "start": when(self.starts_at),
            "end": when(self.ends_at),
            "who": self.decided_by,
        }
        if self.approval == Approval.APPROVED:
            if self.ends_at <= moment:
                return _("Ended %(end)s (approved by %(who)s)") % words
            if self.starts_at > moment:
                return _("Starts %(start)s, until %(end)s (approved by %(who)s)") % words
            return _("In force until %(end)s (approved by %(who)s)") % words
        if self.ends_at <= moment:
            return _("Ended %(end)s") % words
        if self.starts_at > moment:
            return _("Starts %(start)s, until %(end)s") % words
        return _("In force until %(end)s") % words


class RecordBlockQuerySet(models.QuerySet["RecordBlock"]):
    def active(self) -> "RecordBlockQuerySet":
        return self.filter(lifted_at__isnull=True)


class RecordBlock(models.Model):
    """An administrator keeps a named staff member away from a named youth's record
    (a conflict of interest: a relative, a neighbour). It wins over every role, and
    is lifted, never deleted."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="record_blocks"
    )
    youth = models.ForeignKey(Youth, on_delete=models.PROTECT, related_name="blocks")
    reason = models.TextField(
        help_text=gettext_lazy("Why this staff member must not see this record.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = RecordBlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "youth"],
                condition=Q(lifted_at__isnull=True),
                name="one_active_block_per_staff_and_youth",
            ),
        ]

    def __str__(self) -> str:
        return f"Block {self.pk}"

    def clean(self) -> None:
        # Errors go on "staff": the one-active-block constraint is then not checked
        # again with Django's generic wording.
        if self.staff_id is not None and self.staff_id == self.created_by_id:
            raise ValidationError(
                {"staff": _("You cannot block yourself: ask another administrator to do it.")}
            )
        if (
            self.lifted_at is None
            and self.staff_id is not None
            and self.youth_id is not None
            and RecordBlock.objects.active()
            .filter(staff_id=self.staff_id, youth_id=self.youth_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"staff": _("This staff member is already blocked from this youth's record.")}
            )


class HelpKind(models.TextChoices):
    HOTLINE = "hotline", gettext_lazy("Crisis or trafficking hotline")
    SERVICE = "service", gettext_lazy("Service")
    FAMILY = "family", gettext_lazy("Family or friend approved in the plan")
    OTHER = "other", gettext_lazy("Other")


class HelplineQuerySet(models.QuerySet["Helpline"]):
    def active(self) -> "HelplineQuerySet":
        return self.filter(is_active=True)


class Helpline(models.Model):
    """Help every youth can always reach, whatever their plan or restriction says
    (crisis and trafficking hotlines): agency-wide data an administrator keeps."""

    name = models.CharField(max_length=120, unique=True)
    how_to_reach = models.CharField(
        gettext_lazy("how to reach"),
        max_length=200,
        help_text=gettext_lazy("Phone number, text number or web address."),
    )
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()
    objects = HelplineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class HelpContactQuerySet(models.QuerySet["HelpContact"]):
    def current(self) -> "HelpContactQuerySet":
        return self.filter(removed_at__isnull=True)


class HelpContact(models.Model):
    """Someone this youth can always reach, named in their plan (a family member
    approved in the plan, a service). A restriction never removes them; staff retire
    a contact (removed_at), they do not delete it."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="help_contacts")
    kind = models.CharField(max_length=12, choices=HelpKind.choices, default=HelpKind.FAMILY)
    name = models.CharField(max_length=120)
    how_to_reach = models.CharField(gettext_lazy("how to reach"), max_length=200, blank=True)
    note = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = HelpContactQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "pk"]

    def __str__(self) -> str:
        return f"Help contact {self.pk}"
