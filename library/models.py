"""The research and training library, and staff training records.

Resources are curated by administrators and tagged with technology topics; a
topic names the plan categories and policies it is about, so policy and plan
pages show the resources of their topics. Training records are kept, never
deleted: a wrong one is withdrawn with a note.
"""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from shelter.roles import Role

if TYPE_CHECKING:
    from shelter.models import User

LINK_SCHEMES = ("http", "https")


class Topic(models.Model):
    """A technology topic (social media, messaging, gaming, mobile devices, online
    classifieds, labor trafficking…), linked to the plan categories and the policies
    it is about."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=100)
    categories = models.ManyToManyField("plans.Category", blank=True, related_name="topics")
    policies = models.ManyToManyField("policies.Policy", blank=True, related_name="topics")

    history = HistoricalRecords(m2m_fields=[categories, policies])

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    STAFF = "staff", gettext_lazy("Staff")
    YOUTH = "youth", gettext_lazy("Youth")


class ResourceQuerySet(models.QuerySet["Resource"]):
    def active(self) -> "ResourceQuerySet":
        return self.filter(is_active=True)

    def visible_to(self, user: "User") -> "ResourceQuerySet":
        """Every staff role reads the whole library; retired resources are kept for
        the administrators, in the admin only."""
        return self.active()

    def about_policy(self, policy_id: int) -> "ResourceQuerySet":
        """Resources whose topics are linked to the policy."""
        return self.filter(topics__policies=policy_id).distinct()

    def about_categories(self, category_ids: Iterable[int]) -> "ResourceQuerySet":
        """Resources whose topics are linked to any of the plan categories."""
        return self.filter(topics__categories__in=list(category_ids)).distinct()

    def for_youth(self) -> "ResourceQuerySet":
        return self.filter(audience=Audience.YOUTH)


class Resource(models.Model):
    """A publication, toolkit, video or course. `url` may be empty when the right
    address is not known: the title still points staff to it."""

    title = models.CharField(max_length=250)
    url = models.URLField(
        gettext_lazy("link"),
        max_length=500,
        blank=True,
        help_text=gettext_lazy("http or https only."),
    )
    summary = models.CharField(
        max_length=300, help_text=gettext_lazy("One or two plain sentences.")
    )
    publisher = models.CharField(max_length=150, blank=True)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.STAFF)
    topics = models.ManyToManyField(Topic, blank=True, related_name="resources")
    is_course = models.BooleanField(
        gettext_lazy("is a training course"),
        default=False,
        help_text=gettext_lazy("Staff can record completing it."),
    )
    is_active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(m2m_fields=[topics])
    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # URLField also accepts ftp: a library link must open in a browser.
        if self.url and urlsplit(self.url).scheme.lower() not in LINK_SCHEMES:
            raise ValidationError({"url": _("Enter a link that starts with http:// or https://.")})


class RequiredTraining(models.Model):
    """Administrators require a resource (a course) of every staff member holding a
    role, renewed every `renewal_months` (empty: once is enough)."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="requirements")
    role = models.CharField(max_length=20, choices=Role.choices)
    renewal_months = models.PositiveSmallIntegerField(
        gettext_lazy("renew every (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=gettext_lazy("Leave empty if once is enough."),
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "resource__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "role"],
                condition=models.Q(is_active=True),
                name="one_active_requirement_per_resource_and_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} for {self.get_role_display()}"

    def validate_constraints(self, exclude: Any = None) -> None:
        # Said in plain words rather than by the constraint's name.
        if (
            self.is_active
            and self.resource_id is not None
            and RequiredTraining.objects.filter(
                resource_id=self.resource_id, role=self.role, is_active=True
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                _(
                    "This course is already required of this role. Change that requirement, "
                    "or retire it first."
                )
            )
        super().validate_constraints(exclude)


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def current(self) -> "TrainingRecordQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def visible_to(self, user: "User") -> "TrainingRecordQuerySet":
        """Staff see their own records; supervisors and administrators everyone's
        (they follow up required training)."""
        if user.role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
            return self.all()
        if user.role is None:
            return self.none()
        return self.filter(staff=user)


class TrainingRecord(models.Model):
    """Training a staff member completed: a library resource, or a course named in
    words. Withdrawn (with who and when), never deleted."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.PROTECT, related_name="completions"
    )
    course_name = models.CharField(
        gettext_lazy("course"),
        max_length=250,
        blank=True,
        help_text=gettext_lazy("If it is not in the library."),
    )
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0), name="training_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Training record {self.pk}"

    @property
    def title(self) -> str:
        return self.resource.title if self.resource_id else self.course_name

    def is_in_the_future(self, today: date | None = None) -> bool:
        return self.completed_on > (today or timezone.localdate())

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.resource_id is None and not self.course_name.strip():
            errors["course_name"] = _("Choose a course from the library or type its name.")
        elif self.resource_id is not None and self.course_name.strip():
            errors["course_name"] = _(
                "Choose a course from the library or type its name, not both."
            )
        if self.completed_on is not None and self.is_in_the_future():
            errors["completed_on"] = _(
                "The date is in the future: record a training once it is done."
            )
        if errors:
            raise ValidationError(errors)
