"""access_at against a brute-force reference written literally from the
contract in plans/rightnow.py: walk minute by minute in UTC, turn each minute
into local wall-clock time with zoneinfo, and ask "usable?". Random rules,
restrictions, granted exceptions, minutes used today and moments, many of them
around DST changes."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.rightnow import (
    CLOSES_SOON,
    LIMIT_NEAR_MINUTES,
    NEXT_OPENING_HORIZON,
    UNTIL_HORIZON,
    ExceptionSpec,
    RestrictionSpec,
    RuleSpec,
    State,
    WindowSpec,
    access_at,
)

MINUTE = timedelta(minutes=1)
KEY = "messaging"

# Instants (UTC) near which moments are drawn: DST changes and an ordinary week.
ANCHORS = {
    "America/New_York": [
        datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # spring forward, 02:00 → 03:00
        datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # fall back, 02:00 → 01:00
        datetime(2026, 6, 10, 16, 0, tzinfo=UTC),  # an ordinary Wednesday
    ],
    # Half-hour DST shift: catches code that assumes changes are whole hours.
    "Australia/Lord_Howe": [
        datetime(2026, 4, 4, 15, 0, tzinfo=UTC),  # 02:00 → 01:30 local
        datetime(2026, 10, 3, 15, 30, tzinfo=UTC),  # 02:00 → 02:30 local
    ],
    "UTC": [datetime(2026, 7, 1, 0, 0, tzinfo=UTC)],
}


# --- the reference: the contract's definitions, read literally -------------


def ref_in_window(window: WindowSpec, local: datetime) -> bool:
    day, clock = local.date(), local.time()
    if window.end > window.start:
        return day.weekday() in window.weekdays and window.start <= clock < window.end
    return (day.weekday() in window.weekdays and clock >= window.start) or (
        (day - timedelta(days=1)).weekday() in window.weekdays and clock < window.end
    )


def ref_covers(restriction: RestrictionSpec, instant: datetime) -> bool:
    keys = restriction.category_keys
    return (keys is None or KEY in keys) and restriction.starts_at <= instant < restriction.ends_at


def ref_denied(restrictions: list[RestrictionSpec], instant: datetime) -> bool:
    return any(not r.supervised_only and ref_covers(r, instant) for r in restrictions)


def ref_in_force(exception: ExceptionSpec, instant: datetime) -> bool:
    keys = exception.category_keys
    return (keys is None or KEY in keys) and exception.starts_at <= instant < exception.ends_at


def ref_opened(exceptions: list[ExceptionSpec], instant: datetime) -> bool:
    return any(e.extra_minutes == 0 and ref_in_force(e, instant) for e in exceptions)


def ref_in_windows(rule: RuleSpec, instant: datetime, tz: ZoneInfo) -> bool:
    if not rule.windows:
        return True
    local = instant.astimezone(tz)
    return any(ref_in_window(window, local) for window in rule.windows)


def ref_usable(
    rule: RuleSpec,
    restrictions: list[RestrictionSpec],
    instant: datetime,
    tz: ZoneInfo,
    exceptions: list[ExceptionSpec] | None = None,
    closed_day: object = None,
) -> bool:
    """A restriction always wins; an opening exception opens; otherwise the
    windows say, except on `closed_day` (the local date whose limit is used up)."""
    if ref_denied(restrictions, instant):
        return False
    if ref_opened(exceptions or [], instant):
        return True
    if closed_day is not None and instant.astimezone(tz).date() == closed_day:
        return False
    return ref_in_windows(rule, instant, tz)


def reference(
    rule: RuleSpec,
    restrictions: list[RestrictionSpec],
    moment: datetime,
    tz: ZoneInfo,
    exceptions: list[ExceptionSpec] | None = None,
    used: int = 0,
) -> tuple[State, bool, datetime | None, datetime | None, int | None]:
    """(state, supervised, until, next_opening, minutes_left), minute by minute."""
    # Walk in UTC: adding a minute to a local aware datetime is wall-clock
    # arithmetic and would step into the DST gap.
    moment = moment.astimezone(UTC)
    restrictions = [
        replace(r, starts_at=r.starts_at.astimezone(UTC), ends_at=r.ends_at.astimezone(UTC))
        for r in restrictions
    ]
    exceptions = [
        replace(e, starts_at=e.starts_at.astimezone(UTC), ends_at=e.ends_at.astimezone(UTC))
        for e in exceptions or []
    ]
    extra = sum(e.extra_minutes for e in exceptions if e.extra_minutes and ref_in_force(e, moment))
    minutes_left = None
    if rule.daily_limit_minutes is not None:
        minutes_left = max(0, rule.daily_limit_minutes + extra - used)
    # Once today's minutes are used up, the rest of today is closed (tomorrow starts at 0).
    closed_day = moment.astimezone(tz).date() if minutes_left == 0 else None

    def first_minute(
        start: datetime, last: datetime, test: Callable[[datetime], bool]
    ) -> datetime | None:
        instant = start
        while instant <= last:
            if test(instant):
                return instant
            instant += MINUTE
        return None

    def usable(instant: datetime) -> bool:
        return ref_usable(rule, restrictions, instant, tz, exceptions, closed_day)

    deny_ends = [
        r.ends_at
        for r in restrictions
        if not r.supervised_only
        and (r.category_keys is None or KEY in r.category_keys)
        and r.ends_at > r.starts_at
    ]
    opening_limit = max([moment, *deny_ends]) + NEXT_OPENING_HORIZON

    def next_opening() -> datetime | None:
        return first_minute(moment, opening_limit, usable)

    supervised = rule.supervised or any(
        r.supervised_only and ref_covers(r, moment) for r in restrictions
    )
    if ref_denied(restrictions, moment):
        until = first_minute(
            moment, moment + timedelta(days=60), lambda t: not ref_denied(restrictions, t)
        )
        return State.RESTRICTED, supervised, until, next_opening(), minutes_left

    def usable_until() -> datetime | None:
        return first_minute(moment + MINUTE, moment + UNTIL_HORIZON, lambda t: not usable(t))

    in_windows = ref_in_windows(rule, moment, tz)
    if ref_opened(exceptions, moment) and (closed_day is not None or not in_windows):
        return State.EXCEPTION, supervised, usable_until(), None, minutes_left
    if closed_day is not None:
        return State.LIMIT_REACHED, supervised, None, next_opening(), minutes_left

    if rule.windows:
        if in_windows:
            return State.IN_WINDOW, supervised, usable_until(), None, minutes_left
        return State.OUTSIDE_WINDOW, supervised, None, next_opening(), minutes_left

    def a_restriction_starts(instant: datetime) -> bool:
        return any(
            (r.category_keys is None or KEY in r.category_keys) and r.starts_at == instant
            for r in restrictions
        )

    until = first_minute(moment + MINUTE, moment + UNTIL_HORIZON, a_restriction_starts)
    state = State.SUPERVISED if supervised else State.OPEN
    return state, supervised, until, None, minutes_left


# --- generators --------------------------------------------------------------

# Times near the DST changes are over-represented on purpose.
EDGE_TIMES = [time(0, 0), time(1, 0), time(1, 30), time(2, 0), time(2, 30), time(3, 0)]
times = st.one_of(
    st.sampled_from(EDGE_TIMES),
    st.integers(0, 95).map(lambda q: time(q // 4, q % 4 * 15)),
    st.integers(0, 1439).map(lambda m: time(m // 60, m % 60)),
)
windows = (
    st.tuples(st.frozensets(st.integers(0, 6), min_size=1), times, times)
    .filter(lambda drawn: drawn[1] != drawn[2])
    .map(lambda drawn: WindowSpec(weekdays=drawn[0], start=drawn[1], end=drawn[2]))
)

rules = st.builds(
    RuleSpec,
    category_key=st.just(KEY),
    category_name=st.just("Messaging"),
    supervised=st.booleans(),
    windows=st.lists(windows, max_size=3).map(tuple),
    daily_limit_minutes=st.one_of(st.none(), st.sampled_from([1, 30, 60, 120])),
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[RuleSpec, list[RestrictionSpec], datetime, ZoneInfo]:
    zone = draw(st.sampled_from(sorted(ANCHORS)))
    tz = ZoneInfo(zone)
    anchor = draw(st.sampled_from(ANCHORS[zone]))
    moment = anchor + timedelta(minutes=draw(st.integers(-3 * 1440, 3 * 1440)))
    restrictions: list[RestrictionSpec] = []
    previous_end = moment
    for index in range(draw(st.integers(0, 3))):
        # Exact coincidences are where boundary bugs hide: a restriction that
        # starts when the previous one ends, or that ends or starts right now.
        placement = draw(st.sampled_from(["anywhere", "anywhere", "chained", "at_moment"]))
        if placement == "chained":
            starts_at = previous_end
        else:
            starts_at = moment + timedelta(minutes=draw(st.integers(-2 * 1440, 3 * 1440)))
        length = timedelta(minutes=draw(st.integers(1, 3 * 1440)))
        if placement == "at_moment":
            if starts_at < moment:
                length = moment - starts_at
            else:
                starts_at = moment
        previous_end = starts_at + length
        # Arithmetic above is in UTC; the zone an instant is written in must
        # not matter, so sometimes write it in local time.
        in_local = draw(st.booleans())
        restrictions.append(
            RestrictionSpec(
                category_keys=draw(
                    st.sampled_from([None, frozenset({KEY}), frozenset({"gaming"})])
                ),
                starts_at=starts_at.astimezone(tz) if in_local else starts_at,
                ends_at=(starts_at + length).astimezone(tz) if in_local else starts_at + length,
                reason=f"Fictional reason {index}",
                supervised_only=draw(st.booleans()),
                restriction_id=index + 1,
            )
        )
    if draw(st.booleans()):
        moment = moment.astimezone(tz)
    return draw(rules), restrictions, moment, tz


Scenario = tuple[RuleSpec, list[RestrictionSpec], datetime, ZoneInfo]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_access_at_agrees_with_the_minute_by_minute_reference(scenario: Scenario) -> None:
    rule, restrictions, moment, tz = scenario

    [access] = access_at([rule], restrictions, moment, tz)

    state, supervised, until, next_opening, _left = reference(rule, restrictions, moment, tz)
    assert (access.state, access.supervised) == (state, supervised)
    assert access.until == until
    assert access.next_opening == next_opening


@st.composite
def desk_scenarios(
    draw: st.DrawFn,
) -> tuple[Scenario, list[ExceptionSpec], int]:
    """A scenario plus granted exceptions (opening ones and extra minutes) and
    minutes used today, with exceptions placed against restrictions and now."""
    scenario = draw(scenarios())
    _rule, restrictions, moment, _tz = scenario
    exceptions: list[ExceptionSpec] = []
    for index in range(draw(st.integers(0, 3))):
        placement = draw(st.sampled_from(["anywhere", "anywhere", "over_restriction", "at_moment"]))
        if placement == "over_restriction" and restrictions:
            # An exception over a restriction: the restriction must win.
            starts_at = draw(st.sampled_from(restrictions)).starts_at.astimezone(UTC)
        elif placement == "at_moment":
            starts_at = moment.astimezone(UTC)
        else:
            starts_at = moment.astimezone(UTC) + timedelta(
                minutes=draw(st.integers(-1440, 2 * 1440))
            )
        length = timedelta(minutes=draw(st.integers(1, 1440)))
        exceptions.append(
            ExceptionSpec(
                category_keys=draw(
                    st.sampled_from([None, frozenset({KEY}), frozenset({"gaming"})])
                ),
                starts_at=starts_at,
                ends_at=starts_at + length,
                extra_minutes=draw(st.sampled_from([0, 0, 15, 60])),
                request_id=index + 1,
            )
        )
    used = draw(st.sampled_from([0, 1, 29, 30, 55, 60, 61, 120, 200]))
    return scenario, exceptions, used


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(desk_scenarios())
def test_access_with_exceptions_and_minutes_used_agrees_with_the_reference(
    drawn: tuple[Scenario, list[ExceptionSpec], int],
) -> None:
    (rule, restrictions, moment, tz), exceptions, used = drawn

    [access] = access_at(
        [rule], restrictions, moment, tz, exceptions=exceptions, minutes_used={KEY: used}
    )

    state, supervised, until, next_opening, minutes_left = reference(
        rule, restrictions, moment, tz, exceptions, used
    )
    assert (access.state, access.supervised) == (state, supervised)
    assert access.until == until
    assert access.next_opening == next_opening
    assert (access.minutes_used, access.minutes_left) == (used, minutes_left)
    usable_now = state in {State.OPEN, State.SUPERVISED, State.IN_WINDOW, State.EXCEPTION}
    assert access.usable == usable_now
    assert access.closes_soon == (
        usable_now and until is not None and until - moment <= CLOSES_SOON
    )
    opened_now = any(
        e.extra_minutes == 0 and e.covers(KEY) and e.starts_at <= moment < e.ends_at
        for e in exceptions
    )
    assert access.limit_near == (
        usable_now
        and not opened_now
        and minutes_left is not None
        and minutes_left <= LIMIT_NEAR_MINUTES
    )
    # A restriction always wins, whatever the exceptions say.
    if any(
        not r.supervised_only and r.covers(KEY) and r.starts_at <= moment < r.ends_at
        for r in restrictions
    ):
        assert access.state == State.RESTRICTED
