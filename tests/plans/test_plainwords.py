"""The youth's own plan in plain words: pure, no database."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from plans.plainwords import (
    clock_words,
    days_words,
    duration_words,
    moment_words,
    pauses,
    restriction_sentence,
    rule_sentence,
)
from plans.rightnow import RestrictionSpec, RuleSpec, WindowSpec
from policies.checks import DEFAULT_PHRASES, ZERO_TOLERANCE, run_checks

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZONE)  # a Tuesday
SCHOOL_DAYS = frozenset(range(5))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (time(16), "4 pm"),
        (time(16, 30), "4:30 pm"),
        (time(9, 5), "9:05 am"),
        (time(0), "midnight"),
        (time(12), "noon"),
        (time(12, 15), "12:15 pm"),
        (time(0, 30), "12:30 am"),
    ],
)
def test_clock_times_read_as_people_say_them(value: time, words: str) -> None:
    assert clock_words(value) == words


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (60, "1 hour"),
        (120, "2 hours"),
        (90, "1 hour 30 minutes"),
        (45, "45 minutes"),
        (1, "1 minute"),
    ],
)
def test_durations_are_in_hours_and_minutes(minutes: int, words: str) -> None:
    assert duration_words(minutes) == words


@pytest.mark.parametrize(
    ("days", "nights", "words"),
    [
        (SCHOOL_DAYS, False, "on school days"),
        (frozenset({5, 6}), False, "on weekends"),
        (frozenset(range(7)), False, "every day"),
        (frozenset(range(7)), True, "every night"),
        (frozenset({0, 2}), False, "on Mondays and Wednesdays"),
        (frozenset({0, 1, 2, 3, 5}), False, "Monday to Thursday and on Saturdays"),
        (frozenset({4, 5}), True, "on Friday and Saturday nights"),
    ],
)
def test_days_read_as_a_youth_would_say_them(
    days: frozenset[int], nights: bool, words: str
) -> None:
    assert days_words(days, nights=nights) == words


def test_a_window_with_a_daily_limit_reads_as_one_friendly_sentence() -> None:
    rule = RuleSpec(
        "social-media",
        "Social media",
        windows=(WindowSpec(SCHOOL_DAYS, time(16), time(20)),),
        daily_limit_minutes=60,
    )
    assert rule_sentence(rule) == (
        "You can use social media from 4 pm to 8 pm on school days, up to 1 hour a day."
    )


def test_an_overnight_supervised_window_says_nights_and_who_is_there() -> None:
    rule = RuleSpec(
        "online-gaming",
        "Online gaming",
        supervised=True,
        windows=(WindowSpec(frozenset({4, 5}), time(20), time(1)),),
        daily_limit_minutes=90,
    )
    assert rule_sentence(rule) == (
        "You can play online games from 8 pm to 1 am on Friday and Saturday nights, "
        "up to 1 hour 30 minutes a day, with a staff member there."
    )


def test_a_window_ending_at_midnight_is_not_a_night_window() -> None:
    rule = RuleSpec("messaging", "Messaging", windows=(WindowSpec(SCHOOL_DAYS, time(18), time(0)),))
    assert rule_sentence(rule) == "You can use messaging apps from 6 pm to midnight on school days."


def test_free_use_says_any_time_and_unknown_categories_use_their_name() -> None:
    assert (
        rule_sentence(RuleSpec("messaging", "Messaging")) == "You can use messaging apps any time."
    )
    assert (
        rule_sentence(RuleSpec("vr-headsets", "VR headsets")) == "You can use VR headsets any time."
    )
    assert rule_sentence(RuleSpec("e-readers", "E-readers")) == "You can use e-readers any time."


def test_a_pause_in_force_says_until_when_why_and_that_the_usual_plan_comes_back() -> None:
    spec = RestrictionSpec(
        category_keys=frozenset({"online-gaming"}),
        starts_at=NOW - timedelta(hours=2),
        ends_at=datetime(2026, 12, 4, 17, 0, tzinfo=ZONE),
        reason="An adult from the game asked to meet this weekend.",
    )
    assert restriction_sentence(spec, ["Online gaming"], NOW, ZONE) == (
        "For now, until Friday 4 December at 5 pm, online gaming is paused because an adult "
        "from the game asked to meet this weekend. Then your usual plan comes back."
    )


def test_a_coming_supervised_only_restriction_of_everything_says_when_it_starts() -> None:
    spec = RestrictionSpec(
        category_keys=None,
        starts_at=datetime(2026, 12, 2, 9, 0, tzinfo=ZONE),
        ends_at=datetime(2026, 12, 3, 0, 0, tzinfo=ZONE),
        reason="",
        supervised_only=True,
    )
    assert restriction_sentence(spec, [], NOW, ZONE) == (
        "From Wednesday 2 December at 9 am until the end of Wednesday 2 December, you can use "
        "your phone, the internet and computers only with a staff member there. "
        "Then your usual plan comes back."
    )


def test_several_categories_are_paused_together() -> None:
    spec = RestrictionSpec(
        category_keys=frozenset({"social-media", "messaging"}),
        starts_at=NOW,
        ends_at=NOW + timedelta(days=1),
        reason="Fictional: photos were asked for.",
    )
    sentence = restriction_sentence(spec, ["Social media", "Messaging"], NOW, ZONE)
    assert sentence.startswith(
        "For now, until Wednesday 2 December at 10 am, social media and messaging are paused "
        "because fictional: photos were asked for."
    )


def test_ended_restrictions_are_left_out_and_the_rest_come_soonest_first() -> None:
    def spec(start_hours: int, end_hours: int) -> RestrictionSpec:
        return RestrictionSpec(
            category_keys=frozenset({"messaging"}),
            starts_at=NOW + timedelta(hours=start_hours),
            ends_at=NOW + timedelta(hours=end_hours),
            reason=f"Reason {start_hours}",
        )

    found = pauses(
        [(spec(5, 8), ["Messaging"]), (spec(-5, -1), ["Messaging"]), (spec(-1, 3), ["Messaging"])],
        NOW,
        ZONE,
    )
    assert [pause.in_force for pause in found] == [True, False]
    assert "reason -1" in found[0].sentence and "reason 5" in found[1].sentence


def test_times_are_said_in_the_agency_zone() -> None:
    utc_instant = datetime(2026, 12, 4, 22, 0, tzinfo=ZoneInfo("UTC"))
    assert moment_words(utc_instant, ZONE) == "Friday 4 December at 5 pm"


def test_the_words_never_read_as_zero_tolerance() -> None:
    text = "\n".join(
        [
            rule_sentence(
                RuleSpec(
                    "social-media",
                    "Social media",
                    supervised=True,
                    windows=(WindowSpec(SCHOOL_DAYS, time(16), time(20)),),
                    daily_limit_minutes=30,
                )
            ),
            restriction_sentence(
                RestrictionSpec(None, NOW, NOW + timedelta(days=3), "They are at risk."),
                [],
                NOW,
                ZONE,
            ),
        ]
    )
    findings = run_checks(text, DEFAULT_PHRASES, has_youth_input=True, has_next_review=True)
    assert [finding for finding in findings if finding.code == ZERO_TOLERANCE] == []
    for harsh in ("banned", "not allowed", "forbidden", "prohibited", "never"):
        assert harsh not in text.lower()
