"""Small builders with fixed, clearly fictional values. Override what a test cares about."""

import time
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shelter.models import User
from shelter.roles import Role
from shelter.services import staff_set_role
from shelter.twofactor import HAS_AUTHENTICATOR, authenticator_for, second_factor_required

if TYPE_CHECKING:
    from plans.models import Restriction, Youth

TEST_PASSWORD = "correct-horse-battery-staple-42"


def make_staff(
    username: str = "cm.alpha", role: Role = Role.CASE_MANAGER, **overrides: Any
) -> User:
    fields: dict[str, Any] = {
        "first_name": "Testy",
        "last_name": username.replace(".", " ").title(),
        "email": f"{username}@example.org",
    }
    fields.update(overrides)
    # One Argon2 hash per test run, not one per persona: the product's own hasher,
    # without paying its (deliberate) cost hundreds of times.
    user = User(username=username, password=_test_password_hash(), **fields)
    user.full_clean()
    user.save()
    return staff_set_role(user=user, role=role)


@cache
def _test_password_hash() -> str:
    return make_password(TEST_PASSWORD)


def make_authenticator(user: User) -> TOTPDevice:
    """A confirmed authenticator app (TOTP device) for `user`; compute codes with totp_code."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """A code `device` accepts now and has not accepted before.

    Codes are single-use: a second sign-in within the same 30 seconds uses the next
    step's code, which the device's one step of tolerance accepts; only a third waits.
    """
    while True:
        device.refresh_from_db()
        now = (int(time.time()) - device.t0) // device.step + device.drift
        step = max(now, device.last_t + 1)
        if step <= now + device.tolerance:
            return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
        time.sleep(1)


def signed_in_client(user: User) -> Client:
    """A test client signed in as `user`, past the second step where the user needs it.

    Supervisors and administrators get an authenticator app if they have none, and the
    session is marked verified by it, as the code step would.
    """
    client = Client()
    client.force_login(user)
    device = authenticator_for(user)
    if device is None and second_factor_required(user):
        device = make_authenticator(user)
    session = client.session
    session[HAS_AUTHENTICATOR] = device is not None
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def make_youth(case_manager: User, **overrides: Any) -> "Youth":
    """A fictional youth with a plan, on `case_manager`'s caseload."""
    from plans.models import Plan, Youth

    fields: dict[str, Any] = {
        "preferred_name": "Testy Youth",
        "client_id": "TEST-0001",
        "birth_year": 2010,
        "admitted_on": date(2026, 11, 1),
        "case_manager": case_manager,
    }
    fields.update(overrides)
    youth = Youth(**fields)
    youth.full_clean()
    youth.save()
    Plan.objects.create(youth=youth)
    return youth


def make_restriction(youth: "Youth", imposed_by: User, **overrides: Any) -> "Restriction":
    """A restriction stored as-is (any times, any approval state), bypassing the
    service's rules for "now": for fixtures such as one that ended a minute ago.
    Categories: `categories=[keys…]` (default: social media), or all_categories=True."""
    from datetime import timedelta

    from django.utils import timezone

    from plans.models import Category, Restriction

    now = timezone.now()
    keys = overrides.pop("categories", ["social-media"])
    fields: dict[str, Any] = {
        "plan": youth.plan,
        "kind": "deny",
        "reason": "Fictional: an unknown adult keeps messaging them.",
        "starts_at": now - timedelta(hours=1),
        "ends_at": now + timedelta(hours=23),
        "imposed_by": imposed_by,
        "imposed_at": now - timedelta(hours=1),
        "approval": "not_needed",
    }
    fields.update(overrides)
    restriction = Restriction(**fields)
    restriction.full_clean()
    restriction.save()
    if not restriction.all_categories:
        restriction.categories.set(Category.objects.filter(key__in=keys))
    return restriction


def admit_youth(case_manager: User, by: User | None = None, **overrides: Any) -> "Youth":
    """A fictional youth admitted through the service: plan plus one free-use
    rule per active category, with history rows, as in the product."""
    from plans.services import youth_admit

    fields: dict[str, Any] = {
        "preferred_name": "Testy Youth",
        "client_id": "TEST-0001",
        "birth_year": 2010,
        "admitted_on": date(2026, 11, 1),
    }
    fields.update(overrides)
    return youth_admit(by=by or case_manager, case_manager=case_manager, **fields)


def plan_form_data(youth: "Youth") -> dict[str, Any]:
    """The plan edit page's POST data exactly as the page would send it unchanged."""
    from datetime import date as date_type
    from datetime import time

    from plans.forms import PlanEditForms
    from plans.models import Category, Plan

    plan = Plan.objects.get(youth=youth)
    rules = list(plan.rules.select_related("category").prefetch_related("windows"))
    forms = PlanEditForms(
        None,
        plan=plan,
        categories=list(Category.objects.filter(is_active=True)),
        rules=rules,
    )
    data: dict[str, Any] = {}
    parts = [forms.plan_form, forms.rules.management_form, *forms.rules]
    parts += [forms.windows.management_form, *forms.windows]
    for form in parts:
        for field in form:
            value = field.value()
            if value is None or value is False or value == "":
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list):
                data[field.html_name] = [str(item) for item in value]
            elif isinstance(value, time):
                data[field.html_name] = f"{value:%H:%M}"
            elif isinstance(value, date_type):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = str(value)
    return data


def add_window(
    data: dict[str, Any], category_id: int, days: list[int], start: str, end: str
) -> int:
    """Append a new time-window row to plan form data; returns its row index."""
    index = int(data["windows-TOTAL_FORMS"])
    data["windows-TOTAL_FORMS"] = str(index + 1)
    data[f"windows-{index}-category"] = str(category_id)
    data[f"windows-{index}-weekdays"] = [str(day) for day in days]
    data[f"windows-{index}-start_time"] = start
    data[f"windows-{index}-end_time"] = end
    return index


def rule_index(data: dict[str, Any], category_id: int) -> int:
    """The rules formset row of a category in plan form data."""
    for key, value in data.items():
        if key.startswith("rules-") and key.endswith("-category") and value == str(category_id):
            return int(key.split("-")[1])
    raise KeyError(category_id)


def make_full_plan(case_manager: User, **overrides: Any) -> "Youth":
    """A realistic, full plan to print: every seeded category with a rule (windows,
    limits, supervision), a restriction in force and one coming, three helplines,
    three help contacts, the youth's words, strengths and a review date. Creates
    the categories and helplines when a transactional test has emptied them."""
    from datetime import time, timedelta

    from django.utils import timezone

    from plans.models import (
        AccessRule,
        Category,
        HelpContact,
        Helpline,
        Plan,
        TimeWindow,
    )

    categories = [
        ("social-media", "Social media"),
        ("messaging", "Messaging"),
        ("web-browsing", "Web browsing"),
        ("online-gaming", "Online gaming"),
        ("video-streaming", "Video and streaming"),
        ("phone-possession", "Phone possession"),
        ("shelter-computers", "Shelter computers"),
    ]
    for position, (key, name) in enumerate(categories, start=1):
        Category.objects.get_or_create(key=key, defaults={"name": name, "position": position})
    for position, (name, how) in enumerate(
        [
            ("National Human Trafficking Hotline", "Call 1-888-373-7888 or text 233733"),
            ("988 Suicide & Crisis Lifeline", "Call or text 988"),
            ("National Runaway Safeline", "Call 1-800-786-2929"),
        ],
        start=1,
    ):
        Helpline.objects.get_or_create(
            name=name,
            defaults={
                "how_to_reach": how,
                "description": "Free and confidential, 24 hours a day.",
                "position": position,
            },
        )
    youth = admit_youth(case_manager, preferred_name="Jordan Test", **overrides)
    Plan.objects.filter(youth=youth).update(
        strengths="Fictional: talks openly with staff about who messages them. "
        "Plays in a band and helps younger residents with homework.",
        youth_words="Fictional: my group chat with my cousins keeps me going. "
        "I need my phone for my job schedule.",
        next_review_on=timezone.localdate() + timedelta(days=10),
        youth_participated=True,
        youth_agreed=True,
    )
    rules = {rule.category.key: rule for rule in AccessRule.objects.filter(plan__youth=youth)}
    school_days, weekend = 0b0011111, 0b1100000
    for key, supervised, limit, windows in [
        (
            "social-media",
            False,
            60,
            [(school_days, time(16), time(20)), (weekend, time(10), time(21))],
        ),
        ("messaging", False, 120, []),
        ("web-browsing", True, None, [(school_days, time(15), time(21))]),
        ("online-gaming", False, 90, [(0b0110000, time(20), time(1))]),
        ("video-streaming", False, 60, [(0b1111111, time(18), time(22))]),
        ("phone-possession", False, None, [(0b1111111, time(7), time(22))]),
        ("shelter-computers", True, 60, []),
    ]:
        rule = rules[key]
        rule.supervised, rule.daily_limit_minutes = supervised, limit
        rule.save()
        for days, start, end in windows:
            TimeWindow.objects.create(rule=rule, weekdays=days, start_time=start, end_time=end)
    now = timezone.now()
    make_restriction(
        youth,
        case_manager,
        categories=["online-gaming"],
        reason="An adult from a game asked to meet this weekend.",
        starts_at=now - timedelta(hours=2),
        ends_at=now + timedelta(days=2),
    )
    make_restriction(
        youth,
        case_manager,
        categories=["social-media", "messaging"],
        kind="supervised",
        reason="The shelter's location was shared in a post.",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=4),
    )
    for kind, name, how, note in [
        ("family", "Aunt Rosa (fictional)", "Call or text 555-0142", "Evenings after 6 pm"),
        ("service", "Youth art group (fictional)", "Call 555-0178", "Weekdays 3 pm to 7 pm"),
        ("family", "Grandpa Lee (fictional)", "Call 555-0191", ""),
    ]:
        HelpContact.objects.create(
            plan=youth.plan,
            kind=kind,
            name=name,
            how_to_reach=how,
            note=note,
            added_by=case_manager,
        )
    return youth
