"""The benchmark agency seed, run at a hundredth of its size (`--scale 0.01`)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from plans.models import AccessRule, Approval, Category, Plan, Restriction, Youth
from policies.models import OPEN_STATUSES, PlanPolicy, Policy, PolicyVersion, Status
from shelter.models import User
from shelter.roles import Role
from tests.builders import make_youth

pytestmark = pytest.mark.django_db

FICTIONAL_PASSWORD = "fictional-seed-password-2026"


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_agency", "--scale", "0.01", *args, stdout=out)
    return out.getvalue()


def seeded_staff() -> "list[User]":
    return list(User.objects.filter(username__startswith="seed."))


def test_a_hundredth_of_the_agency_has_the_promised_counts() -> None:
    output = seed()
    assert Youth.objects.count() == 200
    assert Youth.objects.current().count() == 50
    assert Plan.objects.count() == 200
    assert Restriction.objects.count() == 600
    # 2 case managers, 1 supervisor, 1 administrator at this scale (85, 14, 1 in full).
    roles = sorted(str(user.role) for user in seeded_staff())
    assert roles == ["administrator", "case_manager", "case_manager", "supervisor"]
    seeded_policies = Policy.objects.filter(versions__isnull=False).distinct()
    assert seeded_policies.count() == 2
    assert PolicyVersion.objects.count() == 20
    assert "200 youth (50 current)" in output


def test_every_seeded_youth_is_clearly_fictional_and_has_a_plan_with_every_rule() -> None:
    seed()
    assert not Youth.objects.exclude(client_id__startswith="SEED-").exists()
    assert not Youth.objects.exclude(preferred_name__contains=" Example ").exists()
    active = Category.objects.filter(is_active=True).count()
    rules_per_plan = set(
        Plan.objects.annotate(n=Count("rules")).values_list("n", flat=True).distinct()
    )
    assert rules_per_plan == {active}
    assert AccessRule.objects.filter(windows__isnull=False).exists()
    assert not Youth.objects.filter(discharged_on__lte=F("admitted_on")).exists()


def test_restrictions_come_in_every_state_staff_meet() -> None:
    seed()
    now = timezone.now()
    assert Restriction.objects.active_at(now).exists()
    assert Restriction.objects.awaiting_decision(now).exists()
    assert Restriction.objects.filter(approval=Approval.DECLINED).exists()
    assert Restriction.objects.filter(lifted_at__isnull=False).exists()
    assert Restriction.objects.filter(ends_at__lte=now).count() > 300
    # Discharged youth have no restriction in force or waiting.
    discharged = Youth.objects.discharged()
    assert not Restriction.objects.active_at(now).filter(plan__youth__in=discharged).exists()
    assert not Restriction.objects.filter(
        approval=Approval.PENDING, plan__youth__in=discharged
    ).exists()


def test_each_policy_has_one_version_in_force_and_at_most_one_open() -> None:
    seed()
    for policy in Policy.objects.filter(versions__isnull=False).distinct():
        versions = PolicyVersion.objects.filter(policy=policy)
        assert versions.count() == 10
        assert versions.in_force().get().number == 9
        assert versions.filter(status__in=OPEN_STATUSES).count() <= 1
    assert PolicyVersion.objects.filter(status=Status.SUBMITTED).exists()
    # Every current plan follows two policies; some of those links need review.
    follows = PlanPolicy.objects.values("plan").annotate(n=Count("pk"))
    assert {row["n"] for row in follows} == {2}
    assert follows.count() == 50


def test_seeded_staff_cannot_sign_in_unless_a_password_is_asked_for() -> None:
    seed()
    assert not any(user.has_usable_password() for user in seeded_staff())


def test_the_password_from_the_environment_signs_every_seeded_account_in(monkeypatch) -> None:
    monkeypatch.setenv("SEED_STAFF_PASSWORD", FICTIONAL_PASSWORD)
    seed("--password-from-env")
    staff = seeded_staff()
    assert staff
    assert all(user.check_password(FICTIONAL_PASSWORD) for user in staff)
    assert User.objects.get(username="seed.admin").role == Role.ADMINISTRATOR


def test_a_weak_or_missing_password_is_refused_and_nothing_is_seeded(monkeypatch) -> None:
    monkeypatch.setenv("SEED_STAFF_PASSWORD", "12345")
    with pytest.raises(CommandError, match="SEED_STAFF_PASSWORD"):
        seed("--password-from-env")
    monkeypatch.delenv("SEED_STAFF_PASSWORD")
    with pytest.raises(CommandError, match="SEED_STAFF_PASSWORD"):
        seed("--password-from-env")
    assert not Youth.objects.exists()
    assert not seeded_staff()


def test_a_database_with_real_youth_is_refused_unless_forced(case_manager: User) -> None:
    make_youth(case_manager, client_id="TEST-0001")
    with pytest.raises(CommandError, match="not seed data"):
        seed()
    assert Youth.objects.count() == 1
    seed("--force")
    assert Youth.objects.count() == 201


def test_seeding_twice_is_refused() -> None:
    seed()
    with pytest.raises(CommandError, match="already seeded"):
        seed()
    assert Youth.objects.count() == 200


def test_an_out_of_range_scale_is_refused() -> None:
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_agency", "--scale", "0")
    assert not Youth.objects.exists()


class Undo(Exception):
    pass


def youth_fingerprint() -> list[tuple[str, str, object, str]]:
    return list(
        Youth.objects.order_by("client_id").values_list(
            "client_id", "preferred_name", "admitted_on", "case_manager__username"
        )
    )


def test_the_fixed_seed_seeds_the_same_agency_every_time() -> None:
    with pytest.raises(Undo), transaction.atomic():
        seed()
        first = youth_fingerprint()
        raise Undo
    assert not Youth.objects.exists()
    seed()
    assert youth_fingerprint() == first
