"""The policy pages, as each role meets them: what they show, what they refuse."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from policies.models import Contribution, PlanPolicy, Policy, PolicyVersion, Status
from shelter.models import User
from tests.builders import make_youth, signed_in_client
from tests.policies.builders import (
    approved,
    contribution,
    draft,
    social_media,
    submitted,
)

pytestmark = pytest.mark.django_db


def _state(version: PolicyVersion) -> tuple:
    fresh = PolicyVersion.objects.get(pk=version.pk)
    return (
        fresh.status,
        fresh.text,
        fresh.revision,
        fresh.effective_date,
        fresh.transitions.count(),
    )


def test_the_list_shows_each_topic_with_its_version_in_force(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    version = draft(social_media(), case_manager)
    contribution(version, case_manager, pseudonym="River")
    contribution(version, case_manager, pseudonym="Sky", credit="anonymous")
    version.refresh_from_db()
    from policies.services import policy_version_approve, policy_version_submit

    version = policy_version_submit(version=version, revision=version.revision, by=case_manager)
    policy_version_approve(
        version=version,
        revision=version.revision,
        by=supervisor,
        effective_date=date(2026, 1, 5),
        next_review_on=date(2026, 6, 5),
    )
    response = cm_client.get(reverse("policies:policy-list"))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.policy.key == "social-media")
    assert row.status == "Version 1 in force since 5 Jan 2026"
    assert row.in_force.youth_count == 2
    assert row.review_overdue  # 5 Jun 2026 has passed
    content = response.content.decode()
    for title in ("Social media", "Internet", "Mobile devices", "Gaming"):
        assert title in content
    assert "Review overdue" in content


def test_the_list_says_when_an_approved_version_comes_into_force(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    approved(social_media(), case_manager, supervisor, effective_date=date(2026, 1, 5))
    later = timezone.localdate() + timedelta(days=10)
    approved(
        social_media(),
        case_manager,
        supervisor,
        text="Later.",
        effective_date=later,
        next_review_on=later + timedelta(days=365),
    )
    response = cm_client.get(reverse("policies:policy-list"))
    row = next(r for r in response.context["rows"] if r.policy.key == "social-media")
    assert row.status == (
        f"Version 1 in force since 5 Jan 2026; version 2 approved, in force from {later:%-d %b %Y}"
    )


def test_the_policy_page_credits_co_authors_exactly_as_consented_without_client_ids(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    jo = make_youth(case_manager, preferred_name="Jo Fictional", client_id="TEST-SECRET-1")
    alex = make_youth(case_manager, preferred_name="Alex Brook", client_id="TEST-SECRET-2")
    hidden = make_youth(case_manager, preferred_name="Hidden Person", client_id="TEST-SECRET-3")
    version = draft(social_media(), case_manager)
    contribution(version, case_manager, youth=jo, credit="first_name")
    contribution(version, case_manager, youth=alex, credit="initials")
    contribution(version, case_manager, youth=hidden, credit="anonymous")
    contribution(version, case_manager, pseudonym="River", credit="anonymous")
    from policies.services import policy_version_approve, policy_version_submit

    version.refresh_from_db()
    version = policy_version_submit(version=version, revision=version.revision, by=case_manager)
    policy_version_approve(
        version=version,
        revision=version.revision,
        by=supervisor,
        effective_date=date(2026, 1, 5),
        next_review_on=date(2027, 1, 5),
    )
    response = cm_client.get(reverse("policies:policy-detail", args=[social_media().pk]))
    content = response.content.decode()
    assert "Written with Jo, A. B. and 2 youth who chose not to be named." in content
    assert "4 youth shaped this version." in content
    assert "TEST-SECRET" not in content
    assert "Hidden" not in content and "Alex" not in content
    # The version page shows names to staff who may see the youth, never client IDs.
    page = cm_client.get(reverse("policies:version-detail", args=[version.pk])).content.decode()
    assert "Alex Brook" in page and "TEST-SECRET" not in page


def test_another_caseloads_staff_see_only_the_consented_credit_on_a_version_page(
    other_cm_client: Client, case_manager: User
) -> None:
    jo = make_youth(case_manager, preferred_name="Jo Fictional")
    version = draft(social_media(), case_manager)
    contribution(version, case_manager, youth=jo, credit="initials")
    page = other_cm_client.get(reverse("policies:version-detail", args=[version.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "J. F." in content
    assert "Jo Fictional" not in content


MALICIOUS = (
    "# Rules\n\n"
    "<script>alert('x')</script>\n\n"
    '<img src=x onerror="alert(1)">\n\n'
    "[click me](javascript:alert(1))\n\n"
    '<a href="#" onclick="alert(2)">raw link</a>\n\n'
    "<iframe src='https://example.org'></iframe>\n"
)


def test_malicious_markdown_renders_harmless_on_the_policy_and_version_pages(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    version = approved(social_media(), case_manager, supervisor, text=MALICIOUS)
    for url in (
        reverse("policies:policy-detail", args=[social_media().pk]),
        reverse("policies:version-detail", args=[version.pk]),
    ):
        content = cm_client.get(url).content.decode()
        body = content.split('class="policy-text"', 1)[1].split("</div>", 1)[0]
        assert "<script" not in body
        assert "javascript:" not in body.lower()
        # Event handlers only matter inside a real tag; escaped text shows them harmlessly.
        assert not re.search(r"<[^>]*\son\w+\s*=", body)
        assert "&lt;script&gt;" in body or "alert('x')" not in body
        assert "<iframe" not in body and "<img" not in body
        # The policy's own headings sit under the page's h1 and section h2.
        assert "<h3>Rules</h3>" in body


def test_starting_a_draft_opens_the_editor_and_a_second_start_returns_the_same_draft(
    cm_client: Client, other_cm_client: Client
) -> None:
    url = reverse("policies:draft-new", args=[social_media().pk])
    first = cm_client.post(url)
    version = PolicyVersion.objects.get()
    assert first.status_code == 302
    assert first["Location"] == reverse("policies:version-edit", args=[version.pk])
    second = other_cm_client.post(url, follow=True)
    assert PolicyVersion.objects.count() == 1
    assert "already has an open draft" in second.content.decode()


def test_editing_a_draft_saves_the_text(cm_client: Client, case_manager: User) -> None:
    version = draft(social_media(), case_manager)
    url = reverse("policies:version-edit", args=[version.pk])
    assert cm_client.get(url).status_code == 200
    response = cm_client.post(url, {"text": "New words.", "revision": version.revision})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.text == "New words."


def test_an_edit_over_someone_elses_save_shows_who_and_what_changed_and_saves_nothing(
    cm_client: Client, case_manager: User, other_case_manager: User
) -> None:
    version = draft(social_media(), case_manager, text="Line one.\n")
    opened = version.revision
    from policies.services import policy_version_edit

    policy_version_edit(
        version=version, text="Line one by Blake.\n", revision=opened, by=other_case_manager
    )
    before = _state(version)
    response = cm_client.post(
        reverse("policies:version-edit", args=[version.pk]),
        {"text": "Line one by Avery.\n", "revision": opened},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Blake" in content and "since you opened it" in content
    assert "What changed meanwhile" in content
    assert "<ins>" in content or "<del>" in content
    assert _state(version) == before


def test_a_submitted_version_cannot_be_edited_through_the_page(
    cm_client: Client, case_manager: User
) -> None:
    version = submitted(social_media(), case_manager)
    before = _state(version)
    url = reverse("policies:version-edit", args=[version.pk])
    response = cm_client.post(url, {"text": "Sneaky.", "revision": version.revision}, follow=True)
    assert "can no longer be edited" in response.content.decode()
    assert _state(version) == before


def test_only_the_author_can_submit_and_the_button_shows_only_to_them(
    cm_client: Client, other_cm_client: Client, case_manager: User
) -> None:
    version = draft(social_media(), case_manager)
    url = reverse("policies:version-submit", args=[version.pk])
    page = other_cm_client.get(reverse("policies:version-detail", args=[version.pk]))
    assert page.context["can_submit"] is False
    assert "Submit for review" not in page.content.decode()
    refused = other_cm_client.post(url, {"revision": version.revision}, follow=True)
    assert "Only the author" in refused.content.decode()
    assert PolicyVersion.objects.get().status == Status.DRAFT
    cm_client.post(url, {"revision": version.revision})
    assert PolicyVersion.objects.get().status == Status.SUBMITTED


def test_the_draft_page_shows_the_checks_before_submitting(
    cm_client: Client, case_manager: User
) -> None:
    version = draft(social_media(), case_manager, text="Phones are strictly prohibited.\n")
    content = cm_client.get(reverse("policies:version-detail", args=[version.pk])).content.decode()
    assert "<mark>strictly prohibited</mark>" in content
    assert "No youth input is recorded" in content


def test_a_future_dated_contribution_is_refused_next_to_the_field(
    cm_client: Client, case_manager: User
) -> None:
    version = draft(social_media(), case_manager)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = cm_client.post(
        reverse("policies:contribution-new", args=[version.pk]),
        {
            "pseudonym": "River",
            "kind": "idea",
            "contributed_on": tomorrow.isoformat(),
            "facilitated_by": case_manager.pk,
            "credit": "anonymous",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contributed_on"] == [
        "The date cannot be in the future."
    ]
    assert not Contribution.objects.exists()


def test_a_contribution_cannot_name_another_caseloads_youth(
    cm_client: Client, case_manager: User, other_case_manager: User
) -> None:
    theirs = make_youth(other_case_manager, client_id="TEST-0099", preferred_name="Not Mine")
    version = draft(social_media(), case_manager)
    url = reverse("policies:contribution-new", args=[version.pk])
    assert "Not Mine" not in cm_client.get(url).content.decode()
    response = cm_client.post(
        url,
        {
            "youth": theirs.pk,
            "kind": "idea",
            "contributed_on": "2026-11-02",
            "facilitated_by": case_manager.pk,
            "credit": "first_name",
        },
    )
    assert "youth" in response.context["form"].errors
    assert not Contribution.objects.exists()


def test_a_contribution_is_recorded_with_a_youth_on_the_caseload(
    cm_client: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager, preferred_name="Jo Fictional")
    version = draft(social_media(), case_manager)
    response = cm_client.post(
        reverse("policies:contribution-new", args=[version.pk]),
        {
            "youth": youth.pk,
            "kind": "wording",
            "summary": "Suggested the check-in wording.",
            "contributed_on": "2026-11-02",
            "facilitated_by": case_manager.pk,
            "credit": "first_name",
        },
    )
    assert response.status_code == 302
    record = Contribution.objects.get()
    assert (record.youth, record.kind, record.recorded_by) == (youth, "wording", case_manager)


def test_the_review_page_shows_the_diff_the_checks_and_the_decision_forms(
    supervisor_client: Client, case_manager: User, other_supervisor: User
) -> None:
    approved(social_media(), case_manager, other_supervisor, text="Phones stay with youth.\n")
    version = submitted(
        social_media(), case_manager, text="Phones are strictly prohibited at night.\n"
    )
    response = supervisor_client.get(reverse("policies:version-review", args=[version.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<ins>" in content and "<del>" in content
    assert "<mark>strictly prohibited</mark>" in content
    assert 'data-testid="approve-form"' in content
    assert 'data-testid="return-form"' in content


def test_the_author_sees_no_approve_button_and_a_forced_post_is_refused(
    supervisor_client: Client, supervisor: User
) -> None:
    version = submitted(social_media(), supervisor)
    page = supervisor_client.get(reverse("policies:version-review", args=[version.pk]))
    assert 'data-testid="approve-form"' not in page.content.decode()
    assert "another supervisor has to" in page.content.decode()
    before = _state(version)
    response = supervisor_client.post(
        reverse("policies:version-approve", args=[version.pk]),
        {
            "approve-effective_date": "2026-11-02",
            "approve-next_review_on": "2027-11-02",
            "approve-revision": version.revision,
        },
    )
    assert response.status_code == 400
    assert "another supervisor" in response.content.decode()
    assert _state(version) == before


def test_another_supervisor_approves_and_a_stale_second_approval_is_refused(
    supervisor_client: Client, case_manager: User, other_supervisor: User
) -> None:
    version = submitted(social_media(), case_manager)
    data = {
        "approve-effective_date": "2026-11-02",
        "approve-next_review_on": "2027-11-02",
        "approve-revision": version.revision,
    }
    other = signed_in_client(other_supervisor)
    url = reverse("policies:version-approve", args=[version.pk])
    assert supervisor_client.post(url, data).status_code == 302
    before = _state(version)
    assert before[0] == Status.APPROVED
    stale = other.post(url, {**data, "approve-effective_date": "2026-12-01"})
    assert stale.status_code == 400
    assert "Nothing was changed" in stale.content.decode() or "Nothing was approved" in (
        stale.content.decode()
    )
    assert _state(version) == before


def test_an_effective_date_before_the_version_in_force_is_refused_next_to_the_field(
    supervisor_client: Client, case_manager: User, other_supervisor: User
) -> None:
    approved(social_media(), case_manager, other_supervisor, effective_date=date(2026, 6, 1))
    version = submitted(social_media(), case_manager, text="Second.")
    before = _state(version)
    response = supervisor_client.post(
        reverse("policies:version-approve", args=[version.pk]),
        {
            "approve-effective_date": "2026-05-01",
            "approve-next_review_on": "2027-05-01",
            "approve-revision": version.revision,
        },
    )
    assert response.status_code == 400
    errors = response.context["approve_form"].errors
    assert "cannot be before 1 Jun 2026" in errors["effective_date"][0]
    assert _state(version) == before


def test_returning_needs_a_comment_and_the_author_then_sees_it(
    supervisor_client: Client, cm_client: Client, case_manager: User
) -> None:
    version = submitted(social_media(), case_manager)
    url = reverse("policies:version-return", args=[version.pk])
    before = _state(version)
    empty = supervisor_client.post(url, {"return-comment": "", "return-revision": version.revision})
    assert empty.status_code == 400
    assert "comment" in empty.context["return_form"].errors
    assert _state(version) == before
    supervisor_client.post(
        url, {"return-comment": "Add a path back.", "return-revision": version.revision}
    )
    assert PolicyVersion.objects.get().status == Status.RETURNED
    page = cm_client.get(reverse("policies:version-detail", args=[version.pk])).content.decode()
    assert "Add a path back." in page
    # The transitions are listed on the version page, with who moved it.
    assert "moved it from “Submitted for review” to “Returned for changes”" in page
    assert "Charlie" in page


def test_a_supervisor_retires_a_policy_with_a_note(
    supervisor_client: Client, case_manager: User, other_supervisor: User
) -> None:
    approved(social_media(), case_manager, other_supervisor)
    url = reverse("policies:policy-retire", args=[social_media().pk])
    assert supervisor_client.get(url).status_code == 200
    empty = supervisor_client.post(url, {"note": ""})
    assert "note" in empty.context["form"].errors
    assert not social_media().is_retired
    supervisor_client.post(url, {"note": "Merged into the internet policy."})
    assert social_media().is_retired
    assert PolicyVersion.objects.get().status == Status.RETIRED


def test_staff_acknowledge_the_version_in_force_once_and_supervisors_see_who_has_not(
    cm_client: Client,
    supervisor_client: Client,
    case_manager: User,
    other_case_manager: User,
    other_supervisor: User,
) -> None:
    version = approved(social_media(), case_manager, other_supervisor)
    url = reverse("policies:version-acknowledge", args=[version.pk])
    first = cm_client.post(url, follow=True)
    assert "your acknowledgement is recorded" in first.content.decode()
    again = cm_client.post(url, follow=True)
    assert "already acknowledged" in again.content.decode()
    assert version.acknowledgements.count() == 1
    report = supervisor_client.get(reverse("policies:acknowledgements", args=[social_media().pk]))
    missing = {person.pk for person in report.context["missing"]}
    assert case_manager.pk not in missing
    assert other_case_manager.pk in missing and other_supervisor.pk in missing


def test_a_draft_cannot_be_acknowledged(cm_client: Client, case_manager: User) -> None:
    version = draft(social_media(), case_manager)
    response = cm_client.post(
        reverse("policies:version-acknowledge", args=[version.pk]), follow=True
    )
    assert "Only the version in force" in response.content.decode()
    assert not version.acknowledgements.exists()


def test_the_plan_page_records_the_versions_in_force_a_plan_follows(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    youth = make_youth(case_manager)
    version = approved(social_media(), case_manager, supervisor)
    url = reverse("policies:plan-policies", args=[youth.plan.pk])
    page = cm_client.get(url)
    assert page.status_code == 200
    assert "TEST-0001" not in page.content.decode()
    response = cm_client.post(url, {"versions": [version.pk], "expected": ""})
    assert response.status_code == 302
    link = PlanPolicy.objects.get()
    assert (link.plan, link.policy_version, link.recorded_by) == (youth.plan, version, case_manager)
    # A stale page (it saw no links) changes nothing.
    stale = cm_client.post(url, {"versions": [], "expected": ""})
    assert "Someone else changed" in stale.content.decode()
    assert PlanPolicy.objects.current().count() == 1


def test_a_newer_version_replaces_the_link_which_is_kept(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    youth = make_youth(case_manager)
    old = approved(social_media(), case_manager, supervisor, effective_date=date(2026, 1, 5))
    url = reverse("policies:plan-policies", args=[youth.plan.pk])
    cm_client.post(url, {"versions": [old.pk], "expected": ""})
    first = PlanPolicy.objects.get()
    new = approved(
        social_media(), case_manager, supervisor, text="Two.", effective_date=date(2026, 2, 5)
    )
    page = cm_client.get(url)
    assert "Review: policy changed" in page.content.decode()
    cm_client.post(url, {"versions": [new.pk], "expected": str(first.pk)})
    first.refresh_from_db()
    assert first.stopped_at is not None
    assert list(PlanPolicy.objects.current().values_list("policy_version", flat=True)) == [new.pk]
    assert PlanPolicy.objects.count() == 2


def test_the_plan_page_refuses_a_version_not_in_force(
    cm_client: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    waiting = submitted(social_media(), case_manager)
    response = cm_client.post(
        reverse("policies:plan-policies", args=[youth.plan.pk]),
        {"versions": [waiting.pk], "expected": ""},
    )
    assert "versions" in response.context["form"].errors
    assert not PlanPolicy.objects.exists()


def test_a_retired_policy_page_stays_readable(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    approved(social_media(), case_manager, supervisor)
    from policies.services import policy_retire

    policy_retire(policy=social_media(), by=supervisor, note="Merged.")
    content = cm_client.get(reverse("policies:policy-detail", args=[social_media().pk]))
    assert "Retired on" in content.content.decode()
    assert "Version 1" in content.content.decode()
    assert Policy.objects.count() == 5


def test_the_checks_use_the_phrase_list_administrators_keep(
    cm_client: Client, case_manager: User
) -> None:
    from policies.models import FlaggedPhrase

    assert set(FlaggedPhrase.objects.values_list("phrase", flat=True)) == {
        "under no circumstances",
        "zero tolerance",
        "immediate expulsion",
        "strictly prohibited",
        "will be banned",
        "permanently banned",
        "no exceptions",
        "immediately confiscated",
    }
    version = draft(social_media(), case_manager, text="Phones are strictly prohibited.\n")
    url = reverse("policies:version-detail", args=[version.pk])
    assert "<mark>strictly prohibited</mark>" in cm_client.get(url).content.decode()
    FlaggedPhrase.objects.filter(phrase="strictly prohibited").update(is_active=False)
    assert "<mark>" not in cm_client.get(url).content.decode()
    FlaggedPhrase.objects.create(phrase="phones are", explanation="A test phrase.")
    assert "<mark>Phones are</mark>" in cm_client.get(url).content.decode()


def test_an_overlong_text_is_refused_next_to_the_field(cm_client: Client, case_manager: User):
    version = draft(social_media(), case_manager)
    before = _state(version)
    response = cm_client.post(
        reverse("policies:version-edit", args=[version.pk]),
        {"text": "x" * 50_001, "revision": version.revision},
    )
    assert "text" in response.context["form"].errors
    assert _state(version) == before


def test_text_that_would_not_render_as_markdown_is_refused_next_to_the_field(
    cm_client: Client, case_manager: User
) -> None:
    version = draft(social_media(), case_manager)
    before = _state(version)
    deeply_nested = "".join("  " * depth + "- item\n" for depth in range(60))
    response = cm_client.post(
        reverse("policies:version-edit", args=[version.pk]),
        {"text": deeply_nested, "revision": version.revision},
    )
    assert response.context["form"].errors["text"]
    assert _state(version) == before
