"""Access right now (plans/rightnow.py): examples with exact values, in the
agency zone America/New_York. 2026-03-08 springs forward (02:00 → 03:00 EDT),
2026-11-01 falls back (02:00 EDT → 01:00 EST). Expected instants that fall in
the repeated hour are written in UTC, because Python compares two datetimes
of the same zone by wall-clock time and ignores `fold`."""

import ast
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from pytest_django import DjangoAssertNumQueries

from plans import rightnow
from plans.models import AccessRule, Category, Restriction, RestrictionKind, TimeWindow
from plans.rightnow import (
    CategoryAccess,
    ExceptionSpec,
    RestrictionSpec,
    RuleSpec,
    State,
    UsageSpan,
    WindowSpec,
    access_at,
    exception_spec_from,
    format_when,
    minutes_used_today,
    restriction_spec_from,
    rule_spec_from,
)
from shelter.models import User
from tests.builders import make_youth

NY = ZoneInfo("America/New_York")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=NY)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def window(days: set[int], start: str, end: str) -> WindowSpec:
    return WindowSpec(
        weekdays=frozenset(days), start=time.fromisoformat(start), end=time.fromisoformat(end)
    )


def rule(
    *windows: WindowSpec, key: str = "social", supervised: bool = False, limit: int | None = None
) -> RuleSpec:
    return RuleSpec(
        category_key=key,
        category_name=key.title(),
        supervised=supervised,
        windows=windows,
        daily_limit_minutes=limit,
    )


def deny(
    starts_at: datetime,
    ends_at: datetime,
    keys: set[str] | None = None,
    reason: str = "Fictional: contact from an unknown adult",
    restriction_id: int = 1,
) -> RestrictionSpec:
    return RestrictionSpec(
        category_keys=None if keys is None else frozenset(keys),
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        restriction_id=restriction_id,
    )


def supervised_only(
    starts_at: datetime, ends_at: datetime, reason: str = "Fictional: recent grooming attempt"
) -> RestrictionSpec:
    return RestrictionSpec(
        category_keys=None,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        supervised_only=True,
        restriction_id=7,
    )


def one(
    the_rule: RuleSpec, restrictions: list[RestrictionSpec], moment: datetime
) -> CategoryAccess:
    [access] = access_at([the_rule], restrictions, moment, NY)
    return access


FRIDAY_NIGHT = window({FRI}, "20:00", "01:00")


# --- overnight windows and day boundaries --------------------------------------


def test_an_overnight_window_covers_the_early_hours_of_the_next_day() -> None:
    access = one(rule(FRIDAY_NIGHT), [], at(2026, 6, 13, 0, 30))  # Saturday

    assert access.state == State.IN_WINDOW
    assert access.until == at(2026, 6, 13, 1, 0)
    assert access.next_opening is None


def test_an_overnight_window_is_closed_at_exactly_its_end() -> None:
    access = one(rule(FRIDAY_NIGHT), [], at(2026, 6, 13, 1, 0))  # Saturday

    assert access.state == State.OUTSIDE_WINDOW
    assert access.until is None
    assert access.next_opening == at(2026, 6, 19, 20, 0)  # the next Friday


def test_an_overnight_window_does_not_cover_the_early_hours_after_another_day() -> None:
    access = one(rule(FRIDAY_NIGHT), [], at(2026, 6, 11, 0, 30))  # Thursday

    assert access.state == State.OUTSIDE_WINDOW
    assert access.next_opening == at(2026, 6, 12, 20, 0)  # Friday of the same week


def test_sunday_early_hours_are_covered_only_when_saturday_opens_the_window() -> None:
    sunday_half_past_midnight = at(2026, 6, 14, 0, 30)
    friday_and_saturday = window({FRI, SAT}, "20:00", "01:00")

    friday_only = one(rule(FRIDAY_NIGHT), [], sunday_half_past_midnight)
    with_saturday = one(rule(friday_and_saturday), [], sunday_half_past_midnight)

    assert friday_only.state == State.OUTSIDE_WINDOW
    assert with_saturday.state == State.IN_WINDOW
    assert with_saturday.until == at(2026, 6, 14, 1, 0)


def test_a_window_opens_at_exactly_its_start() -> None:
    before = one(rule(FRIDAY_NIGHT), [], at(2026, 6, 12, 19, 59))
    on_the_dot = one(rule(FRIDAY_NIGHT), [], at(2026, 6, 12, 20, 0))

    assert before.state == State.OUTSIDE_WINDOW
    assert before.next_opening == at(2026, 6, 12, 20, 0)
    assert on_the_dot.state == State.IN_WINDOW
    assert on_the_dot.until == at(2026, 6, 13, 1, 0)


def test_a_weekday_window_after_friday_evening_opens_again_on_monday() -> None:
    school_days = rule(window({MON, TUE, WED, THU, FRI}, "16:00", "20:00"))

    access = one(school_days, [], at(2026, 6, 12, 20, 0))  # Friday

    assert access.state == State.OUTSIDE_WINDOW
    assert access.next_opening == at(2026, 6, 15, 16, 0)


def test_a_window_ending_at_midnight_is_open_until_midnight() -> None:
    evenings = rule(window({WED}, "20:00", "00:00"))

    access = one(evenings, [], at(2026, 6, 10, 23, 59))

    assert access.state == State.IN_WINDOW
    assert access.until == at(2026, 6, 11, 0, 0)
    assert access.label == "Open until midnight"


def test_touching_and_overlapping_windows_merge_into_one_stretch() -> None:
    late = window({SAT}, "00:30", "02:00")
    overlapping = one(rule(FRIDAY_NIGHT, late), [], at(2026, 6, 12, 21, 0))
    morning = window({WED}, "10:00", "12:00")
    noon = window({WED}, "12:00", "14:00")
    touching = one(rule(morning, noon), [], at(2026, 6, 10, 11, 0))

    assert overlapping.until == at(2026, 6, 13, 2, 0)
    assert touching.until == at(2026, 6, 10, 14, 0)


def test_windows_covering_the_whole_week_stay_open_until_a_restriction_starts() -> None:
    every_day = {MON, TUE, WED, THU, FRI, SAT, SUN}
    always = rule(window(every_day, "00:00", "12:00"), window(every_day, "12:00", "00:00"))
    moment = at(2026, 6, 10, 12, 0)
    restriction = deny(at(2026, 6, 13, 9, 0), at(2026, 6, 14, 9, 0))

    unrestricted = one(always, [], moment)
    restricted_later = one(always, [restriction], moment)

    assert (unrestricted.state, unrestricted.until) == (State.IN_WINDOW, None)
    assert unrestricted.label == "Open"
    assert restricted_later.until == at(2026, 6, 13, 9, 0)


def test_a_window_on_no_day_never_opens() -> None:
    access = one(rule(window(set(), "10:00", "12:00")), [], at(2026, 6, 10, 11, 0))

    assert access.state == State.OUTSIDE_WINDOW
    assert access.next_opening is None
    assert access.label == "Closed"


# --- daylight saving time -----------------------------------------------------------


def test_a_window_across_the_spring_forward_gap_is_shorter_in_real_time() -> None:
    sunday_night = rule(window({SUN}, "01:00", "03:00"))

    access = one(sunday_night, [], at(2026, 3, 8, 1, 30))

    assert access.state == State.IN_WINDOW
    assert access.until == at(2026, 3, 8, 3, 0)
    assert access.until - at(2026, 3, 8, 1, 30) == timedelta(minutes=30)


def test_until_across_the_spring_forward_change_counts_real_hours() -> None:
    saturday_night = rule(window({SAT}, "22:00", "04:00"))

    access = one(saturday_night, [], at(2026, 3, 7, 23, 0))

    assert access.until == at(2026, 3, 8, 4, 0)
    assert access.until - at(2026, 3, 7, 23, 0) == timedelta(hours=4)


def test_a_window_starting_inside_the_gap_opens_when_the_clocks_jump() -> None:
    early = rule(window({SUN}, "02:30", "04:00"))

    before = one(early, [], at(2026, 3, 8, 1, 45))
    after = one(early, [], at(2026, 3, 8, 3, 15))

    assert before.state == State.OUTSIDE_WINDOW
    assert before.next_opening == at(2026, 3, 8, 3, 0)
    assert before.next_opening == utc(2026, 3, 8, 7, 0)
    assert after.state == State.IN_WINDOW
    assert after.until == at(2026, 3, 8, 4, 0)


def test_a_window_wholly_inside_the_gap_opens_the_following_week() -> None:
    lost_half_hour = rule(window({SUN}, "02:00", "02:30"))

    access = one(lost_half_hour, [], at(2026, 3, 8, 1, 0))

    assert access.state == State.OUTSIDE_WINDOW
    assert access.next_opening == at(2026, 3, 15, 2, 0)


def test_the_repeated_hour_of_the_fall_back_night_counts_twice() -> None:
    one_to_two = rule(window({SUN}, "01:00", "02:00"))

    access = one(one_to_two, [], utc(2026, 11, 1, 5, 30))  # 01:30 EDT, the first time

    assert access.state == State.IN_WINDOW
    # 01:00 EDT → 01:59 EST is one stretch of two real hours: open until 02:00 EST.
    assert access.until == utc(2026, 11, 1, 7, 0)
    assert access.until == at(2026, 11, 1, 2, 0)


def test_a_window_ending_inside_the_repeated_hour_opens_again_when_it_repeats() -> None:
    half_past = rule(window({SUN}, "00:30", "01:30"))

    first_time = one(half_past, [], utc(2026, 11, 1, 5, 0))  # 01:00 EDT
    in_between = one(half_past, [], utc(2026, 11, 1, 5, 45))  # 01:45 EDT

    assert first_time.until == utc(2026, 11, 1, 5, 30)  # 01:30 EDT
    assert in_between.state == State.OUTSIDE_WINDOW
    assert in_between.next_opening == utc(2026, 11, 1, 6, 0)  # 01:00 EST
    assert in_between.label == "Closed — opens 01:00 EST"
    assert first_time.label == "Open until 01:30 EDT"


def test_next_opening_across_the_fall_back_change_is_a_day_and_an_hour_away() -> None:
    mornings = rule(window({MON, TUE, WED, THU, FRI, SAT, SUN}, "09:00", "10:00"))
    saturday_noon = at(2026, 10, 31, 12, 0)

    access = one(mornings, [], saturday_noon)

    assert access.next_opening == at(2026, 11, 1, 9, 0)
    assert access.next_opening - saturday_noon == timedelta(hours=22)


def test_a_restriction_across_the_fall_back_change_ends_at_its_real_instant() -> None:
    starts_at = at(2026, 10, 31, 22, 0)
    ends_at = starts_at + timedelta(hours=6)  # aware + timedelta: wall clock, 04:00 EST

    access = one(rule(), [deny(starts_at, ends_at)], at(2026, 11, 1, 0, 30))

    assert access.state == State.RESTRICTED
    assert access.until == utc(2026, 11, 1, 9, 0)
    assert access.next_opening == utc(2026, 11, 1, 9, 0)


# --- restrictions ------------------------------------------------------------------


def test_a_deny_restriction_starting_inside_a_window_ends_the_window_early() -> None:
    restriction = deny(at(2026, 6, 12, 22, 0), at(2026, 6, 13, 0, 0))

    access = one(rule(FRIDAY_NIGHT), [restriction], at(2026, 6, 12, 21, 0))

    assert access.state == State.IN_WINDOW
    assert access.until == at(2026, 6, 12, 22, 0)


def test_a_restriction_over_a_window_reopens_when_it_ends_if_the_window_is_still_open() -> None:
    restriction = deny(at(2026, 6, 12, 22, 0), at(2026, 6, 13, 0, 0), restriction_id=41)

    access = one(rule(FRIDAY_NIGHT), [restriction], at(2026, 6, 12, 23, 0))

    assert access.state == State.RESTRICTED
    assert access.until == at(2026, 6, 13, 0, 0)
    assert access.next_opening == at(2026, 6, 13, 0, 0)
    assert access.reason == "Fictional: contact from an unknown adult"
    assert access.restriction_id == 41


def test_a_restriction_outlasting_the_window_reopens_at_the_next_window() -> None:
    restriction = deny(at(2026, 6, 12, 22, 0), at(2026, 6, 13, 2, 0))

    access = one(rule(FRIDAY_NIGHT), [restriction], at(2026, 6, 12, 23, 0))

    assert access.until == at(2026, 6, 13, 2, 0)
    assert access.next_opening == at(2026, 6, 19, 20, 0)


def test_a_restriction_of_some_categories_leaves_the_others_open() -> None:
    rules = [rule(key="social"), rule(key="gaming")]
    restriction = deny(at(2026, 6, 10, 9, 0), at(2026, 6, 11, 9, 0), keys={"gaming"})

    social, gaming = access_at(rules, [restriction], at(2026, 6, 10, 12, 0), NY)

    assert (social.category_key, social.state, social.reason) == ("social", State.OPEN, "")
    assert (gaming.category_key, gaming.state) == ("gaming", State.RESTRICTED)
    assert gaming.until == at(2026, 6, 11, 9, 0)


def test_an_all_categories_restriction_covers_every_category() -> None:
    rules = [rule(key="social"), rule(FRIDAY_NIGHT, key="gaming"), rule(key="phone")]
    restriction = deny(at(2026, 6, 12, 9, 0), at(2026, 6, 14, 9, 0))

    accesses = access_at(rules, [restriction], at(2026, 6, 12, 21, 0), NY)

    assert [a.state for a in accesses] == [State.RESTRICTED] * 3
    assert [a.until for a in accesses] == [at(2026, 6, 14, 9, 0)] * 3
    assert [a.next_opening for a in accesses] == [
        at(2026, 6, 14, 9, 0),
        at(2026, 6, 19, 20, 0),
        at(2026, 6, 14, 9, 0),
    ]


def test_chained_restrictions_merge_into_one_run() -> None:
    first = deny(
        at(2026, 6, 10, 9, 0), at(2026, 6, 10, 12, 0), reason="Fictional A", restriction_id=1
    )
    second = deny(
        at(2026, 6, 10, 11, 59), at(2026, 6, 10, 15, 0), reason="Fictional B", restriction_id=2
    )

    access = one(rule(), [first, second], at(2026, 6, 10, 11, 59, 30))

    assert access.until == at(2026, 6, 10, 15, 0)
    assert access.next_opening == at(2026, 6, 10, 15, 0)
    assert access.reason == "Fictional A; Fictional B"
    assert access.restriction_id == 2  # the one ending last


def test_a_restriction_starting_exactly_when_another_ends_continues_the_run() -> None:
    first = deny(at(2026, 6, 10, 9, 0), at(2026, 6, 10, 12, 0))
    second = deny(at(2026, 6, 10, 12, 0), at(2026, 6, 10, 15, 0), restriction_id=2)

    access = one(rule(), [first, second], at(2026, 6, 10, 10, 0))

    assert access.until == at(2026, 6, 10, 15, 0)
    assert access.restriction_id == 1  # only the first is in force now


def test_a_gap_between_restrictions_ends_the_run() -> None:
    first = deny(at(2026, 6, 10, 9, 0), at(2026, 6, 10, 12, 0))
    second = deny(at(2026, 6, 10, 12, 1), at(2026, 6, 10, 15, 0), restriction_id=2)

    during = one(rule(), [first, second], at(2026, 6, 10, 10, 0))
    in_the_gap = one(rule(), [first, second], at(2026, 6, 10, 12, 0))

    assert during.until == at(2026, 6, 10, 12, 0)
    assert in_the_gap.state == State.OPEN
    assert in_the_gap.until == at(2026, 6, 10, 12, 1)


def test_a_restriction_is_no_longer_in_force_at_exactly_its_end() -> None:
    restriction = deny(at(2026, 6, 10, 9, 0), at(2026, 6, 10, 12, 0))
    supervised_rule = rule(supervised=True)

    a_second_before = one(supervised_rule, [restriction], at(2026, 6, 10, 11, 59, 59))
    at_the_end = one(supervised_rule, [restriction], at(2026, 6, 10, 12, 0))

    assert a_second_before.state == State.RESTRICTED
    assert at_the_end.state == State.SUPERVISED  # the youth's normal rule again
    assert (at_the_end.reason, at_the_end.restriction_id, at_the_end.until) == ("", None, None)


def test_restriction_bounds_with_seconds_are_kept_exactly() -> None:
    restriction = deny(at(2026, 6, 10, 9, 0, 30), at(2026, 6, 10, 10, 15, 45))

    before = one(rule(), [restriction], at(2026, 6, 10, 9, 0, 29))
    during = one(rule(), [restriction], at(2026, 6, 10, 9, 0, 30))

    assert before.state == State.OPEN
    assert before.until == at(2026, 6, 10, 9, 0, 30)
    assert during.until == at(2026, 6, 10, 10, 15, 45)


def test_a_restriction_lifted_before_it_started_never_applies() -> None:
    # effective_end = lifted_at, which came before starts_at.
    restriction = deny(at(2026, 6, 11, 9, 0), at(2026, 6, 10, 8, 0))

    access = one(rule(), [restriction], at(2026, 6, 10, 12, 0))

    assert (access.state, access.until) == (State.OPEN, None)


def test_an_open_category_shows_a_restriction_coming_within_seven_days() -> None:
    soon = deny(at(2026, 6, 13, 9, 0), at(2026, 6, 14, 9, 0))
    later = deny(at(2026, 6, 18, 9, 0), at(2026, 6, 19, 9, 0))
    moment = at(2026, 6, 10, 12, 0)

    assert one(rule(), [soon], moment).until == at(2026, 6, 13, 9, 0)
    assert one(rule(), [later], moment).until is None


def test_a_supervised_only_restriction_makes_a_free_category_supervised() -> None:
    restriction = supervised_only(at(2026, 6, 10, 9, 0), at(2026, 6, 12, 9, 0))

    access = one(rule(), [restriction], at(2026, 6, 10, 12, 0))

    assert access.state == State.SUPERVISED
    assert access.supervised is True
    assert access.reason == "Fictional: recent grooming attempt"
    assert access.restriction_id == 7
    assert access.label == "Supervised only"


def test_a_supervised_only_restriction_inside_a_window_keeps_the_window() -> None:
    restriction = supervised_only(at(2026, 6, 12, 9, 0), at(2026, 6, 14, 9, 0))

    inside = one(rule(FRIDAY_NIGHT), [restriction], at(2026, 6, 12, 21, 0))
    outside = one(rule(FRIDAY_NIGHT), [restriction], at(2026, 6, 13, 12, 0))

    assert (inside.state, inside.supervised) == (State.IN_WINDOW, True)
    assert inside.until == at(2026, 6, 13, 1, 0)
    assert inside.label == "Supervised until Sat 01:00"
    assert (outside.state, outside.supervised) == (State.OUTSIDE_WINDOW, True)
    assert outside.next_opening == at(2026, 6, 19, 20, 0)


def test_an_open_category_shows_when_a_supervised_only_restriction_starts() -> None:
    restriction = supervised_only(at(2026, 6, 11, 9, 0), at(2026, 6, 12, 9, 0))

    access = one(rule(), [restriction], at(2026, 6, 10, 12, 0))

    assert (access.state, access.until) == (State.OPEN, at(2026, 6, 11, 9, 0))
    assert access.label == "Open until Thu 09:00"


def test_a_deny_restriction_outranks_a_supervised_only_one() -> None:
    restrictions = [
        supervised_only(at(2026, 6, 10, 9, 0), at(2026, 6, 12, 9, 0)),
        deny(at(2026, 6, 10, 10, 0), at(2026, 6, 10, 14, 0), restriction_id=3),
    ]

    access = one(rule(), restrictions, at(2026, 6, 10, 12, 0))

    assert access.state == State.RESTRICTED
    assert access.until == at(2026, 6, 10, 14, 0)
    assert (access.reason, access.restriction_id) == ("Fictional: contact from an unknown adult", 3)
    assert access.supervised is True  # what use would need if the deny were lifted


# --- labels ------------------------------------------------------------------------------


def test_labels_say_each_state_in_plain_words() -> None:
    wednesday_noon = at(2026, 6, 10, 12, 0)
    afternoon = window({WED}, "10:00", "22:00")

    def label(the_rule: RuleSpec, restrictions: list[RestrictionSpec] | None = None) -> str:
        return one(the_rule, restrictions or [], wednesday_noon).label

    assert label(rule()) == "Open"
    assert label(rule(supervised=True)) == "Supervised only"
    tomorrow = deny(at(2026, 6, 11, 9, 0), at(2026, 6, 12, 9, 0))
    assert label(rule(supervised=True), [tomorrow]) == "Supervised only until Thu 09:00"
    assert label(rule(afternoon)) == "Open until 22:00"
    assert label(rule(afternoon, supervised=True)) == "Supervised until 22:00"
    assert label(rule(FRIDAY_NIGHT)) == "Closed — opens Fri 20:00"
    same_day = deny(at(2026, 6, 10, 9, 0), at(2026, 6, 10, 15, 0))
    assert label(rule(), [same_day]) == "Restricted until 15:00"
    next_week = deny(at(2026, 6, 10, 9, 0), at(2026, 6, 17, 9, 0))
    assert label(rule(), [next_week]) == "Restricted until Wed 17 Jun 09:00"


def test_the_example_labels_from_the_brief() -> None:
    saturday_evening = rule(window({SAT}, "20:00", "23:00"))
    restriction = deny(at(2026, 11, 25, 9, 0), at(2026, 12, 3, 9, 0))

    closed = one(saturday_evening, [], at(2026, 11, 26, 12, 0))  # Thursday
    restricted = one(rule(), [restriction], at(2026, 11, 26, 12, 0))

    assert closed.label == "Closed — opens Sat 20:00"
    assert restricted.label == "Restricted until Thu 3 Dec 09:00"


def test_labels_show_times_in_the_agency_zone() -> None:
    # until is returned in UTC; the label still reads in New York time.
    access = one(rule(window({WED}, "10:00", "22:00")), [], utc(2026, 6, 10, 16, 0))

    assert access.until is not None
    assert access.until.tzinfo == UTC
    assert access.label == "Open until 22:00"


def test_format_when_without_a_reference_moment_gives_the_full_date() -> None:
    assert format_when(at(2026, 12, 3, 9, 0), None) == "Thu 3 Dec 09:00"


def test_the_daily_limit_is_passed_through_and_said_in_words() -> None:
    limited = one(rule(limit=90), [], at(2026, 6, 10, 12, 0))
    single = one(rule(limit=1), [], at(2026, 6, 10, 12, 0))
    unlimited = one(rule(), [], at(2026, 6, 10, 12, 0))

    assert limited.daily_limit_minutes == 90
    assert limited.limit_label == "Up to 90 minutes a day"
    assert single.limit_label == "Up to 1 minute a day"
    assert unlimited.limit_label == ""


# --- the contract around the edges ----------------------------------------------------


def test_one_answer_per_rule_in_the_rules_order() -> None:
    rules = [rule(key="phone"), rule(key="social"), rule(key="gaming")]

    accesses = access_at(rules, [], at(2026, 6, 10, 12, 0), NY)

    assert [a.category_key for a in accesses] == ["phone", "social", "gaming"]
    assert [a.category_name for a in accesses] == ["Phone", "Social", "Gaming"]


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        access_at([rule()], [], datetime(2026, 6, 10, 12, 0), NY)


def test_a_window_with_the_same_start_and_end_is_refused() -> None:
    with pytest.raises(ValueError, match="differ"):
        window({MON}, "10:00", "10:00")


def test_a_restriction_with_naive_bounds_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        RestrictionSpec(
            category_keys=None,
            starts_at=datetime(2026, 6, 10, 9, 0),
            ends_at=datetime(2026, 6, 10, 10, 0),
            reason="Fictional",
        )


def test_the_module_imports_nothing_but_the_standard_library() -> None:
    tree = ast.parse(Path(rightnow.__file__).read_text())
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])

    assert imported
    assert imported <= sys.stdlib_module_names | {"__future__"}


# --- adapters from model instances --------------------------------------------------


def test_rule_spec_from_reads_an_access_rule_and_its_windows() -> None:
    windows = [
        SimpleNamespace(day_numbers=frozenset({FRI}), start_time=time(20, 0), end_time=time(1, 0))
    ]
    access_rule = SimpleNamespace(
        category=SimpleNamespace(key="gaming", name="Gaming"),
        supervised=True,
        daily_limit_minutes=60,
        windows=SimpleNamespace(all=lambda: windows),
    )

    assert rule_spec_from(access_rule) == RuleSpec(
        category_key="gaming",
        category_name="Gaming",
        supervised=True,
        windows=(FRIDAY_NIGHT,),
        daily_limit_minutes=60,
    )


@pytest.mark.parametrize(
    ("all_categories", "kind", "expected_keys", "expected_supervised"),
    [
        (True, "deny", None, False),
        (False, "supervised", frozenset({"social", "messaging"}), True),
    ],
)
def test_restriction_spec_from_reads_a_restriction(
    all_categories: bool,
    kind: str,
    expected_keys: frozenset[str] | None,
    expected_supervised: bool,
) -> None:
    categories = [SimpleNamespace(key="social"), SimpleNamespace(key="messaging")]
    restriction = SimpleNamespace(
        pk=12,
        all_categories=all_categories,
        categories=SimpleNamespace(all=lambda: categories),
        starts_at=at(2026, 6, 10, 9, 0),
        effective_end=at(2026, 6, 10, 11, 0),  # lifted early
        reason="Fictional reason",
        kind=kind,
    )

    assert restriction_spec_from(restriction) == RestrictionSpec(
        category_keys=expected_keys,
        starts_at=at(2026, 6, 10, 9, 0),
        ends_at=at(2026, 6, 10, 11, 0),
        reason="Fictional reason",
        supervised_only=expected_supervised,
        restriction_id=12,
    )


@pytest.mark.django_db
def test_the_adapters_read_real_models_fetched_with_their_relations(
    case_manager: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    youth = make_youth(case_manager)
    social = Category.objects.create(key="social-test", name="Social test", position=1)
    gaming = Category.objects.create(key="gaming-test", name="Gaming test", position=2)
    access_rule = AccessRule.objects.create(plan=youth.plan, category=gaming, supervised=True)
    TimeWindow.objects.create(
        rule=access_rule, weekdays=1 << FRI, start_time=time(20, 0), end_time=time(1, 0)
    )
    restriction = Restriction.objects.create(
        plan=youth.plan,
        kind=RestrictionKind.SUPERVISED,
        reason="Fictional reason",
        starts_at=at(2026, 6, 10, 9, 0),
        ends_at=at(2026, 6, 12, 9, 0),
        lifted_at=at(2026, 6, 11, 9, 0),
        imposed_by=case_manager,
    )
    restriction.categories.set([social, gaming])

    # 1 rules with their category, 1 windows, 1 restrictions, 1 their categories.
    with django_assert_num_queries(4):
        rules = [
            rule_spec_from(r)
            for r in AccessRule.objects.filter(plan=youth.plan)
            .select_related("category")
            .prefetch_related("windows")
        ]
        restrictions = [
            restriction_spec_from(r)
            for r in Restriction.objects.filter(plan=youth.plan).prefetch_related("categories")
        ]

    assert rules == [
        RuleSpec(
            category_key="gaming-test",
            category_name="Gaming test",
            supervised=True,
            windows=(FRIDAY_NIGHT,),
        )
    ]
    assert restrictions == [
        RestrictionSpec(
            category_keys=frozenset({"social-test", "gaming-test"}),
            starts_at=at(2026, 6, 10, 9, 0),
            ends_at=at(2026, 6, 11, 9, 0),
            reason="Fictional reason",
            supervised_only=True,
            restriction_id=restriction.pk,
        )
    ]


# --- the front desk: minutes used, exceptions, warnings ------------------------------

WEDNESDAY_NOON = at(2026, 6, 10, 12, 0)
AFTERNOON = window({WED}, "10:00", "22:00")


def desk(
    the_rule: RuleSpec,
    moment: datetime,
    *,
    used: int = 0,
    exceptions: list[ExceptionSpec] | None = None,
    restrictions: list[RestrictionSpec] | None = None,
) -> CategoryAccess:
    [access] = access_at(
        [the_rule],
        restrictions or [],
        moment,
        NY,
        exceptions=exceptions or [],
        minutes_used={the_rule.category_key: used},
    )
    return access


def opening(starts_at: datetime, ends_at: datetime, keys: set[str] | None = None) -> ExceptionSpec:
    return ExceptionSpec(
        category_keys=None if keys is None else frozenset(keys),
        starts_at=starts_at,
        ends_at=ends_at,
        request_id=3,
    )


def extra(minutes: int, starts_at: datetime, ends_at: datetime) -> ExceptionSpec:
    return ExceptionSpec(
        category_keys=None, starts_at=starts_at, ends_at=ends_at, extra_minutes=minutes
    )


def test_minutes_used_below_the_limit_leave_the_category_usable_and_count_down() -> None:
    access = desk(rule(AFTERNOON, limit=60), WEDNESDAY_NOON, used=25)

    assert access.state == State.IN_WINDOW
    assert (access.minutes_used, access.minutes_left) == (25, 35)
    assert access.usage_label == "25 of 60 minutes used today"
    assert not access.limit_near


def test_at_the_limit_the_category_closes_until_tomorrows_first_usable_instant() -> None:
    with_window = desk(
        rule(AFTERNOON, window({THU}, "16:00", "20:00"), limit=60), WEDNESDAY_NOON, used=60
    )
    without_window = desk(rule(limit=60), WEDNESDAY_NOON, used=75)

    assert with_window.state == State.LIMIT_REACHED
    assert with_window.next_opening == at(2026, 6, 11, 16, 0)
    assert with_window.label == "Limit reached — opens Thu 16:00"
    assert without_window.state == State.LIMIT_REACHED
    assert without_window.next_opening == at(2026, 6, 11, 0, 0)
    assert without_window.label == "Limit reached — opens midnight"
    assert without_window.minutes_left == 0
    assert not without_window.usable


def test_a_restriction_tomorrow_morning_pushes_the_next_opening_after_the_limit() -> None:
    tomorrow_morning = deny(at(2026, 6, 11, 0, 0), at(2026, 6, 11, 9, 0))

    access = desk(rule(limit=60), WEDNESDAY_NOON, used=60, restrictions=[tomorrow_morning])

    assert access.state == State.LIMIT_REACHED
    assert access.next_opening == at(2026, 6, 11, 9, 0)


def test_ten_minutes_left_or_fewer_warns_that_the_limit_is_near() -> None:
    eleven_left = desk(rule(limit=60), WEDNESDAY_NOON, used=49)
    ten_left = desk(rule(limit=60), WEDNESDAY_NOON, used=50)

    assert not eleven_left.limit_near
    assert ten_left.limit_near
    assert ten_left.warnings == ["Limit near: 10 minutes left today"]


def test_a_window_ending_within_fifteen_minutes_warns_that_it_closes_soon() -> None:
    sixteen_before = desk(rule(AFTERNOON), at(2026, 6, 10, 21, 44))
    fifteen_before = desk(rule(AFTERNOON), at(2026, 6, 10, 21, 45))

    assert not sixteen_before.closes_soon
    assert fifteen_before.closes_soon
    assert fifteen_before.warnings == ["Closes soon, at 22:00"]


def test_an_exception_opens_a_category_outside_its_windows_and_ends_by_itself() -> None:
    family_call = opening(at(2026, 6, 10, 23, 0), at(2026, 6, 10, 23, 30))

    before = desk(rule(AFTERNOON), at(2026, 6, 10, 22, 30), exceptions=[family_call])
    during = desk(rule(AFTERNOON), at(2026, 6, 10, 23, 10), exceptions=[family_call])
    after = desk(rule(AFTERNOON), at(2026, 6, 10, 23, 30), exceptions=[family_call])

    assert before.state == State.OUTSIDE_WINDOW
    assert before.next_opening == at(2026, 6, 10, 23, 0)
    assert during.state == State.EXCEPTION
    assert during.until == at(2026, 6, 10, 23, 30)
    assert during.exception_until == at(2026, 6, 10, 23, 30)
    assert during.label == "Open by exception, until 23:30"
    assert during.exception_label == "Exception granted until 23:30"
    assert after.state == State.OUTSIDE_WINDOW
    assert after.next_opening == at(2026, 6, 17, 10, 0)


def test_an_exception_continuing_a_window_moves_its_end() -> None:
    until_eleven = opening(at(2026, 6, 10, 21, 0), at(2026, 6, 10, 23, 0))

    access = desk(rule(AFTERNOON), at(2026, 6, 10, 21, 30), exceptions=[until_eleven])

    assert access.state == State.IN_WINDOW
    assert access.until == at(2026, 6, 10, 23, 0)


def test_supervision_still_applies_during_an_exception() -> None:
    tonight = opening(at(2026, 6, 10, 22, 0), at(2026, 6, 10, 23, 0))

    access = desk(rule(AFTERNOON, supervised=True), at(2026, 6, 10, 22, 15), exceptions=[tonight])

    assert access.state == State.EXCEPTION
    assert access.supervised
    assert access.label == "Supervised, by exception, until 23:00"


def test_an_opening_exception_lets_the_youth_past_a_used_up_limit() -> None:
    school_project = opening(WEDNESDAY_NOON, at(2026, 6, 10, 13, 0))

    access = desk(rule(limit=60), WEDNESDAY_NOON, used=60, exceptions=[school_project])

    assert access.state == State.EXCEPTION
    assert access.until == at(2026, 6, 10, 13, 0)
    assert not access.limit_near


def test_a_restriction_always_wins_over_an_exception() -> None:
    restricted = deny(at(2026, 6, 10, 9, 0), at(2026, 6, 10, 15, 0))
    all_afternoon = opening(at(2026, 6, 10, 11, 0), at(2026, 6, 10, 16, 0))
    extra_hour = extra(60, at(2026, 6, 10, 11, 0), at(2026, 6, 11, 0, 0))

    access = desk(
        rule(window({WED}, "18:00", "20:00")),
        WEDNESDAY_NOON,
        exceptions=[all_afternoon, extra_hour],
        restrictions=[restricted],
    )

    assert access.state == State.RESTRICTED
    assert access.until == at(2026, 6, 10, 15, 0)
    # When the restriction ends the exception still has an hour to run.
    assert access.next_opening == at(2026, 6, 10, 15, 0)
    assert access.exception_until is None


def test_extra_minutes_raise_todays_limit_while_they_are_in_force() -> None:
    rest_of_today = extra(15, at(2026, 6, 10, 11, 0), at(2026, 6, 11, 0, 0))

    today = desk(rule(limit=60), WEDNESDAY_NOON, used=60, exceptions=[rest_of_today])
    tomorrow = desk(rule(limit=60), at(2026, 6, 11, 12, 0), used=60, exceptions=[rest_of_today])

    assert today.state == State.OPEN
    assert (today.minutes_left, today.extra_minutes) == (15, 15)
    assert today.usage_label == "60 of 75 minutes used today (15 extra)"
    assert tomorrow.state == State.LIMIT_REACHED
    assert tomorrow.extra_minutes == 0


def test_extra_minutes_do_not_open_a_closed_window() -> None:
    rest_of_today = extra(30, at(2026, 6, 10, 22, 0), at(2026, 6, 11, 0, 0))

    access = desk(rule(AFTERNOON, limit=60), at(2026, 6, 10, 22, 30), exceptions=[rest_of_today])

    assert access.state == State.OUTSIDE_WINDOW


def test_an_exception_for_another_category_changes_nothing() -> None:
    gaming_only = opening(at(2026, 6, 10, 22, 0), at(2026, 6, 10, 23, 0), keys={"gaming"})

    access = desk(rule(AFTERNOON), at(2026, 6, 10, 22, 30), exceptions=[gaming_only])

    assert access.state == State.OUTSIDE_WINDOW


def test_an_exception_with_naive_bounds_or_negative_minutes_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        ExceptionSpec(None, datetime(2026, 6, 10, 9), at(2026, 6, 10, 10))
    with pytest.raises(ValueError, match="negative"):
        extra(-5, at(2026, 6, 10, 9), at(2026, 6, 10, 10))


def test_minutes_used_count_only_since_local_midnight() -> None:
    spans = [
        # Out 23:30–00:30 in an overnight window: 30 minutes belong to today.
        UsageSpan("social", at(2026, 6, 9, 23, 30), at(2026, 6, 10, 0, 30)),
        UsageSpan("social", at(2026, 6, 10, 9, 0), at(2026, 6, 10, 9, 20)),
        # Yesterday only: not counted.
        UsageSpan("gaming", at(2026, 6, 9, 20, 0), at(2026, 6, 9, 21, 0)),
        # Still out: counts up to the moment.
        UsageSpan("phone", at(2026, 6, 10, 11, 15), None),
    ]

    used = minutes_used_today(spans, WEDNESDAY_NOON, NY)

    assert used == {"social": 50, "phone": 45}


def test_minutes_used_after_midnight_start_again_for_a_session_still_out() -> None:
    overnight = [UsageSpan("social", at(2026, 6, 12, 22, 0), None)]  # Friday night, still out

    before_midnight = minutes_used_today(overnight, at(2026, 6, 12, 23, 59), NY)
    after_midnight = minutes_used_today(overnight, at(2026, 6, 13, 0, 40), NY)

    assert before_midnight == {"social": 119}
    assert after_midnight == {"social": 40}


def test_minutes_used_on_the_fall_back_night_count_real_minutes() -> None:
    # 00:30 to 02:30 local on 1 Nov 2026 is three real hours (01:00–02:00 repeats).
    night = [UsageSpan("social", at(2026, 11, 1, 0, 30), utc(2026, 11, 1, 7, 30))]

    assert minutes_used_today(night, utc(2026, 11, 1, 8, 0), NY) == {"social": 180}


def test_minutes_used_sum_seconds_before_rounding_down() -> None:
    halves = [
        UsageSpan("social", at(2026, 6, 10, 9, 0, 0), at(2026, 6, 10, 9, 0, 30)),
        UsageSpan("social", at(2026, 6, 10, 10, 0, 0), at(2026, 6, 10, 10, 0, 30)),
        UsageSpan("gaming", at(2026, 6, 10, 11, 0, 0), at(2026, 6, 10, 11, 0, 59)),
    ]

    assert minutes_used_today(halves, WEDNESDAY_NOON, NY) == {"social": 1, "gaming": 0}


def test_exception_spec_from_reads_a_granted_request() -> None:
    categories = [SimpleNamespace(key="social")]
    granted = SimpleNamespace(
        pk=5,
        all_categories=False,
        categories=SimpleNamespace(all=lambda: categories),
        granted_from=at(2026, 6, 10, 20, 0),
        granted_until=at(2026, 6, 10, 21, 0),
        granted_extra_minutes=0,
    )
    pending = SimpleNamespace(**{**vars(granted), "granted_from": None, "granted_until": None})

    assert exception_spec_from(granted) == ExceptionSpec(
        category_keys=frozenset({"social"}),
        starts_at=at(2026, 6, 10, 20, 0),
        ends_at=at(2026, 6, 10, 21, 0),
        request_id=5,
    )
    with pytest.raises(ValueError, match="granted"):
        exception_spec_from(pending)
