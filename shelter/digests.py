"""The daily digest email: each staff member's work for the day, in counts and links.

`digest_for` gathers what the home page panels count (each app's `home.py`), plus
the policies the person has not acknowledged and the trainings they have to do;
`digest_send_all` sends one email per staff member and day and records each in a
DigestDelivery row, so a run can be repeated: what went out is not sent again,
what failed is tried again.

The email names no youth and shows no client ID, in the subject or the body: a
count in plain words and links that carry only numeric ids. Signing in shows the
rest.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import ngettext, ngettext_lazy

from desk.home import home_context as desk_home_context
from library.training import BEHIND, TrainingStatus, trainings_due_for
from plans.home import restriction_home_context, reviews_home_context
from policies.home import home_context as policies_home_context
from policies.models import PolicyVersion
from shelter.home import HomePanel
from shelter.models import DigestDelivery, DigestStatus, User

logger = logging.getLogger(__name__)

# A renewal shows in the digest from this many days before it is due (the home
# page shows it a month ahead; a daily email that long would be noise).
TRAINING_DUE_WITHIN_DAYS = 7
# A run marks a digest as its own (a FAILED row with no error yet) just before
# sending it. Another run leaves such a claim alone for this long; after that the
# run that made it is taken to have died mid-send, and the digest is tried again.
CLAIM_MINUTES = 10


@dataclass(frozen=True)
class DigestLine:
    """One kind of work: a sentence with its count, and absolute links."""

    key: str
    count: int
    text: str
    # The full list ("" when there is none) and the first few records.
    url: str
    item_urls: list[str]


@dataclass(frozen=True)
class Digest:
    staff: User
    day: date
    lines: list[DigestLine]

    @property
    def count(self) -> int:
        """How many things there are to do, all kinds together."""
        return sum(line.count for line in self.lines)


@dataclass(frozen=True)
class PanelLine:
    """How a home panel reads in the digest: its sentence (with `count`) and where
    each of its items leads."""

    sentence: Promise
    item_path: Callable[[Any], str]


def _youth_path(youth_id: int) -> str:
    return reverse("plans:youth-detail", kwargs={"youth_id": youth_id})


# The home panels that are work to do, most pressing first. The others (your
# youth, recent check-outs, who else has not acknowledged a policy) are for the
# page, not for an email.
PANEL_LINES: dict[str, PanelLine] = {
    "reviews-overdue": PanelLine(
        ngettext_lazy(
            "%(count)d plan review is overdue.", "%(count)d plan reviews are overdue.", "count"
        ),
        lambda youth: _youth_path(youth.pk),
    ),
    "restrictions-waiting": PanelLine(
        ngettext_lazy(
            "%(count)d restriction is waiting for your approval.",
            "%(count)d restrictions are waiting for your approval.",
            "count",
        ),
        lambda restriction: _youth_path(restriction.plan.youth_id),
    ),
    "requests-waiting": PanelLine(
        ngettext_lazy(
            "%(count)d youth request is waiting for a decision.",
            "%(count)d youth requests are waiting for a decision.",
            "count",
        ),
        lambda request: _youth_path(request.youth_id),
    ),
    "restrictions-ending": PanelLine(
        ngettext_lazy(
            "%(count)d restriction ends within a day.",
            "%(count)d restrictions end within a day.",
            "count",
        ),
        lambda restriction: _youth_path(restriction.plan.youth_id),
    ),
    "reviews-due": PanelLine(
        ngettext_lazy(
            "%(count)d plan review is due in the next 7 days.",
            "%(count)d plan reviews are due in the next 7 days.",
            "count",
        ),
        lambda youth: _youth_path(youth.pk),
    ),
    "plans-flagged": PanelLine(
        ngettext_lazy(
            "%(count)d plan follows a policy version no longer in force.",
            "%(count)d plans follow a policy version no longer in force.",
            "count",
        ),
        lambda plan_policy: reverse(
            "policies:plan-policies", kwargs={"plan_id": plan_policy.plan_id}
        ),
    ),
    "drafts-to-review": PanelLine(
        ngettext_lazy(
            "%(count)d policy draft is waiting for your review.",
            "%(count)d policy drafts are waiting for your review.",
            "count",
        ),
        lambda version: reverse("policies:version-review", kwargs={"version_id": version.pk}),
    ),
    "drafts-returned": PanelLine(
        ngettext_lazy(
            "%(count)d of your policy drafts was returned for changes.",
            "%(count)d of your policy drafts were returned for changes.",
            "count",
        ),
        lambda version: reverse("policies:version-detail", kwargs={"version_id": version.pk}),
    ),
    "policies-overdue": PanelLine(
        ngettext_lazy(
            "%(count)d policy is overdue for review.",
            "%(count)d policies are overdue for review.",
            "count",
        ),
        lambda version: reverse("policies:policy-detail", kwargs={"policy_id": version.policy_id}),
    ),
}


def absolute(path: str) -> str:
    """A link for an email: SITE_URL (which may end in a folder) plus the path."""
    return f"{settings.SITE_URL}{path}" if path else ""


def _panel_line(key: str, panel: HomePanel) -> DigestLine:
    spec = PANEL_LINES[key]
    count = panel.count or 0
    return DigestLine(
        key=key,
        count=count,
        text=spec.sentence % {"count": count},
        url=absolute(panel.more_url),
        item_urls=[absolute(spec.item_path(item)) for item in panel.items],
    )


def _acknowledgement_line(user: User, today: date) -> DigestLine | None:
    """One query: the policies in force the user has not acknowledged."""
    versions = list(
        PolicyVersion.objects.awaiting_acknowledgement_by(user, today).order_by(
            "policy__position", "pk"
        )
    )
    if not versions:
        return None
    count = len(versions)
    return DigestLine(
        key="policies-to-acknowledge",
        count=count,
        text=ngettext(
            "%(count)d policy in force is waiting for you to read and acknowledge it.",
            "%(count)d policies in force are waiting for you to read and acknowledge them.",
            count,
        )
        % {"count": count},
        url=absolute(reverse("policies:policy-list")),
        item_urls=[
            absolute(reverse("policies:version-detail", kwargs={"version_id": version.pk}))
            for version in versions
        ],
    )


def _is_training_due(status: TrainingStatus, today: date) -> bool:
    if status.standing in BEHIND:
        return True
    horizon = today + timedelta(days=TRAINING_DUE_WITHIN_DAYS)
    return status.valid_until is not None and status.valid_until <= horizon


def _training_line(user: User, today: date) -> DigestLine | None:
    """Two queries (library.training): required trainings missing, overdue, or due
    within TRAINING_DUE_WITHIN_DAYS days."""
    count = sum(_is_training_due(status, today) for status in trainings_due_for(user, today))
    if not count:
        return None
    return DigestLine(
        key="trainings-due",
        count=count,
        text=ngettext(
            "%(count)d required training is missing, overdue or due within a week.",
            "%(count)d required trainings are missing, overdue or due within a week.",
            count,
        )
        % {"count": count},
        url=absolute(reverse("library:training-mine")),
        item_urls=[],
    )


def digest_for(user: User, today: date) -> Digest | None:
    """The user's digest for `today` (the agency's date), in their language; None
    when there is nothing to do (or no one to send it to).

    The home panels count as of this moment, which is the run's; `today` dates the
    acknowledgements and trainings, and the delivery.
    """
    if not user.is_active or not user.email or user.role is None:
        return None
    now = timezone.now()
    panels = {
        **reviews_home_context(user, now),
        **restriction_home_context(user, now),
        **desk_home_context(user),
        **policies_home_context(user),
    }
    with translation.override(user.language):
        lines = [
            _panel_line(key, panels[key])
            for key in PANEL_LINES
            if key in panels and panels[key].count
        ]
        lines += [
            line
            for line in (_acknowledgement_line(user, today), _training_line(user, today))
            if line is not None
        ]
    if not lines:
        return None
    return Digest(staff=user, day=today, lines=lines)


def digest_message(
    digest: Digest, *, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    """The email, in the staff member's language: plain text with a simple HTML
    alternative (no images, nothing loaded from anywhere)."""
    user = digest.staff
    with translation.override(user.language):
        subject = ngettext(
            "Your day in Shelter technology plans — %(count)d thing to do",
            "Your day in Shelter technology plans — %(count)d things to do",
            digest.count,
        ) % {"count": digest.count}
        context = {
            "digest": digest,
            "name": user.first_name or user.username,
            "site_url": settings.SITE_URL,
        }
        text = render_to_string("shelter/email/digest.txt", context)
        html = render_to_string("shelter/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        connection=connection,
        # RFC 3834: out-of-office replies are not sent back to an automatic message.
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def _claim(*, staff: User, day: date) -> DigestDelivery | None:
    """Make today's digest this run's to send, or None when it went out already or
    another run is sending it. A claim is a FAILED row with no error: should the run
    die while sending, it reads as failed and is tried again after CLAIM_MINUTES."""
    now = timezone.now()
    delivery = DigestDelivery.objects.filter(staff=staff, day=day).first()
    if delivery is None:
        delivery = DigestDelivery(
            staff=staff, day=day, status=DigestStatus.FAILED, attempts=1, last_attempt_at=now
        )
        # The unique constraint is left to the database: see the INSERT below.
        delivery.full_clean(validate_unique=False, validate_constraints=False)
        try:
            # The unique constraint decides between two runs inserting at once.
            with transaction.atomic():
                delivery.save(force_insert=True)
        except IntegrityError:
            return None
        return delivery
    # A conditional UPDATE on the attempt count: of two runs retrying the same failure,
    # one wins.
    retry = Q(last_error__gt="") | Q(last_attempt_at__lt=now - timedelta(minutes=CLAIM_MINUTES))
    claimed = (
        DigestDelivery.objects.filter(
            pk=delivery.pk, status=DigestStatus.FAILED, attempts=delivery.attempts
        )
        .filter(retry)
        .update(attempts=delivery.attempts + 1, last_attempt_at=now, last_error="")
    )
    if not claimed:
        return None
    delivery.refresh_from_db()
    return delivery


def digest_send(*, digest: Digest, connection: BaseEmailBackend | None = None) -> bool | None:
    """Send one digest unless it went out already that day (or is going out from
    another run): True when sent, False when the send failed (recorded, and tried
    again on the next run), None when skipped.

    The claim is committed before the email goes out and the outcome after, so no
    transaction is held open while a mail server answers."""
    # Written before the claim: a fault in our own templates stops the run loudly
    # instead of passing for a mail server's refusal.
    message = digest_message(digest, connection=connection)
    delivery = _claim(staff=digest.staff, day=digest.day)
    if delivery is None:
        return None
    try:
        message.send()
    except Exception as error:  # one bad send must not stop the others'
        # The type only (SMTPRecipientsRefused, ConnectionRefusedError, TimeoutError…):
        # its message can quote the address or the content.
        delivery.last_error = type(error).__name__[:100]
        delivery.full_clean(validate_unique=False, validate_constraints=False)
        delivery.save(update_fields=["last_error"])
        logger.warning(
            "Digest %s for staff %s on %s not sent (%s); the next run tries again.",
            delivery.pk,
            digest.staff.pk,
            digest.day.isoformat(),
            delivery.last_error,
        )
        return False
    delivery.status = DigestStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.full_clean(validate_unique=False, validate_constraints=False)
    delivery.save(update_fields=["status", "sent_at"])
    return True


@dataclass
class DigestRun:
    """What one run did, in numbers (no names or addresses: this goes to cron's log)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    nothing_due: int = 0


def digest_recipients() -> QuerySet[User]:
    """Active staff with an email address, with their groups (their role)."""
    return User.objects.filter(is_active=True).exclude(email="").prefetch_related("groups")


def digest_send_all(*, today: date, connection: BaseEmailBackend | None = None) -> DigestRun:
    """Send each staff member their digest for `today`, once. Safe to run again
    the same day (and at the same time as another run): a digest sent is never sent
    again, one that failed is tried again, one with nothing to do is not sent."""
    connection = connection or get_connection()
    already_sent = set(
        DigestDelivery.objects.filter(day=today, status=DigestStatus.SENT).values_list(
            "staff_id", flat=True
        )
    )
    run = DigestRun()
    for user in digest_recipients().order_by("pk"):
        if user.pk in already_sent:
            run.skipped += 1
            continue
        digest = digest_for(user, today)
        if digest is None:
            run.nothing_due += 1
            continue
        outcome = digest_send(digest=digest, connection=connection)
        if outcome is None:
            run.skipped += 1
        elif outcome:
            run.sent += 1
        else:
            run.failed += 1
    return run
