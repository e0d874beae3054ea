"""The agency's technology policies, their versions and the youth who shaped them.

A version's lifecycle: draft → submitted → approved (in force from its effective
date) or returned → draft again; a policy can be retired. Whether an approved
version is "in force", "approved, in force from…" or "superseded" depends on the
date, so it is derived (`PolicyVersionQuerySet.in_force(on=…)`) from the stored
status and effective date: nothing has to run at midnight.

Nothing here is deleted. Status changes go through policies/services.py, which
writes a PolicyTransition in the same transaction.
"""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from plans.models import Plan, Youth

if TYPE_CHECKING:
    from policies.credits import Contributor


class PolicyQuerySet(models.QuerySet["Policy"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> "PolicyQuerySet":  # type: ignore[valid-type]
        """Every signed-in staff member with a role reads the agency's policies."""
        if getattr(user, "role", None) is None:
            return self.none()
        return self.all()

    def with_current_versions(self, on: date) -> "PolicyQuerySet":
        """Three prefetches, whatever the number of versions: `.in_force_versions`
        (0 or 1, with its youth co-author count), `.open_versions` (0 or 1) and
        `.coming_versions` (approved, in force from a later date)."""
        return self.prefetch_related(
            models.Prefetch(
                "versions",
                queryset=PolicyVersion.objects.in_force(on).with_youth_count(),
                to_attr="in_force_versions",
            ),
            models.Prefetch(
                "versions",
                queryset=PolicyVersion.objects.open().select_related("created_by"),
                to_attr="open_versions",
            ),
            models.Prefetch(
                "versions",
                queryset=PolicyVersion.objects.coming(on).order_by("effective_date", "number"),
                to_attr="coming_versions",
            ),
        )


class Policy(models.Model):
    """One per topic (social media, internet…). Its text lives in its versions."""

    key = models.SlugField(max_length=40, unique=True)
    title = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=100)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_note = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = gettext_lazy("policies")

    def __str__(self) -> str:
        return self.title

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Status(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SUBMITTED = "submitted", gettext_lazy("Submitted for review")
    RETURNED = "returned", gettext_lazy("Returned for changes")
    APPROVED = "approved", gettext_lazy("Approved")
    RETIRED = "retired", gettext_lazy("Retired")


# A policy has at most one of these at a time: the change being worked on.
OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
# Staff may still change the text of these.
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
# Versions that were once in force (or are due to be): their dates decide what is in force.
PUBLISHED_STATUSES = (Status.APPROVED, Status.RETIRED)


class PolicyVersionQuerySet(models.QuerySet["PolicyVersion"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> "PolicyVersionQuerySet":  # type: ignore[valid-type]
        """Policy work is shared agency work: every role reads every version
        (administrators read only; who may change what is in policies/access.py)."""
        if getattr(user, "role", None) is None:
            return self.none()
        return self.all()

    def _later_published(self, on: date) -> Exists:
        return Exists(
            PolicyVersion.objects.filter(
                policy=OuterRef("policy"),
                status__in=PUBLISHED_STATUSES,
                effective_date__lte=on,
            ).filter(
                Q(effective_date__gt=OuterRef("effective_date"))
                | Q(effective_date=OuterRef("effective_date"), number__gt=OuterRef("number"))
            )
        )

    def in_force(self, on: date | None = None) -> "PolicyVersionQuerySet":
        """Approved versions in force on `on` (default: today in the agency's zone):
        effective by then, and no later approved or retired version effective by then."""
        day = on or timezone.localdate()
        return self.filter(status=Status.APPROVED, effective_date__lte=day).exclude(
            self._later_published(day)
        )

    def superseded(self, on: date | None = None) -> "PolicyVersionQuerySet":
        day = on or timezone.localdate()
        return self.filter(status=Status.APPROVED, effective_date__lte=day).filter(
            self._later_published(day)
        )

    def coming(self, on: date | None = None) -> "PolicyVersionQuerySet":
        """Approved, in force from a later date."""
        day = on or timezone.localdate()
        return self.filter(status=Status.APPROVED, effective_date__gt=day)

    def with_youth_count(self) -> "PolicyVersionQuerySet":
        """How many youth shaped each version: distinct youth plus distinct
        pseudonyms of former youth (case-insensitive)."""
        return self.annotate(
            youth_count=Count("contributions__youth", distinct=True)
            + Count(
                Lower("contributions__pseudonym"),
                filter=Q(contributions__youth__isnull=True),
                distinct=True,
            )
        )

    def open(self) -> "PolicyVersionQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue_for_review(self, on: date | None = None) -> "PolicyVersionQuerySet":
        day = on or timezone.localdate()
        return self.in_force(day).filter(next_review_on__lt=day)

    def awaiting_acknowledgement_by(
        self,
        user: settings.AUTH_USER_MODEL,  # type: ignore[valid-type]
        on: date | None = None,
    ) -> "PolicyVersionQuerySet":
        """The versions in force that `user` has not acknowledged yet."""
        return (
            self.visible_to(user)
            .in_force(on)
            .exclude(Exists(Acknowledgement.objects.filter(version=OuterRef("pk"), user=user)))
        )


class PolicyVersion(models.Model):
    """The text of a policy at one point in its life, in Markdown.

    Submitted and approved versions never change: a change is a new draft.
    `revision` counts saves; services update it conditionally so two staff
    working on the same draft cannot silently overwrite each other.
    """

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(editable=False)
    text = models.TextField(
        blank=True,
        help_text=gettext_lazy(
            "Markdown: # for headings, - for lists, *emphasis*, [links](https://…)."
        ),
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(gettext_lazy("next review"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["policy__position", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="one_number_per_policy"),
            # The database, not only the service, keeps one open draft per policy.
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="one_open_draft_per_policy",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "retired"])
                | Q(effective_date__isnull=False, next_review_on__isnull=False),
                name="approved_version_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def status_label(self, *, in_force_id: int | None, today: date) -> str:
        """Plain words for the version's state on `today`, given the id of the
        policy's version in force then (so a list of versions needs no query each)."""
        if self.status == Status.APPROVED and self.effective_date is not None:
            if self.pk == in_force_id:
                return _("In force since %(since)s") % {
                    "since": date_format(self.effective_date, "j M Y")
                }
            if self.effective_date > today:
                return _("Approved, in force from %(since)s") % {
                    "since": date_format(self.effective_date, "j M Y")
                }
            return _("Superseded")
        return str(self.get_status_display())


def in_force_among(versions: Iterable[PolicyVersion], on: date) -> PolicyVersion | None:
    """The version in force on `on` among a policy's versions already in memory:
    the same rule as PolicyVersionQuerySet.in_force, without a query."""
    published = [
        v
        for v in versions
        if v.status in PUBLISHED_STATUSES
        and v.effective_date is not None
        and v.effective_date <= on
    ]
    if not published:
        return None
    latest = max(published, key=lambda v: (v.effective_date, v.number))
    return latest if latest.status == Status.APPROVED else None


class PolicyTransition(models.Model):
    """One row per status change, written by the service that makes the change."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.version}: {self.from_status or 'new'} → {self.to_status}"


class ContributionKind(models.TextChoices):
    IDEA = "idea", gettext_lazy("Idea")
    WORDING = "wording", gettext_lazy("Wording")
    FEEDBACK = "feedback", gettext_lazy("Feedback")
    REVIEW = "review", gettext_lazy("Review")
    VOTE = "vote", gettext_lazy("Vote")
    FOCUS_GROUP = "focus_group", gettext_lazy("Focus group")


class CreditConsent(models.TextChoices):
    FIRST_NAME = "first_name", gettext_lazy("First name")
    INITIALS = "initials", gettext_lazy("Initials only")
    ANONYMOUS = "anonymous", gettext_lazy("Not named")


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL) -> "ContributionQuerySet":  # type: ignore[valid-type]
        """Co-authorship records are part of the policy work every role reads;
        pages show a youth's name only to staff who may see that youth
        (Contribution.label_for), otherwise the credit they consented to."""
        if getattr(user, "role", None) is None:
            return self.none()
        # Whether the user may see the youth (their caseload, every youth for
        # supervisors and administrators, never one they are blocked from).
        may_see = Youth.objects.visible_to(user).filter(pk=OuterRef("youth_id"))
        return self.select_related("youth", "facilitated_by").annotate(
            youth_visible=Exists(may_see)
        )


class Contribution(models.Model):
    """A youth's part in writing a version: a youth in the system, or a former
    youth under a pseudonym. Recorded by staff, never deleted."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="contributions"
    )
    youth = models.ForeignKey(
        Youth, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pseudonym = models.CharField(
        gettext_lazy("pseudonym of a former youth"),
        max_length=60,
        blank=True,
        help_text=gettext_lazy(
            "For a youth no longer in the system. Use a name they chose, not their real one."
        ),
    )
    kind = models.CharField(
        gettext_lazy("what they contributed"), max_length=12, choices=ContributionKind.choices
    )
    summary = models.CharField(
        gettext_lazy("in brief"),
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Optional: what the idea or wording was. No personal details."),
    )
    contributed_on = models.DateField(gettext_lazy("when"))
    facilitated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("staff member who facilitated"),
    )
    credit = models.CharField(
        gettext_lazy("how they want to be credited"), max_length=12, choices=CreditConsent.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["contributed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(youth__isnull=False) & Q(pseudonym=""))
                | (Q(youth__isnull=True) & ~Q(pseudonym="")),
                name="contribution_youth_or_pseudonym",
            ),
        ]

    def __str__(self) -> str:
        return f"Contribution {self.pk}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.pseudonym = self.pseudonym.strip()
        if self.youth_id is None and not self.pseudonym:
            errors["youth"] = _("Choose a youth, or give the pseudonym of a former youth.")
        if self.youth_id is not None and self.pseudonym:
            errors["pseudonym"] = _("Give a pseudonym only for a youth who is not in the list.")
        if self.contributed_on and self.contributed_on > timezone.localdate():
            errors["contributed_on"] = _("The date cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    @property
    def contributor_key(self) -> str:
        """Who contributed, to count each youth once per version."""
        if self.youth_id is not None:
            return f"youth:{self.youth_id}"
        return f"pseudonym:{self.pseudonym.casefold()}"

    @property
    def contributor_name(self) -> str:
        return self.youth.preferred_name if self.youth_id is not None else self.pseudonym

    @property
    def as_contributor(self) -> "Contributor":
        from policies.credits import Contributor

        return Contributor(key=self.contributor_key, name=self.contributor_name, credit=self.credit)

    def label_for(self, user: settings.AUTH_USER_MODEL) -> str:  # type: ignore[valid-type]
        """The name staff see on a version page: the youth's preferred name for
        staff who may see that youth, otherwise only the credit they consented to."""
        from policies.credits import credit_name

        if self.youth_id is None:
            return _("%(pseudonym)s (former youth, pseudonym)") % {"pseudonym": self.pseudonym}
        # Annotated by ContributionQuerySet.visible_to(user); one query otherwise.
        visible = getattr(self, "youth_visible", None)
        if visible is None:
            visible = Youth.objects.visible_to(user).filter(pk=self.youth_id).exists()
        if visible:
            return self.youth.preferred_name
        return credit_name(self.youth.preferred_name, self.credit) or _("A youth (not named)")


class FlaggedPhrase(models.Model):
    """Wording the automatic checks warn about (blanket bans with no path back).
    Administrators edit the list in the admin; phrases are deactivated, not deleted."""

    phrase = models.CharField(max_length=80, unique=True)
    explanation = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase


class Acknowledgement(models.Model):
    """A staff member has read a version in force. Once per version per person."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_acknowledgement_each"),
        ]

    def __str__(self) -> str:
        return f"Acknowledgement {self.pk}"


class PlanPolicyQuerySet(models.QuerySet["PlanPolicy"]):
    def current(self) -> "PlanPolicyQuerySet":
        return self.filter(stopped_at__isnull=True)

    def needing_review(self, on: date | None = None) -> "PlanPolicyQuerySet":
        """Links to a version no longer in force: superseded on or before `on`,
        or retired. Computed each time: no stored flag to keep up to date."""
        day = on or timezone.localdate()
        superseded = PolicyVersion.objects.superseded(day)
        return self.current().filter(
            Q(policy_version__in=superseded) | Q(policy_version__status=Status.RETIRED)
        )

    def followed_by(self, plan: Plan, on: date | None = None) -> "PlanPolicyQuerySet":
        """The versions a plan follows now, each with `needs_review` (the version
        is superseded or retired), in one query for the youth page."""
        day = on or timezone.localdate()
        superseded = PolicyVersion.objects.superseded(day).values("pk")
        return (
            self.current()
            .filter(plan=plan)
            .select_related("policy_version__policy")
            .annotate(
                needs_review=models.ExpressionWrapper(
                    Q(policy_version__in=superseded) | Q(policy_version__status=Status.RETIRED),
                    output_field=models.BooleanField(),
                )
            )
            .order_by("policy_version__policy__position")
        )


class PlanPolicy(models.Model):
    """A policy version a youth's plan follows. A newer version of the same
    policy replaces the link (stopped_at set); links are never deleted."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="plan_links"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = PlanPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["policy_version__policy__position", "recorded_at"]
        verbose_name = "policy a plan follows"
        verbose_name_plural = "policies plans follow"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "policy_version"],
                condition=Q(stopped_at__isnull=True),
                name="one_current_link_per_plan_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.plan_id} follows {self.policy_version_id}"
