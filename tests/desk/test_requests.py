"""Youth requests and exceptions (desk/services.py): youth asks, staff decide.
Grant presets, stale forms, an exception ending before it starts, a restriction
winning, a decline needing a note, and the exception ending by itself."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from desk.board import youth_access
from desk.models import AccessRequest, RequestKind, RequestStatus
from desk.services import (
    RequestConflict,
    access_request_decline,
    access_request_grant,
    access_request_record,
    access_request_withdraw,
)
from plans.models import AccessRule, Category, TimeWindow, Youth
from plans.rightnow import State
from shelter.models import AuditEvent, User
from tests.builders import admit_youth, make_restriction

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("America/New_York")
# Tuesday 1 Dec 2026, 18:00 in the agency's zone.
NOW = datetime(2026, 12, 1, 18, 0, tzinfo=ZONE)
MIDNIGHT = datetime(2026, 12, 2, 0, 0, tzinfo=ZONE)
SOCIAL = "social-media"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 1, hour, minute, tzinfo=ZONE)


@pytest.fixture
def youth(case_manager: User) -> Youth:
    return admit_youth(case_manager, client_id="TEST-0201")


@pytest.fixture
def social() -> Category:
    return Category.objects.get(key=SOCIAL)


def ask(youth: Youth, by: User, kind: str = RequestKind.UNTIL, **fields) -> AccessRequest:
    values = {
        "categories": [Category.objects.get(key=SOCIAL)],
        "all_categories": False,
        "reason": "Fictional: I want to finish a video call with my sister.",
        "now": NOW,
    }
    if kind == RequestKind.EXTRA_MINUTES:
        values["minutes"] = 30
    elif kind == RequestKind.UNTIL:
        values["ends_at"] = at(22)
    else:
        values["starts_at"] = at(20)
        values["ends_at"] = at(21)
    values.update(fields)
    return access_request_record(actor=by, youth=youth, kind=kind, **values)


def grant(request: AccessRequest, by: User, preset: str, **fields) -> AccessRequest:
    fields.setdefault("now", NOW)
    return access_request_grant(
        actor=by, request=request, expected_version=request.version, preset=preset, **fields
    )


# Recording


def test_a_request_is_recorded_with_the_youths_words_and_waits(
    youth: Youth, case_manager: User, social: Category
) -> None:
    request = ask(youth, case_manager, RequestKind.EXTRA_MINUTES)

    assert request.status == RequestStatus.PENDING
    assert request.reason == "Fictional: I want to finish a video call with my sister."
    assert (request.minutes, request.asked_from, request.asked_until) == (30, None, None)
    assert list(request.categories.all()) == [social]
    assert request.asked_label == "30 extra minutes today"
    assert list(AccessRequest.objects.waiting(NOW)) == [request]
    event = AuditEvent.objects.get(object_type="desk.accessrequest", object_id=request.pk)
    assert event.detail == {"op": "access_request_record", "kind": "extra_minutes"}


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        (RequestKind.EXTRA_MINUTES, {"minutes": None}, "minutes"),
        (RequestKind.EXTRA_MINUTES, {"reason": "   "}, "reason"),
        (RequestKind.EXTRA_MINUTES, {"categories": []}, "categories"),
        (RequestKind.UNTIL, {"ends_at": None}, "ends_at"),
        (RequestKind.UNTIL, {"ends_at": datetime(2026, 12, 1, 17, 0, tzinfo=ZONE)}, "ends_at"),
        (RequestKind.WINDOW, {"starts_at": None}, "starts_at"),
        (RequestKind.WINDOW, {"ends_at": datetime(2026, 12, 1, 19, 0, tzinfo=ZONE)}, "ends_at"),
        ("sleepover", {}, "kind"),
    ],
)
def test_bad_input_for_a_request_is_refused_next_to_its_field(
    youth: Youth, case_manager: User, kind: str, fields: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        ask(youth, case_manager, kind, **fields)

    assert field in refused.value.message_dict
    assert not AccessRequest.objects.exists()


def test_only_staff_who_may_see_the_youth_record_a_request(
    youth: Youth, other_case_manager: User, supervisor: User
) -> None:
    with pytest.raises(PermissionDenied):
        ask(youth, other_case_manager)
    recorded = ask(youth, supervisor)

    assert list(AccessRequest.objects.visible_to(supervisor)) == [recorded]
    assert not AccessRequest.objects.visible_to(other_case_manager).exists()


# Granting: presets


@pytest.mark.parametrize(("preset", "extra"), [("15m", 15), ("1h", 60), ("today", 30)])
def test_extra_minutes_are_granted_for_the_rest_of_today(
    youth: Youth, case_manager: User, preset: str, extra: int
) -> None:
    request = ask(youth, case_manager, RequestKind.EXTRA_MINUTES)

    granted = grant(request, case_manager, preset, note="Enjoy the call.")

    assert granted.status == RequestStatus.GRANTED
    assert (granted.granted_from, granted.granted_until) == (NOW, MIDNIGHT)
    assert granted.granted_extra_minutes == extra
    assert granted.granted_label == f"{extra} extra minutes today"
    assert (granted.decided_by, granted.decided_at) == (case_manager, NOW)
    assert granted.decision_note == "Enjoy the call."
    assert granted.version == 2


def test_extra_minutes_cannot_be_granted_until_a_time(youth: Youth, case_manager: User) -> None:
    request = ask(youth, case_manager, RequestKind.EXTRA_MINUTES)

    with pytest.raises(ValidationError) as refused:
        grant(request, case_manager, "until", until=at(21))

    assert "preset" in refused.value.message_dict
    request.refresh_from_db()
    assert (request.status, request.version) == (RequestStatus.PENDING, 1)


@pytest.mark.parametrize(
    ("preset", "until", "expected_from", "expected_until"),
    [
        ("15m", None, datetime(2026, 12, 1, 20, 0), datetime(2026, 12, 1, 20, 15)),
        ("1h", None, datetime(2026, 12, 1, 20, 0), datetime(2026, 12, 1, 21, 0)),
        ("until", None, datetime(2026, 12, 1, 20, 0), datetime(2026, 12, 1, 21, 0)),
        ("until", time(20, 45), datetime(2026, 12, 1, 20, 0), datetime(2026, 12, 1, 20, 45)),
        ("today", None, datetime(2026, 12, 1, 20, 0), datetime(2026, 12, 2, 0, 0)),
    ],
)
def test_a_one_off_window_is_granted_from_its_asked_start_for_the_preset_length(
    youth: Youth,
    case_manager: User,
    preset: str,
    until: time | None,
    expected_from: datetime,
    expected_until: datetime,
) -> None:
    request = ask(youth, case_manager, RequestKind.WINDOW)  # asked 20:00–21:00

    granted = grant(
        request,
        case_manager,
        preset,
        until=datetime.combine(at(0).date(), until, tzinfo=ZONE) if until else None,
    )

    assert granted.granted_from == expected_from.replace(tzinfo=ZONE)
    assert granted.granted_until == expected_until.replace(tzinfo=ZONE)
    assert granted.granted_extra_minutes == 0
    assert granted.opens


def test_allowed_until_a_time_starts_now_and_defaults_to_the_time_asked(
    youth: Youth, case_manager: User
) -> None:
    request = ask(youth, case_manager, RequestKind.UNTIL)  # until 22:00

    granted = grant(request, case_manager, "until")

    assert (granted.granted_from, granted.granted_until) == (NOW, at(22))
    assert granted.granted_label == "Allowed Tue 18:00 until Tue 22:00"


def test_an_exception_ending_before_it_starts_is_refused_and_nothing_changes(
    youth: Youth, case_manager: User
) -> None:
    request = ask(youth, case_manager, RequestKind.WINDOW)  # asked 20:00–21:00

    with pytest.raises(ValidationError) as refused:
        grant(request, case_manager, "until", until=at(19, 30))

    assert refused.value.message_dict["until"] == [
        "The exception would end before it starts. Choose a later time."
    ]
    request.refresh_from_db()
    assert (request.status, request.version, request.granted_until) == (
        RequestStatus.PENDING,
        1,
        None,
    )


def test_an_exception_longer_than_a_day_is_refused(youth: Youth, case_manager: User) -> None:
    request = ask(youth, case_manager, RequestKind.UNTIL)

    with pytest.raises(ValidationError) as refused:
        grant(request, case_manager, "until", until=datetime(2026, 12, 3, 18, 0, tzinfo=ZONE))

    assert "until" in refused.value.message_dict


# Granting: stale forms, restrictions, who


def test_a_request_granted_twice_from_stale_forms_is_granted_once(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    request = ask(youth, case_manager, RequestKind.EXTRA_MINUTES)
    stale = AccessRequest.objects.get(pk=request.pk)  # the supervisor's page, loaded earlier

    grant(request, case_manager, "15m")
    with pytest.raises(RequestConflict) as refused:
        grant(stale, supervisor, "1h")

    request.refresh_from_db()
    assert (request.decided_by, request.granted_extra_minutes) == (case_manager, 15)
    assert "It is now: granted." in str(refused.value)
    assert AccessRequest.objects.exceptions_at(NOW).count() == 1


def test_a_stale_version_is_refused_even_when_the_request_still_waits(
    youth: Youth, case_manager: User
) -> None:
    request = ask(youth, case_manager)

    with pytest.raises(RequestConflict):
        access_request_grant(
            actor=case_manager, request=request, expected_version=0, preset="1h", now=NOW
        )

    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_restriction_wins_over_an_exception_for_its_categories(
    youth: Youth, case_manager: User
) -> None:
    make_restriction(youth, case_manager, categories=[SOCIAL], starts_at=at(9), ends_at=at(20, 30))
    request = ask(youth, case_manager, RequestKind.WINDOW)  # 20:00–21:00 overlaps it

    with pytest.raises(ValidationError) as refused:
        grant(request, case_manager, "until")

    assert "a restriction wins" in refused.value.message_dict["categories"][0]
    assert "Lift it first" in refused.value.message_dict["categories"][0]
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_restriction_of_all_categories_wins_and_one_of_another_category_does_not(
    youth: Youth, case_manager: User
) -> None:
    make_restriction(youth, case_manager, categories=["online-gaming"], ends_at=at(23))
    allowed = ask(youth, case_manager)
    granted = grant(allowed, case_manager, "1h")
    make_restriction(youth, case_manager, all_categories=True, starts_at=at(21), ends_at=at(23))
    refused_request = ask(youth, case_manager)

    with pytest.raises(ValidationError):
        grant(refused_request, case_manager, "until")  # until 22:00 runs into it

    assert granted.status == RequestStatus.GRANTED


def test_a_lifted_restriction_no_longer_blocks_an_exception(
    youth: Youth, case_manager: User
) -> None:
    make_restriction(youth, case_manager, categories=[SOCIAL], ends_at=at(23), lifted_at=at(17, 30))
    request = ask(youth, case_manager)

    assert grant(request, case_manager, "1h").status == RequestStatus.GRANTED


def test_only_the_youths_editors_grant_or_decline(
    youth: Youth, case_manager: User, other_case_manager: User, administrator: User
) -> None:
    request = ask(youth, case_manager)

    for outsider in (other_case_manager, administrator):
        with pytest.raises(PermissionDenied):
            grant(request, outsider, "1h")
        with pytest.raises(PermissionDenied):
            access_request_decline(
                actor=outsider, request=request, expected_version=1, note="No.", now=NOW
            )

    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


# Declining and withdrawing


def test_a_decline_needs_the_reason_the_youth_is_told(youth: Youth, case_manager: User) -> None:
    request = ask(youth, case_manager)

    with pytest.raises(ValidationError) as refused:
        access_request_decline(
            actor=case_manager, request=request, expected_version=1, note="  ", now=NOW
        )
    declined = access_request_decline(
        actor=case_manager,
        request=request,
        expected_version=1,
        note="Fictional: not tonight, we can plan a call for tomorrow at 17:00.",
        now=NOW,
    )

    assert refused.value.message_dict["note"] == ["Write the reason the youth will be told."]
    assert declined.status == RequestStatus.DECLINED
    assert declined.decision_note.startswith("Fictional: not tonight")
    assert not AccessRequest.objects.waiting(NOW).exists()
    assert not AccessRequest.objects.exceptions_at(NOW).exists()


def test_a_withdrawn_request_is_kept_and_no_longer_waits(
    youth: Youth, case_manager: User, supervisor: User
) -> None:
    request = ask(youth, supervisor)

    withdrawn = access_request_withdraw(
        actor=supervisor, request=request, expected_version=1, now=NOW
    )
    with pytest.raises(RequestConflict):
        grant(AccessRequest.objects.get(pk=request.pk), case_manager, "1h")

    assert withdrawn.status == RequestStatus.WITHDRAWN
    assert AccessRequest.objects.filter(pk=request.pk).exists()
    assert not AccessRequest.objects.waiting(NOW).exists()
    # History: recorded (and its categories set) while pending, then withdrawn, by whom.
    rows = list(withdrawn.history.order_by("history_date", "history_id"))
    assert {row.status for row in rows[:-1]} == {RequestStatus.PENDING}
    assert (rows[-1].status, rows[-1].history_user) == (RequestStatus.WITHDRAWN, supervisor)


def test_a_request_for_a_time_already_over_no_longer_waits(
    youth: Youth, case_manager: User
) -> None:
    tonight = ask(youth, case_manager, RequestKind.UNTIL)  # until 22:00
    minutes = ask(youth, case_manager, RequestKind.EXTRA_MINUTES)

    assert set(AccessRequest.objects.waiting(at(21, 59))) == {tonight, minutes}
    assert list(AccessRequest.objects.waiting(at(22))) == [minutes]
    assert not AccessRequest.objects.waiting(datetime(2026, 12, 2, 9, 0, tzinfo=ZONE)).exists()


def test_requests_of_a_discharged_youth_no_longer_wait(youth: Youth, case_manager: User) -> None:
    ask(youth, case_manager)
    Youth.objects.filter(pk=youth.pk).update(discharged_on=youth.admitted_on)

    assert not AccessRequest.objects.waiting(NOW).exists()


# The exception in "access right now"


def test_a_granted_exception_shows_in_access_right_now_and_ends_by_itself(
    youth: Youth, case_manager: User
) -> None:
    rule = AccessRule.objects.get(plan=youth.plan, category__key=SOCIAL)
    TimeWindow.objects.create(
        rule=rule, weekdays=0b1111111, start_time=time(16, 0), end_time=time(19, 0)
    )
    request = ask(youth, case_manager, RequestKind.WINDOW, starts_at=at(20), ends_at=at(21))
    grant(request, case_manager, "1h")

    before = youth_access(youth, at(19, 30)).category(SOCIAL)
    during = youth_access(youth, at(20, 30)).category(SOCIAL)
    after = youth_access(youth, at(21)).category(SOCIAL)

    assert before is not None and during is not None and after is not None
    assert before.state == State.OUTSIDE_WINDOW
    assert before.next_opening == at(20)
    assert during.state == State.EXCEPTION
    assert during.label == "Open by exception, until 21:00"
    assert list(AccessRequest.objects.exceptions_at(at(20, 30))) == [request]
    assert after.state == State.OUTSIDE_WINDOW
    assert not AccessRequest.objects.exceptions_at(at(21)).exists()


def test_granted_extra_minutes_lift_a_used_up_limit_for_today_only(
    youth: Youth, case_manager: User
) -> None:
    AccessRule.objects.filter(plan=youth.plan, category__key=SOCIAL).update(daily_limit_minutes=1)
    request = ask(youth, case_manager, RequestKind.EXTRA_MINUTES)
    grant(request, case_manager, "today")

    today = youth_access(youth, at(23, 59)).category(SOCIAL)
    tomorrow = youth_access(youth, datetime(2026, 12, 2, 9, 0, tzinfo=ZONE)).category(SOCIAL)

    assert today is not None and tomorrow is not None
    assert (today.extra_minutes, today.minutes_left) == (30, 31)
    assert (tomorrow.extra_minutes, tomorrow.minutes_left) == (0, 1)
