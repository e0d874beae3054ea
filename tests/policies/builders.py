"""Builders for policy tests: versions taken through the real services, with
fixed dates and clearly fictional text."""

from datetime import date

from policies.models import Contribution, Policy, PolicyVersion
from policies.services import (
    contribution_record,
    policy_version_approve,
    policy_version_edit,
    policy_version_start_draft,
    policy_version_submit,
)
from shelter.models import User

HARM_REDUCTION_TEXT = (
    "# Social media\n\n"
    "Youth keep their accounts. Staff help each youth set privacy settings.\n\n"
    "If a youth is at higher risk, access may be supervised for a few days, "
    "after which the youth and case manager review it together.\n"
)


def social_media() -> Policy:
    return Policy.objects.get(key="social-media")


def draft(policy: Policy, author: User, text: str = HARM_REDUCTION_TEXT) -> PolicyVersion:
    version, _created = policy_version_start_draft(policy=policy, by=author)
    return policy_version_edit(version=version, text=text, revision=version.revision, by=author)


def submitted(policy: Policy, author: User, text: str = HARM_REDUCTION_TEXT) -> PolicyVersion:
    version = draft(policy, author, text)
    return policy_version_submit(version=version, revision=version.revision, by=author)


def approved(
    policy: Policy,
    author: User,
    approver: User,
    *,
    text: str = HARM_REDUCTION_TEXT,
    effective_date: date = date(2026, 1, 5),
    next_review_on: date = date(2027, 1, 5),
) -> PolicyVersion:
    version = submitted(policy, author, text)
    return policy_version_approve(
        version=version,
        revision=version.revision,
        by=approver,
        effective_date=effective_date,
        next_review_on=next_review_on,
    )


def contribution(
    version: PolicyVersion,
    by: User,
    *,
    youth=None,
    pseudonym: str = "",
    credit: str = "first_name",
    kind: str = "idea",
    contributed_on: date = date(2026, 11, 2),
) -> Contribution:
    return contribution_record(
        version=version,
        by=by,
        youth=youth,
        pseudonym=pseudonym,
        kind=kind,
        contributed_on=contributed_on,
        facilitated_by=by,
        credit=credit,
    )
