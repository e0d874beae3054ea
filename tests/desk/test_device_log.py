"""The device log (desk/services.py): check-out checked against the plan right
now (windows, minutes used today, restrictions), the override with a reason,
supervision, devices already out, and the stale double check-in."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from desk.board import youth_access
from desk.models import Device, DeviceKind, DeviceSession
from desk.services import (
    CheckOutAgainstPlan,
    SessionAlreadyCheckedIn,
    device_check_in,
    device_check_out,
)
from plans.models import AccessRule, Category, TimeWindow, Youth
from plans.rightnow import State
from shelter.models import AuditEvent, User
from tests.builders import admit_youth, make_restriction

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("America/New_York")
EVERY_DAY = 0b1111111
# Tuesday 1 Dec 2026, 18:00 in the agency's zone.
NOW = datetime(2026, 12, 1, 18, 0, tzinfo=ZONE)
COMPUTERS = "shelter-computers"
PHONE = "phone-possession"


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=ZONE)


def set_rule(
    youth: Youth,
    key: str,
    *,
    supervised: bool = False,
    limit: int | None = None,
    windows: tuple[tuple[str, str], ...] = (),
) -> AccessRule:
    rule = AccessRule.objects.get(plan=youth.plan, category__key=key)
    rule.supervised = supervised
    rule.daily_limit_minutes = limit
    rule.save()
    for start, end in windows:
        TimeWindow.objects.create(
            rule=rule,
            weekdays=EVERY_DAY,
            start_time=time.fromisoformat(start),
            end_time=time.fromisoformat(end),
        )
    return rule


@pytest.fixture
def youth(case_manager: User) -> Youth:
    return admit_youth(case_manager, client_id="TEST-0101")


@pytest.fixture
def laptop() -> Device:
    return Device.objects.create(name="Laptop 1 (TEST)", kind=DeviceKind.COMPUTER)


def test_a_device_lent_within_the_plan_opens_a_session_with_no_override(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    session = device_check_out(actor=case_manager, youth=youth, device=laptop, now=NOW)

    assert session.is_open
    assert session.category.key == COMPUTERS
    assert (session.checked_out_at, session.checked_out_by) == (NOW, case_manager)
    assert (session.override_state, session.override_reason) == ("", "")
    event = AuditEvent.objects.get(object_type="desk.devicesession", object_id=session.pk)
    assert event.detail == {"op": "device_check_out", "override_state": None}
    assert session.history.get().history_user == case_manager


def test_a_youths_own_phone_goes_out_under_phone_possession(
    youth: Youth, case_manager: User
) -> None:
    session = device_check_out(actor=case_manager, youth=youth, now=NOW)

    assert session.device is None
    assert session.category.key == PHONE
    assert session.what == "Own phone"


def test_a_check_out_outside_a_window_is_refused_without_a_reason(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    set_rule(youth, COMPUTERS, windows=(("16:00", "17:00"),))

    with pytest.raises(CheckOutAgainstPlan) as refused:
        device_check_out(actor=case_manager, youth=youth, device=laptop, now=NOW)

    assert refused.value.state == State.OUTSIDE_WINDOW
    [message] = refused.value.message_dict["override_reason"]
    assert "Shelter computers is not allowed right now: Closed — opens Wed 16:00" in message
    assert not DeviceSession.objects.exists()


def test_a_check_out_against_the_plan_with_a_reason_is_logged_as_an_override(
    youth: Youth, case_manager: User, other_case_manager: User, supervisor: User, laptop: Device
) -> None:
    set_rule(youth, COMPUTERS, windows=(("16:00", "17:00"),))

    session = device_check_out(
        actor=case_manager,
        youth=youth,
        device=laptop,
        override_reason="  Fictional: school assignment due tonight.  ",
        now=NOW,
    )

    assert session.override_state == State.OUTSIDE_WINDOW
    assert session.override_reason == "Fictional: school assignment due tonight."
    since = NOW - timedelta(days=1)
    assert list(DeviceSession.objects.overrides_for(case_manager, since)) == [session]
    assert list(DeviceSession.objects.overrides_for(supervisor, since)) == [session]
    assert not DeviceSession.objects.overrides_for(other_case_manager, since).exists()
    assert not DeviceSession.objects.overrides_for(case_manager, NOW + timedelta(minutes=1))


def test_a_check_out_that_follows_the_plan_keeps_no_override_reason(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    session = device_check_out(
        actor=case_manager, youth=youth, device=laptop, override_reason="Not needed", now=NOW
    )

    assert (session.override_state, session.override_reason) == ("", "")
    assert not DeviceSession.objects.overrides_for(case_manager, NOW - timedelta(days=1))


def test_a_check_out_during_a_restriction_is_refused_without_a_reason_and_says_so(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    make_restriction(youth, case_manager, categories=[COMPUTERS], starts_at=at(9), ends_at=at(21))

    with pytest.raises(CheckOutAgainstPlan) as refused:
        device_check_out(actor=case_manager, youth=youth, device=laptop, now=NOW)
    overridden = device_check_out(
        actor=case_manager,
        youth=youth,
        device=laptop,
        override_reason="Fictional: call with their lawyer, approved by the supervisor.",
        now=NOW,
    )

    assert refused.value.state == State.RESTRICTED
    assert "Restricted until 21:00" in refused.value.message_dict["override_reason"][0]
    assert overridden.override_state == State.RESTRICTED


def test_a_check_out_over_todays_limit_is_refused_and_names_the_limit(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    set_rule(youth, COMPUTERS, limit=60)
    earlier = device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(15))
    device_check_in(actor=case_manager, session=earlier, now=at(16))

    with pytest.raises(CheckOutAgainstPlan) as refused:
        device_check_out(actor=case_manager, youth=youth, device=laptop, now=NOW)

    assert refused.value.state == State.LIMIT_REACHED
    assert "Limit reached — opens midnight" in refused.value.message_dict["override_reason"][0]


def test_minutes_used_count_a_session_still_out_up_to_now(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    set_rule(youth, COMPUTERS, limit=60)
    device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(17, 10))

    access = youth_access(youth, NOW).category(COMPUTERS)

    assert access is not None
    assert (access.minutes_used, access.minutes_left) == (50, 10)
    assert access.limit_near


def test_minutes_used_start_again_at_local_midnight_inside_an_overnight_window(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    set_rule(youth, COMPUTERS, limit=60, windows=(("20:00", "01:00"),))
    evening = device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(22, 30))
    device_check_in(actor=case_manager, session=evening, now=at(23, 30))

    # Tuesday 23:40: the hour is used; the window is still open but the limit is not.
    with pytest.raises(CheckOutAgainstPlan) as refused:
        device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(23, 40))
    # Wednesday 00:05: a new day, the overnight window still open until 01:00.
    after_midnight = device_check_out(
        actor=case_manager, youth=youth, device=laptop, now=at(0, 5, day=2)
    )

    assert refused.value.state == State.LIMIT_REACHED
    assert after_midnight.override_state == ""
    access = youth_access(youth, at(0, 35, day=2)).category(COMPUTERS)
    assert access is not None
    assert access.minutes_used == 30
    assert access.state == State.IN_WINDOW
    assert access.until == at(1, 0, day=2)


def test_a_session_across_midnight_counts_only_its_minutes_after_midnight(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    set_rule(youth, COMPUTERS, limit=60)
    night = device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(23, 30))
    device_check_in(actor=case_manager, session=night, now=at(0, 30, day=2))

    tuesday = youth_access(youth, at(23, 59)).category(COMPUTERS)
    wednesday = youth_access(youth, at(0, 40, day=2)).category(COMPUTERS)

    assert tuesday is not None and wednesday is not None
    assert tuesday.minutes_used == 29
    assert wednesday.minutes_used == 30
    assert wednesday.usage_label == "30 of 60 minutes used today"


def test_supervised_use_needs_the_staff_member_supervising(
    youth: Youth, case_manager: User, supervisor: User, laptop: Device
) -> None:
    set_rule(youth, COMPUTERS, supervised=True)

    with pytest.raises(ValidationError) as refused:
        device_check_out(actor=case_manager, youth=youth, device=laptop, now=NOW)
    session = device_check_out(
        actor=case_manager, youth=youth, device=laptop, supervised_by=supervisor, now=NOW
    )

    assert "supervised_by" in refused.value.message_dict
    assert session.supervised_by == supervisor


def test_a_device_already_out_is_refused_with_a_clear_message(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    other = admit_youth(case_manager, client_id="TEST-0102")
    device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(17, 30))

    with pytest.raises(ValidationError) as refused:
        device_check_out(actor=case_manager, youth=other, device=laptop, now=NOW)

    assert refused.value.message_dict["device"] == [
        "Laptop 1 (TEST) is already out (since 17:30). Check it in first."
    ]
    assert DeviceSession.objects.count() == 1


def test_a_second_device_of_the_same_category_for_the_same_youth_is_refused(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    tablet = Device.objects.create(name="Tablet 1 (TEST)", kind=DeviceKind.TABLET)
    device_check_out(actor=case_manager, youth=youth, device=laptop, now=NOW)

    with pytest.raises(ValidationError) as refused:
        device_check_out(actor=case_manager, youth=youth, device=tablet, now=NOW)

    assert "category" in refused.value.message_dict
    assert DeviceSession.objects.count() == 1


def test_a_retired_device_is_not_lent(youth: Youth, case_manager: User, laptop: Device) -> None:
    laptop.is_active = False
    laptop.save()

    with pytest.raises(ValidationError) as refused:
        device_check_out(actor=case_manager, youth=youth, device=laptop, now=NOW)

    assert refused.value.message_dict["device"] == ["Laptop 1 (TEST) is not in use any more."]


def test_the_database_refuses_two_open_sessions_of_one_device(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    other = admit_youth(case_manager, client_id="TEST-0102")
    category = Category.objects.get(key=COMPUTERS)
    DeviceSession.objects.create(
        youth=youth, category=category, device=laptop, checked_out_by=case_manager
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        DeviceSession.objects.create(
            youth=other, category=category, device=laptop, checked_out_by=case_manager
        )


def test_a_device_back_at_the_desk_can_go_out_again(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    first = device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(16))
    device_check_in(actor=case_manager, session=first, now=at(17))

    second = device_check_out(actor=case_manager, youth=youth, device=laptop, now=NOW)

    assert second.pk != first.pk
    assert DeviceSession.objects.open().get() == second


def test_a_stale_double_check_in_is_refused_and_the_first_time_stands(
    youth: Youth, case_manager: User, supervisor: User, laptop: Device
) -> None:
    session = device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(17))
    stale = DeviceSession.objects.get(pk=session.pk)  # the page a colleague still has open

    device_check_in(actor=case_manager, session=session, now=at(17, 30))
    with pytest.raises(SessionAlreadyCheckedIn) as refused:
        device_check_in(actor=supervisor, session=stale, now=NOW)

    session.refresh_from_db()
    assert (session.checked_in_at, session.checked_in_by) == (at(17, 30), case_manager)
    assert session.version == 2
    assert str(refused.value).startswith("Nothing was changed: Laptop 1 (TEST) was already")
    assert session.history.count() == 2


def test_only_the_youths_editors_check_devices_out_and_in(
    youth: Youth,
    case_manager: User,
    other_case_manager: User,
    administrator: User,
    laptop: Device,
) -> None:
    session = device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(17))

    for outsider in (other_case_manager, administrator):
        with pytest.raises(PermissionDenied):
            device_check_out(actor=outsider, youth=youth, now=NOW)
        with pytest.raises(PermissionDenied):
            device_check_in(actor=outsider, session=session, now=NOW)

    assert DeviceSession.objects.count() == 1
    assert DeviceSession.objects.open().get() == session


def test_a_device_still_out_at_discharge_can_be_checked_in(
    youth: Youth, case_manager: User, laptop: Device
) -> None:
    session = device_check_out(actor=case_manager, youth=youth, device=laptop, now=at(17))
    Youth.objects.filter(pk=youth.pk).update(discharged_on=youth.admitted_on)
    session = DeviceSession.objects.select_related("youth").get(pk=session.pk)

    device_check_in(actor=case_manager, session=session, now=NOW)

    assert not session.is_open


def test_the_log_shows_each_user_only_the_youth_they_may_see(
    youth: Youth, case_manager: User, other_case_manager: User, supervisor: User, laptop: Device
) -> None:
    session = device_check_out(actor=case_manager, youth=youth, device=laptop, now=NOW)

    assert list(DeviceSession.objects.visible_to(case_manager)) == [session]
    assert list(DeviceSession.objects.visible_to(supervisor)) == [session]
    assert not DeviceSession.objects.visible_to(other_case_manager).exists()
