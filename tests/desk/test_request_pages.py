"""Youth requests: recorded in the youth's words, decided by their case manager
or a supervisor with preset lengths or a reason the youth is told; stale forms
refused; who may; the queue's query count."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from desk.models import AccessRequest, RequestKind, RequestStatus
from plans.models import Category, Youth
from shelter.models import User
from tests.builders import admit_youth, make_restriction

pytestmark = pytest.mark.django_db

QUEUE = reverse("desk:request-list")
REASON = "Fictional: my cousin's birthday call, she lives far away."


@pytest.fixture
def youth(case_manager: User) -> Youth:
    return admit_youth(case_manager, preferred_name="Request Test")


def record(client: Client, youth: Youth, **fields) -> object:
    data = {
        "kind": RequestKind.UNTIL,
        "categories": [Category.objects.get(key="messaging").pk],
        "reason": REASON,
        "ends_at": f"{timezone.localtime() + timedelta(hours=2):%Y-%m-%dT%H:%M}",
    }
    data.update(fields)
    return client.post(reverse("desk:request-new", args=[youth.pk]), data)


def grant(client: Client, item: AccessRequest, preset: str, **fields) -> object:
    prefix = f"r{item.pk}-grant"
    data = {f"{prefix}-expected_version": item.version, f"{prefix}-preset": preset}
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(reverse("desk:request-grant", args=[item.pk]), data)


def decline(client: Client, item: AccessRequest, note: str, version: int | None = None) -> object:
    prefix = f"r{item.pk}-decline"
    data = {
        f"{prefix}-expected_version": item.version if version is None else version,
        f"{prefix}-note": note,
    }
    return client.post(reverse("desk:request-decline", args=[item.pk]), data)


def test_a_request_is_recorded_in_the_youths_words_and_waits(
    cm_client: Client, case_manager: User, youth: Youth
) -> None:
    form = cm_client.get(reverse("desk:request-new", args=[youth.pk]))
    assert form.status_code == 200
    response = record(cm_client, youth)
    assert response.status_code == 302
    assert response.url == QUEUE
    item = AccessRequest.objects.get()
    assert (item.status, item.reason, item.requested_by) == (
        RequestStatus.PENDING,
        REASON,
        case_manager,
    )
    queue = cm_client.get(QUEUE)
    assert [row.request for row in queue.context["waiting"]] == [item]
    assert escape(REASON) in queue.content.decode()


def test_bad_input_is_refused_next_to_the_field_and_nothing_is_recorded(
    cm_client: Client, youth: Youth
) -> None:
    no_reason = record(cm_client, youth, reason="")
    assert no_reason.status_code == 200
    assert no_reason.context["form"].errors["reason"] == [
        "Write the youth's reason, in their words."
    ]
    no_minutes = record(cm_client, youth, kind=RequestKind.EXTRA_MINUTES, ends_at="")
    assert no_minutes.context["form"].errors["minutes"] == [
        "Give the minutes asked for (1 to 480)."
    ]
    assert not AccessRequest.objects.exists()


def test_granting_an_hour_opens_the_category_and_the_board_says_by_exception_until(
    cm_client: Client, youth: Youth
) -> None:
    record(cm_client, youth)
    item = AccessRequest.objects.get()
    response = grant(cm_client, item, "1h")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.GRANTED
    assert item.granted_until - item.granted_from == timedelta(hours=1)

    board = cm_client.get(reverse("desk:board")).content.decode()
    until = timezone.localtime(item.granted_until)
    # Messaging is free use here: still "Open", and the exception is named.
    assert f"By exception until {until:%H:%M}" in board
    queue = cm_client.get(QUEUE)
    assert queue.context["waiting"] == []
    assert [row.request for row in queue.context["decided"]] == [item]


def test_granting_until_a_time_uses_the_time_typed(cm_client: Client, youth: Youth) -> None:
    record(cm_client, youth)
    item = AccessRequest.objects.get()
    until = timezone.localtime() + timedelta(minutes=90)
    grant(cm_client, item, "until", until=f"{until:%H:%M}")
    item.refresh_from_db()
    assert timezone.localtime(item.granted_until).replace(second=0, microsecond=0) == until.replace(
        second=0, microsecond=0
    )


def test_a_restriction_wins_and_the_grant_is_refused_with_a_message(
    cm_client: Client, case_manager: User, youth: Youth
) -> None:
    make_restriction(youth, case_manager, categories=["messaging"])
    record(cm_client, youth)
    item = AccessRequest.objects.get()
    response = grant(cm_client, item, "15m")
    assert response.status_code == 200
    assert "a restriction wins" in response.content.decode()
    item.refresh_from_db()
    assert item.status == RequestStatus.PENDING


def test_a_decline_needs_the_reason_the_youth_is_told(cm_client: Client, youth: Youth) -> None:
    record(cm_client, youth)
    item = AccessRequest.objects.get()
    refused = decline(cm_client, item, "")
    assert refused.status_code == 200
    assert refused.context["row"].decline_form.errors["note"] == [
        "Write the reason the youth is told."
    ]
    item.refresh_from_db()
    assert item.status == RequestStatus.PENDING

    decline(cm_client, item, "Not tonight: tomorrow after school instead.")
    item.refresh_from_db()
    assert (item.status, item.decision_note) == (
        RequestStatus.DECLINED,
        "Not tonight: tomorrow after school instead.",
    )


def test_a_request_decided_from_a_stale_form_is_refused_with_a_clear_message(
    cm_client: Client, supervisor_client: Client, case_manager: User, youth: Youth
) -> None:
    record(cm_client, youth)
    item = AccessRequest.objects.get()  # both pages loaded at this version
    grant(cm_client, item, "1h")

    second = grant(supervisor_client, item, "today")
    assert second.status_code == 302
    assert (
        "Nothing was changed: this request changed since your page was loaded. It is now: granted."
    ) in supervisor_client.get(QUEUE).content.decode()
    stale_decline = decline(supervisor_client, item, "No.", version=item.version)
    assert stale_decline.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.decided_by) == (RequestStatus.GRANTED, case_manager)
    assert item.granted_until - item.granted_from == timedelta(hours=1)


def withdraw(client: Client, item: AccessRequest, version: int | None = None) -> object:
    data = {f"r{item.pk}-withdraw-expected_version": item.version if version is None else version}
    return client.post(reverse("desk:request-withdraw", args=[item.pk]), data)


def test_a_request_the_youth_no_longer_makes_is_withdrawn_and_kept(
    cm_client: Client, case_manager: User, youth: Youth
) -> None:
    record(cm_client, youth)
    item = AccessRequest.objects.get()
    loaded_at = item.version
    response = withdraw(cm_client, item)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.decided_by, item.reason) == (
        RequestStatus.WITHDRAWN,
        case_manager,
        REASON,
    )
    # A second click from the same page changes nothing and says so.
    withdraw(cm_client, item, version=loaded_at)
    assert "It is now: withdrawn." in cm_client.get(QUEUE).content.decode()


# Who may


def test_another_caseload_gets_404_and_an_administrator_403(
    cm_client: Client,
    other_cm_client: Client,
    admin_client_: Client,
    youth: Youth,
) -> None:
    record(cm_client, youth)
    item = AccessRequest.objects.get()
    new = reverse("desk:request-new", args=[youth.pk])
    assert other_cm_client.get(new).status_code == 404
    assert record(other_cm_client, youth).status_code == 404
    assert grant(other_cm_client, item, "1h").status_code == 404
    assert decline(other_cm_client, item, "No.").status_code == 404
    assert withdraw(other_cm_client, item).status_code == 404
    assert other_cm_client.get(QUEUE).context["waiting"] == []
    assert admin_client_.get(new).status_code == 403
    assert admin_client_.get(QUEUE).status_code == 403
    assert grant(admin_client_, item, "1h").status_code == 403
    assert decline(admin_client_, item, "No.").status_code == 403
    assert withdraw(admin_client_, item).status_code == 403
    item.refresh_from_db()
    assert item.status == RequestStatus.PENDING
    assert AccessRequest.objects.count() == 1


def test_a_discharged_youth_takes_no_new_request(cm_client: Client, youth: Youth) -> None:
    Youth.objects.filter(pk=youth.pk).update(discharged_on=timezone.localdate())
    assert cm_client.get(reverse("desk:request-new", args=[youth.pk])).status_code == 403


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("desk:request-grant", "get"),
        ("desk:request-decline", "get"),
        ("desk:request-withdraw", "get"),
        ("desk:request-list", "post"),
        ("desk:request-new", "put"),
    ],
)
def test_wrong_methods_are_refused(cm_client: Client, youth: Youth, name: str, method: str) -> None:
    record(cm_client, youth)
    item = AccessRequest.objects.get()
    args = {
        "desk:request-grant": [item.pk],
        "desk:request-decline": [item.pk],
        "desk:request-withdraw": [item.pk],
        "desk:request-new": [youth.pk],
    }.get(name, [])
    assert getattr(cm_client, method)(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("count", [2, 40])
def test_the_queue_runs_a_fixed_number_of_queries(
    supervisor_client: Client,
    case_manager: User,
    supervisor: User,
    count: int,
    django_assert_num_queries,
) -> None:
    messaging = Category.objects.get(key="messaging")
    now = timezone.now()
    for number in range(count):
        item = AccessRequest.objects.create(
            youth=admit_youth(case_manager, client_id=f"TEST-{number:04d}"),
            kind=RequestKind.EXTRA_MINUTES,
            minutes=30,
            reason=REASON,
            requested_by=case_manager,
            status=RequestStatus.PENDING if number % 2 else RequestStatus.DECLINED,
            decided_by=None if number % 2 else supervisor,
            decided_at=None if number % 2 else now,
            decision_note="" if number % 2 else "Not tonight.",
        )
        item.categories.set([messaging])
    # 1 session, 2 user, 3 authenticator (two-step), 4 groups (role), 5 requests waiting
    # with youth, case manager and staff, 6 their categories, 7 count of decided ones,
    # 8 the page of decided ones, 9 their categories.
    with django_assert_num_queries(9):
        response = supervisor_client.get(QUEUE)
    assert response.status_code == 200
    assert len(response.context["waiting"]) == count // 2
