"""Temporary restrictions: the lifecycle through the services, the pages, who may
do what, bad input, and query counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import Approval, Category, Restriction, RestrictionKind, Youth
from plans.services import (
    RestrictionConflict,
    restriction_approve,
    restriction_decline,
    restriction_impose,
    restriction_lift,
)
from shelter.models import User
from tests.builders import make_restriction, make_youth

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZONE)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def youth(case_manager: User) -> Youth:
    return make_youth(case_manager)


@pytest.fixture
def other_youth(other_case_manager: User) -> Youth:
    return make_youth(other_case_manager, client_id="TEST-0002", preferred_name="Other Youth")


def social_media() -> list[Category]:
    return [Category.objects.get(key="social-media")]


def impose(youth: Youth, by: User, **overrides) -> Restriction:
    arguments = {
        "plan": youth.plan,
        "by": by,
        "categories": social_media(),
        "all_categories": False,
        "kind": RestrictionKind.DENY,
        "reason": "Fictional: an unknown adult offered them a ride and a phone.",
        "starts_at": NOW,
        "ends_at": NOW + 2 * DAY,
        "now": NOW,
    }
    arguments.update(overrides)
    return restriction_impose(**arguments)


def in_force_at(moment: datetime) -> set[int]:
    return set(Restriction.objects.active_at(moment).values_list("pk", flat=True))


# The lifecycle, through the services


def test_a_short_restriction_needs_no_approval_and_is_in_force_from_its_start(
    youth: Youth, case_manager: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 2 * DAY)
    assert restriction.approval == Approval.NOT_NEEDED
    assert restriction.imposed_by == case_manager
    assert restriction.pk in in_force_at(NOW)
    assert restriction.pk not in in_force_at(NOW - timedelta(seconds=1))
    assert list(restriction.categories.values_list("key", flat=True)) == ["social-media"]


def test_a_restriction_of_exactly_the_approval_length_needs_no_approval(
    youth: Youth, case_manager: User, settings
) -> None:
    settings.RESTRICTION_APPROVAL_HOURS = 72
    restriction = impose(youth, case_manager, ends_at=NOW + 72 * HOUR)
    assert restriction.approval == Approval.NOT_NEEDED


def test_a_long_restriction_waits_for_a_supervisor_and_is_not_in_force(
    youth: Youth, case_manager: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 5 * DAY)
    assert restriction.approval == Approval.PENDING
    assert restriction.decided_by is None
    assert restriction.pk not in in_force_at(NOW + HOUR)


def test_an_approved_long_restriction_is_in_force_and_records_who_approved(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 5 * DAY)
    restriction_approve(restriction=restriction, by=supervisor, note="Agreed.", now=NOW + HOUR)
    restriction.refresh_from_db()
    assert restriction.approval == Approval.APPROVED
    assert (restriction.decided_by, restriction.decided_at) == (supervisor, NOW + HOUR)
    assert restriction.decision_note == "Agreed."
    assert restriction.pk in in_force_at(NOW + 2 * HOUR)
    latest = restriction.history.first()
    assert (latest.approval, latest.history_user) == (Approval.APPROVED, supervisor)


def test_a_supervisors_own_long_restriction_is_approved_by_them_at_once(
    youth: Youth, supervisor: User
) -> None:
    restriction = impose(youth, supervisor, ends_at=NOW + 5 * DAY)
    assert restriction.approval == Approval.APPROVED
    assert (restriction.decided_by, restriction.decided_at) == (supervisor, NOW)
    assert restriction.pk in in_force_at(NOW)


def test_a_declined_restriction_never_takes_effect(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 5 * DAY)
    restriction_decline(
        restriction=restriction, by=supervisor, note="Talk with them first.", now=NOW + HOUR
    )
    restriction.refresh_from_db()
    assert restriction.approval == Approval.DECLINED
    assert restriction.decision_note == "Talk with them first."
    assert restriction.pk not in in_force_at(NOW + 2 * HOUR)


def test_declining_needs_a_note_and_changes_nothing_without_one(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 5 * DAY)
    with pytest.raises(ValidationError) as raised:
        restriction_decline(restriction=restriction, by=supervisor, note="  ", now=NOW)
    assert "note" in raised.value.message_dict
    restriction.refresh_from_db()
    assert restriction.approval == Approval.PENDING


def test_a_second_approval_from_a_stale_page_is_refused_and_changes_nothing(
    youth: Youth, case_manager: User, supervisor: User, other_supervisor: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 5 * DAY)
    stale = Restriction.objects.get(pk=restriction.pk)  # the other supervisor's open page
    restriction_approve(restriction=restriction, by=supervisor, now=NOW + HOUR)
    records = restriction.history.count()
    with pytest.raises(RestrictionConflict, match="Nothing was changed"):
        restriction_decline(restriction=stale, by=other_supervisor, note="No.", now=NOW + 2 * HOUR)
    with pytest.raises(RestrictionConflict):
        restriction_approve(restriction=stale, by=other_supervisor, now=NOW + 2 * HOUR)
    restriction.refresh_from_db()
    assert (restriction.approval, restriction.decided_by) == (Approval.APPROVED, supervisor)
    assert restriction.history.count() == records


def test_a_case_manager_cannot_approve(youth: Youth, case_manager: User) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 5 * DAY)
    with pytest.raises(PermissionDenied):
        restriction_approve(restriction=restriction, by=case_manager, now=NOW)
    restriction.refresh_from_db()
    assert restriction.approval == Approval.PENDING


def test_a_pending_restriction_that_ended_cannot_be_approved(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 4 * DAY)
    with pytest.raises(RestrictionConflict, match="never took effect"):
        restriction_approve(restriction=restriction, by=supervisor, now=NOW + 4 * DAY)


def test_a_withdrawn_request_can_no_longer_be_approved(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 5 * DAY)
    restriction_lift(restriction=restriction, by=case_manager, note="Talked it through.", now=NOW)
    with pytest.raises(RestrictionConflict, match="Withdrawn by"):
        restriction_approve(restriction=restriction, by=supervisor, now=NOW + HOUR)
    restriction.refresh_from_db()
    assert (restriction.approval, restriction.decided_by) == (Approval.PENDING, None)
    assert restriction.pk not in in_force_at(NOW + HOUR)


def test_lifting_early_ends_it_at_that_instant_with_who_and_why(
    youth: Youth, case_manager: User
) -> None:
    restriction = impose(youth, case_manager)
    restriction_lift(
        restriction=restriction, by=case_manager, note="They are safe at home.", now=NOW + HOUR
    )
    restriction.refresh_from_db()
    assert (restriction.lifted_at, restriction.lifted_by) == (NOW + HOUR, case_manager)
    assert restriction.lift_note == "They are safe at home."
    assert restriction.ends_at == NOW + 2 * DAY  # the plan is kept as it was
    assert restriction.pk in in_force_at(NOW + HOUR - timedelta(seconds=1))
    assert restriction.pk not in in_force_at(NOW + HOUR)


def test_a_supervisor_may_lift_a_case_managers_restriction(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    restriction = impose(youth, case_manager)
    restriction_lift(restriction=restriction, by=supervisor, note="Resolved.", now=NOW + HOUR)
    restriction.refresh_from_db()
    assert restriction.lifted_by == supervisor


def test_lifting_needs_a_note(youth: Youth, case_manager: User) -> None:
    restriction = impose(youth, case_manager)
    with pytest.raises(ValidationError) as raised:
        restriction_lift(restriction=restriction, by=case_manager, note="", now=NOW + HOUR)
    assert "note" in raised.value.message_dict
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


def test_lifting_a_restriction_that_already_ended_is_refused(
    youth: Youth, case_manager: User
) -> None:
    restriction = impose(youth, case_manager)
    with pytest.raises(RestrictionConflict, match="Ended"):
        restriction_lift(restriction=restriction, by=case_manager, note="Late.", now=NOW + 2 * DAY)
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


def test_lifting_a_declined_restriction_is_refused(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 5 * DAY)
    restriction_decline(restriction=restriction, by=supervisor, note="No.", now=NOW)
    with pytest.raises(RestrictionConflict, match="Declined"):
        restriction_lift(restriction=restriction, by=case_manager, note="x", now=NOW + HOUR)
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


def test_lifting_twice_is_refused_and_keeps_the_first_lift(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    restriction = impose(youth, case_manager)
    stale = Restriction.objects.get(pk=restriction.pk)
    restriction_lift(restriction=restriction, by=case_manager, note="First.", now=NOW + HOUR)
    with pytest.raises(RestrictionConflict, match="Lifted early"):
        restriction_lift(restriction=stale, by=supervisor, note="Second.", now=NOW + 2 * HOUR)
    restriction.refresh_from_db()
    assert (restriction.lift_note, restriction.lifted_at) == ("First.", NOW + HOUR)


def test_a_restriction_is_not_in_force_at_its_end_instant(youth: Youth, case_manager: User) -> None:
    restriction = impose(youth, case_manager)
    end = NOW + 2 * DAY
    assert restriction.pk in in_force_at(end - timedelta(microseconds=1))
    assert restriction.pk not in in_force_at(end)
    # Nothing stored changes when it ends: the same row simply stops counting.
    restriction.refresh_from_db()
    assert (restriction.approval, restriction.lifted_at) == (Approval.NOT_NEEDED, None)


def test_every_change_is_kept_in_history_with_who_made_it(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    restriction = impose(youth, case_manager, ends_at=NOW + 5 * DAY)
    restriction_approve(restriction=restriction, by=supervisor, now=NOW + HOUR)
    restriction_lift(restriction=restriction, by=case_manager, note="Safe.", now=NOW + 2 * HOUR)
    records = list(restriction.history.order_by("history_date", "history_id"))
    # Imposing writes two records: the row, then its categories (m2m history).
    assert [(r.approval, r.history_user, r.history_date) for r in records] == [
        (Approval.PENDING, case_manager, NOW),
        (Approval.PENDING, case_manager, NOW),
        (Approval.APPROVED, supervisor, NOW + HOUR),
        (Approval.APPROVED, case_manager, NOW + 2 * HOUR),
    ]
    assert [c.category.key for c in records[1].categories.all()] == ["social-media"]
    assert records[-1].lift_note == "Safe."


# Bad input, through the service: a message for the field, nothing saved

BAD_INPUT = [
    ("reason", {"reason": "   "}, "Write why"),
    ("ends_at", {"ends_at": None}, "every restriction ends"),
    ("ends_at", {"ends_at": NOW}, "end must come after the start"),
    ("ends_at", {"ends_at": NOW - HOUR}, "end must come after the start"),
    ("starts_at", {"starts_at": NOW - timedelta(minutes=6)}, "cannot be in the past"),
    ("ends_at", {"ends_at": NOW + 30 * DAY + timedelta(minutes=1)}, "at most 30 days"),
    ("categories", {"categories": []}, "Choose at least one category"),
]


@pytest.mark.parametrize(
    ("field", "overrides", "message"), BAD_INPUT, ids=[case[1].__repr__() for case in BAD_INPUT]
)
def test_bad_input_is_refused_with_a_message_for_the_field(
    youth: Youth, case_manager: User, field: str, overrides: dict, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        impose(youth, case_manager, **overrides)
    assert message in " ".join(raised.value.message_dict[field])
    assert Restriction.objects.count() == 0


def test_a_start_a_few_minutes_ago_is_still_now(youth: Youth, case_manager: User) -> None:
    restriction = impose(youth, case_manager, starts_at=NOW - timedelta(minutes=4))
    assert restriction.starts_at == NOW - timedelta(minutes=4)


def test_the_length_cap_comes_from_the_settings(youth: Youth, case_manager: User, settings) -> None:
    settings.RESTRICTION_MAX_DAYS = 7
    with pytest.raises(ValidationError) as raised:
        impose(youth, case_manager, ends_at=NOW + 7 * DAY + timedelta(minutes=1))
    assert "at most 7 days" in raised.value.message_dict["ends_at"][0]
    assert impose(youth, case_manager, ends_at=NOW + 7 * DAY).pk


def test_all_categories_needs_no_category_list(youth: Youth, case_manager: User) -> None:
    restriction = impose(youth, case_manager, categories=[], all_categories=True)
    assert restriction.all_categories
    assert restriction.categories.count() == 0


def test_only_editors_of_the_youth_may_impose(
    youth: Youth, other_case_manager: User, administrator: User
) -> None:
    for outsider in (other_case_manager, administrator):
        with pytest.raises(PermissionDenied):
            impose(youth, outsider)
    assert Restriction.objects.count() == 0


# The impose page


def form_data(**overrides) -> dict[str, str | list[str]]:
    start = timezone.localtime().replace(second=0, microsecond=0)
    data: dict[str, str | list[str]] = {
        "categories": [str(category.pk) for category in social_media()],
        "kind": "deny",
        "reason": "Fictional: someone online asked them to meet tonight.",
        "starts_at": start.strftime(LOCAL_INPUT),
        "ends_at": (start + 2 * DAY).strftime(LOCAL_INPUT),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def new_url(youth: Youth) -> str:
    return reverse("plans:restriction-new", kwargs={"youth_id": youth.pk})


def test_the_impose_form_says_when_a_supervisor_must_approve(
    cm_client: Client, youth: Youth
) -> None:
    response = cm_client.get(new_url(youth))
    assert response.status_code == 200
    content = response.content.decode()
    assert "longer than 72 hours needs a supervisor" in content
    assert 'type="datetime-local"' in content
    assert "All categories" in content


def test_the_impose_form_tells_a_supervisor_their_own_approval_counts(
    supervisor_client: Client, youth: Youth
) -> None:
    content = supervisor_client.get(new_url(youth)).content.decode()
    assert "your own long restriction is approved by you at once" in content


def test_a_case_manager_imposes_a_short_restriction_in_force_at_once(
    cm_client: Client, youth: Youth
) -> None:
    response = cm_client.post(new_url(youth), form_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "plans:youth-detail", kwargs={"youth_id": youth.pk}
    )
    restriction = Restriction.objects.get()
    assert restriction.approval == Approval.NOT_NEEDED
    assert restriction.pk in in_force_at(timezone.now())
    assert "Restriction saved: In force until" in response.content.decode()


def test_a_case_manager_imposes_a_long_one_that_waits_for_approval(
    cm_client: Client, youth: Youth
) -> None:
    start = timezone.localtime().replace(second=0, microsecond=0)
    data = form_data(ends_at=(start + 5 * DAY).strftime(LOCAL_INPUT))
    response = cm_client.post(new_url(youth), data, follow=True)
    assert Restriction.objects.get().approval == Approval.PENDING
    assert "waits for a supervisor" in response.content.decode()


def test_the_form_reads_times_in_the_agency_zone(cm_client: Client, youth: Youth) -> None:
    start = timezone.localtime().replace(second=0, microsecond=0) + HOUR
    data = form_data(
        starts_at=start.strftime(LOCAL_INPUT), ends_at=(start + DAY).strftime(LOCAL_INPUT)
    )
    cm_client.post(new_url(youth), data)
    restriction = Restriction.objects.get()
    assert restriction.starts_at == start
    assert timezone.localtime(restriction.starts_at).tzinfo.key == "America/New_York"


def _local(delta: timedelta) -> str:
    return (timezone.localtime().replace(second=0, microsecond=0) + delta).strftime(LOCAL_INPUT)


FORM_BAD_INPUT = [
    ("reason", {"reason": ""}, "Write why the youth is in danger"),
    ("ends_at", {"ends_at": ""}, "Give an end: every restriction ends."),
    ("ends_at", {"ends_at": "not a date"}, "Enter a date and time."),
    ("ends_at", {"ends_at": "same-as-start"}, "The end must come after the start."),
    ("ends_at", {"ends_at": "before-start"}, "The end must come after the start."),
    ("starts_at", {"starts_at": "backdated"}, "The start cannot be in the past"),
    ("ends_at", {"ends_at": "too-long"}, "A restriction can last at most 30 days."),
    ("categories", {"categories": None}, "Choose at least one category"),
]
SPECIAL_TIMES = {
    "same-as-start": timedelta(0),
    "before-start": -HOUR,
    "backdated": -timedelta(minutes=30),
    "too-long": 31 * DAY,
}


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    FORM_BAD_INPUT,
    ids=[f"{case[0]}-{next(iter(case[1].values()))}" for case in FORM_BAD_INPUT],
)
def test_bad_input_in_the_form_gets_a_message_next_to_the_field_and_saves_nothing(
    cm_client: Client, youth: Youth, field: str, overrides: dict, message: str
) -> None:
    overrides = {
        key: _local(SPECIAL_TIMES[value]) if value in SPECIAL_TIMES else value
        for key, value in overrides.items()
    }
    response = cm_client.post(new_url(youth), form_data(**overrides))
    assert response.status_code == 200
    assert Restriction.objects.count() == 0
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    content = response.content.decode()
    assert message in content
    # crispy puts the message in the field's own feedback block, tied to the field.
    assert f'id="error_1_id_{field}"' in content


# Who may do what, on every restriction URL


def decide_url(name: str, restriction: Restriction) -> str:
    return reverse(f"plans:{name}", kwargs={"restriction_id": restriction.pk})


@pytest.fixture
def pending(youth: Youth, case_manager: User) -> Restriction:
    return make_restriction(
        youth,
        case_manager,
        starts_at=timezone.now() + HOUR,
        ends_at=timezone.now() + 5 * DAY,
        approval=Approval.PENDING,
    )


def test_another_case_manager_gets_404_on_every_restriction_url(
    other_cm_client: Client, youth: Youth, pending: Restriction
) -> None:
    assert other_cm_client.get(new_url(youth)).status_code == 404
    assert other_cm_client.post(new_url(youth), form_data()).status_code == 404
    for name in ("restriction-approve", "restriction-decline", "restriction-lift"):
        response = other_cm_client.post(decide_url(name, pending), {})
        assert response.status_code == 404, name
    assert Restriction.objects.count() == 1
    pending.refresh_from_db()
    assert (pending.approval, pending.lifted_at) == (Approval.PENDING, None)


def test_the_administrator_sees_but_gets_403_on_every_change(
    admin_client_: Client, youth: Youth, pending: Restriction
) -> None:
    assert admin_client_.get(new_url(youth)).status_code == 403
    assert admin_client_.post(new_url(youth), form_data()).status_code == 403
    assert admin_client_.get(reverse("plans:restriction-queue")).status_code == 403
    for name in ("restriction-approve", "restriction-decline", "restriction-lift"):
        assert admin_client_.post(decide_url(name, pending), {}).status_code == 403, name
    pending.refresh_from_db()
    assert (pending.approval, pending.lifted_at) == (Approval.PENDING, None)


def test_the_youths_own_case_manager_cannot_approve_or_decline(
    cm_client: Client, pending: Restriction
) -> None:
    assert cm_client.get(reverse("plans:restriction-queue")).status_code == 403
    for name in ("restriction-approve", "restriction-decline"):
        prefix = f"decide-{pending.pk}"
        response = cm_client.post(decide_url(name, pending), {f"{prefix}-note": "ok"})
        assert response.status_code == 403, name
    pending.refresh_from_db()
    assert pending.approval == Approval.PENDING


def test_a_discharged_youths_pending_restriction_leaves_the_queue_and_cannot_be_decided(
    supervisor_client: Client, youth: Youth, pending: Restriction
) -> None:
    youth.discharged_on = timezone.localdate() - DAY
    youth.save()
    queue = supervisor_client.get(reverse("plans:restriction-queue"))
    assert queue.context["rows"] == []
    prefix = f"decide-{pending.pk}"
    response = supervisor_client.post(
        decide_url("restriction-approve", pending), {f"{prefix}-note": "ok"}
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.approval == Approval.PENDING


def test_a_discharged_youths_restrictions_are_read_only(
    cm_client: Client, youth: Youth, case_manager: User
) -> None:
    restriction = make_restriction(youth, case_manager)
    youth.discharged_on = timezone.localdate() - DAY
    youth.save()
    assert cm_client.get(new_url(youth)).status_code == 403
    response = cm_client.post(
        decide_url("restriction-lift", restriction), {f"lift-{restriction.pk}-note": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("restriction-new", "put"),
        ("restriction-queue", "post"),
        ("restriction-approve", "get"),
        ("restriction-decline", "get"),
        ("restriction-lift", "get"),
    ],
)
def test_the_wrong_method_gets_405(
    supervisor_client: Client, youth: Youth, pending: Restriction, name: str, method: str
) -> None:
    kwargs = (
        {"youth_id": youth.pk}
        if name == "restriction-new"
        else {}
        if name == "restriction-queue"
        else {"restriction_id": pending.pk}
    )
    response = getattr(supervisor_client, method)(reverse(f"plans:{name}", kwargs=kwargs))
    assert response.status_code == 405


# Approving, declining and lifting in the browser's forms


def test_a_supervisor_approves_from_the_queue(
    supervisor_client: Client, supervisor: User, pending: Restriction
) -> None:
    queue = supervisor_client.get(reverse("plans:restriction-queue"))
    assert pending.reason in queue.content.decode()
    prefix = f"decide-{pending.pk}"
    response = supervisor_client.post(
        decide_url("restriction-approve", pending),
        {f"{prefix}-note": "Agreed for now.", f"{prefix}-return_to": "queue"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("plans:restriction-queue")
    assert "Restriction approved" in response.content.decode()
    pending.refresh_from_db()
    assert (pending.approval, pending.decided_by) == (Approval.APPROVED, supervisor)
    assert pending.decision_note == "Agreed for now."


def test_declining_without_a_note_shows_the_message_next_to_the_note(
    supervisor_client: Client, pending: Restriction
) -> None:
    prefix = f"decide-{pending.pk}"
    response = supervisor_client.post(
        decide_url("restriction-decline", pending), {f"{prefix}-return_to": "queue"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Write why you decline" in content
    assert f'id="error_1_id_{prefix}-note"' in content
    pending.refresh_from_db()
    assert pending.approval == Approval.PENDING


def test_a_supervisor_declines_with_a_note(
    supervisor_client: Client, pending: Restriction, youth: Youth
) -> None:
    prefix = f"decide-{pending.pk}"
    response = supervisor_client.post(
        decide_url("restriction-decline", pending),
        {f"{prefix}-note": "Try a supervised plan first.", f"{prefix}-return_to": "youth"},
    )
    assert response.url == reverse("plans:youth-detail", kwargs={"youth_id": youth.pk})
    pending.refresh_from_db()
    assert pending.approval == Approval.DECLINED


def test_a_stale_approval_in_the_browser_is_refused_with_a_message(
    supervisor_client: Client, other_supervisor: User, pending: Restriction
) -> None:
    restriction_decline(restriction=pending, by=other_supervisor, note="Not needed.")
    prefix = f"decide-{pending.pk}"
    response = supervisor_client.post(
        decide_url("restriction-approve", pending),
        {f"{prefix}-note": "", f"{prefix}-return_to": "queue"},
        follow=True,
    )
    content = response.content.decode()
    assert "Nothing was changed" in content
    assert "Declined by" in content
    pending.refresh_from_db()
    assert (pending.approval, pending.decided_by) == (Approval.DECLINED, other_supervisor)


def test_a_case_manager_lifts_early_from_the_youth_page(
    cm_client: Client, case_manager: User, youth: Youth
) -> None:
    restriction = make_restriction(youth, case_manager)
    page = cm_client.get(reverse("plans:youth-detail", kwargs={"youth_id": youth.pk}))
    assert "Lift this restriction early" in page.content.decode()
    prefix = f"lift-{restriction.pk}"
    response = cm_client.post(
        decide_url("restriction-lift", restriction),
        {f"{prefix}-note": "Back in touch with family.", f"{prefix}-return_to": "youth"},
        follow=True,
    )
    assert "Restriction lifted" in response.content.decode()
    restriction.refresh_from_db()
    assert restriction.lifted_by == case_manager
    assert restriction.pk not in in_force_at(timezone.now())


def test_lifting_without_a_note_shows_the_message_and_changes_nothing(
    cm_client: Client, case_manager: User, youth: Youth
) -> None:
    restriction = make_restriction(youth, case_manager)
    response = cm_client.post(decide_url("restriction-lift", restriction), {})
    assert response.status_code == 200
    assert "Write why the restriction is lifted." in response.content.decode()
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


def test_lifting_an_ended_restriction_in_the_browser_is_refused(
    cm_client: Client, case_manager: User, youth: Youth
) -> None:
    now = timezone.now()
    restriction = make_restriction(
        youth, case_manager, starts_at=now - DAY, ends_at=now - timedelta(minutes=1)
    )
    prefix = f"lift-{restriction.pk}"
    response = cm_client.post(
        decide_url("restriction-lift", restriction), {f"{prefix}-note": "x"}, follow=True
    )
    assert "Nothing was changed" in response.content.decode()
    restriction.refresh_from_db()
    assert restriction.lifted_at is None


# Home panels


def test_the_supervisor_home_lists_restrictions_waiting_for_approval(
    supervisor_client: Client, pending: Restriction
) -> None:
    content = supervisor_client.get(reverse("home")).content.decode()
    assert "Restrictions waiting for your approval (1)" in content
    assert "Open the approvals" in content
    assert reverse("plans:restriction-queue") in content


def test_the_case_manager_home_lists_their_restrictions_ending_within_a_day(
    cm_client: Client,
    case_manager: User,
    other_case_manager: User,
    youth: Youth,
    other_youth: Youth,
) -> None:
    now = timezone.now()
    make_restriction(youth, case_manager, ends_at=now + 3 * HOUR)
    make_restriction(youth, case_manager, ends_at=now + 2 * DAY, reason="Fictional: later.")
    make_restriction(other_youth, other_case_manager, ends_at=now + HOUR)
    response = cm_client.get(reverse("home"))
    panels = {panel.key: panel for panel in response.context["panels"]}
    assert panels["restrictions-ending"].count == 1
    content = response.content.decode()
    assert "Restrictions ending within a day" in content
    assert youth.preferred_name in content
    assert other_youth.preferred_name not in content


# Query counts


def _pending_for(count: int, case_manager: User, *, first: int = 100, **fields) -> None:
    now = timezone.now()
    values = {
        "categories": ["social-media", "messaging"],
        "starts_at": now + HOUR,
        "ends_at": now + 5 * DAY,
        "approval": Approval.PENDING,
    }
    values.update(fields)
    for number in range(first, first + count):
        youth = make_youth(case_manager, client_id=f"TEST-{number:04d}")
        make_restriction(youth, case_manager, **values)


@pytest.mark.parametrize("count", [5, 50])
def test_the_approvals_queue_runs_a_fixed_number_of_queries(
    supervisor_client: Client,
    case_manager: User,
    count: int,
    django_assert_num_queries,
) -> None:
    _pending_for(count, case_manager)
    # session, user, the authenticator app that verified the session, user's groups
    # (role), count of pending, one page of pending with youth/case manager/staff
    # joined, their categories.
    with django_assert_num_queries(7):
        response = supervisor_client.get(reverse("plans:restriction-queue"))
    assert len(response.context["rows"]) == min(count, 25)


# Demo data


def test_the_demo_seeds_one_restriction_in_force_one_waiting_and_one_lifted(
    case_manager: User,
    other_case_manager: User,
    supervisor: User,
    other_supervisor: User,
    administrator: User,
) -> None:
    from plans.demo import seed
    from shelter.demo import DemoStaff

    staff = DemoStaff(case_manager, other_case_manager, supervisor, other_supervisor, administrator)
    seed(staff)
    seed(staff)  # idempotent
    now = timezone.now()
    restrictions = list(Restriction.objects.order_by("pk"))
    assert len(restrictions) == 3
    in_force, waiting, lifted = restrictions
    assert in_force.is_in_force_at(now)
    assert in_force.ends_at - now < DAY  # shows on the case manager's home
    assert waiting.approval == Approval.PENDING
    assert lifted.lifted_by == other_case_manager and not lifted.is_in_force_at(now)
    assert all(r.plan.youth.client_id.startswith("DEMO-") for r in restrictions)


def test_a_local_time_that_does_not_exist_is_refused_next_to_the_field(
    cm_client: Client, youth: Youth
) -> None:
    # 02:30 on 14 March 2027 is skipped in New York: clocks jump from 02:00 to 03:00.
    response = cm_client.post(new_url(youth), form_data(ends_at="2027-03-14T02:30"))
    assert response.status_code == 200
    assert "couldn’t be interpreted in time zone America/New_York" in " ".join(
        response.context["form"].errors["ends_at"]
    )
    assert Restriction.objects.count() == 0


def _home_queries(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_home_panels_run_the_same_queries_with_few_or_many_restrictions(
    supervisor_client: Client, cm_client: Client, case_manager: User
) -> None:
    # The restriction panels add two queries each (a count and one short list);
    # the rest of the home page belongs to other panels, so compare, not count.
    now = timezone.now()
    ending = {"starts_at": now - HOUR, "ends_at": now + 2 * HOUR, "approval": Approval.NOT_NEEDED}
    _pending_for(1, case_manager, first=100)
    _pending_for(1, case_manager, first=200, **ending)
    few = (_home_queries(supervisor_client), _home_queries(cm_client))
    _pending_for(14, case_manager, first=101)
    _pending_for(14, case_manager, first=201, **ending)
    panels = {panel.key: panel for panel in cm_client.get(reverse("home")).context["panels"]}
    assert panels["restrictions-ending"].count == 15
    assert len(panels["restrictions-ending"].items) == 10
    panels = {
        panel.key: panel for panel in supervisor_client.get(reverse("home")).context["panels"]
    }
    assert panels["restrictions-waiting"].count == 15
    many = (_home_queries(supervisor_client), _home_queries(cm_client))
    assert few == many
