"""The youth's own plan in plain, friendly words: "You can use social media from
4 pm to 8 pm on school days, up to 1 hour a day."

Pure: no database, no Django, only the standard library and the specs of
plans.rightnow. Written for a 15-year-old reading their printed plan, so it says
what they CAN do, when, and how a pause ends; never "banned" or "not allowed".
Times are 12-hour clock times in the agency's zone, dates are spelled out (a
printed sheet is read on later days, so no "today" or "tomorrow").
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from plans.rightnow import RestrictionSpec, RuleSpec, WindowSpec

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
SCHOOL_DAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))

# What the youth may DO with the categories the agency seeds. Categories are
# data an administrator extends: any other one reads "use <its name>".
ACTIVITIES = {
    "social-media": "use social media",
    "messaging": "use messaging apps",
    "web-browsing": "browse the web",
    "online-gaming": "play online games",
    "video-streaming": "watch videos and streams",
    "phone-possession": "keep your own phone with you",
    "shelter-computers": "use the shelter's computers and tablets",
}
SUPERVISED = "with a staff member there"
COMES_BACK = "Then your usual plan comes back."


def clock_words(value: time) -> str:
    """16:00 → "4 pm", 16:30 → "4:30 pm", 00:00 → "midnight", 12:00 → "noon"."""
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "noon"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute:
        return f"{hour}:{value.minute:02d} {suffix}"
    return f"{hour} {suffix}"


def duration_words(minutes: int) -> str:
    """60 → "1 hour", 90 → "1 hour 30 minutes", 45 → "45 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'' if hours == 1 else 's'}")
    if rest or not hours:
        parts.append(f"{rest} minute{'' if rest == 1 else 's'}")
    return " ".join(parts)


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _runs(days: frozenset[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def days_words(days: frozenset[int], *, nights: bool = False) -> str:
    """The days a window opens: "on school days", "on weekends", "every day",
    "on Mondays and Fridays", "Monday to Thursday"; with `nights` (a window
    that runs past midnight) "every night", "on Friday and Saturday nights"."""
    if days == EVERY_DAY:
        return "every night" if nights else "every day"
    if nights:
        parts = [
            f"{DAY_NAMES[run[0]]} to {DAY_NAMES[run[-1]]}" if len(run) >= 3 else DAY_NAMES[day]
            for run in _runs(days)
            for day in (run if len(run) < 3 else run[:1])
        ]
        return f"on {_and(parts)} nights"
    if days == SCHOOL_DAYS:
        return "on school days"
    if days == WEEKEND:
        return "on weekends"
    runs = _runs(days)
    if all(len(run) < 3 for run in runs):
        return "on " + _and([f"{DAY_NAMES[day]}s" for run in runs for day in run])
    parts = [
        f"{DAY_NAMES[run[0]]} to {DAY_NAMES[run[-1]]}" if len(run) >= 3 else f"on {DAY_NAMES[day]}s"
        for run in runs
        for day in (run if len(run) < 3 else run[:1])
    ]
    return _and(parts)


def window_words(window: WindowSpec) -> str:
    """ "from 4 pm to 8 pm on school days", "from 8 pm to 1 am on Friday and Saturday nights"."""
    # Ending at midnight is the end of the day, not a night-time window.
    nights = window.runs_past_midnight and window.end != time(0, 0)
    days = days_words(window.weekdays, nights=nights)
    return f"from {clock_words(window.start)} to {clock_words(window.end)} {days}"


def activity(category_key: str, category_name: str) -> str:
    """What the youth may do: "play online games"; "use <name>" for other categories."""
    known = ACTIVITIES.get(category_key)
    return known if known else f"use {_lower_first(category_name)}"


def rule_sentence(rule: RuleSpec) -> str:
    """One category's rule as one sentence, saying what the youth CAN do."""
    # Earliest in the week first: school days before weekends.
    windows = sorted(
        rule.windows, key=lambda window: (min(window.weekdays, default=7), window.start)
    )
    when = " and ".join(window_words(window) for window in windows) or "any time"
    parts = [f"You can {activity(rule.category_key, rule.category_name)} {when}"]
    if rule.daily_limit_minutes:
        parts.append(f"up to {duration_words(rule.daily_limit_minutes)} a day")
    if rule.supervised:
        parts.append(SUPERVISED)
    return ", ".join(parts) + "."


def date_words(day: date, *, year: bool = False) -> str:
    """ "Friday 4 December", or "Friday 4 December 2026" with `year`."""
    words = f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"
    return f"{words} {day.year}" if year else words


def moment_words(instant: datetime, tz: ZoneInfo) -> str:
    """ "Friday 4 December at 5 pm" in the agency's zone. Midnight is said as the
    end of the day before, which is how people read it."""
    local = instant.astimezone(tz)
    if local.time() == time(0, 0):
        return f"the end of {date_words(local.date() - timedelta(days=1))}"
    return f"{date_words(local.date())} at {clock_words(local.time())}"


@dataclass(frozen=True)
class Pause:
    """A restriction (no access, or supervised use only) as the youth reads it:
    in force now, or coming."""

    sentence: str
    in_force: bool
    ends_at: datetime


def restriction_sentence(
    restriction: RestrictionSpec, category_names: Sequence[str], now: datetime, tz: ZoneInfo
) -> str:
    """ "For now, until Friday 4 December at 5 pm, online gaming is paused because
    an adult from the game asked to meet. Then your usual plan comes back."

    `category_names` are the names of the categories it covers (ignored when it
    covers all of them)."""
    if restriction.category_keys is None:
        what, plural = "all your phone, internet and computer use", False
        to_use = "your phone, the internet and computers"
    else:
        names = [_lower_first(name) for name in category_names]
        what = to_use = _and(names) or "some of your technology"
        plural = len(names) > 1
    end = moment_words(restriction.ends_at, tz)
    if restriction.starts_at <= now:
        when = f"For now, until {end}"
        paused = "are paused" if plural else "is paused"
    else:
        when = f"From {moment_words(restriction.starts_at, tz)} until {end}"
        paused = "will be paused"
    because = _because(restriction.reason)
    if restriction.supervised_only:
        body = f"{when}, you can use {to_use} only {SUPERVISED}{',' if because else ''}{because}."
    else:
        body = f"{when}, {what} {paused}{because}."
    return f"{body} {COMES_BACK}"


def pauses(
    restrictions: Sequence[tuple[RestrictionSpec, Sequence[str]]], now: datetime, tz: ZoneInfo
) -> list[Pause]:
    """Restrictions in force or coming at `now`, soonest first, as sentences.
    Ended ones are left out: the youth's usual plan is back."""
    current = [(spec, names) for spec, names in restrictions if spec.ends_at > now]
    current.sort(key=lambda item: (item[0].starts_at, item[0].ends_at))
    return [
        Pause(
            sentence=restriction_sentence(spec, names, now, tz),
            in_force=spec.starts_at <= now,
            ends_at=spec.ends_at,
        )
        for spec, names in current
    ]


def _because(reason: str) -> str:
    """ " because an adult asked to meet" from the staff's "An adult asked to meet."."""
    text = " ".join(reason.split()).rstrip(" .")
    if not text:
        return ""
    return f" because {_lower_first(text)}"


def _lower_first(text: str) -> str:
    """ "Social media" → "social media"; names and acronyms ("TikTok", "I", "VR") stay."""
    first_word = text.split(" ", 1)[0]
    if len(first_word) > 1 and first_word[1:].islower() and first_word != "I":
        return text[0].lower() + text[1:]
    return text
