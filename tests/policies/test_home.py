"""The policies panels of the home page: what needs each role today."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from policies.home import home_context
from policies.models import PlanPolicy, Policy
from policies.services import plan_policies_set, policy_version_return
from shelter.models import User
from tests.builders import make_youth
from tests.policies.builders import approved, social_media, submitted

pytestmark = pytest.mark.django_db


def _follow(plan, version, by: User) -> None:
    plan_policies_set(
        plan=plan,
        versions=[version],
        by=by,
        expected=frozenset(
            PlanPolicy.objects.current().filter(plan=plan).values_list("pk", flat=True)
        ),
    )


def test_a_plan_following_a_superseded_version_is_flagged_on_its_case_managers_home(
    cm_client: Client, other_cm_client: Client, case_manager: User, supervisor: User
) -> None:
    youth = make_youth(case_manager, preferred_name="Jo Fictional")
    old = approved(social_media(), case_manager, supervisor, effective_date=date(2026, 1, 5))
    _follow(youth.plan, old, case_manager)
    assert (
        "Plans to review because a policy changed (0)"
        in cm_client.get(reverse("home")).content.decode()
    )
    approved(social_media(), case_manager, supervisor, text="New.", effective_date=date(2026, 2, 5))
    content = cm_client.get(reverse("home")).content.decode()
    assert "Plans to review because a policy changed (1)" in content
    assert "Jo Fictional" in content and "Review: policy changed" in content
    assert reverse("policies:plan-policies", args=[youth.plan.pk]) in content
    # Another caseload does not see it.
    assert "Jo Fictional" not in other_cm_client.get(reverse("home")).content.decode()


def test_a_version_approved_for_later_flags_plans_only_from_its_effective_date(
    case_manager: User, supervisor: User
) -> None:
    youth = make_youth(case_manager)
    today = timezone.localdate()
    old = approved(
        social_media(), case_manager, supervisor, effective_date=today - timedelta(days=30)
    )
    _follow(youth.plan, old, case_manager)
    approved(
        social_media(),
        case_manager,
        supervisor,
        text="Later.",
        effective_date=today + timedelta(days=3),
        next_review_on=today + timedelta(days=200),
    )
    assert home_context(case_manager)["plans-flagged"].items == []
    assert PlanPolicy.objects.needing_review(today + timedelta(days=3)).count() == 1


def test_the_author_sees_drafts_returned_for_changes(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    version = submitted(social_media(), case_manager)
    policy_version_return(
        version=version, revision=version.revision, by=supervisor, comment="Add a path back."
    )
    content = cm_client.get(reverse("home")).content.decode()
    assert "Your policy drafts returned for changes (1)" in content
    assert reverse("policies:version-detail", args=[version.pk]) in content


def test_a_supervisor_sees_drafts_to_review_overdue_policies_and_missing_acknowledgements(
    supervisor_client: Client, case_manager: User, supervisor: User, other_supervisor: User
) -> None:
    overdue = approved(
        Policy.objects.get(key="gaming"),
        case_manager,
        other_supervisor,
        effective_date=date(2025, 1, 5),
        next_review_on=date(2025, 7, 5),
    )
    waiting = submitted(social_media(), case_manager)
    own = submitted(Policy.objects.get(key="internet"), supervisor)
    context = home_context(supervisor)
    assert context["drafts-to-review"].items == [waiting]  # not their own draft
    assert own not in context["drafts-to-review"].items
    assert context["policies-overdue"].items == [overdue]
    # Four active staff with a role; nobody has acknowledged the gaming policy yet.
    assert [(row.version, row.missing) for row in context["acknowledgements-missing"].items] == [
        (overdue, 3)
    ]
    content = supervisor_client.get(reverse("home")).content.decode()
    for testid in ("drafts-to-review", "policies-overdue", "acknowledgements-missing"):
        assert f'data-testid="home-{testid}"' in content


def test_administrators_get_no_policy_panels(administrator: User) -> None:
    assert home_context(administrator) == {}


def test_the_panels_run_a_fixed_number_of_queries(
    django_assert_num_queries, case_manager: User, supervisor: User, other_supervisor: User
) -> None:
    youth = make_youth(case_manager)
    old = approved(social_media(), case_manager, other_supervisor, effective_date=date(2026, 1, 5))
    _follow(youth.plan, old, case_manager)
    approved(
        social_media(), case_manager, other_supervisor, text="B", effective_date=date(2026, 2, 5)
    )

    def measure(user: User) -> int:
        user.__dict__.pop("role", None)
        user.role  # noqa: B018 - the role is loaded once per request, before the panels
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            home_context(user)
        return len(queries.captured_queries)

    # flagged plans counted, then listed (+youth, version, policy); open drafts returned
    assert measure(case_manager) == 3
    # the three above (drafts to review come with the open drafts); overdue; active staff
    # count; versions in force with acknowledgement counts
    assert measure(supervisor) == 6
    current = Policy.objects.get(key="social-media").versions.in_force().get()
    for index in range(3):
        second = make_youth(case_manager, client_id=f"TEST-1{index}")
        _follow(second.plan, current, case_manager)
    approved(
        social_media(), case_manager, other_supervisor, text="C", effective_date=date(2026, 3, 5)
    )
    for key in ("internet", "gaming", "mobile-devices"):
        approved(Policy.objects.get(key=key), case_manager, other_supervisor)
    submitted(Policy.objects.get(key="other-networked-technology"), case_manager)
    assert home_context(case_manager)["plans-flagged"].count == 4
    assert measure(case_manager) == 3
    assert measure(supervisor) == 6


def test_the_youth_page_lists_followed_policies_and_flags_a_superseded_one(
    cm_client: Client, case_manager: User, supervisor: User, other_supervisor: User
) -> None:
    youth = make_youth(case_manager)
    today = timezone.localdate()
    old = approved(
        social_media(), case_manager, supervisor, effective_date=today - timedelta(days=30)
    )
    _follow(youth.plan, old, case_manager)
    page = reverse("plans:youth-detail", args=[youth.pk])
    content = cm_client.get(page).content.decode()
    assert reverse("policies:version-detail", args=[old.pk]) in content
    assert "Review: policy changed" not in content
    assert reverse("policies:plan-policies", args=[youth.plan.pk]) in content

    approved(social_media(), case_manager, other_supervisor, text="Newer.", effective_date=today)
    assert "Review: policy changed" in cm_client.get(page).content.decode()
