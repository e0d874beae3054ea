"""The daily digest email: each staff member's work in counts and links, never a
youth's name or client ID; sent once a day, a failed send tried again on the next
run without sending the others twice. Real email machinery: Django's locmem
outbox, and a locmem backend that refuses one address as a mail server would."""

import re
import smtplib
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk.models import AccessRequest, RequestKind
from library.models import RequiredTraining, Resource, TrainingRecord
from library.training import add_months
from plans.models import Plan, RecordBlock, Youth
from policies.models import Acknowledgement, PlanPolicy, Policy, PolicyVersion
from shelter.digests import CLAIM_MINUTES, digest_for, digest_send_all
from shelter.models import DigestDelivery, DigestStatus, Language, User
from shelter.roles import Role
from tests.builders import make_restriction, make_youth
from tests.policies.builders import approved, social_media, submitted

pytestmark = pytest.mark.django_db

SITE = "https://plans.example.org"
REFUSED = "cm.bravo@example.org"


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    settings.SITE_URL = SITE


class RefusingBackend(locmem.EmailBackend):
    """The locmem outbox, except that one address is refused as an SMTP server
    refuses a recipient: the send raises, nothing is delivered."""

    refused = frozenset({REFUSED})

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            refused = self.refused & set(message.recipients())
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    dict.fromkeys(refused, (550, b"Fictional: mailbox unavailable"))
                )
        return super().send_messages(messages)


class AcceptingBackend(RefusingBackend):
    refused = frozenset()


REFUSING = "tests.shelter.test_digests.RefusingBackend"


# Builders: each adds one row of a kind of work.


def _today() -> date:
    return timezone.localdate()


def _youth(case_manager: User, number: int, *, review_in_days: int = 30) -> Youth:
    youth = make_youth(
        case_manager, preferred_name=f"Fictional Youth {number:03d}", client_id=f"TEST-{number:04d}"
    )
    Plan.objects.filter(youth=youth).update(
        next_review_on=_today() + timedelta(days=review_in_days)
    )
    return youth


def _request(youth: Youth, by: User) -> AccessRequest:
    return AccessRequest.objects.create(
        youth=youth,
        kind=RequestKind.EXTRA_MINUTES,
        minutes=30,
        reason="Fictional: to finish a school project.",
        requested_by=by,
    )


def _policies_superseded(author: User, approver: User) -> PolicyVersion:
    """Two social media versions: the older superseded, the newer in force (returned)."""
    approved(social_media(), author, approver, effective_date=date(2026, 1, 5))
    return approved(
        social_media(), author, approver, text="Newer.", effective_date=date(2026, 2, 5)
    )


def _follows_old_policy(youth: Youth, by: User) -> None:
    old = social_media().versions.get(effective_date=date(2026, 1, 5))
    PlanPolicy.objects.create(plan=youth.plan, policy_version=old, recorded_by=by)


def _busy_day(case_manager: User, number: int) -> Youth:
    """A youth with a review overdue, a restriction ending within the hour and a
    request waiting."""
    youth = _youth(case_manager, number, review_in_days=-3)
    make_restriction(youth, case_manager, ends_at=timezone.now() + timedelta(hours=1))
    _request(youth, case_manager)
    return youth


def _required_course(role: Role, *, renewal_months: int | None = None) -> Resource:
    course = Resource.objects.create(
        title="Fictional course: technology and trafficking",
        url="https://example.org/course",
        summary="A fictional course for tests.",
        is_course=True,
    )
    RequiredTraining.objects.create(resource=course, role=role, renewal_months=renewal_months)
    return course


def _youth_url(youth: Youth) -> str:
    return SITE + reverse("plans:youth-detail", kwargs={"youth_id": youth.pk})


def _lines(user: User) -> dict[str, int]:
    digest = digest_for(user, _today())
    assert digest is not None
    return {line.key: line.count for line in digest.lines}


def _mail_to(user: User) -> list[mail.EmailMultiAlternatives]:
    return [message for message in mail.outbox if message.to == [user.email]]


def _everything_in(message: mail.EmailMultiAlternatives) -> str:
    return "\n".join([message.subject, message.body, *(alt[0] for alt in message.alternatives)])


# What a digest holds, per role


def test_a_case_managers_digest_counts_their_days_work_in_order(
    case_manager: User, other_case_manager: User, supervisor: User
) -> None:
    _policies_superseded(case_manager, supervisor)
    busy = _busy_day(case_manager, 1)
    _follows_old_policy(busy, case_manager)
    due = _youth(case_manager, 2, review_in_days=3)
    _busy_day(other_case_manager, 3)

    digest = digest_for(case_manager, _today())

    assert digest is not None
    assert [(line.key, line.count, line.text) for line in digest.lines] == [
        ("reviews-overdue", 1, "1 plan review is overdue."),
        ("requests-waiting", 1, "1 youth request is waiting for a decision."),
        ("restrictions-ending", 1, "1 restriction ends within a day."),
        ("reviews-due", 1, "1 plan review is due in the next 7 days."),
        ("plans-flagged", 1, "1 plan follows a policy version no longer in force."),
        (
            "policies-to-acknowledge",
            1,
            "1 policy in force is waiting for you to read and acknowledge it.",
        ),
    ]
    assert digest.count == 6
    lines = {line.key: line for line in digest.lines}
    assert lines["reviews-overdue"].item_urls == [_youth_url(busy)]
    assert lines["reviews-overdue"].url == SITE + reverse("plans:youth-list") + "?review=overdue"
    assert lines["reviews-due"].item_urls == [_youth_url(due)]
    assert lines["requests-waiting"].url == SITE + reverse("desk:request-list")
    assert lines["plans-flagged"].item_urls == [
        SITE + reverse("policies:plan-policies", kwargs={"plan_id": busy.plan.pk})
    ]
    in_force = PolicyVersion.objects.in_force().get()
    assert lines["policies-to-acknowledge"].item_urls == [
        SITE + reverse("policies:version-detail", kwargs={"version_id": in_force.pk})
    ]


def test_a_case_managers_email_lists_their_reviews_with_links_and_names_no_youth(
    case_manager: User, other_case_manager: User
) -> None:
    youths = [_busy_day(case_manager, number) for number in (1, 2, 3)]
    _busy_day(other_case_manager, 4)

    digest_send_all(today=_today())

    [message] = _mail_to(case_manager)
    assert message.subject == "Your day in Shelter technology plans — 9 things to do"
    assert "3 plan reviews are overdue.\n" in message.body
    for youth in youths:
        assert f"  {_youth_url(youth)}\n" in message.body
    assert f"  The full list: {SITE}/youth/?review=overdue\n" in message.body
    assert message.body.startswith("Hello Avery,\n")
    assert message.extra_headers == {"Auto-Submitted": "auto-generated"}
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{_youth_url(youths[0])}">' in html
    everything = _everything_in(message)
    assert "Fictional Youth" not in everything
    assert "TEST-" not in everything
    # The other case manager's youth is in their own email only.
    assert "/youth/{}/".format(Youth.objects.get(client_id="TEST-0004").pk) not in everything


def test_a_supervisors_digest_lists_approvals_requests_and_policy_work(
    supervisor: User, case_manager: User, other_supervisor: User
) -> None:
    now = timezone.now()
    youth = _youth(case_manager, 1, review_in_days=-1)
    other = _youth(case_manager, 2, review_in_days=-2)
    make_restriction(
        youth, case_manager, approval="pending", starts_at=now, ends_at=now + timedelta(days=6)
    )
    _request(other, case_manager)
    approved(
        Policy.objects.get(key="gaming"),
        case_manager,
        other_supervisor,
        effective_date=date(2025, 1, 5),
        next_review_on=date(2025, 7, 5),
    )
    draft = submitted(social_media(), case_manager)

    assert _lines(supervisor) == {
        "reviews-overdue": 2,
        "restrictions-waiting": 1,
        "requests-waiting": 1,
        "drafts-to-review": 1,
        "policies-overdue": 1,
        "policies-to-acknowledge": 1,
    }
    lines = {line.key: line for line in digest_for(supervisor, _today()).lines}
    assert lines["restrictions-waiting"].url == SITE + reverse("plans:restriction-queue")
    assert lines["drafts-to-review"].item_urls == [
        SITE + reverse("policies:version-review", kwargs={"version_id": draft.pk})
    ]
    # The author's own draft waits for someone else, not for them.
    assert "drafts-to-review" not in _lines(case_manager)


def test_a_case_manager_hears_when_their_draft_comes_back(
    case_manager: User, supervisor: User
) -> None:
    draft = submitted(social_media(), case_manager)
    PolicyVersion.objects.filter(pk=draft.pk).update(status="returned")

    assert _lines(case_manager) == {"drafts-returned": 1}


def test_an_administrators_digest_holds_policies_to_acknowledge_and_training_due(
    administrator: User, case_manager: User, supervisor: User
) -> None:
    _busy_day(case_manager, 1)
    in_force = _policies_superseded(case_manager, supervisor)
    _required_course(Role.ADMINISTRATOR)
    _required_course(Role.CASE_MANAGER)

    assert _lines(administrator) == {"policies-to-acknowledge": 1, "trainings-due": 1}
    training = digest_for(administrator, _today()).lines[-1]
    assert training.text == "1 required training is missing, overdue or due within a week."
    assert training.url == SITE + reverse("library:training-mine")

    Acknowledgement.objects.create(version=in_force, user=administrator)
    assert _lines(administrator) == {"trainings-due": 1}


def test_a_training_renewal_shows_in_its_last_week_not_before(case_manager: User) -> None:
    course = _required_course(Role.CASE_MANAGER, renewal_months=12)
    today = _today()

    def completed(days_left: int) -> None:
        TrainingRecord.objects.all().update(withdrawn_at=timezone.now())
        TrainingRecord.objects.create(
            staff=case_manager,
            resource=course,
            completed_on=add_months(today + timedelta(days=days_left), -12),
            hours=Decimal("2.5"),
            recorded_by=case_manager,
        )

    completed(days_left=20)
    assert digest_for(case_manager, today) is None
    completed(days_left=5)
    assert _lines(case_manager) == {"trainings-due": 1}
    completed(days_left=-1)
    assert _lines(case_manager) == {"trainings-due": 1}


# Nothing to send


def test_nothing_is_sent_to_someone_with_nothing_to_do(
    case_manager: User, supervisor: User, administrator: User
) -> None:
    _youth(case_manager, 1, review_in_days=30)

    run = digest_send_all(today=_today())

    assert mail.outbox == []
    assert run.nothing_due == 3
    assert run.sent == 0
    assert not DigestDelivery.objects.exists()


def test_staff_who_left_or_have_no_email_get_no_digest(
    case_manager: User, other_case_manager: User
) -> None:
    _busy_day(case_manager, 1)
    _busy_day(other_case_manager, 2)
    User.objects.filter(pk=case_manager.pk).update(is_active=False)
    User.objects.filter(pk=other_case_manager.pk).update(email="")

    digest_send_all(today=_today())

    assert mail.outbox == []


def test_a_blocked_youth_is_never_counted(
    case_manager: User, supervisor: User, administrator: User
) -> None:
    now = timezone.now()
    youth = _busy_day(case_manager, 1)
    make_restriction(
        youth, case_manager, approval="pending", starts_at=now, ends_at=now + timedelta(days=6)
    )
    for staff in (case_manager, supervisor):
        RecordBlock.objects.create(
            staff=staff, youth=youth, reason="Fictional: a relative.", created_by=administrator
        )

    assert digest_for(case_manager, _today()) is None
    assert digest_for(supervisor, _today()) is None
    digest_send_all(today=_today())
    assert mail.outbox == []


# Once a day, failures tried again


def test_a_digest_sent_today_is_not_sent_again_today_but_is_tomorrow(case_manager: User) -> None:
    _busy_day(case_manager, 1)
    today = _today()

    first = digest_send_all(today=today)
    again = digest_send_all(today=today)

    assert (first.sent, again.sent, again.skipped) == (1, 0, 1)
    assert len(mail.outbox) == 1
    delivery = DigestDelivery.objects.get()
    assert (delivery.staff, delivery.day, delivery.status) == (case_manager, today, "sent")
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    assert delivery.last_error == ""

    assert digest_send_all(today=today + timedelta(days=1)).sent == 1
    assert len(mail.outbox) == 2


def test_a_failed_send_is_recorded_and_tried_again_without_resending_the_others(
    case_manager: User, other_case_manager: User, supervisor: User, caplog
) -> None:
    _busy_day(case_manager, 1)
    _busy_day(other_case_manager, 2)  # other_case_manager's address is refused
    today = _today()

    first = digest_send_all(today=today, connection=get_connection(REFUSING))

    assert (first.sent, first.failed) == (2, 1)
    assert sorted(message.to[0] for message in mail.outbox) == [
        case_manager.email,
        supervisor.email,
    ]
    failed = DigestDelivery.objects.get(staff=other_case_manager)
    assert failed.status == DigestStatus.FAILED
    assert failed.last_error == "SMTPRecipientsRefused"
    assert (failed.attempts, failed.sent_at) == (1, None)
    # Logged with the error's type and ids only: no address, no content.
    [record] = [r for r in caplog.records if r.name == "shelter.digests"]
    logged = record.getMessage()
    assert "SMTPRecipientsRefused" in logged
    assert f"staff {other_case_manager.pk}" in logged
    assert "@" not in logged
    assert "overdue" not in logged

    second = digest_send_all(
        today=today, connection=get_connection("tests.shelter.test_digests.AcceptingBackend")
    )

    assert (second.sent, second.failed, second.skipped) == (1, 0, 2)
    assert [message.to[0] for message in mail.outbox].count(case_manager.email) == 1
    assert len(_mail_to(other_case_manager)) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 2, "")

    assert digest_send_all(today=today).sent == 0
    assert len(mail.outbox) == 3


def test_a_digest_another_run_is_sending_is_left_to_it_until_its_claim_is_stale(
    case_manager: User,
) -> None:
    _busy_day(case_manager, 1)
    today = _today()
    # Another run claimed it a minute ago and has not finished: no error recorded yet.
    claim = DigestDelivery.objects.create(
        staff=case_manager,
        day=today,
        status=DigestStatus.FAILED,
        last_attempt_at=timezone.now() - timedelta(minutes=1),
    )

    assert digest_send_all(today=today).skipped == 1
    assert mail.outbox == []

    # That run died mid-send: after CLAIM_MINUTES the digest is tried again.
    DigestDelivery.objects.filter(pk=claim.pk).update(
        last_attempt_at=timezone.now() - timedelta(minutes=CLAIM_MINUTES + 1)
    )
    assert digest_send_all(today=today).sent == 1
    claim.refresh_from_db()
    assert (claim.status, claim.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


def test_a_run_that_loses_the_race_to_claim_a_digest_leaves_it_to_the_winner(
    case_manager: User,
) -> None:
    _busy_day(case_manager, 1)
    today = _today()
    raced: list[bool] = []

    def another_run_inserts_first(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        # Between this run's lookup and its insert, another run records the digest
        # (one connection plays both runs, so its row goes with this run's savepoint).
        if not raced and sql.startswith('INSERT INTO "shelter_digestdelivery"'):
            raced.append(True)
            DigestDelivery.objects.create(
                staff=case_manager, day=today, status=DigestStatus.SENT, sent_at=timezone.now()
            )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(another_run_inserts_first):
        run = digest_send_all(today=today)

    assert raced
    assert (run.sent, run.failed, run.skipped) == (0, 0, 1)
    assert mail.outbox == []


class RunStartsMidSendBackend(locmem.EmailBackend):
    """While the first digest is going out, a second run starts (as a second cron
    job would) and must leave that digest alone."""

    second_runs: list = []

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if not self.second_runs:
            self.second_runs.append(
                digest_send_all(today=_today(), connection=locmem.EmailBackend())
            )
        return super().send_messages(messages)


def test_a_run_that_starts_while_another_is_sending_does_not_send_it_twice(
    case_manager: User,
) -> None:
    _busy_day(case_manager, 1)
    RunStartsMidSendBackend.second_runs = []

    run = digest_send_all(today=_today(), connection=RunStartsMidSendBackend())

    [second] = RunStartsMidSendBackend.second_runs
    assert (run.sent, second.sent, second.skipped) == (1, 0, 1)
    assert len(mail.outbox) == 1


# The email itself


def test_the_html_alternative_loads_nothing_and_links_only_to_the_app(case_manager: User) -> None:
    _busy_day(case_manager, 1)
    digest_send_all(today=_today())

    [message] = mail.outbox
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="en">' in html
    for forbidden in ("<img", "<script", "<style", "style=", "<link", "src="):
        assert forbidden not in html
    links = re.findall(r'href="([^"]+)"', html)
    assert links
    assert all(link.startswith(SITE + "/") for link in links)


def test_links_follow_site_url_even_under_a_folder(settings, case_manager: User) -> None:
    settings.SITE_URL = "https://example.org/plans"
    youth = _busy_day(case_manager, 1)

    line = digest_for(case_manager, _today()).lines[0]

    assert line.item_urls == [f"https://example.org/plans/youth/{youth.pk}/"]


SPANISH = {
    (
        "Your day in Shelter technology plans — %(count)d thing to do",
        "Your day in Shelter technology plans — %(count)d things to do",
    ): [
        "El día en Planes de tecnología del refugio: %(count)d tarea pendiente",
        "El día en Planes de tecnología del refugio: %(count)d tareas pendientes",
    ],
    ("%(count)d plan review is overdue.", "%(count)d plan reviews are overdue."): [
        "%(count)d revisión de plan está atrasada.",
        "%(count)d revisiones de plan están atrasadas.",
    ],
    ("Hello %(name)s,", None): "Hola, %(name)s:",
}


@pytest.fixture
def spanish_catalogue(settings, tmp_path: Path) -> None:
    """A catalogue of a few of the digest's strings, compiled into a temporary
    LOCALE_PATHS (changing the setting resets Django's translation cache)."""
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for (msgid, plural), msgstr in SPANISH.items():
        if plural is None:
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
        else:
            po.append(
                polib.POEntry(
                    msgid=msgid, msgid_plural=plural, msgstr_plural=dict(enumerate(msgstr))
                )
            )
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path]


def test_a_spanish_speaking_staff_member_gets_their_digest_in_spanish(
    spanish_catalogue: None, case_manager: User, other_case_manager: User
) -> None:
    User.objects.filter(pk=case_manager.pk).update(language=Language.SPANISH)
    for number in (1, 2):
        _youth(case_manager, number, review_in_days=-1)
    _youth(other_case_manager, 3, review_in_days=-1)

    digest_send_all(today=_today())

    [spanish] = _mail_to(case_manager)
    assert spanish.subject == "El día en Planes de tecnología del refugio: 2 tareas pendientes"
    assert spanish.body.startswith("Hola, Avery:\n")
    assert "2 revisiones de plan están atrasadas.\n" in spanish.body
    assert '<html lang="es">' in spanish.alternatives[0][0]
    # Each in their own language, whatever the order of sending.
    [english] = _mail_to(other_case_manager)
    assert english.subject == "Your day in Shelter technology plans — 1 thing to do"
    assert "1 plan review is overdue.\n" in english.body


# Queries


def _digest_queries(user: User) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert digest_for(user, _today()) is not None
    return len(captured.captured_queries)


def test_a_digest_takes_the_same_queries_however_much_there_is_to_do(
    case_manager: User, supervisor: User
) -> None:
    _policies_superseded(case_manager, supervisor)
    _required_course(Role.CASE_MANAGER)
    user = User.objects.prefetch_related("groups").get(pk=case_manager.pk)
    for number in (1, 2):
        _follows_old_policy(_busy_day(case_manager, number), case_manager)
    few = _digest_queries(user)
    for number in range(3, 40):
        _follows_old_policy(_busy_day(case_manager, number), case_manager)
    # Reviews: 4 (counts, the youth, overdue, due); restrictions: 2; requests and
    # recent check-outs: 4; policies: 3 (flagged counted, listed; open drafts);
    # acknowledgements: 1; training: 2 (requirements, completions).
    assert few == _digest_queries(user) == 16


# The command and the settings


def test_the_command_sends_and_reports_numbers_only(
    case_manager: User, other_case_manager: User, capsys
) -> None:
    _busy_day(case_manager, 1)

    call_command("send_digests")

    output = capsys.readouterr().out
    assert output == (
        "Digests: 1 sent, 0 failed, 0 already sent or being sent, 1 with nothing to do.\n"
    )
    assert len(mail.outbox) == 1


def test_the_command_fails_loudly_when_a_send_failed(
    settings, case_manager: User, other_case_manager: User, capsys
) -> None:
    settings.EMAIL_BACKEND = REFUSING
    _busy_day(case_manager, 1)
    _busy_day(other_case_manager, 2)

    with pytest.raises(CommandError, match="1 digest\\(s\\) could not be sent; the next run"):
        call_command("send_digests")

    assert "1 sent, 1 failed" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def _settings_in_a_process(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.SITE_URL)"
    )
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "shelter.settings",
            "SECRET_KEY": "settings-check-" + "k" * 60,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow_subprocess
def test_email_goes_to_the_console_in_development_and_to_smtp_in_production() -> None:
    development = _settings_in_a_process(DEBUG="true")
    assert development.stdout.split() == [
        "django.core.mail.backends.console.EmailBackend",
        "localhost",
        "25",
        "False",
        "http://localhost:8000",
    ], development.stderr
    production = _settings_in_a_process(
        DEBUG="false",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
        SITE_URL="https://plans.example.org/",
    )
    assert production.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
        "https://plans.example.org",
    ], production.stderr


@pytest.mark.slow_subprocess
def test_a_site_url_that_is_not_a_web_address_stops_the_app() -> None:
    result = _settings_in_a_process(DEBUG="true", SITE_URL="plans.example.org")
    assert result.returncode != 0
    assert "SITE_URL must be the app's address" in result.stderr
