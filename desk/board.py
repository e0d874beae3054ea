"""The house board's data: every youth's access right now, with minutes used
today, exceptions, restrictions and devices out, in a FIXED number of queries
however many youth there are.

Interface (for the board, the desk pages and the youth page):

    house_access(youth_qs: YouthQuerySet, now: datetime) -> list[YouthAccess]
        `youth_qs` is already narrowed (visible_to, current, filters); its
        order is kept. Eight queries at most, whatever its length: youth (with
        plan, unit, case manager), rules, windows, restrictions counting from
        now on, their categories, today's and still-open device sessions,
        granted exceptions not yet over, their categories. (A query whose
        parent rows are all missing is skipped by Django, so fewer is possible.)

    youth_access(youth: Youth, now: datetime) -> YouthAccess
        The same for one youth (the services' check before a check-out).

    desk_prefetches(now: datetime) -> list[Prefetch]
    access_from_prefetched(youth, rules, restrictions, now) -> list[CategoryAccess]
        The pieces, for a page (the youth page) that already fetches rules and
        restrictions its own way: add desk_prefetches(now) to its Youth
        queryset, then pass its rules and counting restrictions.

YouthAccess: youth; categories (one CategoryAccess per active category, in
category order: state, label, until, next_opening, reason, minutes_used,
minutes_left, extra_minutes, exception_until, closes_soon, limit_near,
usage_label, warnings); open_sessions (DeviceSession, device and staff
selected); exceptions (granted AccessRequest not yet over, their categories
in the list `desk_categories`); and helpers `category(key)`, `online_now` (names of the
categories usable now), `restricted_now`, `warnings`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.translation import gettext

from desk.models import AccessRequest, DeviceSession, RequestStatus
from plans.models import AccessRule, Restriction, Youth, YouthQuerySet
from plans.rightnow import (
    CategoryAccess,
    RestrictionSpec,
    RuleSpec,
    State,
    UsageSpan,
    access_at,
    exception_spec_from,
    minutes_used_today,
    restriction_spec_from,
    rule_spec_from,
)


@dataclass(frozen=True)
class YouthAccess:
    youth: Youth
    categories: list[CategoryAccess]
    open_sessions: list[DeviceSession]
    exceptions: list[AccessRequest]

    def category(self, key: str) -> CategoryAccess | None:
        return next((item for item in self.categories if item.category_key == key), None)

    @property
    def online_now(self) -> list[str]:
        """Names of the categories the youth may use now."""
        return [item.category_name for item in self.categories if item.usable]

    @property
    def restricted_now(self) -> bool:
        return any(item.state == State.RESTRICTED for item in self.categories)

    @property
    def warnings(self) -> list[str]:
        return [
            gettext("%(category)s: %(warning)s")
            % {"category": item.category_name, "warning": warning}
            for item in self.categories
            for warning in item.warnings
        ]


def agency_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def desk_prefetches(now: datetime) -> list[Prefetch]:
    """Today's (and still-open) device sessions as `youth.desk_sessions`, and
    granted exceptions not yet over as `youth.desk_exceptions`."""
    midnight = _local_midnight(now)
    return [
        Prefetch(
            "device_sessions",
            queryset=DeviceSession.objects.filter(
                Q(checked_in_at__isnull=True) | Q(checked_in_at__gt=midnight)
            ).select_related("device", "category", "checked_out_by", "supervised_by"),
            to_attr="desk_sessions",
        ),
        Prefetch(
            "access_requests",
            queryset=AccessRequest.objects.filter(
                status=RequestStatus.GRANTED, granted_until__gt=now
            )
            .prefetch_related(Prefetch("categories", to_attr="desk_categories"))
            .order_by("granted_from", "pk"),
            to_attr="desk_exceptions",
        ),
    ]


def house_access(youth_qs: YouthQuerySet, now: datetime) -> list[YouthAccess]:
    """See the module docstring: one YouthAccess per youth, fixed queries.
    Rules carry their windows in `desk_windows`, restrictions and exceptions
    their categories in `desk_categories` (lists, not managers)."""
    # Nested prefetches go into lists (to_attr): with thousands of rules, a
    # related manager per rule would cost more than the queries themselves.
    counting = (
        Restriction.objects.in_effect()
        .filter(ends_at__gt=now)
        .filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=now))
        .prefetch_related(Prefetch("categories", to_attr="desk_categories"))
    )
    youth_list = youth_qs.select_related("plan", "unit", "case_manager").prefetch_related(
        Prefetch(
            "plan__rules",
            queryset=AccessRule.objects.filter(category__is_active=True)
            .select_related("category")
            .prefetch_related(Prefetch("windows", to_attr="desk_windows")),
            to_attr="desk_rules",
        ),
        Prefetch("plan__restrictions", queryset=counting, to_attr="desk_restrictions"),
        *desk_prefetches(now),
    )
    board = []
    for youth in youth_list:
        rules = [rule_spec_from(rule, rule.desk_windows) for rule in youth.plan.desk_rules]
        restrictions = [
            restriction_spec_from(restriction, restriction.desk_categories)
            for restriction in youth.plan.desk_restrictions
            if restriction.effective_end > restriction.starts_at
        ]
        board.append(
            YouthAccess(
                youth=youth,
                categories=_access(youth, rules, restrictions, now),
                open_sessions=[s for s in youth.desk_sessions if s.checked_in_at is None],
                exceptions=list(youth.desk_exceptions),
            )
        )
    return board


def youth_access(youth: Youth, now: datetime) -> YouthAccess:
    [found] = house_access(Youth.objects.filter(pk=youth.pk), now)
    return found


def access_from_prefetched(
    youth: Youth,
    rules: Iterable[AccessRule],
    restrictions: Iterable[Restriction],
    now: datetime,
) -> list[CategoryAccess]:
    """access_at for one youth from already-fetched rules (category, windows),
    restrictions (categories) and desk_prefetches(now). Restrictions that do
    not count (pending, declined, over) are left out here."""
    counting = [
        restriction_spec_from(restriction)
        for restriction in restrictions
        if restriction.counts
        and restriction.effective_end > now
        and restriction.effective_end > restriction.starts_at
    ]
    return _access(youth, [rule_spec_from(rule) for rule in rules], counting, now)


def _access(
    youth: Youth, rules: list[RuleSpec], restrictions: list[RestrictionSpec], now: datetime
) -> list[CategoryAccess]:
    zone = agency_zone()
    return access_at(
        rules,
        restrictions,
        now,
        zone,
        exceptions=[
            exception_spec_from(granted, granted.desk_categories)
            for granted in youth.desk_exceptions
        ],
        minutes_used=minutes_used_today(_spans(youth.desk_sessions), now, zone),
    )


def _spans(sessions: Sequence[DeviceSession]) -> list[UsageSpan]:
    return [
        UsageSpan(
            category_key=session.category.key,
            start=session.checked_out_at,
            end=session.checked_in_at,
        )
        for session in sessions
    ]


def _local_midnight(now: datetime) -> datetime:
    local = now.astimezone(agency_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
