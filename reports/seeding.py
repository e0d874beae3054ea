"""Many fictional youth, fast, for the export benchmark and the query-count tests.

bulk_create in batches, a fixed random seed, clearly fictional names and client
IDs ("Sample Youth 000123", "BENCH-000123"). Bulk inserts write no history rows:
this is load data, not care records.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from plans.models import AccessRule, Category, Plan, Restriction, RiskLevel, TimeWindow, Youth
from shelter.models import User

FIXED_SEED = 20261129
RISKS = [RiskLevel.LOW, RiskLevel.LOW, RiskLevel.MODERATE, RiskLevel.HIGH]


def seed_many_youth(
    *,
    count: int,
    case_managers: list[User],
    imposed_by: User,
    prefix: str = "BENCH",
    seed: int = FIXED_SEED,
    batch_size: int = 5000,
    today: date | None = None,
) -> int:
    """Youth with a plan, one rule per active category (some supervised, some
    with a limit or a time window) and, for one in twenty, a restriction in force.
    Returns how many youth were created."""
    rng = random.Random(seed)  # noqa: S311 - fictional load data, not secrets
    day = today or timezone.localdate()
    now = timezone.now()
    categories = list(Category.objects.filter(is_active=True))
    start = Youth.objects.filter(client_id__startswith=f"{prefix}-").count()
    created = 0
    while created < count:
        size = min(batch_size, count - created)
        with transaction.atomic():
            _seed_batch(
                rng=rng,
                numbers=range(start + created + 1, start + created + size + 1),
                prefix=prefix,
                case_managers=case_managers,
                imposed_by=imposed_by,
                categories=categories,
                today=day,
                now=now,
            )
        created += size
    return created


def _seed_batch(
    *,
    rng: random.Random,
    numbers: range,
    prefix: str,
    case_managers: list[User],
    imposed_by: User,
    categories: list[Category],
    today: date,
    now: datetime,
) -> None:
    youth = Youth.objects.bulk_create(
        Youth(
            preferred_name=f"Sample Youth {number:06d}",
            client_id=f"{prefix}-{number:06d}",
            birth_year=rng.randint(2007, 2012),
            admitted_on=today - timedelta(days=rng.randint(0, 400)),
            case_manager=rng.choice(case_managers),
        )
        for number in numbers
    )
    plans = Plan.objects.bulk_create(
        Plan(
            youth=one,
            risk_level=rng.choice(RISKS),
            next_review_on=today + timedelta(days=rng.randint(-20, 60)),
        )
        for one in youth
    )
    rules = AccessRule.objects.bulk_create(
        AccessRule(
            plan=plan,
            category=category,
            supervised=rng.random() < 0.2,
            daily_limit_minutes=rng.choice([None, None, None, 60, 120]),
        )
        for plan in plans
        for category in categories
    )
    TimeWindow.objects.bulk_create(
        TimeWindow(rule=rule, weekdays=0b0011111, start_time=time(16, 0), end_time=time(20, 0))
        for rule in rules
        if rng.random() < 0.15
    )
    restricted = [plan for plan in plans if rng.random() < 0.05]
    restrictions = Restriction.objects.bulk_create(
        Restriction(
            plan=plan,
            reason="Fictional: benchmark data.",
            starts_at=now - timedelta(hours=rng.randint(1, 48)),
            ends_at=now + timedelta(hours=rng.randint(1, 72)),
            imposed_by=imposed_by,
            imposed_at=now,
        )
        for plan in restricted
    )
    Through = Restriction.categories.through
    Through.objects.bulk_create(
        Through(restriction=restriction, category=rng.choice(categories))
        for restriction in restrictions
    )
