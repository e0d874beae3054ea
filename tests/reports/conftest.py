"""A small, fixed, clearly fictional data set for the reports' tests."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from plans.models import AccessRule, Approval, Plan, Restriction, TimeWindow, Youth
from policies.models import PolicyVersion
from policies.services import policy_version_approve, policy_version_submit
from shelter.models import User
from tests.builders import admit_youth, make_restriction
from tests.policies.builders import contribution, draft, social_media

ZONE = ZoneInfo("America/New_York")


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=ZONE)


@dataclass
class DataSet:
    quinn: Youth
    rowan: Youth
    in_force: Restriction
    lifted: Restriction
    version: PolicyVersion

    names = ("Quinn Fictional", "Rowan Madeup")
    client_ids = ("TEST-0101", "TEST-0102")


@pytest.fixture
def data_set(case_manager: User, other_case_manager: User, supervisor: User) -> DataSet:
    quinn = admit_youth(case_manager, preferred_name="Quinn Fictional", client_id="TEST-0101")
    rowan = admit_youth(other_case_manager, preferred_name="Rowan Madeup", client_id="TEST-0102")
    Plan.objects.filter(youth=quinn).update(
        risk_level="high", next_review_on=date(2026, 1, 10), risk_assessed_at=at(2026, 11, 2)
    )
    Plan.objects.filter(youth=rowan).update(risk_level="low", next_review_on=date(2099, 1, 10))
    rule = AccessRule.objects.get(plan__youth=quinn, category__key="social-media")
    AccessRule.objects.filter(pk=rule.pk).update(supervised=True, daily_limit_minutes=60)
    TimeWindow.objects.create(
        rule=rule, weekdays=0b0011111, start_time=time(16, 0), end_time=time(20, 0)
    )
    now = timezone.now()
    in_force = make_restriction(
        quinn,
        case_manager,
        categories=["social-media", "messaging"],
        starts_at=now - timezone.timedelta(hours=1),
        ends_at=now + timezone.timedelta(days=2),
    )
    lifted = make_restriction(
        rowan,
        other_case_manager,
        all_categories=True,
        starts_at=at(2026, 10, 1),
        ends_at=at(2026, 10, 6),
        imposed_at=at(2026, 10, 1),
        approval=Approval.APPROVED,
        decided_by=supervisor,
        decided_at=at(2026, 10, 1, 11),
        lifted_at=at(2026, 10, 3),
        lifted_by=other_case_manager,
        reason="Fictional: a stranger asked Rowan Madeup to meet.",
    )
    version = draft(social_media(), case_manager)
    contribution(version, case_manager, youth=quinn)
    version = policy_version_submit(version=version, revision=version.revision, by=case_manager)
    version = policy_version_approve(
        version=version,
        revision=version.revision,
        by=supervisor,
        effective_date=date(2026, 11, 5),
        next_review_on=date(2027, 11, 5),
    )
    return DataSet(quinn=quinn, rowan=rowan, in_force=in_force, lifted=lifted, version=version)
