"""Clearly fictional youth and plans for the demo (client IDs DEMO-0001…).

Idempotent: a youth whose client ID exists is left as it is, so running the
demo again never duplicates or overwrites records.
"""

from dataclasses import dataclass
from datetime import time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from plans.models import (
    Category,
    HelpContact,
    HelpKind,
    Plan,
    Restriction,
    RestrictionKind,
    Unit,
    Youth,
)
from plans.services import (
    RuleData,
    WindowData,
    help_contact_add,
    plan_update,
    restriction_impose,
    restriction_lift,
    youth_admit,
    youth_update,
)

if TYPE_CHECKING:
    from shelter.demo import DemoStaff

MON, TUE, WED, THU, FRI, SAT, SUN = (1 << day for day in range(7))
WEEKDAYS = MON | TUE | WED | THU | FRI
WEEKEND = SAT | SUN


@dataclass(frozen=True)
class DemoRule:
    category: str
    supervised: bool = False
    limit: int | None = None
    windows: tuple[tuple[int, time, time], ...] = ()


@dataclass(frozen=True)
class DemoYouth:
    name: str
    birth_year: int
    admitted_days_ago: int
    second_case_manager: bool
    risk: str
    rationale: str
    strengths: str
    challenges: str
    words: str
    review_in_days: int
    rules: tuple[DemoRule, ...] = ()
    discharged: bool = False


DEMO_YOUTH = (
    DemoYouth(
        "Zephyr",
        2009,
        20,
        False,
        "moderate",
        "Fictional: met an adult online who asks to meet alone.",
        "Talks openly with staff about who messages them.",
        "Stays up late chatting with people met in games.",
        "My group chat with my cousins keeps me going.",
        -3,
        (
            DemoRule(
                "social-media", supervised=True, limit=60, windows=((WEEKDAYS, time(16), time(20)),)
            ),
            DemoRule("online-gaming", limit=90, windows=((FRI | SAT, time(20), time(1)),)),
        ),
    ),
    DemoYouth(
        "Marlowe",
        2008,
        45,
        False,
        "low",
        "Fictional: settled, goes to school daily.",
        "Goes to school every day; plays in a band.",
        "Sometimes loses their phone.",
        "I need my phone for my job schedule.",
        10,
        (DemoRule("messaging", limit=120),),
    ),
    DemoYouth(
        "Indigo",
        2010,
        5,
        False,
        "high",
        "Fictional: was recruited through a photo-sharing app before admission.",
        "Loves drawing and shares art with a youth group.",
        "Gets messages from unknown adults offering money.",
        "I want to keep posting my drawings.",
        2,
        (
            DemoRule("social-media", supervised=True, windows=((WEEKDAYS, time(17), time(19)),)),
            DemoRule("phone-possession", supervised=True),
            DemoRule("video-streaming", limit=45),
        ),
    ),
    DemoYouth(
        "Wren",
        2009,
        60,
        True,
        "low",
        "Fictional: stable, strong family contact.",
        "Calls their grandmother every evening.",
        "Spends a lot of money on game items.",
        "Gaming with my friends from home matters to me.",
        25,
        (DemoRule("online-gaming", limit=120, windows=((WEEKEND, time(10), time(22)),)),),
    ),
    DemoYouth(
        "Solstice",
        2011,
        12,
        True,
        "moderate",
        "Fictional: skipped curfew twice this month.",
        "Helps younger residents with homework.",
        "Shares passwords with new friends.",
        "Music videos help me calm down.",
        6,
        (
            DemoRule(
                "video-streaming",
                limit=60,
                windows=((SUN | MON | TUE | WED | THU, time(19), time(21)),),
            ),
            DemoRule("web-browsing", supervised=True),
        ),
    ),
    DemoYouth(
        "Tamsin",
        2008,
        90,
        True,
        "low",
        "Fictional: working part time, stable.",
        "Holds a part-time job.",
        "Forgets to charge the phone.",
        "I text my manager about shifts.",
        -1,
        (DemoRule("messaging"),),
    ),
    DemoYouth(
        "Orion",
        2010,
        3,
        False,
        "high",
        "Fictional: an older 'boyfriend' contacted them through a game.",
        "Curious, asks good questions.",
        "Trusts strangers who offer gifts.",
        "My game friends are the only ones who get me.",
        1,
        (
            DemoRule(
                "online-gaming", supervised=True, limit=30, windows=((SAT, time(14), time(16)),)
            ),
            DemoRule("shelter-computers", supervised=True),
        ),
    ),
    DemoYouth(
        "Bramble",
        2009,
        30,
        True,
        "moderate",
        "Fictional: returned late after meeting online contact.",
        "Plays soccer on a local team.",
        "Late-night scrolling.",
        "Team chat is how I know about practice.",
        14,
        (DemoRule("social-media", limit=90, windows=((WEEKDAYS | SAT | SUN, time(7), time(22)),)),),
    ),
    DemoYouth(
        "Calloway",
        2011,
        8,
        False,
        "low",
        "Fictional: no concerns so far.",
        "Loves reading.",
        "Shy with staff.",
        "I read stories on the tablet.",
        20,
        (DemoRule("shelter-computers", limit=60),),
    ),
    DemoYouth(
        "Juniper",
        2008,
        50,
        True,
        "moderate",
        "Fictional: was asked for photos by a stranger.",
        "Volunteers at the food bank.",
        "Posts location publicly.",
        "Posting is how I stay in touch with my sister.",
        4,
        (DemoRule("social-media", supervised=True, windows=((FRI, time(20), time(1)),)),),
    ),
    DemoYouth(
        "Quillon",
        2010,
        15,
        False,
        "low",
        "Fictional: stable.",
        "Good at fixing bikes.",
        "Loses track of time gaming.",
        "Video calls with my dad on Sundays.",
        30,
        (DemoRule("video-streaming", windows=((SUN, time(12), time(18)),)),),
    ),
    DemoYouth(
        "Ember",
        2009,
        120,
        True,
        "low",
        "Fictional: moved to family housing.",
        "Finished the school year.",
        "None noted at discharge.",
        "Thanks for letting me keep my phone.",
        0,
        (),
        discharged=True,
    ),
)


def seed(staff: "DemoStaff") -> list[Youth]:
    """Twelve fictional youth across both demo case managers and two units; one discharged."""
    today = timezone.localdate()
    categories = dict(Category.objects.values_list("key", "pk"))
    units = seed_units()
    made: list[Youth] = []
    for number, demo in enumerate(DEMO_YOUTH, start=1):
        client_id = f"DEMO-{number:04d}"
        unit = units[number % 2]
        existing = Youth.objects.filter(client_id=client_id).first()
        if existing is not None:
            if existing.unit_id is None and not existing.is_discharged:
                # Seeded before units existed: move them in, with history.
                existing = youth_update(
                    youth=existing,
                    expected_version=existing.version,
                    by=staff.supervisor,
                    data={"unit": unit},
                )
            made.append(existing)
            continue
        manager = staff.other_case_manager if demo.second_case_manager else staff.case_manager
        youth = youth_admit(
            by=staff.supervisor,
            preferred_name=demo.name,
            client_id=client_id,
            birth_year=demo.birth_year,
            admitted_on=today - timedelta(days=demo.admitted_days_ago),
            case_manager=manager,
            unit=unit,
        )
        plan = Plan.objects.get(youth=youth)
        plan_update(
            plan=plan,
            expected_version=plan.version,
            by=manager,
            plan_data={
                "strengths": demo.strengths,
                "challenges": demo.challenges,
                "youth_words": demo.words,
                "risk_level": demo.risk,
                "risk_rationale": demo.rationale,
                "next_review_on": today + timedelta(days=demo.review_in_days),
                "youth_participated": True,
                "youth_agreed": demo.risk != "high",
            },
            rules=[
                RuleData(
                    category_id=categories[rule.category],
                    supervised=rule.supervised,
                    daily_limit_minutes=rule.limit,
                )
                for rule in demo.rules
            ],
            windows=[
                WindowData(categories[rule.category], days, start, end)
                for rule in demo.rules
                for days, start, end in rule.windows
            ],
        )
        if demo.discharged:
            youth = youth_update(
                youth=youth,
                expected_version=youth.version,
                by=staff.supervisor,
                data={"discharged_on": today - timedelta(days=2)},
            )
        made.append(youth)
    seed_restrictions(staff, made)
    seed_help_contacts(made)
    return made


# Units and help the youth can always reach (H6)

DEMO_UNITS = ("North house", "South house")

# Clearly fictional people and 555 numbers (reserved for fiction in North America).
DEMO_HELP_CONTACTS = {
    "DEMO-0001": (HelpKind.FAMILY, "Aunt Rosa (fictional)", "Call or text 555-0142", "Evenings"),
    "DEMO-0003": (
        HelpKind.SERVICE,
        "Youth art group, Maple Street (fictional)",
        "Call 555-0178",
        "Weekdays 3 pm to 7 pm",
    ),
    "DEMO-0007": (HelpKind.FAMILY, "Grandpa Lee (fictional)", "Call 555-0191", ""),
}


def seed_units() -> list[Unit]:
    return [
        Unit.objects.get_or_create(name=name, defaults={"position": (index + 1) * 10})[0]
        for index, name in enumerate(DEMO_UNITS)
    ]


def seed_help_contacts(youth: list[Youth]) -> None:
    """A few contacts named in plans, added by each youth's case manager. Skipped
    for youth who already have (or had) one."""
    for person in youth:
        contact = DEMO_HELP_CONTACTS.get(person.client_id)
        if contact is None or HelpContact.objects.filter(plan__youth=person).exists():
            continue
        kind, name, how_to_reach, note = contact
        help_contact_add(
            plan=person.plan,
            by=person.case_manager,
            kind=kind,
            name=name,
            how_to_reach=how_to_reach,
            note=note,
        )


# Restrictions (H3)


def seed_restrictions(staff: "DemoStaff", youth: list[Youth]) -> None:
    """One restriction in force (ending within a day), one waiting for a
    supervisor, one lifted early. Times go through the services' `now`, as if
    staff had acted earlier today. Skipped for youth who already have one."""
    now = timezone.now()
    by_id = {person.client_id: person for person in youth}
    categories = {category.key: category for category in Category.objects.all()}

    def fresh(client_id: str) -> Youth | None:
        person = by_id.get(client_id)
        if person is None or Restriction.objects.filter(plan__youth=person).exists():
            return None
        return person

    if indigo := fresh("DEMO-0003"):
        restriction_impose(
            plan=indigo.plan,
            by=staff.case_manager,
            categories=[categories["social-media"], categories["messaging"]],
            all_categories=False,
            kind=RestrictionKind.DENY,
            reason="Fictional: an unknown adult offered money for photos yesterday.",
            starts_at=now - timedelta(hours=4),
            ends_at=now + timedelta(hours=20),
            now=now - timedelta(hours=4),
        )
    if orion := fresh("DEMO-0007"):
        restriction_impose(
            plan=orion.plan,
            by=staff.case_manager,
            categories=[categories["online-gaming"]],
            all_categories=False,
            kind=RestrictionKind.DENY,
            reason="Fictional: the 'boyfriend' from the game asked to meet this weekend.",
            starts_at=now,
            ends_at=now + timedelta(days=5),
            now=now,
        )
    if juniper := fresh("DEMO-0010"):
        lifted = restriction_impose(
            plan=juniper.plan,
            by=staff.other_case_manager,
            categories=[categories["social-media"]],
            all_categories=False,
            kind=RestrictionKind.SUPERVISED,
            reason="Fictional: posted the shelter's location publicly.",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=1),
            now=now - timedelta(days=1),
        )
        restriction_lift(
            restriction=lifted,
            by=staff.other_case_manager,
            note="Fictional: took the post down and turned off location sharing with staff.",
            now=now - timedelta(hours=3),
        )
