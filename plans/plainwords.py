"""The youth's own plan in plain, friendly words: "You can use social media from
4 pm to 8 pm on school days, up to 1 hour a day."

No database: only the specs of plans.rightnow and Django's translation and date
formatting, so the sheet reads in the language active when it is built (the
youth's preferred language: see plans.views.plan_print). Written for a
15-year-old reading their printed plan, so it says what they CAN do, when, and
how a pause ends; never "banned" or "not allowed". Times are 12-hour clock times
in the agency's zone, dates are spelled out (a printed sheet is read on later
days, so no "today" or "tomorrow"). Every sentence is one translatable message
with named placeholders, so a translation can put the parts in its own order.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

from django.utils import dateformat
from django.utils.dates import WEEKDAYS
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, npgettext, pgettext, pgettext_lazy

from plans.rightnow import RestrictionSpec, RuleSpec, WindowSpec

SCHOOL_DAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))

# "on Mondays": the plural day names, Monday first.
DAYS_PLURAL = (
    pgettext_lazy("printed plan", "Mondays"),
    pgettext_lazy("printed plan", "Tuesdays"),
    pgettext_lazy("printed plan", "Wednesdays"),
    pgettext_lazy("printed plan", "Thursdays"),
    pgettext_lazy("printed plan", "Fridays"),
    pgettext_lazy("printed plan", "Saturdays"),
    pgettext_lazy("printed plan", "Sundays"),
)

# What the youth may DO with the categories the agency seeds. Categories are
# data an administrator extends: any other one reads "use <its name>".
ACTIVITIES: dict[str, Promise] = {
    "social-media": pgettext_lazy("printed plan", "use social media"),
    "messaging": pgettext_lazy("printed plan", "use messaging apps"),
    "web-browsing": pgettext_lazy("printed plan", "browse the web"),
    "online-gaming": pgettext_lazy("printed plan", "play online games"),
    "video-streaming": pgettext_lazy("printed plan", "watch videos and streams"),
    "phone-possession": pgettext_lazy("printed plan", "keep your own phone with you"),
    "shelter-computers": pgettext_lazy("printed plan", "use the shelter's computers and tablets"),
}
# The names of the seeded categories (plans/migrations/0002_categories.py), so a
# printed plan can name them in the youth's language; a name an administrator
# gave later is printed as written.
SEEDED_CATEGORY_NAMES = (
    gettext_noop("Social media"),
    gettext_noop("Messaging"),
    gettext_noop("Web browsing"),
    gettext_noop("Online gaming"),
    gettext_noop("Video and streaming"),
    gettext_noop("Phone possession"),
    gettext_noop("Shelter computers"),
)
# The helplines seeded by plans/migrations/0004_helplines.py, so the printed plan
# gives them in the youth's language (the template translates each value).
SEEDED_HELPLINE_WORDS = (
    gettext_noop("National Human Trafficking Hotline"),
    gettext_noop("Call 1-888-373-7888 or text 233733"),
    gettext_noop("Free, confidential, 24 hours a day."),
    gettext_noop("988 Suicide & Crisis Lifeline"),
    gettext_noop("Call or text 988"),
    gettext_noop("Someone to talk to in a crisis, 24 hours a day."),
    gettext_noop("National Runaway Safeline"),
    gettext_noop("Call 1-800-786-2929"),
    gettext_noop("Help for youth who have run away or are thinking about it."),
)
SUPERVISED = pgettext_lazy("printed plan", "with a staff member there")
COMES_BACK = pgettext_lazy("printed plan", "Then your usual plan comes back.")


def category_words(name: str) -> str:
    """A category's name in the active language when it is a seeded one."""
    return _(name) if name in SEEDED_CATEGORY_NAMES else name


def clock_words(value: time) -> str:
    """16:00 → "4 pm", 16:30 → "4:30 pm", 00:00 → "midnight", 12:00 → "noon"."""
    if value.hour == 0 and value.minute == 0:
        return pgettext("printed plan", "midnight")
    if value.hour == 12 and value.minute == 0:
        return pgettext("printed plan", "noon")
    hour = value.hour % 12 or 12
    if value.minute:
        if value.hour < 12:
            return pgettext("printed plan", "%(hour)s:%(minute)s am") % {
                "hour": hour,
                "minute": f"{value.minute:02d}",
            }
        return pgettext("printed plan", "%(hour)s:%(minute)s pm") % {
            "hour": hour,
            "minute": f"{value.minute:02d}",
        }
    if value.hour < 12:
        return pgettext("printed plan", "%(hour)s am") % {"hour": hour}
    return pgettext("printed plan", "%(hour)s pm") % {"hour": hour}


def duration_words(minutes: int) -> str:
    """60 → "1 hour", 90 → "1 hour 30 minutes", 45 → "45 minutes"."""
    hours, rest = divmod(minutes, 60)
    hour_words = npgettext("printed plan", "%(count)s hour", "%(count)s hours", hours) % {
        "count": hours
    }
    minute_words = npgettext("printed plan", "%(count)s minute", "%(count)s minutes", rest) % {
        "count": rest
    }
    if hours and rest:
        return pgettext("printed plan", "%(hours)s %(minutes)s") % {
            "hours": hour_words,
            "minutes": minute_words,
        }
    return hour_words if hours else minute_words


def _and(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return pgettext("printed plan", "%(items)s and %(last)s") % {
        "items": ", ".join(items[:-1]),
        "last": items[-1],
    }


def _runs(days: frozenset[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _day_range(first: int, last: int, *, nights: bool = False) -> str:
    days = {"first": WEEKDAYS[first], "last": WEEKDAYS[last]}
    if nights:  # inside "on … nights": a language may word the range differently there
        return pgettext("range of nights", "%(first)s to %(last)s") % days
    return pgettext("printed plan", "%(first)s to %(last)s") % days


def days_words(days: frozenset[int], *, nights: bool = False) -> str:
    """The days a window opens: "on school days", "on weekends", "every day",
    "on Mondays and Fridays", "Monday to Thursday"; with `nights` (a window
    that runs past midnight) "every night", "on Friday and Saturday nights"."""
    if days == EVERY_DAY:
        return (
            pgettext("printed plan", "every night")
            if nights
            else pgettext("printed plan", "every day")
        )
    if nights:
        parts = [
            _day_range(run[0], run[-1], nights=True) if len(run) >= 3 else str(WEEKDAYS[day])
            for run in _runs(days)
            for day in (run if len(run) < 3 else run[:1])
        ]
        return pgettext("printed plan", "on %(days)s nights") % {"days": _and(parts)}
    if days == SCHOOL_DAYS:
        return pgettext("printed plan", "on school days")
    if days == WEEKEND:
        return pgettext("printed plan", "on weekends")
    runs = _runs(days)
    if all(len(run) < 3 for run in runs):
        return pgettext("printed plan", "on %(days)s") % {
            "days": _and([str(DAYS_PLURAL[day]) for run in runs for day in run])
        }
    parts = [
        _day_range(run[0], run[-1])
        if len(run) >= 3
        else pgettext("printed plan", "on %(days)s") % {"days": DAYS_PLURAL[day]}
        for run in runs
        for day in (run if len(run) < 3 else run[:1])
    ]
    return _and(parts)


def window_words(window: WindowSpec) -> str:
    """ "from 4 pm to 8 pm on school days", "from 8 pm to 1 am on Friday and Saturday nights"."""
    # Ending at midnight is the end of the day, not a night-time window.
    nights = window.runs_past_midnight and window.end != time(0, 0)
    return pgettext("printed plan", "from %(start)s to %(end)s %(days)s") % {
        "start": clock_words(window.start),
        "end": clock_words(window.end),
        "days": days_words(window.weekdays, nights=nights),
    }


def activity(category_key: str, category_name: str) -> str:
    """What the youth may do: "play online games"; "use <name>" for other categories."""
    known = ACTIVITIES.get(category_key)
    if known:
        return str(known)
    return pgettext("printed plan", "use %(name)s") % {
        "name": _lower_first(category_words(category_name))
    }


def rule_sentence(rule: RuleSpec) -> str:
    """One category's rule as one sentence, saying what the youth CAN do."""
    # Earliest in the week first: school days before weekends.
    windows = sorted(
        rule.windows, key=lambda window: (min(window.weekdays, default=7), window.start)
    )
    when = (
        reduce(
            lambda first, second: (
                pgettext("printed plan", "%(first)s and %(second)s")
                % {"first": first, "second": second}
            ),
            [window_words(window) for window in windows],
        )
        if windows
        else pgettext("printed plan", "any time")
    )
    parts = [
        pgettext("printed plan", "You can %(activity)s %(when)s")
        % {"activity": activity(rule.category_key, rule.category_name), "when": when}
    ]
    if rule.daily_limit_minutes:
        parts.append(
            pgettext("printed plan", "up to %(duration)s a day")
            % {"duration": duration_words(rule.daily_limit_minutes)}
        )
    if rule.supervised:
        parts.append(str(SUPERVISED))
    return pgettext("printed plan", "%(sentence)s.") % {"sentence": ", ".join(parts)}


def date_words(day: date, *, year: bool = False) -> str:
    """ "Friday 4 December", or "Friday 4 December 2026" with `year`: Django's
    date formatting, so day and month names are those of the active language."""
    if year:
        # Translators: a date format (Django's `date` filter letters), escape words.
        return dateformat.format(day, pgettext("printed plan date with year", "l j F Y"))
    # Translators: a date format (Django's `date` filter letters), escape words.
    return dateformat.format(day, pgettext("printed plan date", "l j F"))


def moment_words(instant: datetime, tz: ZoneInfo) -> str:
    """ "Friday 4 December at 5 pm" in the agency's zone. Midnight is said as the
    end of the day before, which is how people read it."""
    local = instant.astimezone(tz)
    if local.time() == time(0, 0):
        return pgettext("printed plan", "the end of %(day)s") % {
            "day": date_words(local.date() - timedelta(days=1))
        }
    day = date_words(local.date())
    if local.time() == time(12, 0):
        return pgettext("printed plan", "%(day)s at noon") % {"day": day}
    # The count is the clock hour, for languages that say "at 1" and "at 2" differently.
    hour = local.hour % 12 or 12
    return npgettext("printed plan", "%(day)s at %(time)s", "%(day)s at %(time)s", hour) % {
        "day": day,
        "time": clock_words(local.time()),
    }


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
        what, count = pgettext("printed plan", "all your phone, internet and computer use"), 1
        to_use = pgettext("printed plan", "your phone, the internet and computers")
    else:
        names = [_lower_first(category_words(name)) for name in category_names]
        what = to_use = _and(names) or pgettext("printed plan", "some of your technology")
        count = max(len(names), 1)
    end = moment_words(restriction.ends_at, tz)
    in_force = restriction.starts_at <= now
    if in_force:
        when = pgettext("printed plan", "For now, until %(end)s") % {"end": end}
    else:
        start = moment_words(restriction.starts_at, tz)
        when = pgettext("printed plan", "From %(start)s until %(end)s") % {
            "start": start,
            "end": end,
        }
    reason = _reason(restriction.reason)
    words = {"when": when, "what": what, "reason": reason}
    if restriction.supervised_only:
        words["what"] = to_use
        if reason:
            body = pgettext(
                "printed plan",
                "%(when)s, you can use %(what)s only with a staff member there, "
                "because %(reason)s.",
            )
        else:
            body = pgettext(
                "printed plan", "%(when)s, you can use %(what)s only with a staff member there."
            )
    elif in_force:
        if reason:
            body = npgettext(
                "printed plan",
                "%(when)s, %(what)s is paused because %(reason)s.",
                "%(when)s, %(what)s are paused because %(reason)s.",
                count,
            )
        else:
            body = npgettext(
                "printed plan",
                "%(when)s, %(what)s is paused.",
                "%(when)s, %(what)s are paused.",
                count,
            )
    elif reason:
        body = npgettext(
            "printed plan",
            "%(when)s, %(what)s will be paused because %(reason)s.",
            "%(when)s, %(what)s will be paused because %(reason)s.",
            count,
        )
    else:
        body = npgettext(
            "printed plan",
            "%(when)s, %(what)s will be paused.",
            "%(when)s, %(what)s will be paused.",
            count,
        )
    return pgettext("printed plan", "%(body)s %(comes_back)s") % {
        "body": body % words,
        "comes_back": COMES_BACK,
    }


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


def _reason(reason: str) -> str:
    """ "an adult asked to meet" from the staff's "An adult asked to meet."."""
    text = " ".join(reason.split()).rstrip(" .")
    return _lower_first(text) if text else ""


def _lower_first(text: str) -> str:
    """ "Social media" → "social media"; names and acronyms ("TikTok", "I", "VR") stay."""
    first_word = text.split(" ", 1)[0]
    if len(first_word) > 1 and first_word[1:].islower() and first_word != "I":
        return text[0].lower() + text[1:]
    return text
