"""Youth co-authorship: recorded on drafts only, never in the future, credited
exactly as each youth consented."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from policies.credits import Contributor, credits_for, initials
from policies.models import Contribution
from shelter.models import User
from tests.builders import make_youth
from tests.policies.builders import approved, contribution, draft, social_media, submitted

pytestmark = pytest.mark.django_db


def test_credits_are_exactly_as_consented() -> None:
    credits = credits_for(
        [
            Contributor("youth:1", "Jo Example", "first_name"),
            Contributor("youth:2", "Alex Brook", "initials"),
            Contributor("youth:3", "Sam Hidden", "anonymous"),
            Contributor("pseudonym:river", "River", "anonymous"),
        ]
    )
    assert credits.sentence == "Written with Jo, A. B. and 2 youth who chose not to be named."
    assert credits.youth_count == 4


def test_a_youth_is_counted_once_and_credited_by_their_most_private_consent() -> None:
    credits = credits_for(
        [
            Contributor("youth:1", "Jo Example", "first_name"),
            Contributor("youth:1", "Jo Example", "initials"),
            Contributor("youth:2", "Kim Test", "first_name"),
        ]
    )
    assert credits.named == ["J. E.", "Kim"]
    assert credits.sentence == "Written with J. E. and Kim."
    assert credits.youth_count == 2


def test_one_anonymous_youth_reads_naturally_and_nobody_gives_no_sentence() -> None:
    assert credits_for([Contributor("youth:1", "X", "anonymous")]).sentence == (
        "Written with 1 youth who chose not to be named."
    )
    assert credits_for([]).sentence == ""
    assert initials("Mary-Jo  Doe") == "M. D."


def test_contributions_from_a_youth_and_a_former_youth_are_credited_on_the_version(
    case_manager: User,
) -> None:
    youth = make_youth(case_manager, preferred_name="Jo Fictional")
    version = draft(social_media(), case_manager)
    contribution(version, case_manager, youth=youth, credit="first_name")
    contribution(version, case_manager, pseudonym="River", credit="initials")
    contribution(version, case_manager, pseudonym="river", credit="anonymous", kind="vote")
    credits = credits_for(c.as_contributor for c in version.contributions.all())
    assert credits.sentence == "Written with Jo and 1 youth who chose not to be named."
    assert credits.youth_count == 2


def test_a_contribution_dated_in_the_future_is_refused(case_manager: User) -> None:
    version = draft(social_media(), case_manager)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        contribution(version, case_manager, pseudonym="River", contributed_on=tomorrow)
    assert error.value.message_dict["contributed_on"] == ["The date cannot be in the future."]
    assert not Contribution.objects.exists()


def test_a_contribution_names_a_youth_or_a_pseudonym_not_both_nor_neither(
    case_manager: User,
) -> None:
    youth = make_youth(case_manager)
    version = draft(social_media(), case_manager)
    with pytest.raises(ValidationError) as neither:
        contribution(version, case_manager)
    assert "youth" in neither.value.message_dict
    with pytest.raises(ValidationError) as both:
        contribution(version, case_manager, youth=youth, pseudonym="River")
    assert "pseudonym" in both.value.message_dict
    assert not Contribution.objects.exists()


def test_a_case_manager_cannot_credit_another_caseloads_youth(
    case_manager: User, other_case_manager: User
) -> None:
    theirs = make_youth(other_case_manager, client_id="TEST-0002")
    version = draft(social_media(), case_manager)
    with pytest.raises(ValidationError) as error:
        contribution(version, case_manager, youth=theirs)
    assert "youth" in error.value.message_dict
    assert not Contribution.objects.exists()


def test_contributions_are_recorded_on_drafts_only(case_manager: User, supervisor: User) -> None:
    waiting = submitted(social_media(), case_manager)
    with pytest.raises(ValidationError, match="drafts only"):
        contribution(waiting, case_manager, pseudonym="River")
    gaming = approved(social_media().__class__.objects.get(key="gaming"), case_manager, supervisor)
    with pytest.raises(ValidationError, match="drafts only"):
        contribution(gaming, case_manager, pseudonym="River")
    assert not Contribution.objects.exists()


def test_staff_see_a_youths_name_only_if_they_may_see_the_youth(
    case_manager: User, other_case_manager: User, supervisor: User
) -> None:
    youth = make_youth(case_manager, preferred_name="Jo Fictional")
    version = draft(social_media(), case_manager)
    record = contribution(version, case_manager, youth=youth, credit="initials")
    assert record.label_for(case_manager) == "Jo Fictional"
    assert record.label_for(supervisor) == "Jo Fictional"
    assert record.label_for(other_case_manager) == "J. F."
    record.credit = "anonymous"
    assert record.label_for(other_case_manager) == "A youth (not named)"
    assert date(2026, 11, 2) == record.contributed_on
