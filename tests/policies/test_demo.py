"""The fictional demo policies: what a first look at the product shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from policies.credits import credits_for
from policies.demo import seed
from policies.models import PlanPolicy, Policy, PolicyVersion, Status
from shelter.demo import DemoStaff
from shelter.models import User
from tests.builders import make_youth

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(
    case_manager: User,
    other_case_manager: User,
    supervisor: User,
    other_supervisor: User,
    administrator: User,
) -> DemoStaff:
    return DemoStaff(case_manager, other_case_manager, supervisor, other_supervisor, administrator)


def test_the_demo_seeds_a_policy_in_force_a_draft_to_review_and_one_overdue(
    staff: DemoStaff, case_manager: User
) -> None:
    make_youth(case_manager, client_id="DEMO-0001", preferred_name="Demo Youth")
    seed(staff)
    today = timezone.localdate()
    social = Policy.objects.get(key="social-media")
    in_force = PolicyVersion.objects.filter(policy=social).in_force().get()
    assert in_force.number == 1
    credits = credits_for(c.as_contributor for c in in_force.contributions.all())
    assert credits.sentence == "Written with River, S., Demo and 1 youth who chose not to be named."
    assert PolicyVersion.objects.get(policy=social, number=2).status == Status.SUBMITTED
    overdue = PolicyVersion.objects.overdue_for_review(today)
    assert [v.policy.key for v in overdue] == ["internet"]
    assert PlanPolicy.objects.needing_review(today).count() == 1
    assert all(c.contributed_on <= today - timedelta(days=3) for c in in_force.contributions.all())


def test_the_demo_can_run_twice(staff: DemoStaff) -> None:
    seed(staff)
    count = PolicyVersion.objects.count()
    seed(staff)
    assert PolicyVersion.objects.count() == count == 5
