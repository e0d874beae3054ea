"""Many fictional youth, fast, for the export benchmark and the query-count tests.

bulk_create in batches, a fixed random seed, clearly fictional names and client
IDs ("Sample Youth 000123", "BENCH-000123"). Bulk inserts write no history rows:
this is load data, not care records.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from plans.models import (
    AccessRule,
    Approval,
    Category,
    Plan,
    Restriction,
    RestrictionKind,
    RiskLevel,
    TimeWindow,
    Youth,
)
from policies.models import (
    Contribution,
    ContributionKind,
    CreditConsent,
    PlanPolicy,
    Policy,
    PolicyTransition,
    PolicyVersion,
    Status,
)
from shelter.models import User
from shelter.roles import Role

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
    _seed_rules(rng=rng, plans=plans, categories=categories)
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


def _seed_rules(
    *, rng: random.Random, plans: list[Plan], categories: list[Category], batch_size: int = 5000
) -> None:
    """One rule per plan and category (some supervised, some with a daily
    limit), and a weekday evening window on about one rule in seven."""
    rules = AccessRule.objects.bulk_create(
        (
            AccessRule(
                plan=plan,
                category=category,
                supervised=rng.random() < 0.2,
                daily_limit_minutes=rng.choice([None, None, None, 60, 120]),
            )
            for plan in plans
            for category in categories
        ),
        batch_size=batch_size,
    )
    TimeWindow.objects.bulk_create(
        (
            TimeWindow(rule=rule, weekdays=0b0011111, start_time=time(16, 0), end_time=time(20, 0))
            for rule in rules
            if rng.random() < 0.15
        ),
        batch_size=batch_size,
    )


# A whole fictional agency at scale, for the page benchmarks and the load test.

SEED_PREFIX = "SEED"
FIRST_NAMES = (
    "Avery", "Blake", "Casey", "Dakota", "Emerson", "Finley", "Harper", "Jordan", "Kai",
    "Logan", "Morgan", "Parker", "Quinn", "Reese", "Riley", "Rowan", "Sage", "Skyler",
    "Taylor", "Jessie",
)  # fmt: skip
REASONS = (
    "Fictional: a stranger offered gifts and a place to stay over messages.",
    "Fictional: an older contact asked to meet alone after curfew.",
    "Fictional: shared the shelter's location in a public post.",
    "Fictional: a recruiter's account kept messaging late at night.",
)
POLICY_TOPICS = (
    "Wi-Fi in the common room", "Shared tablets", "Phone charging overnight", "Photos and video",
    "School laptops", "Job search online", "Streaming in quiet hours", "Smart watches",
    "Dating apps", "Online banking", "Group chats", "Gaming consoles", "Headphones at night",
    "Contacting family", "Telehealth visits", "Printing", "Location sharing", "Cameras on devices",
    "Buying and selling online", "Lost and found devices", "Device repair", "Music sharing",
    "Video calls", "Voice assistants", "Social media check-ins", "Borrowed phones",
    "Passwords and accounts", "Screen time for younger youth", "Outings with devices",
    "Court and caseworker calls", "Library computers", "Messaging staff", "Emergency calls",
    "Creative projects online", "Volunteering online",
)  # fmt: skip
POLICY_SECTION = """
## {heading}

- Staff and youth agree together on {subject} for the youth's own plan.
- A change is explained in plain words, with a date when it will be looked at again.
- A pause is short, has a reason, and always has an end.
"""


@dataclass(frozen=True)
class AgencySize:
    """How much to seed. `at_scale(1)` is the full benchmark agency."""

    youth: int
    current: int
    case_managers: int
    supervisors: int
    restrictions: int
    policies: int
    versions_per_policy: int = 10

    @classmethod
    def at_scale(cls, scale: float) -> "AgencySize":
        def scaled(full: int, least: int) -> int:
            return max(least, round(full * scale))

        youth = scaled(20_000, 4)
        return cls(
            youth=youth,
            current=min(youth - 1, scaled(5_000, 2)),
            case_managers=scaled(85, 2),
            supervisors=scaled(14, 1),
            restrictions=scaled(60_000, 4),
            policies=scaled(40, 2),
        )


@dataclass
class SeededAgency:
    case_managers: list[User]
    supervisors: list[User]
    administrator: User
    youth: int
    current: int
    restrictions: int
    policies: int
    versions: int


def agency_seed_exists() -> bool:
    return Youth.objects.filter(client_id__startswith=f"{SEED_PREFIX}-").exists() or (
        User.objects.filter(username__startswith="seed.").exists()
    )


def agency_has_other_youth() -> bool:
    return Youth.objects.exclude(client_id__startswith=f"{SEED_PREFIX}-").exists()


@transaction.atomic
def seed_agency(
    *,
    size: AgencySize,
    password_hash: str | None = None,
    seed: int = FIXED_SEED,
    now: datetime | None = None,
    batch_size: int = 5000,
) -> SeededAgency:
    """Staff, youth (some current, most discharged) with plans, rules and windows,
    restrictions in every state, and policies with versions, contributions and
    the plans that follow them. Bulk inserts: no history rows are written.
    `password_hash` (from make_password) goes on every staff account; without
    it nobody can sign in as seeded staff."""
    rng = random.Random(seed)  # noqa: S311 - fictional load data, not secrets
    now = now or timezone.now()
    today = timezone.localdate(now)
    case_managers, supervisors, administrator = _seed_staff(size=size, password_hash=password_hash)
    caseload_holders = case_managers + supervisors
    categories = list(Category.objects.filter(is_active=True))

    youth = Youth.objects.bulk_create(
        (
            _fictional_youth(
                rng=rng,
                number=number,
                current=number <= size.current,
                today=today,
                case_manager=rng.choice(caseload_holders),
            )
            for number in range(1, size.youth + 1)
        ),
        batch_size=batch_size,
    )
    plans = Plan.objects.bulk_create(
        (
            Plan(
                youth=one,
                strengths="Fictional: keeps in touch with a school friend and an aunt.",
                risk_level=rng.choice(RISKS),
                next_review_on=today + timedelta(days=rng.randint(-20, 60)),
            )
            for one in youth
        ),
        batch_size=batch_size,
    )
    _seed_rules(rng=rng, plans=plans, categories=categories, batch_size=batch_size)
    _seed_restrictions(
        rng=rng,
        total=size.restrictions,
        plans=plans,
        categories=categories,
        supervisors=supervisors,
        now=now,
        batch_size=batch_size,
    )
    current_plans = [plan for plan in plans if plan.youth.discharged_on is None]
    versions = _seed_policies(
        rng=rng,
        size=size,
        writers=caseload_holders,
        supervisors=supervisors,
        current_plans=current_plans,
        today=today,
        now=now,
    )
    return SeededAgency(
        case_managers=case_managers,
        supervisors=supervisors,
        administrator=administrator,
        youth=len(youth),
        current=len(current_plans),
        restrictions=size.restrictions,
        policies=size.policies,
        versions=versions,
    )


def _seed_staff(
    *, size: AgencySize, password_hash: str | None
) -> tuple[list[User], list[User], User]:
    accounts = [
        (f"seed.cm{n:03d}", Role.CASE_MANAGER, "Case manager")
        for n in range(1, size.case_managers + 1)
    ]
    accounts += [
        (f"seed.sup{n:02d}", Role.SUPERVISOR, "Supervisor") for n in range(1, size.supervisors + 1)
    ]
    accounts.append(("seed.admin", Role.ADMINISTRATOR, "Administrator"))
    users = User.objects.bulk_create(
        User(
            username=username,
            first_name=f"{FIRST_NAMES[index % len(FIRST_NAMES)]}",
            last_name=f"Seed {label} {username.split('.')[1]}",
            email=f"{username}@example.org",
            password=password_hash or make_password(None),
            is_staff=role == Role.ADMINISTRATOR,
        )
        for index, (username, role, label) in enumerate(accounts)
    )
    groups = {
        group.name: group for group in Group.objects.filter(name__in=[r.group_name for r in Role])
    }
    Through = User.groups.through
    Through.objects.bulk_create(
        Through(user=user, group=groups[role.group_name])
        for user, (_username, role, _label) in zip(users, accounts, strict=True)
    )
    case_managers = users[: size.case_managers]
    supervisors = users[size.case_managers : -1]
    return case_managers, supervisors, users[-1]


def _fictional_youth(
    *, rng: random.Random, number: int, current: bool, today: date, case_manager: User
) -> Youth:
    if current:
        admitted = today - timedelta(days=rng.randint(0, 180))
        discharged = None
    else:
        admitted = today - timedelta(days=rng.randint(30, 3 * 365))
        discharged = admitted + timedelta(
            days=rng.randint(1, min(365, (today - admitted).days - 1))
        )
    return Youth(
        preferred_name=f"{rng.choice(FIRST_NAMES)} Example {number:05d}",
        client_id=f"{SEED_PREFIX}-{number:06d}",
        birth_year=admitted.year - rng.randint(12, 19),
        admitted_on=admitted,
        discharged_on=discharged,
        case_manager=case_manager,
    )


def _seed_restrictions(
    *,
    rng: random.Random,
    total: int,
    plans: list[Plan],
    categories: list[Category],
    supervisors: list[User],
    now: datetime,
    batch_size: int,
) -> None:
    """`total` restrictions spread over the youth: those of discharged youth all
    ended during their stay; a current youth's may be over, in force now,
    waiting for a supervisor, lifted early, declined or still to come."""
    zone = timezone.get_current_timezone()
    restrictions: list[Restriction] = []
    current_count = 0
    for _ in range(total):
        plan = rng.choice(plans)
        youth = plan.youth
        stay_start = datetime.combine(youth.admitted_on, time(8), tzinfo=zone)
        stay_end = (
            datetime.combine(youth.discharged_on, time(8), tzinfo=zone)
            if youth.discharged_on
            else now
        )
        restriction = Restriction(
            plan=plan,
            all_categories=rng.random() < 0.2,
            kind=rng.choice([RestrictionKind.DENY] * 3 + [RestrictionKind.SUPERVISED]),
            reason=rng.choice(REASONS),
            imposed_by_id=youth.case_manager_id,
        )
        state = 0.0
        if youth.discharged_on is None:
            # A low-discrepancy sequence: every state gets its share even at small scales.
            current_count += 1
            state = (current_count * 0.6180339887) % 1.0
        if state < 0.80:  # over: a short one, or a long one a supervisor approved
            hours = rng.choice([12, 24, 48, 72, 96, 120])
            latest = max(stay_start, stay_end - timedelta(hours=hours + 1))
            starts = stay_start + (latest - stay_start) * rng.random()
            restriction.starts_at, restriction.ends_at = starts, starts + timedelta(hours=hours)
            if hours > 72:
                _decide(restriction, rng, supervisors, Approval.APPROVED)
        elif state < 0.86:  # in force now
            restriction.starts_at = now - timedelta(hours=rng.randint(1, 40))
            restriction.ends_at = now + timedelta(hours=rng.randint(1, 30))
        elif state < 0.89:  # waiting for a supervisor: longer than the approval limit
            restriction.starts_at = now + timedelta(hours=rng.randint(1, 24))
            restriction.ends_at = restriction.starts_at + timedelta(days=5)
            restriction.approval = Approval.PENDING
        elif state < 0.94:  # lifted early
            restriction.starts_at = now - timedelta(hours=rng.randint(30, 60))
            restriction.ends_at = restriction.starts_at + timedelta(hours=72)
            restriction.lifted_at = restriction.starts_at + timedelta(hours=rng.randint(2, 20))
            restriction.lifted_by_id = youth.case_manager_id
            restriction.lift_note = "Fictional: the youth and case manager agreed a safer plan."
        elif state < 0.97:  # declined
            restriction.starts_at = now - timedelta(days=rng.randint(2, 20))
            restriction.ends_at = restriction.starts_at + timedelta(days=6)
            _decide(restriction, rng, supervisors, Approval.DECLINED)
        else:  # still to come
            restriction.starts_at = now + timedelta(hours=rng.randint(2, 30))
            restriction.ends_at = restriction.starts_at + timedelta(hours=24)
        restriction.imposed_at = min(restriction.starts_at, now)
        restrictions.append(restriction)
    Restriction.objects.bulk_create(restrictions, batch_size=batch_size)
    Through = Restriction.categories.through
    Through.objects.bulk_create(
        (
            Through(restriction=restriction, category=category)
            for restriction in restrictions
            if not restriction.all_categories
            for category in rng.sample(categories, rng.choice([1, 1, 2]))
        ),
        batch_size=batch_size,
    )


def _decide(
    restriction: Restriction, rng: random.Random, supervisors: list[User], approval: str
) -> None:
    restriction.approval = approval
    restriction.decided_by = rng.choice(supervisors)
    restriction.decided_at = restriction.starts_at - timedelta(hours=1)
    restriction.decision_note = "Fictional: discussed with the youth's case manager."


def _policy_text(title: str, number: int) -> str:
    """Markdown that grows a little with each version, so reviews have a diff."""
    subject = title.lower()
    text = f"# {title}\n\nThis fictional policy says how youth and staff handle {subject}.\n"
    for section in range(1, 4 + number // 2):
        text += POLICY_SECTION.format(heading=f"Part {section}", subject=subject)
    if number % 3 == 0:
        text += f"\nVersion {number}: the youth advisory group asked for shorter pauses.\n"
    return text


def _seed_policies(
    *,
    rng: random.Random,
    size: AgencySize,
    writers: list[User],
    supervisors: list[User],
    current_plans: list[Plan],
    today: date,
    now: datetime,
) -> int:
    """`size.policies` policies (first the topics that have no versions yet),
    each with `versions_per_policy` versions: all but the last approved in
    turn; the last submitted, a draft, returned, or approved for a later date.
    Returns how many versions were created."""
    policies = list(Policy.objects.filter(versions__isnull=True, retired_at__isnull=True))[
        : size.policies
    ]
    taken = set(Policy.objects.values_list("position", flat=True))
    extra = size.policies - len(policies)
    policies += Policy.objects.bulk_create(
        Policy(
            key=f"seed-policy-{n:02d}",
            title=f"Seed policy {n:02d}: {POLICY_TOPICS[(n - 1) % len(POLICY_TOPICS)]}",
            description="Fictional policy for the benchmarks.",
            position=max(taken, default=0) + 10 * n,
        )
        for n in range(1, extra + 1)
    )
    count = size.versions_per_policy
    last_status = [Status.SUBMITTED, Status.DRAFT, Status.RETURNED, Status.APPROVED]
    versions: list[PolicyVersion] = []
    for index, policy in enumerate(policies):
        for number in range(1, count + 1):
            status = Status.APPROVED if number < count else last_status[index % 4]
            created = now - timedelta(days=(count - number) * 120 + 30)
            author = rng.choice(writers)
            version = PolicyVersion(
                policy=policy,
                number=number,
                text=_policy_text(policy.title, number),
                status=status,
                created_by=author,
                created_at=created,
                updated_by=author,
                updated_at=created,
            )
            if status != Status.DRAFT:
                version.submitted_at = created + timedelta(days=7)
            if status == Status.APPROVED:
                effective = (
                    today + timedelta(days=30)
                    if number == count
                    else created.date() + timedelta(days=14)
                )
                version.effective_date = effective
                version.next_review_on = effective + timedelta(days=365)
                version.approved_by = rng.choice(supervisors)
                version.approved_at = created + timedelta(days=10)
            versions.append(version)
    PolicyVersion.objects.bulk_create(versions)
    PolicyTransition.objects.bulk_create(
        transition for version in versions for transition in _transitions(version)
    )
    youth_ids = [plan.youth_id for plan in current_plans]
    Contribution.objects.bulk_create(
        _contribution(rng=rng, version=version, youth_ids=youth_ids)
        for version in versions
        for _ in range(rng.randint(0, 3))
    )
    # Each current plan follows two policies: mostly the version in force
    # (the one before last), sometimes an older one that now needs review.
    by_policy = [versions[i : i + count] for i in range(0, len(versions), count)]
    PlanPolicy.objects.bulk_create(
        (
            PlanPolicy(
                plan=plan,
                policy_version=chosen[-2] if rng.random() < 0.9 else chosen[-3],
                recorded_by_id=plan.youth.case_manager_id,
                recorded_at=now,
            )
            for plan in current_plans
            for chosen in rng.sample(by_policy, min(2, len(by_policy)))
        ),
        batch_size=5000,
    )
    return len(versions)


def _transitions(version: PolicyVersion) -> list[PolicyTransition]:
    steps = {
        Status.DRAFT: [],
        Status.SUBMITTED: [(Status.DRAFT, Status.SUBMITTED)],
        Status.RETURNED: [(Status.DRAFT, Status.SUBMITTED), (Status.SUBMITTED, Status.RETURNED)],
        Status.APPROVED: [(Status.DRAFT, Status.SUBMITTED), (Status.SUBMITTED, Status.APPROVED)],
    }[Status(version.status)]
    return [
        PolicyTransition(
            version=version,
            from_status=before,
            to_status=after,
            by=version.approved_by if after == Status.APPROVED else version.created_by,
            at=(version.approved_at if after == Status.APPROVED else None)
            or version.submitted_at
            or version.created_at,
            comment="Fictional: please say how long a pause lasts."
            if after == Status.RETURNED
            else "",
        )
        for before, after in steps
    ]


def _contribution(
    *, rng: random.Random, version: PolicyVersion, youth_ids: list[int]
) -> Contribution:
    youth_id = rng.choice(youth_ids) if youth_ids and rng.random() < 0.7 else None
    return Contribution(
        version=version,
        youth_id=youth_id,
        pseudonym="" if youth_id else f"Former youth {rng.randint(1, 99)}",
        kind=rng.choice(ContributionKind.values),
        contributed_on=version.created_at.date(),
        facilitated_by=version.created_by,
        credit=rng.choice(CreditConsent.values),
        recorded_by=version.created_by,
    )
