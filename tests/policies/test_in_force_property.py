"""The version in force, computed in SQL (PolicyVersionQuerySet.in_force) and
in memory (in_force_among), agrees for any history of approvals and retirement."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.models import PolicyVersion, Status, in_force_among
from shelter.models import User
from tests.policies.builders import social_media

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)

# Each version: approved or retired, effective some days after START.
histories = st.lists(
    st.tuples(st.sampled_from([Status.APPROVED, Status.RETIRED]), st.integers(0, 20)),
    min_size=0,
    max_size=6,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories)
def test_sql_and_memory_agree_on_the_version_in_force(case_manager: User, history) -> None:
    policy = social_media()
    # Test-only reset between examples (the product never deletes a version).
    PolicyVersion.objects.filter(policy=policy).delete()
    versions = [
        PolicyVersion.objects.create(
            policy=policy,
            number=number,
            text=f"Version {number}",
            status=status,
            created_by=case_manager,
            updated_by=case_manager,
            effective_date=START + timedelta(days=offset),
            next_review_on=START + timedelta(days=offset + 365),
        )
        for number, (status, offset) in enumerate(history, start=1)
    ]
    for day in (START + timedelta(days=n) for n in range(-1, 23)):
        in_sql = list(PolicyVersion.objects.filter(policy=policy).in_force(day))
        in_memory = in_force_among(versions, day)
        assert in_sql == ([in_memory] if in_memory else []), day
        # At most one version in force per policy, and only an approved one.
        assert len(in_sql) <= 1
        assert all(v.status == Status.APPROVED for v in in_sql)
