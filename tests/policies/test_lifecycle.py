"""The life of a policy version: draft → submitted → approved (in force from its
effective date) or returned → draft again; retired. Illegal moves change nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from policies.models import (
    Policy,
    PolicyTransition,
    PolicyVersion,
    Status,
    in_force_among,
)
from policies.services import (
    EditConflict,
    policy_retire,
    policy_version_approve,
    policy_version_edit,
    policy_version_return,
    policy_version_start_draft,
    policy_version_submit,
)
from shelter.models import User
from tests.policies.builders import approved, draft, social_media, submitted

pytestmark = pytest.mark.django_db


def _snapshot(version: PolicyVersion) -> tuple:
    fresh = PolicyVersion.objects.get(pk=version.pk)
    return (
        fresh.status,
        fresh.text,
        fresh.revision,
        fresh.effective_date,
        fresh.next_review_on,
        fresh.approved_by_id,
        PolicyTransition.objects.filter(version=version).count(),
        fresh.history.count(),
    )


def test_the_five_topics_are_seeded_without_versions() -> None:
    assert list(Policy.objects.values_list("title", flat=True)) == [
        "Social media",
        "Internet",
        "Mobile devices",
        "Gaming",
        "Other networked technology",
    ]
    assert not PolicyVersion.objects.exists()


def test_a_draft_is_numbered_per_policy_and_starts_from_the_version_in_force(
    case_manager: User, supervisor: User
) -> None:
    first = approved(social_media(), case_manager, supervisor, text="Version one text.")
    second, created = policy_version_start_draft(policy=social_media(), by=case_manager)
    other, _ = policy_version_start_draft(policy=Policy.objects.get(key="gaming"), by=case_manager)
    assert created
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert second.text == "Version one text."
    assert second.based_on == first
    assert second.status == Status.DRAFT


def test_a_draft_starts_from_a_version_approved_for_later_rather_than_the_older_one(
    case_manager: User, supervisor: User
) -> None:
    approved(social_media(), case_manager, supervisor, text="One.", effective_date=date(2026, 1, 5))
    coming = approved(
        social_media(),
        case_manager,
        supervisor,
        text="Two, from next year.",
        effective_date=date(2099, 1, 5),
        next_review_on=date(2099, 6, 5),
    )
    third, _ = policy_version_start_draft(policy=social_media(), by=case_manager)
    assert (third.text, third.based_on) == ("Two, from next year.", coming)


def test_a_policy_has_one_open_draft_and_starting_another_returns_it(
    case_manager: User, other_case_manager: User
) -> None:
    first, created = policy_version_start_draft(policy=social_media(), by=case_manager)
    again, created_again = policy_version_start_draft(policy=social_media(), by=other_case_manager)
    assert created and not created_again
    assert again == first
    assert PolicyVersion.objects.count() == 1


def test_the_whole_lifecycle_records_every_transition(case_manager: User, supervisor: User) -> None:
    version = draft(social_media(), case_manager)
    version = policy_version_submit(version=version, revision=version.revision, by=case_manager)
    version = policy_version_return(
        version=version, revision=version.revision, by=supervisor, comment="Add a path back."
    )
    assert version.status == Status.RETURNED
    version = policy_version_edit(
        version=version, text="Fixed text.", revision=version.revision, by=case_manager
    )
    version = policy_version_submit(version=version, revision=version.revision, by=case_manager)
    version = policy_version_approve(
        version=version,
        revision=version.revision,
        by=supervisor,
        effective_date=date(2026, 11, 2),
        next_review_on=date(2027, 5, 2),
    )
    steps = [
        (t.from_status, t.to_status, t.by_id, t.comment)
        for t in PolicyTransition.objects.filter(version=version)
    ]
    assert steps == [
        ("", "draft", case_manager.pk, "Started from a blank page."),
        ("draft", "submitted", case_manager.pk, ""),
        ("submitted", "returned", supervisor.pk, "Add a path back."),
        ("returned", "submitted", case_manager.pk, ""),
        ("submitted", "approved", supervisor.pk, ""),
    ]
    assert version.approved_by == supervisor
    assert PolicyVersion.objects.in_force(date(2026, 11, 2)).get() == version
    assert not PolicyVersion.objects.in_force(date(2026, 11, 1)).exists()


def test_a_future_effective_date_keeps_the_old_version_in_force_until_that_day(
    case_manager: User, supervisor: User
) -> None:
    old = approved(social_media(), case_manager, supervisor, effective_date=date(2026, 1, 5))
    new = approved(
        social_media(),
        case_manager,
        supervisor,
        text="New text.",
        effective_date=date(2026, 12, 10),
        next_review_on=date(2027, 6, 10),
    )
    versions = PolicyVersion.objects.all()
    assert list(versions.in_force(date(2026, 12, 9))) == [old]
    assert list(versions.coming(date(2026, 12, 9))) == [new]
    assert not versions.superseded(date(2026, 12, 9)).exists()
    # On the effective date, with nothing running at midnight:
    assert list(versions.in_force(date(2026, 12, 10))) == [new]
    assert list(versions.superseded(date(2026, 12, 10))) == [old]
    assert in_force_among(list(versions), date(2026, 12, 9)) == old
    assert in_force_among(list(versions), date(2026, 12, 10)) == new
    assert old.status_label(in_force_id=new.pk, today=date(2026, 12, 10)) == "Superseded"
    assert (
        new.status_label(in_force_id=old.pk, today=date(2026, 12, 9))
        == "Approved, in force from 10 Dec 2026"
    )
    assert old.status_label(in_force_id=old.pk, today=date(2026, 12, 9)) == (
        "In force since 5 Jan 2026"
    )


def test_two_versions_effective_the_same_day_the_later_number_is_in_force(
    case_manager: User, supervisor: User
) -> None:
    approved(social_media(), case_manager, supervisor, effective_date=date(2026, 3, 1))
    second = approved(
        social_media(), case_manager, supervisor, text="B.", effective_date=date(2026, 3, 1)
    )
    assert list(PolicyVersion.objects.in_force(date(2026, 3, 1))) == [second]


def test_retiring_a_policy_retires_its_version_in_force_and_keeps_the_rest(
    case_manager: User, supervisor: User
) -> None:
    old = approved(social_media(), case_manager, supervisor, effective_date=date(2026, 1, 5))
    current = approved(
        social_media(), case_manager, supervisor, text="Two.", effective_date=date(2026, 2, 5)
    )
    policy_retire(policy=social_media(), by=supervisor, note="Merged into the internet policy.")
    current.refresh_from_db()
    old.refresh_from_db()
    assert current.status == Status.RETIRED
    assert old.status == Status.APPROVED  # superseded, not retired
    assert not PolicyVersion.objects.in_force().exists()
    assert social_media().is_retired
    assert PolicyTransition.objects.filter(version=current, to_status="retired").exists()
    with pytest.raises(ValidationError, match="retired"):
        policy_version_start_draft(policy=social_media(), by=case_manager)
    assert PolicyVersion.objects.count() == 2


def test_a_case_manager_cannot_retire_and_a_note_is_required(
    case_manager: User, supervisor: User
) -> None:
    with pytest.raises(ValidationError):
        policy_retire(policy=social_media(), by=case_manager, note="No.")
    with pytest.raises(ValidationError) as error:
        policy_retire(policy=social_media(), by=supervisor, note="  ")
    assert "note" in error.value.message_dict
    assert not social_media().is_retired


def test_the_author_cannot_approve_their_own_draft(supervisor: User) -> None:
    version = submitted(social_media(), supervisor)
    before = _snapshot(version)
    with pytest.raises(ValidationError, match="another supervisor"):
        policy_version_approve(
            version=version,
            revision=version.revision,
            by=supervisor,
            effective_date=date(2026, 11, 2),
            next_review_on=date(2027, 11, 2),
        )
    assert _snapshot(version) == before


def test_a_case_manager_cannot_approve_or_return(case_manager: User, other_case_manager: User):
    version = submitted(social_media(), case_manager)
    before = _snapshot(version)
    with pytest.raises(ValidationError, match="supervisor"):
        policy_version_approve(
            version=version,
            revision=version.revision,
            by=other_case_manager,
            effective_date=date(2026, 11, 2),
            next_review_on=date(2027, 11, 2),
        )
    with pytest.raises(ValidationError, match="supervisor"):
        policy_version_return(
            version=version, revision=version.revision, by=other_case_manager, comment="No."
        )
    assert _snapshot(version) == before


def test_a_stale_second_approval_is_refused(
    case_manager: User, supervisor: User, other_supervisor: User
) -> None:
    version = submitted(social_media(), case_manager)
    stale = PolicyVersion.objects.get(pk=version.pk)  # the second reviewer's open page
    policy_version_approve(
        version=version,
        revision=version.revision,
        by=supervisor,
        effective_date=date(2026, 11, 2),
        next_review_on=date(2027, 11, 2),
    )
    before = _snapshot(version)
    with pytest.raises(ValidationError, match="Nothing was approved") as error:
        policy_version_approve(
            version=stale,
            revision=stale.revision,
            by=other_supervisor,
            effective_date=date(2026, 12, 1),
            next_review_on=date(2027, 12, 1),
        )
    assert "Charlie" in str(error.value)
    assert _snapshot(version) == before


def test_a_submitted_or_approved_version_cannot_be_edited(
    case_manager: User, supervisor: User
) -> None:
    waiting = submitted(social_media(), case_manager)
    in_force = approved(Policy.objects.get(key="gaming"), case_manager, supervisor)
    for version in (waiting, in_force):
        before = _snapshot(version)
        with pytest.raises(ValidationError, match="can no longer be edited"):
            policy_version_edit(
                version=version, text="Changed.", revision=version.revision, by=case_manager
            )
        assert _snapshot(version) == before


def test_an_edit_over_someone_elses_save_is_refused_with_who_and_when(
    case_manager: User, other_case_manager: User
) -> None:
    version = draft(social_media(), case_manager)
    opened_at = version.revision
    policy_version_edit(
        version=version, text="Blake's text.", revision=opened_at, by=other_case_manager
    )
    before = _snapshot(version)
    with pytest.raises(EditConflict, match="Blake") as error:
        policy_version_edit(
            version=version, text="Avery's text.", revision=opened_at, by=case_manager
        )
    assert "since you opened it" in str(error.value)
    assert _snapshot(version) == before


def test_an_effective_date_before_the_version_in_force_is_refused(
    case_manager: User, supervisor: User
) -> None:
    approved(social_media(), case_manager, supervisor, effective_date=date(2026, 6, 1))
    version = submitted(social_media(), case_manager, text="Second.")
    before = _snapshot(version)
    with pytest.raises(ValidationError) as error:
        policy_version_approve(
            version=version,
            revision=version.revision,
            by=supervisor,
            effective_date=date(2026, 5, 31),
            next_review_on=date(2027, 5, 31),
        )
    assert "cannot be before 1 Jun 2026" in error.value.message_dict["effective_date"][0]
    assert _snapshot(version) == before


def test_the_next_review_must_come_after_the_effective_date(
    case_manager: User, supervisor: User
) -> None:
    version = submitted(social_media(), case_manager)
    before = _snapshot(version)
    with pytest.raises(ValidationError) as error:
        policy_version_approve(
            version=version,
            revision=version.revision,
            by=supervisor,
            effective_date=date(2026, 6, 1),
            next_review_on=date(2026, 6, 1),
        )
    assert "next_review_on" in error.value.message_dict
    assert _snapshot(version) == before


def test_only_the_author_submits_and_only_once(
    case_manager: User, other_case_manager: User, supervisor: User
) -> None:
    version = draft(social_media(), case_manager)
    # Any writer may edit a shared draft…
    version = policy_version_edit(
        version=version, text="Shared work.", revision=version.revision, by=other_case_manager
    )
    before = _snapshot(version)
    # …but only its author submits it.
    with pytest.raises(ValidationError, match="Only the author"):
        policy_version_submit(version=version, revision=version.revision, by=other_case_manager)
    assert _snapshot(version) == before
    version = policy_version_submit(version=version, revision=version.revision, by=case_manager)
    before = _snapshot(version)
    with pytest.raises(ValidationError, match="already"):
        policy_version_submit(version=version, revision=version.revision, by=case_manager)
    assert _snapshot(version) == before


@pytest.mark.parametrize("action", ["approve", "return"])
def test_a_draft_not_submitted_cannot_be_approved_or_returned(
    case_manager: User, supervisor: User, action: str
) -> None:
    version = draft(social_media(), case_manager)
    before = _snapshot(version)
    with pytest.raises(ValidationError, match="not waiting for review"):
        if action == "approve":
            policy_version_approve(
                version=version,
                revision=version.revision,
                by=supervisor,
                effective_date=date(2026, 11, 2),
                next_review_on=date(2027, 11, 2),
            )
        else:
            policy_version_return(
                version=version, revision=version.revision, by=supervisor, comment="Why?"
            )
    assert _snapshot(version) == before


def test_returning_needs_a_comment(case_manager: User, supervisor: User) -> None:
    version = submitted(social_media(), case_manager)
    before = _snapshot(version)
    with pytest.raises(ValidationError) as error:
        policy_version_return(version=version, revision=version.revision, by=supervisor, comment="")
    assert "comment" in error.value.message_dict
    assert _snapshot(version) == before


def test_an_administrator_cannot_write_drafts(administrator: User) -> None:
    with pytest.raises(ValidationError):
        policy_version_start_draft(policy=social_media(), by=administrator)
    assert not PolicyVersion.objects.exists()


def test_every_change_is_kept_in_history(case_manager: User, supervisor: User) -> None:
    version = approved(social_media(), case_manager, supervisor)
    statuses = list(version.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["draft", "draft", "submitted", "approved"]
