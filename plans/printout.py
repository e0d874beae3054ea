"""The youth's own printable plan: the plan's parts in plain words (plans.plainwords)
for the page `plans:plan-print`. No query of its own: the view fetches the youth
with `printable_plan_queryset`."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q

from plans.models import AccessRule, HelpContact, Restriction, Youth, YouthQuerySet
from plans.plainwords import Pause, date_words, pauses, rule_sentence
from plans.reachable import AlwaysReachable, always_reachable
from plans.rightnow import restriction_spec_from, rule_spec_from


@dataclass(frozen=True)
class PrintablePlan:
    name: str
    rules: list[str]  # one sentence per category, in the categories' order
    pauses: list[Pause]  # restrictions in force or coming, soonest first
    help: AlwaysReachable
    youth_words: str
    strengths: str
    next_review: str  # "Friday 11 December 2026", or "" when not set
    printed_on: str
    case_manager: str


def printable_plan_queryset(now: datetime) -> YouthQuerySet:
    """The youth with plan, rules (categories, windows), the restrictions that
    count and have not ended at `now` (with their categories) and the current
    help contacts: five queries, however many of each."""
    not_ended = Q(lifted_at__isnull=True) | Q(lifted_at__gt=now)
    return Youth.objects.select_related("plan").prefetch_related(
        Prefetch(
            "plan__rules",
            queryset=AccessRule.objects.filter(category__is_active=True)
            .select_related("category")
            .prefetch_related("windows"),
            to_attr="rule_list",
        ),
        Prefetch(
            "plan__restrictions",
            queryset=Restriction.objects.in_effect()
            .filter(not_ended, ends_at__gt=now)
            .prefetch_related("categories"),
            to_attr="restriction_list",
        ),
        Prefetch(
            "plan__help_contacts",
            queryset=HelpContact.objects.current(),
            to_attr="help_contact_list",
        ),
    )


def printable_plan(youth: Youth, now: datetime) -> PrintablePlan:
    """`youth` comes from printable_plan_queryset(now)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    plan = youth.plan
    restrictions = [
        (
            restriction_spec_from(restriction),
            [category.name for category in restriction.categories.all()],
        )
        for restriction in plan.restriction_list
    ]
    return PrintablePlan(
        name=youth.preferred_name,
        rules=[rule_sentence(rule_spec_from(rule)) for rule in plan.rule_list],
        pauses=pauses(restrictions, now, zone),
        help=always_reachable(youth),
        youth_words=plan.youth_words.strip(),
        strengths=plan.strengths.strip(),
        next_review=_day(plan.next_review_on),
        printed_on=_day(now.astimezone(zone).date()),
        case_manager=str(youth.case_manager),
    )


def _day(day: date | None) -> str:
    return date_words(day, year=True) if day is not None else ""
