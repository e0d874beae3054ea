"""The front desk: devices lent to youth (and their own phones held at the
desk), the log of who had which device when, and youth requests for more
access with the exceptions staff grant.

Nothing here is deleted: a device is retired (is_active), a session is checked
in, a request is declined or withdrawn, a granted exception simply ends.
Sessions and requests carry a `version` so two staff at the desk cannot
silently act on the same row twice (see desk/services.py).
"""

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plans.models import Category, Youth

# The categories the desk hands out: a shelter computer or tablet gives the
# first, the youth's own phone held at the desk the second (plans migration 0002).
SHELTER_COMPUTERS = "shelter-computers"
PHONE_POSSESSION = "phone-possession"
MAX_EXTRA_MINUTES = 8 * 60


def default_device_category() -> int | None:
    """The "shelter computers" category: what a lent device gives by default."""
    return Category.objects.filter(key=SHELTER_COMPUTERS).values_list("pk", flat=True).first()


def _clock(value: datetime) -> str:
    """ "Tue 20:00" in agency time, the day's name in the page's language."""
    return date_format(timezone.localtime(value), "D H:i")


class DeviceKind(models.TextChoices):
    COMPUTER = "computer", _("Computer")
    TABLET = "tablet", _("Tablet")
    PHONE = "phone", _("Phone")


class DeviceQuerySet(models.QuerySet["Device"]):
    def active(self) -> "DeviceQuerySet":
        return self.filter(is_active=True)


class Device(models.Model):
    """A shelter computer, tablet or phone the desk lends: data an administrator keeps."""

    name = models.CharField(max_length=80, unique=True, help_text=_("As written on its label."))
    kind = models.CharField(max_length=10, choices=DeviceKind.choices, default=DeviceKind.COMPUTER)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="+",
        default=default_device_category,
        help_text=_("Which access using it gives, and so which rule of the plan applies."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()
    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeviceSessionQuerySet(models.QuerySet["DeviceSession"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> "DeviceSessionQuerySet":  # type: ignore[valid-type]
        return self.filter(youth__in=Youth.objects.visible_to(user))

    def open(self) -> "DeviceSessionQuerySet":
        return self.filter(checked_in_at__isnull=True)

    def overlapping(self, start: datetime, end: datetime) -> "DeviceSessionQuerySet":
        """Sessions out at some instant of [start, end): what minutes used counts."""
        return self.filter(checked_out_at__lt=end).filter(
            Q(checked_in_at__isnull=True) | Q(checked_in_at__gt=start)
        )

    def overrides_for(
        self,
        user: settings.AUTH_USER_MODEL,  # type: ignore[valid-type]
        since: datetime,
    ) -> "DeviceSessionQuerySet":
        """Check-outs against the plan since `since` of the youth on `user`'s
        caseload (for a supervisor: every youth they may see), newest first."""
        # visible_to already narrows a case manager to their caseload.
        mine = self.visible_to(user).filter(checked_out_at__gte=since).exclude(override_state="")
        return mine.select_related(
            "youth", "category", "device", "checked_out_by", "supervised_by"
        ).order_by("-checked_out_at", "-pk")


class DeviceSession(models.Model):
    """One check-out of a device (or of the youth's own phone, device = None)
    to a youth, and its check-in: the log that makes daily limits real."""

    youth = models.ForeignKey(Youth, on_delete=models.PROTECT, related_name="device_sessions")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    checked_out_at = models.DateTimeField(default=timezone.now)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    supervised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.TextField(
        blank=True, help_text=_("Why the device went out against the plan.")
    )
    # The plans.rightnow.State code the check-out overrode ("outside_window",
    # "limit_reached", "restricted"); blank when it followed the plan.
    override_state = models.CharField(max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = DeviceSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_out_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(checked_in_at__isnull=True),
                name="one_open_session_per_device",
            ),
            models.UniqueConstraint(
                fields=["youth", "category"],
                condition=Q(checked_in_at__isnull=True),
                name="one_open_session_per_youth_and_category",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True)
                | Q(checked_in_at__gte=models.F("checked_out_at")),
                name="session_checked_in_after_out",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Device session %(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.checked_in_at is None

    @property
    def is_override(self) -> bool:
        return bool(self.override_state)

    @property
    def what(self) -> str:
        """ "Laptop 3" or "Own phone": plain words for the board and the log."""
        return str(self.device) if self.device_id is not None else gettext("Own phone")


class RequestKind(models.TextChoices):
    EXTRA_MINUTES = "extra_minutes", _("Extra minutes today")
    UNTIL = "until", _("Allowed until a time tonight")
    WINDOW = "window", _("A one-off time window")


class RequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("request status", "Waiting for a decision")
    GRANTED = "granted", pgettext_lazy("request status", "Granted")
    DECLINED = "declined", pgettext_lazy("request status", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")


class GrantPreset(models.TextChoices):
    FIFTEEN_MINUTES = "15m", _("15 minutes")
    ONE_HOUR = "1h", _("1 hour")
    UNTIL = "until", _("Until a time")
    TODAY = "today", _("Today only")


class AccessRequestQuerySet(models.QuerySet["AccessRequest"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> "AccessRequestQuerySet":  # type: ignore[valid-type]
        return self.filter(youth__in=Youth.objects.visible_to(user))

    def waiting(self, moment: datetime | None = None) -> "AccessRequestQuerySet":
        """Pending at `moment` (default now) and still worth deciding: for a youth
        still in the shelter (a discharged youth's record is read-only), not asking
        for a time already over, and extra minutes asked for today, not before."""
        moment = moment or timezone.now()
        local = timezone.localtime(moment)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return (
            self.filter(
                Q(youth__discharged_on__isnull=True) | Q(youth__discharged_on__gt=local.date()),
                status=RequestStatus.PENDING,
            )
            .exclude(asked_until__lte=moment)
            .exclude(kind=RequestKind.EXTRA_MINUTES, requested_at__lt=midnight)
        )

    def exceptions_at(self, moment: datetime) -> "AccessRequestQuerySet":
        """Granted exceptions in force at `moment`."""
        return self.filter(
            status=RequestStatus.GRANTED, granted_from__lte=moment, granted_until__gt=moment
        )


class AccessRequest(models.Model):
    """Youth asks, staff decides: a request for more access in the youth's own
    words and, once granted, the temporary exception it gives. The exception
    is part of "access right now" from granted_from until granted_until and
    then ends by itself; a restriction always wins over it."""

    youth = models.ForeignKey(Youth, on_delete=models.PROTECT, related_name="access_requests")
    all_categories = models.BooleanField(default=False)
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    reason = models.TextField(_("the youth's reason, in their words"))
    minutes = models.PositiveSmallIntegerField(
        _("minutes asked for"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EXTRA_MINUTES)],
    )
    asked_from = models.DateTimeField(_("from"), null=True, blank=True)
    asked_until = models.DateTimeField(_("until"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(
        _("what the youth is told"), blank=True, help_text=_("Required when declining.")
    )
    granted_from = models.DateTimeField(null=True, blank=True)
    granted_until = models.DateTimeField(null=True, blank=True)
    # 0: the exception opens the categories from granted_from to granted_until
    # whatever the windows say; above 0: it only raises today's limit.
    granted_extra_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_EXTRA_MINUTES)]
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[categories])
    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_until__isnull=True)
                | Q(granted_from__isnull=True)
                | Q(granted_until__gt=models.F("granted_from")),
                name="exception_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Access request %(number)s") % {"number": self.pk}

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING

    @property
    def opens(self) -> bool:
        """A granted exception that opens categories (rather than adding minutes)."""
        return self.status == RequestStatus.GRANTED and not self.granted_extra_minutes

    @property
    def granted_label(self) -> str:
        """What was granted, in plain words: "15 extra minutes today",
        "Allowed Tue 20:00 until Tue 21:00"; "" unless granted."""
        if self.status != RequestStatus.GRANTED or not self.granted_from or not self.granted_until:
            return ""
        if self.granted_extra_minutes:
            minutes = self.granted_extra_minutes
            return ngettext(
                "%(minutes)s extra minute today", "%(minutes)s extra minutes today", minutes
            ) % {"minutes": minutes}
        return gettext("Allowed %(start)s until %(end)s") % {
            "start": _clock(self.granted_from),
            "end": _clock(self.granted_until),
        }

    @property
    def asked_label(self) -> str:
        """What was asked, in plain words: "30 extra minutes", "until 22:00"."""
        if self.kind == RequestKind.EXTRA_MINUTES and self.minutes:
            return ngettext(
                "%(minutes)s extra minute today", "%(minutes)s extra minutes today", self.minutes
            ) % {"minutes": self.minutes}
        if self.kind == RequestKind.UNTIL and self.asked_until:
            return gettext("Until %(time)s") % {"time": _clock(self.asked_until)}
        if self.asked_from and self.asked_until:
            return gettext("From %(start)s until %(end)s") % {
                "start": _clock(self.asked_from),
                "end": _clock(self.asked_until),
            }
        return self.get_kind_display()
