"""The plans demo seeder: fictional, varied, idempotent."""

import pytest
from django.db.models import F

from plans.demo import seed
from plans.models import AccessRule, TimeWindow, Youth
from shelter.demo import DemoStaff
from shelter.roles import Role
from tests.builders import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> DemoStaff:
    return DemoStaff(
        case_manager=make_staff("demo.cm1", Role.CASE_MANAGER),
        other_case_manager=make_staff("demo.cm2", Role.CASE_MANAGER),
        supervisor=make_staff("demo.sup1", Role.SUPERVISOR),
        other_supervisor=make_staff("demo.sup2", Role.SUPERVISOR),
        administrator=make_staff("demo.admin", Role.ADMINISTRATOR),
    )


def test_the_demo_youth_are_fictional_varied_and_seeded_once(staff: DemoStaff) -> None:
    seed(staff)
    seed(staff)

    youth = Youth.objects.all()
    assert youth.count() == 12
    assert all(item.client_id.startswith("DEMO-") for item in youth)
    assert {item.case_manager for item in youth} == {staff.case_manager, staff.other_case_manager}
    assert sum(item.is_discharged for item in youth) == 1
    assert TimeWindow.objects.filter(end_time__lt=F("start_time")).exists()  # overnight
    assert AccessRule.objects.filter(daily_limit_minutes__isnull=False).count() >= 5
    assert set(youth.values_list("plan__risk_level", flat=True)) == {
        "low",
        "moderate",
        "high",
    }
