"""A small, fixed, clearly fictional data set for the reports' tests."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from desk.models import AccessRequest, DeviceSession, GrantPreset, RequestKind
from desk.services import (
    access_request_decline,
    access_request_grant,
    access_request_record,
    access_request_withdraw,
)
from plans.models import AccessRule, Approval, Category, Plan, Restriction, TimeWindow, Youth
from plans.rightnow import State
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


# Youth requests and device check-outs, on top of the data set


@dataclass
class RequestSet:
    granted: AccessRequest
    declined: AccessRequest
    withdrawn: AccessRequest
    lapsed: AccessRequest
    waiting: AccessRequest

    reasons = (
        "Fictional: Quinn Fictional wants to call a cousin.",
        "Fictional: Rowan Madeup's school project is due.",
    )
    notes = ("Fictional: not tonight, Rowan Madeup.",)


def ask(youth: Youth, by: User, kind: str, now: datetime, **fields: Any) -> AccessRequest:
    fields.setdefault("categories", [Category.objects.get(key="social-media")])
    fields.setdefault("all_categories", False)
    fields.setdefault("reason", "Fictional: to finish a video call.")
    return access_request_record(actor=by, youth=youth, kind=kind, now=now, **fields)


def checked_out(youth: Youth, by: User, at_: datetime, state: str = "") -> DeviceSession:
    """A check-out of the youth's own phone, back an hour later."""
    return DeviceSession.objects.create(
        youth=youth,
        category=Category.objects.get(key="phone-possession"),
        checked_out_at=at_,
        checked_out_by=by,
        checked_in_at=at_ + timedelta(hours=1),
        checked_in_by=by,
        override_state=state,
        override_reason="Fictional: a call to a caseworker." if state else "",
    )


@pytest.fixture
def request_set(
    data_set: DataSet, case_manager: User, other_case_manager: User, supervisor: User
) -> RequestSet:
    """Five requests made in October and today: one granted after 30 minutes,
    one declined after 10, one withdrawn, one lapsed undecided and one waiting
    now; four device check-outs in October (three against the plan) and one in
    September."""
    quinn, rowan = data_set.quinn, data_set.rowan
    granted = ask(
        quinn,
        case_manager,
        RequestKind.EXTRA_MINUTES,
        at(2026, 10, 5, 18),
        minutes=30,
        reason=RequestSet.reasons[0],
    )
    granted = access_request_grant(
        actor=case_manager,
        request=granted,
        expected_version=granted.version,
        preset=GrantPreset.ONE_HOUR,
        note="Fictional: enjoy the call.",
        now=at(2026, 10, 5, 18) + timedelta(minutes=30),
    )
    declined = ask(
        rowan,
        other_case_manager,
        RequestKind.UNTIL,
        at(2026, 10, 6, 19),
        categories=[],
        all_categories=True,
        ends_at=at(2026, 10, 6, 22),
        reason=RequestSet.reasons[1],
    )
    declined = access_request_decline(
        actor=supervisor,
        request=declined,
        expected_version=declined.version,
        note=RequestSet.notes[0],
        now=at(2026, 10, 6, 19) + timedelta(minutes=10),
    )
    withdrawn = ask(
        quinn,
        case_manager,
        RequestKind.WINDOW,
        at(2026, 10, 7, 12),
        categories=[Category.objects.get(key="messaging")],
        starts_at=at(2026, 10, 7, 20),
        ends_at=at(2026, 10, 7, 21),
    )
    withdrawn = access_request_withdraw(
        actor=case_manager,
        request=withdrawn,
        expected_version=withdrawn.version,
        now=at(2026, 10, 7, 13),
    )
    lapsed = ask(
        quinn, case_manager, RequestKind.UNTIL, at(2026, 10, 8, 18), ends_at=at(2026, 10, 8, 22)
    )
    now = timezone.now()
    waiting = ask(
        rowan,
        other_case_manager,
        RequestKind.WINDOW,
        now,
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )
    checked_out(quinn, case_manager, at(2026, 10, 5, 21), State.OUTSIDE_WINDOW)
    checked_out(quinn, case_manager, at(2026, 10, 9, 21), State.OUTSIDE_WINDOW)
    checked_out(rowan, other_case_manager, at(2026, 10, 2, 15), State.RESTRICTED)
    checked_out(rowan, other_case_manager, at(2026, 10, 10, 15))
    checked_out(rowan, other_case_manager, at(2026, 9, 10, 15), State.LIMIT_REACHED)
    return RequestSet(
        granted=granted, declined=declined, withdrawn=withdrawn, lapsed=lapsed, waiting=waiting
    )
