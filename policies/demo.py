"""Fictional demo policies: every name is invented, every text harm-reduction.

The social media policy has version 1 in force, written with fictional youth,
and version 2 submitted for review; the internet policy is overdue for review;
the mobile devices policy moved from version 1 to 2, so a demo plan that still
follows version 1 shows "review: policy changed" on its case manager's home.
Idempotent: a policy that already has versions is left alone.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from plans.models import Youth
from policies.models import PlanPolicy, Policy, PolicyVersion
from policies.services import (
    contribution_record,
    plan_policies_set,
    policy_version_approve,
    policy_version_edit,
    policy_version_start_draft,
    policy_version_submit,
)
from shelter.models import User

if TYPE_CHECKING:
    from shelter.demo import DemoStaff

SOCIAL_MEDIA_V1 = """# Social media

Youth keep their own social media accounts while they stay with us. Staying in touch with
friends, family, school and work matters, and we help each youth do it safely.

## What staff do

- Sit down with each youth in their first week to check privacy settings together.
- Talk about how traffickers use "friends of friends", gifts and sudden attention.
- Agree on a plan with the youth: times of day, supervised use, or a daily limit.

## When a youth is at higher risk

Access may be supervised or paused **for a few days at most**, after which the youth
and their case manager review it together. A pause always has a reason and an end date.
"""

SOCIAL_MEDIA_V2 = SOCIAL_MEDIA_V1.replace(
    "- Agree on a plan with the youth: times of day, supervised use, or a daily limit.",
    "- Agree on a plan with the youth: times of day, supervised use, or a daily limit.\n"
    "- Show youth how to report and block accounts, and that they will not be in trouble "
    "for telling us.",
) + (
    "\nSharing photos that tag the shelter's location is strictly prohibited, because it "
    "can show people where a youth is staying.\n"
)

INTERNET_V1 = """# Internet

The shelter Wi-Fi is open to every youth from 7:00 to 23:00. Youth who need it for school or
work at other times ask a staff member. Filters block known harmful sites; they are not a
reason to stop talking with youth about what they see online.
"""

MOBILE_V1 = """# Mobile devices

Youth keep their phones. Staff offer a locked charging shelf at night for anyone who wants it.
"""

MOBILE_V2 = (
    MOBILE_V1
    + """
If a youth's phone is being used to contact them by someone who puts them in danger, their
case manager and the youth agree on supervised use for a set number of days, then review it.
"""
)


def _approve(version: PolicyVersion, by: User, *, days_ago: int, review_in_days: int) -> None:
    today = timezone.localdate()
    version.refresh_from_db()
    version = policy_version_submit(
        version=version, revision=version.revision, by=version.created_by
    )
    policy_version_approve(
        version=version,
        revision=version.revision,
        by=by,
        effective_date=today - timedelta(days=days_ago),
        next_review_on=today - timedelta(days=days_ago) + timedelta(days=review_in_days),
        comment="Fictional demo approval.",
    )


def _write(policy: Policy, author: User, text: str) -> PolicyVersion:
    version, _created = policy_version_start_draft(policy=policy, by=author)
    return policy_version_edit(version=version, text=text, revision=version.revision, by=author)


def seed(staff: "DemoStaff") -> None:
    today = timezone.localdate()
    social = Policy.objects.get(key="social-media")
    if not social.versions.exists():
        v1 = _write(social, staff.case_manager, SOCIAL_MEDIA_V1)
        demo_youth = list(
            Youth.objects.visible_to(staff.case_manager)
            .filter(client_id__startswith="DEMO-")
            .current()[:2]
        )
        contributors: list[tuple[Youth | None, str, str, str]] = [
            (None, "River", "idea", "first_name"),
            (None, "Sky", "wording", "initials"),
            (None, "Harbor", "vote", "anonymous"),
        ]
        contributors += [(youth, "", "feedback", "first_name") for youth in demo_youth]
        for index, (youth, pseudonym, kind, credit) in enumerate(contributors):
            contribution_record(
                version=v1,
                by=staff.case_manager,
                youth=youth,
                pseudonym=pseudonym,
                kind=kind,
                contributed_on=today - timedelta(days=220 - index),
                facilitated_by=staff.case_manager,
                credit=credit,
                summary="Fictional demo contribution.",
            )
        _approve(v1, staff.supervisor, days_ago=200, review_in_days=365)
        v2 = _write(social, staff.case_manager, SOCIAL_MEDIA_V2)
        contribution_record(
            version=v2,
            by=staff.case_manager,
            youth=None,
            pseudonym="River",
            kind="review",
            contributed_on=today - timedelta(days=3),
            facilitated_by=staff.case_manager,
            credit="first_name",
            summary="Asked for the report-and-block step.",
        )
        v2.refresh_from_db()
        policy_version_submit(version=v2, revision=v2.revision, by=staff.case_manager)

    internet = Policy.objects.get(key="internet")
    if not internet.versions.exists():
        version = _write(internet, staff.other_case_manager, INTERNET_V1)
        # In force for 400 days with a yearly review: overdue.
        _approve(version, staff.supervisor, days_ago=400, review_in_days=365)

    mobile = Policy.objects.get(key="mobile-devices")
    if not mobile.versions.exists():
        old = _write(mobile, staff.case_manager, MOBILE_V1)
        _approve(old, staff.other_supervisor, days_ago=300, review_in_days=365)
        youth = (
            Youth.objects.visible_to(staff.case_manager)
            .filter(client_id__startswith="DEMO-")
            .current()
            .first()
        )
        if youth is not None:
            plan_policies_set(
                plan=youth.plan,
                versions=[PolicyVersion.objects.get(pk=old.pk)],
                by=staff.case_manager,
                expected=frozenset(
                    PlanPolicy.objects.current()
                    .filter(plan=youth.plan)
                    .values_list("pk", flat=True)
                ),
            )
        new = _write(mobile, staff.other_case_manager, MOBILE_V2)
        _approve(new, staff.supervisor, days_ago=10, review_in_days=365)
