"""access_at against a brute-force reference written literally from the
contract in plans/rightnow.py: walk minute by minute in UTC, turn each minute
into local wall-clock time with zoneinfo, and ask "usable?". Random rules,
restrictions and moments, many of them around DST changes."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.rightnow import (
    NEXT_OPENING_HORIZON,
    UNTIL_HORIZON,
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


def ref_usable(
    rule: RuleSpec, restrictions: list[RestrictionSpec], instant: datetime, tz: ZoneInfo
) -> bool:
    if ref_denied(restrictions, instant):
        return False
    if not rule.windows:
        return True
    local = instant.astimezone(tz)
    return any(ref_in_window(window, local) for window in rule.windows)


def reference(
    rule: RuleSpec, restrictions: list[RestrictionSpec], moment: datetime, tz: ZoneInfo
) -> tuple[State, bool, datetime | None, datetime | None]:
    """(state, supervised, until, next_opening), minute by minute."""
    # Walk in UTC: adding a minute to a local aware datetime is wall-clock
    # arithmetic and would step into the DST gap.
    moment = moment.astimezone(UTC)
    restrictions = [
        replace(r, starts_at=r.starts_at.astimezone(UTC), ends_at=r.ends_at.astimezone(UTC))
        for r in restrictions
    ]

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
        return ref_usable(rule, restrictions, instant, tz)

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
        return State.RESTRICTED, supervised, until, next_opening()

    if rule.windows:
        local = moment.astimezone(tz)
        if any(ref_in_window(window, local) for window in rule.windows):
            until = first_minute(moment + MINUTE, moment + UNTIL_HORIZON, lambda t: not usable(t))
            return State.IN_WINDOW, supervised, until, None
        return State.OUTSIDE_WINDOW, supervised, None, next_opening()

    def a_restriction_starts(instant: datetime) -> bool:
        return any(
            (r.category_keys is None or KEY in r.category_keys) and r.starts_at == instant
            for r in restrictions
        )

    until = first_minute(moment + MINUTE, moment + UNTIL_HORIZON, a_restriction_starts)
    return (State.SUPERVISED if supervised else State.OPEN), supervised, until, None


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


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_access_at_agrees_with_the_minute_by_minute_reference(
    scenario: tuple[RuleSpec, list[RestrictionSpec], datetime, ZoneInfo],
) -> None:
    rule, restrictions, moment, tz = scenario

    [access] = access_at([rule], restrictions, moment, tz)

    state, supervised, until, next_opening = reference(rule, restrictions, moment, tz)
    assert (access.state, access.supervised) == (state, supervised)
    assert access.until == until
    assert access.next_opening == next_opening
