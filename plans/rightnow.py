"""Access right now: what each technology category is for one youth at one moment.

Pure domain code: no ORM, no database, only the standard library. Views fetch
rules, restrictions, granted exceptions and today's device sessions, turn them
into specs with `rule_spec_from`, `restriction_spec_from`, `exception_spec_from`
and `minutes_used_today`, and call `access_at`. The same function serves the
youth page, the house board (thousands of youth at once) and reports.

How it works, and why it is not a minute-by-minute scan: windows are defined on
LOCAL WALL-CLOCK time, so on a DST night a 01:00–03:00 window is one hour long
in real time (spring forward) or three (fall back, the repeated hour counts
twice). We split the horizon into stretches of constant UTC offset; inside one
stretch local time is UTC plus a fixed offset, so each window occurrence maps to
one real interval. To those intervals we add the granted exceptions that open
the category, take away the rest of today once the daily limit is used up
(outside an exception), and subtract the deny restrictions (a restriction
always wins): what is left are the instants at which the category is usable,
and every answer (until, next opening) is an interval bound. Internally instants are naive UTC
datetimes, which keeps the arithmetic exact and cheap.

Labels for staff ("Open until 22:00") are translatable without Django here: they
go through `_`, `ngettext` and `pgettext` below, which ask the translator set with
`use_translator` (plans.apps sets Django's translation module at start-up; without
one the words stay English).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Protocol, TypeAlias, TypeVar
from zoneinfo import ZoneInfo

WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


class Translator(Protocol):
    """What the labels need of a translation catalogue: Django's
    `django.utils.translation` module is one."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, number: int) -> str: ...

    def pgettext(self, context: str, message: str) -> str: ...


class _English:
    """No catalogue: the words as written."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return singular if number == 1 else plural

    def pgettext(self, context: str, message: str) -> str:
        return message


_translator: Translator = _English()


def use_translator(translator: Translator) -> None:
    """Where labels find their words in the active language (see plans.apps)."""
    global _translator
    _translator = translator


def _(message: str) -> str:
    return _translator.gettext(message)


def ngettext(singular: str, plural: str, number: int) -> str:
    return _translator.ngettext(singular, plural, number)


def pgettext(context: str, message: str) -> str:
    return _translator.pgettext(context, message)


def _weekday_abbreviation(day: int) -> str:
    """ "Mon" … "Sun" in the active language, Monday being 0."""
    match day:
        case 0:
            return pgettext("abbreviated weekday", "Mon")
        case 1:
            return pgettext("abbreviated weekday", "Tue")
        case 2:
            return pgettext("abbreviated weekday", "Wed")
        case 3:
            return pgettext("abbreviated weekday", "Thu")
        case 4:
            return pgettext("abbreviated weekday", "Fri")
        case 5:
            return pgettext("abbreviated weekday", "Sat")
        case _:
            return pgettext("abbreviated weekday", "Sun")


def _month_abbreviation(month: int) -> str:
    """ "Jan" … "Dec" in the active language, January being 1."""
    names = (
        pgettext("abbreviated month", "Jan"),
        pgettext("abbreviated month", "Feb"),
        pgettext("abbreviated month", "Mar"),
        pgettext("abbreviated month", "Apr"),
        pgettext("abbreviated month", "May"),
        pgettext("abbreviated month", "Jun"),
        pgettext("abbreviated month", "Jul"),
        pgettext("abbreviated month", "Aug"),
        pgettext("abbreviated month", "Sep"),
        pgettext("abbreviated month", "Oct"),
        pgettext("abbreviated month", "Nov"),
        pgettext("abbreviated month", "Dec"),
    )
    return names[month - 1]


# How far ahead an OPEN/SUPERVISED/IN_WINDOW category looks for the next change:
# beyond this `until` is None ("no change coming soon").
UNTIL_HORIZON = timedelta(days=7)
# Warnings for the front desk: a usable category that stops being usable this
# soon "closes soon"; a daily limit with this many minutes left or fewer is "near".
CLOSES_SOON = timedelta(minutes=15)
LIMIT_NEAR_MINUTES = 10
# How long after the last restriction ends we look for the next opening.
NEXT_OPENING_HORIZON = timedelta(days=14)
# First search window: nearly every answer lies within two days, so we only
# compute the longer horizon when this one does not settle it.
_SHORT_SEARCH = timedelta(days=2)
_WEEK_SEARCH = timedelta(days=8)
_DAY = timedelta(days=1)

_Interval: TypeAlias = tuple[datetime, datetime]  # naive UTC, half-open [start, end)


@dataclass(frozen=True)
class WindowSpec:
    weekdays: frozenset[int]  # 0=Monday … 6=Sunday: the day the window OPENS
    start: time
    end: time  # end < start: runs past midnight into the next day; end == start invalid

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError("A window's start and end must differ.")
        if any(day not in range(7) for day in self.weekdays):
            raise ValueError("Weekdays are numbered 0 (Monday) to 6 (Sunday).")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Window times are local wall-clock times, without a zone.")

    @property
    def runs_past_midnight(self) -> bool:
        return self.end < self.start


@dataclass(frozen=True)
class RuleSpec:
    category_key: str
    category_name: str
    supervised: bool = False
    windows: tuple[WindowSpec, ...] = ()  # empty = any time of day
    daily_limit_minutes: int | None = None


@dataclass(frozen=True)
class RestrictionSpec:
    category_keys: frozenset[str] | None  # None = all categories
    starts_at: datetime  # aware
    ends_at: datetime  # aware, exclusive; already min(ends_at, lifted_at)
    reason: str
    supervised_only: bool = False  # False = no access at all
    restriction_id: int | None = None

    def __post_init__(self) -> None:
        if self.starts_at.utcoffset() is None or self.ends_at.utcoffset() is None:
            raise ValueError("Restriction bounds must be aware datetimes.")

    def covers(self, category_key: str) -> bool:
        return self.category_keys is None or category_key in self.category_keys


@dataclass(frozen=True)
class ExceptionSpec:
    """A granted exception ("youth asks, staff decides"), in force from
    starts_at until ends_at. extra_minutes == 0: it OPENS the categories for
    that time, whatever the windows and the daily limit say; extra_minutes > 0:
    it only raises the daily limit by that much while it is in force.
    Supervision still applies, and a deny restriction always wins."""

    category_keys: frozenset[str] | None  # None = all categories
    starts_at: datetime  # aware
    ends_at: datetime  # aware, exclusive
    extra_minutes: int = 0
    request_id: int | None = None

    def __post_init__(self) -> None:
        if self.starts_at.utcoffset() is None or self.ends_at.utcoffset() is None:
            raise ValueError("Exception bounds must be aware datetimes.")
        if self.extra_minutes < 0:
            raise ValueError("Extra minutes cannot be negative.")

    @property
    def opens(self) -> bool:
        return self.extra_minutes == 0

    def covers(self, category_key: str) -> bool:
        return self.category_keys is None or category_key in self.category_keys


@dataclass(frozen=True)
class UsageSpan:
    """One device session: the category it gave, out at `start`, back at `end`
    (None: still out)."""

    category_key: str
    start: datetime  # aware
    end: datetime | None  # aware


class State(StrEnum):
    OPEN = "open"  # free use now, no windows
    SUPERVISED = "supervised"  # usable now only with staff supervising, no windows
    IN_WINDOW = "in_window"  # inside a time window now (may also be supervised)
    OUTSIDE_WINDOW = "outside_window"  # windows exist, none open now
    RESTRICTED = "restricted"  # a restriction covers it now
    LIMIT_REACHED = "limit_reached"  # today's minutes are used up
    EXCEPTION = "exception"  # usable now only because a granted exception opens it


# States in which the youth may use the category now (with supervision if it says so).
USABLE_STATES = frozenset({State.OPEN, State.SUPERVISED, State.IN_WINDOW, State.EXCEPTION})


@dataclass(frozen=True)
class CategoryAccess:
    """The state of one category at one moment.

    until: RESTRICTED → end of the unbroken run of deny restrictions;
    IN_WINDOW/EXCEPTION → first instant the category stops being usable (None
    if not within 7 days); OPEN/SUPERVISED → start of the next restriction
    (deny or supervised-only) within 7 days, else None; OUTSIDE_WINDOW and
    LIMIT_REACHED → None.
    next_opening: RESTRICTED/OUTSIDE_WINDOW/LIMIT_REACHED → first usable
    instant, None if none within 14 days after the last restriction ends;
    otherwise None.
    Usable at an instant means: no deny restriction, and either an opening
    exception, or inside a window (or no windows) with today's limit not used
    up. Minutes used are those of `minutes_used` (up to the moment asked
    about): the limit closes the rest of that local day, the next day starts at 0.
    minutes_left: limit (plus extra minutes of exceptions in force) minus
    minutes used, never below 0; None without a limit.
    reason/restriction_id: of the deny restrictions in force (reasons joined,
    id of the one ending last); when only supervised-only restrictions are in
    force, of those.

    `until` and `next_opening` are aware and in UTC on purpose: Python
    compares two datetimes of the SAME zone by wall-clock time, ignoring
    `fold`, so 01:30 before and after the fall-back change would compare
    equal. UTC values sort and compare safely; templates show them in the
    agency's zone (USE_TZ), and `label` does too.
    """

    category_key: str
    category_name: str
    state: State
    supervised: bool  # use needs supervision (rule or supervised-only restriction)
    until: datetime | None
    next_opening: datetime | None
    reason: str = ""
    restriction_id: int | None = None
    daily_limit_minutes: int | None = None
    # The moment asked about, in the agency's zone, for display only: labels
    # say "22:00" for today and add the day for later instants.
    as_of: datetime | None = None
    minutes_used: int = 0
    minutes_left: int | None = None
    extra_minutes: int = 0  # added to today's limit by exceptions in force
    exception_until: datetime | None = None  # end of the opening exception in force, UTC
    closes_soon: bool = False  # usable now, stops being usable within 15 minutes
    limit_near: bool = False  # usable now, 10 minutes or less left of today's limit

    @property
    def usable(self) -> bool:
        return self.state in USABLE_STATES

    @property
    def against_plan(self) -> bool:
        """Handing out a device for it now would go against the plan."""
        return not self.usable

    @property
    def label(self) -> str:
        """Plain words for staff: "Open until 22:00", "Closed — opens Sat 20:00"."""
        match self.state:
            case State.RESTRICTED:
                if self.until is None:  # access_at always sets it; a hand-made value may not
                    return _("Restricted")
                return _("Restricted until %(when)s") % {"when": self._when(self.until)}
            case State.OUTSIDE_WINDOW:
                if self.next_opening is None:
                    return _("Closed")
                return _("Closed — opens %(when)s") % {"when": self._when(self.next_opening)}
            case State.LIMIT_REACHED:
                if self.next_opening is None:
                    return _("Limit reached")
                return _("Limit reached — opens %(when)s") % {"when": self._when(self.next_opening)}
            case State.EXCEPTION:
                if self.until is None:
                    return (
                        _("Supervised, by exception") if self.supervised else _("Open by exception")
                    )
                when = {"when": self._when(self.until)}
                if self.supervised:
                    return _("Supervised, by exception, until %(when)s") % when
                return _("Open by exception, until %(when)s") % when
            case State.IN_WINDOW:
                if self.until is None:
                    return _("Supervised only") if self.supervised else _("Open")
                when = {"when": self._when(self.until)}
                if self.supervised:
                    return _("Supervised until %(when)s") % when
                return _("Open until %(when)s") % when
            case State.SUPERVISED:
                if self.until is None:
                    return _("Supervised only")
                return _("Supervised only until %(when)s") % {"when": self._when(self.until)}
            case _:
                if self.until is None:
                    return _("Open")
                return _("Open until %(when)s") % {"when": self._when(self.until)}

    @property
    def limit_label(self) -> str:
        if self.daily_limit_minutes is None:
            return ""
        minutes = self.daily_limit_minutes
        return ngettext(
            "Up to %(count)s minute a day", "Up to %(count)s minutes a day", minutes
        ) % {"count": minutes}

    @property
    def usage_label(self) -> str:
        """ "25 of 60 minutes used today (15 extra)"; "" with no limit and no use."""
        if self.daily_limit_minutes is None:
            if not self.minutes_used:
                return ""
            return _("%(minutes)s used today") % {"minutes": _minutes(self.minutes_used)}
        limit = self.daily_limit_minutes + self.extra_minutes
        words = {"used": self.minutes_used, "limit": _minutes(limit), "extra": self.extra_minutes}
        if self.extra_minutes:
            return _("%(used)s of %(limit)s used today (%(extra)s extra)") % words
        return _("%(used)s of %(limit)s used today") % words

    @property
    def exception_label(self) -> str:
        """ "Exception granted until 21:00" while an opening exception is in force."""
        if self.exception_until is None:
            return ""
        return _("Exception granted until %(when)s") % {"when": self._when(self.exception_until)}

    @property
    def warnings(self) -> list[str]:
        """Plain warnings for the desk, in the order staff should read them."""
        found = []
        if self.closes_soon and self.until is not None:
            found.append(_("Closes soon, at %(when)s") % {"when": self._when(self.until)})
        if self.limit_near and self.minutes_left is not None:
            found.append(
                _("Limit near: %(minutes)s left today") % {"minutes": _minutes(self.minutes_left)}
            )
        return found

    def _when(self, instant: datetime) -> str:
        return format_when(instant, self.as_of)


def _minutes(count: int) -> str:
    return ngettext("%(count)s minute", "%(count)s minutes", count) % {"count": count}


def format_when(instant: datetime, as_of: datetime | None) -> str:
    """Short plain time for a label: "22:00" today, "midnight" tonight,
    "Sat 20:00" within the week, "Mon 3 Dec 09:00" further away. `instant`
    is shown in the zone of `as_of` (the agency's), else in its own; a time
    in the repeated hour of a fall-back night gets its zone ("01:30 EST")."""
    if as_of is not None:
        instant = instant.astimezone(as_of.tzinfo)
    clock = f"{instant:%H:%M}"
    if instant.replace(fold=1 - instant.fold).utcoffset() != instant.utcoffset():
        # The repeated hour of a fall-back night: "01:30" alone is ambiguous.
        clock = f"{clock} {instant.tzname()}"
    if as_of is not None:
        today = as_of.date()
        days_ahead = (instant.date() - today).days
        if days_ahead == 0:
            return clock
        if days_ahead == 1 and instant.time() == time(0, 0):
            return _("midnight")
        if 0 < days_ahead < 7:
            return _("%(weekday)s %(clock)s") % {
                "weekday": _weekday_abbreviation(instant.weekday()),
                "clock": clock,
            }
    return _("%(weekday)s %(day)s %(month)s %(clock)s") % {
        "weekday": _weekday_abbreviation(instant.weekday()),
        "day": instant.day,
        "month": _month_abbreviation(instant.month),
        "clock": clock,
    }


def access_at(
    rules: Sequence[RuleSpec],
    restrictions: Sequence[RestrictionSpec],
    moment: datetime,
    tz: ZoneInfo,
    *,
    exceptions: Sequence[ExceptionSpec] = (),
    minutes_used: Mapping[str, int] | None = None,
) -> list[CategoryAccess]:
    """One CategoryAccess per rule, in the rules' order. Pending/declined
    restrictions are never passed; lifted ones come with ends_at = lifted_at.
    `exceptions`: granted exceptions (any that overlap the days asked about);
    `minutes_used`: minutes used today up to `moment`, by category key (see
    `minutes_used_today`)."""
    if moment.utcoffset() is None:
        raise ValueError("`moment` must be an aware datetime.")
    now = _to_utc(moment)
    as_of = moment.astimezone(tz)
    # A restriction lifted before it started never applies.
    prepared = [
        _Restriction(spec, _to_utc(spec.starts_at), _to_utc(spec.ends_at))
        for spec in restrictions
        if spec.ends_at > spec.starts_at
    ]
    granted = [
        _Exception(spec, _to_utc(spec.starts_at), _to_utc(spec.ends_at))
        for spec in exceptions
        if spec.ends_at > spec.starts_at
    ]
    used = minutes_used or {}
    tomorrow = _local_midnight(as_of.date() + _DAY, tz)
    return [
        _category_access(
            rule, prepared, granted, used.get(rule.category_key, 0), now, tomorrow, as_of, tz
        )
        for rule in rules
    ]


def minutes_used_today(
    spans: Iterable[UsageSpan], moment: datetime, tz: ZoneInfo
) -> dict[str, int]:
    """Whole minutes each category was used from local midnight up to `moment`
    (a session still out counts up to `moment`). A session that began before
    midnight, in an overnight window, counts only from midnight: daily limits
    are per local day."""
    if moment.utcoffset() is None:
        raise ValueError("`moment` must be an aware datetime.")
    now = _to_utc(moment)
    midnight = _local_midnight(moment.astimezone(tz).date(), tz)
    seconds: dict[str, float] = {}
    for span in spans:
        start = max(_to_utc(span.start), midnight)
        end = now if span.end is None else min(_to_utc(span.end), now)
        if end > start:
            seconds[span.category_key] = (
                seconds.get(span.category_key, 0) + (end - start).total_seconds()
            )
    return {key: int(total // 60) for key, total in seconds.items()}


@dataclass(frozen=True, slots=True)
class _Restriction:
    spec: RestrictionSpec
    start: datetime  # naive UTC
    end: datetime  # naive UTC


@dataclass(frozen=True, slots=True)
class _Exception:
    spec: ExceptionSpec
    start: datetime  # naive UTC
    end: datetime  # naive UTC


@dataclass(frozen=True, slots=True)
class _Pattern:
    """What decides, for one category, whether an instant is usable."""

    windows: tuple[WindowSpec, ...]
    openings: list[_Interval]  # opening exceptions, merged
    closed: list[_Interval]  # the rest of today once the limit is used up
    deny_runs: list[_Interval]
    tz: ZoneInfo


def _category_access(
    rule: RuleSpec,
    restrictions: list[_Restriction],
    exceptions: list[_Exception],
    used: int,
    now: datetime,
    tomorrow: datetime,
    as_of: datetime,
    tz: ZoneInfo,
) -> CategoryAccess:
    mine = [r for r in restrictions if r.spec.covers(rule.category_key)]
    deny = [r for r in mine if not r.spec.supervised_only]
    deny_runs = _merge([(r.start, r.end) for r in deny])
    deny_now = [r for r in deny if r.start <= now < r.end]
    supervised_now = [r for r in mine if r.spec.supervised_only and r.start <= now < r.end]
    # Also while restricted: says what use would need, should staff lift it.
    supervised = rule.supervised or bool(supervised_now)

    granted = [e for e in exceptions if e.spec.covers(rule.category_key)]
    openings = _merge([(e.start, e.end) for e in granted if e.spec.opens])
    opening_now = next(((s, e) for s, e in openings if s <= now < e), None)
    extra = sum(
        e.spec.extra_minutes for e in granted if not e.spec.opens and e.start <= now < e.end
    )
    minutes_left: int | None = None
    if rule.daily_limit_minutes is not None:
        minutes_left = max(0, rule.daily_limit_minutes + extra - used)
    limit_reached = minutes_left == 0
    pattern = _Pattern(
        windows=rule.windows,
        openings=openings,
        closed=[(now, tomorrow)] if limit_reached else [],
        deny_runs=deny_runs,
        tz=tz,
    )

    def result(
        state: State,
        *,
        until: datetime | None = None,
        next_opening: datetime | None = None,
        in_force: list[_Restriction] | None = None,
    ) -> CategoryAccess:
        reason, restriction_id = _describe(in_force or [])
        usable = state in USABLE_STATES
        return CategoryAccess(
            category_key=rule.category_key,
            category_name=rule.category_name,
            state=state,
            supervised=supervised,
            until=_from_utc(until),
            next_opening=_from_utc(next_opening),
            reason=reason,
            restriction_id=restriction_id,
            daily_limit_minutes=rule.daily_limit_minutes,
            as_of=as_of,
            minutes_used=used,
            minutes_left=minutes_left,
            extra_minutes=extra,
            exception_until=_from_utc(opening_now[1]) if opening_now and not deny_now else None,
            closes_soon=usable and until is not None and until - now <= CLOSES_SOON,
            limit_near=usable
            and opening_now is None
            and minutes_left is not None
            and minutes_left <= LIMIT_NEAR_MINUTES,
        )

    # Search limit for next openings: 14 days after the last deny ends.
    last_end = max([now, *(end for _start, end in deny_runs)])
    opening_limit = last_end + NEXT_OPENING_HORIZON

    if deny_now:
        run_end = next(end for start, end in deny_runs if start <= now < end)
        return result(
            State.RESTRICTED,
            until=run_end,
            next_opening=_first_usable(pattern, run_end, opening_limit),
            in_force=deny_now,
        )

    in_window = not rule.windows or _in_windows(now, rule.windows, tz)
    if opening_now is not None and (limit_reached or not in_window):
        until = _usable_until(pattern, now, now + UNTIL_HORIZON)
        return result(State.EXCEPTION, until=until, in_force=supervised_now)
    if limit_reached:
        return result(
            State.LIMIT_REACHED,
            next_opening=_first_usable(pattern, now, opening_limit),
            in_force=supervised_now,
        )

    if rule.windows:
        if in_window:
            until = _usable_until(pattern, now, now + UNTIL_HORIZON)
            return result(State.IN_WINDOW, until=until, in_force=supervised_now)
        return result(
            State.OUTSIDE_WINDOW,
            next_opening=_first_usable(pattern, now, opening_limit),
            in_force=supervised_now,
        )

    horizon = now + UNTIL_HORIZON
    upcoming = [r.start for r in mine if now < r.start <= horizon]
    return result(
        State.SUPERVISED if supervised else State.OPEN,
        until=min(upcoming, default=None),
        in_force=supervised_now,
    )


def _describe(in_force: list[_Restriction]) -> tuple[str, int | None]:
    if not in_force:
        return "", None
    reasons = list(dict.fromkeys(r.spec.reason for r in in_force if r.spec.reason))
    # max() keeps the first of equal ends, so ties go to the earlier-listed restriction.
    last = max(in_force, key=lambda r: r.end)
    return "; ".join(reasons), last.spec.restriction_id


def _usable_until(pattern: _Pattern, start: datetime, cap: datetime) -> datetime | None:
    """First instant after `start` (which is usable) at which the category is
    not usable; None if it stays usable past `cap`."""
    # Look one day past the cap so that an end exactly at the cap is a real end,
    # not the edge of the computed range.
    for horizon in (start + _SHORT_SEARCH, cap + _DAY):
        usable = _usable_intervals(pattern, start, horizon)
        end = next((e for s, e in usable if s <= start < e), start)
        if end < horizon:
            return end if end <= cap else None
    return None


def _first_usable(pattern: _Pattern, start: datetime, limit: datetime) -> datetime | None:
    """First usable instant at or after `start`, None if none by `limit`."""
    # Windows repeat weekly, so past the short search a week usually settles it.
    steps = (start + _SHORT_SEARCH, start + _WEEK_SEARCH, limit + _DAY)
    for horizon in sorted({min(step, limit + _DAY) for step in steps}):
        usable = _usable_intervals(pattern, start, horizon)
        if usable:
            first = usable[0][0]
            return first if first <= limit else None
    return None


def _usable_intervals(pattern: _Pattern, start: datetime, end: datetime) -> list[_Interval]:
    if pattern.windows:
        regular: Sequence[_Interval] = _window_intervals(pattern.windows, pattern.tz, start, end)
    else:
        regular = ((start, end),)
    regular = _subtract(regular, pattern.closed)
    if pattern.openings:
        clipped = [(max(s, start), min(e, end)) for s, e in pattern.openings]
        regular = _merge([*regular, *((s, e) for s, e in clipped if s < e)])
    return _subtract(regular, pattern.deny_runs)


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The start of local `day`, naive UTC. (Where a zone skips midnight on a
    DST night, zoneinfo reads 00:00 with the earlier offset: the day then
    starts at the change.)"""
    return _to_utc(datetime.combine(day, time(), tzinfo=tz))


def _in_windows(instant: datetime, windows: Iterable[WindowSpec], tz: ZoneInfo) -> bool:
    local = instant.replace(tzinfo=UTC).astimezone(tz)
    day, clock = local.date(), local.time()
    weekday, previous = day.weekday(), (day.weekday() - 1) % 7
    for window in windows:
        if window.runs_past_midnight:
            if (weekday in window.weekdays and clock >= window.start) or (
                previous in window.weekdays and clock < window.end
            ):
                return True
        elif weekday in window.weekdays and window.start <= clock < window.end:
            return True
    return False


# Cached because the house board asks the same question for many youth: the
# same moment, horizon and (shared) window patterns.
@lru_cache(maxsize=2048)
def _window_intervals(
    windows: tuple[WindowSpec, ...], tz: ZoneInfo, start: datetime, end: datetime
) -> tuple[_Interval, ...]:
    """Real (UTC) intervals within [start, end) whose local wall-clock time lies
    in a window, merged. Within a stretch of constant UTC offset, local time is
    UTC + offset, so a window occurrence on local date D, [D start, D(+1) end),
    maps to one UTC interval; the DST gap and the repeated hour fall out of
    the stretch bounds."""
    found: list[_Interval] = []
    for seg_start, seg_end, offset in _offset_segments(tz, start, end):
        local_start, local_end = seg_start + offset, seg_end + offset
        # An overnight window opened the day before can still be open.
        day = local_start.date() - _DAY
        while day <= local_end.date():
            weekday = day.weekday()
            for window in windows:
                if weekday not in window.weekdays:
                    continue
                opens = datetime.combine(day, window.start)
                closes_on = day + _DAY if window.runs_past_midnight else day
                closes = datetime.combine(closes_on, window.end)
                lo, hi = max(opens, local_start), min(closes, local_end)
                if lo < hi:
                    found.append((lo - offset, hi - offset))
            day += _DAY
    return tuple(_merge(found))


def _offset_segments(
    tz: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, timedelta]]:
    """[start, end) cut into stretches of constant UTC offset (naive UTC)."""
    changes: list[tuple[datetime, timedelta]] = []
    day = start.date()
    while day <= end.date():
        changes.extend(c for c in _offset_changes(tz, day) if start < c[0] < end)
        day += _DAY
    segments = []
    seg_start, offset = start, _offset(tz, start)
    for instant, new_offset in changes:
        segments.append((seg_start, instant, offset))
        seg_start, offset = instant, new_offset
    segments.append((seg_start, end, offset))
    return segments


@lru_cache(maxsize=4096)
def _offset_changes(tz: ZoneInfo, day: date) -> tuple[tuple[datetime, timedelta], ...]:
    """Instants (naive UTC, to the second) during the UTC day `day` at which the
    zone's offset changes, with the new offset. zoneinfo has no public list of
    transitions, so we sample every six hours (no real zone changes twice in
    six hours) and bisect."""
    midnight = datetime.combine(day, time())
    samples = [midnight + timedelta(hours=h) for h in (0, 6, 12, 18, 24)]
    changes = []
    for before, after in pairwise(samples):
        old = _offset(tz, before)
        new = _offset(tz, after)
        if old == new:
            continue
        lo, hi = 0, int((after - before).total_seconds())
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _offset(tz, before + timedelta(seconds=mid)) == old:
                lo = mid
            else:
                hi = mid
        changes.append((before + timedelta(seconds=hi), new))
    return tuple(changes)


def _offset(tz: ZoneInfo, instant: datetime) -> timedelta:
    # An aware datetime always has an offset; `or` only satisfies the type.
    return instant.replace(tzinfo=UTC).astimezone(tz).utcoffset() or timedelta(0)


def _merge(intervals: Iterable[_Interval]) -> list[_Interval]:
    """Sort and merge overlapping or touching intervals."""
    merged: list[_Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _subtract(intervals: Sequence[_Interval], holes: list[_Interval]) -> list[_Interval]:
    """`intervals` minus `holes`, both sorted and merged."""
    if not holes:
        return list(intervals)
    result: list[_Interval] = []
    for start, end in intervals:
        cursor = start
        for hole_start, hole_end in holes:
            if hole_end <= cursor:
                continue
            if hole_start >= end:
                break
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = hole_end
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end))
    return result


def _to_utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(tzinfo=None)


def _from_utc(instant: datetime | None) -> datetime | None:
    return None if instant is None else instant.replace(tzinfo=UTC)


# Adapters from already-fetched model instances. Duck-typed so this module
# never imports Django: callers prefetch `windows` and `categories`.


class _CategoryLike(Protocol):
    key: str
    name: str


class _WindowLike(Protocol):
    @property
    def day_numbers(self) -> frozenset[int]: ...

    start_time: time
    end_time: time


_T_co = TypeVar("_T_co", covariant=True)


class _Manager(Protocol[_T_co]):
    def all(self) -> Iterable[_T_co]: ...


class _RuleLike(Protocol):
    category: _CategoryLike
    supervised: bool
    daily_limit_minutes: int | None

    @property
    def windows(self) -> _Manager[_WindowLike]: ...


class _RestrictionLike(Protocol):
    pk: int | None
    all_categories: bool
    starts_at: datetime
    reason: str
    kind: str

    @property
    def categories(self) -> _Manager[_CategoryLike]: ...

    @property
    def effective_end(self) -> datetime: ...


def rule_spec_from(rule: _RuleLike, windows: Iterable[_WindowLike] | None = None) -> RuleSpec:
    """From an AccessRule with `category` and prefetched `windows` (or the
    windows passed, e.g. a Prefetch to_attr list: the house board's many rules
    are cheaper without a related manager each)."""
    return RuleSpec(
        category_key=rule.category.key,
        category_name=rule.category.name,
        supervised=rule.supervised,
        windows=tuple(
            WindowSpec(weekdays=w.day_numbers, start=w.start_time, end=w.end_time)
            for w in (rule.windows.all() if windows is None else windows)
        ),
        daily_limit_minutes=rule.daily_limit_minutes,
    )


def restriction_spec_from(
    restriction: _RestrictionLike, categories: Iterable[_CategoryLike] | None = None
) -> RestrictionSpec:
    """From a Restriction with prefetched `categories` (or the categories
    passed). The caller passes only restrictions in effect (approved or
    needing no approval)."""
    if categories is None:
        categories = restriction.categories.all()
    keys = (
        None if restriction.all_categories else frozenset(category.key for category in categories)
    )
    return RestrictionSpec(
        category_keys=keys,
        starts_at=restriction.starts_at,
        ends_at=restriction.effective_end,
        reason=restriction.reason,
        supervised_only=restriction.kind == "supervised",
        restriction_id=restriction.pk,
    )


class _ExceptionLike(Protocol):
    pk: int | None
    all_categories: bool
    granted_from: datetime | None
    granted_until: datetime | None
    granted_extra_minutes: int

    @property
    def categories(self) -> _Manager[_CategoryLike]: ...


def exception_spec_from(
    granted: _ExceptionLike, categories: Iterable[_CategoryLike] | None = None
) -> ExceptionSpec:
    """From a granted AccessRequest (desk app) with prefetched `categories`
    (or the categories passed)."""
    if granted.granted_from is None or granted.granted_until is None:
        raise ValueError("Only a granted request is an exception.")
    if categories is None:
        categories = granted.categories.all()
    keys = None if granted.all_categories else frozenset(category.key for category in categories)
    return ExceptionSpec(
        category_keys=keys,
        starts_at=granted.granted_from,
        ends_at=granted.granted_until,
        extra_minutes=granted.granted_extra_minutes,
        request_id=granted.pk,
    )
