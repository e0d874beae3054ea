"""Policy pages run a fixed number of queries, however many versions,
contributions and drafts there are: the same count with little and with much data."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.models import Policy, PolicyVersion
from policies.services import policy_version_submit
from shelter.models import User
from shelter.roles import Role
from tests.builders import make_staff, make_youth
from tests.policies.builders import approved, contribution, draft, social_media

pytestmark = pytest.mark.django_db

# Every signed-in request starts with: the session, the user, the user's groups (role).
REQUEST_BASE = 3
# A supervisor's also looks up the authenticator app that verified the session.
SUPERVISOR_BASE = REQUEST_BASE + 1


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _submitted_with_contributors(
    policy: Policy, author: User, approver: User, *, old_versions: int, contributors: int
) -> PolicyVersion:
    """`old_versions` approved versions, then a submitted draft with
    `contributors` youth contributions (alternating youth and former youth)."""
    for number in range(old_versions):
        approved(
            policy,
            author,
            approver,
            text=f"Version {number + 1} text.\n",
            effective_date=date(2026, 1, 1 + number),
        )
    version = draft(policy, author, text="Draft text, strictly prohibited.\n")
    facilitators = [author, approver]
    for index in range(contributors):
        if index % 2:
            contribution(version, author, pseudonym=f"Former {index}", credit="initials")
        else:
            youth = make_youth(
                author, client_id=f"TEST-{policy.pk}-{index:03}", preferred_name=f"Youth {index}"
            )
            record = contribution(version, author, youth=youth, credit="first_name")
            record.facilitated_by = facilitators[index % 2]
            record.save()
    version.refresh_from_db()
    return policy_version_submit(version=version, revision=version.revision, by=author)


@pytest.fixture
def small(case_manager: User, other_supervisor: User) -> PolicyVersion:
    return _submitted_with_contributors(
        social_media(), case_manager, other_supervisor, old_versions=1, contributors=1
    )


def _pages(version: PolicyVersion) -> dict[str, tuple[str, int]]:
    """Each page with its expected count (beyond REQUEST_BASE) and the queries it runs."""
    return {
        # policies; prefetch versions in force (with youth counts); open drafts;
        # versions approved for a later date
        "list": (reverse("policies:policy-list"), 4),
        # submitted versions with policy, author and youth count
        "queue": (reverse("policies:review-queue"), 1),
        # version (+policy, people); version in force; contributions (+youth, facilitator);
        # transitions (+by); active flagged phrases; library resources of its topics
        "version": (reverse("policies:version-detail", args=[version.pk]), 6),
        # the same as the version page (the diff and checks need no query)
        "review": (reverse("policies:version-review", args=[version.pk]), 5),
        # policy; all its versions (+author); contributions of the one in force;
        # has the user acknowledged it; library resources of its topics
        "policy": (reverse("policies:policy-detail", args=[version.policy_id]), 5),
    }


def test_policy_pages_run_the_same_queries_with_few_or_many_rows(
    supervisor_client: Client, case_manager: User, other_supervisor: User, small: PolicyVersion
) -> None:
    few = {name: _count(supervisor_client, url) for name, (url, _n) in _pages(small).items()}
    for name, (_url, expected) in _pages(small).items():
        assert few[name] == SUPERVISOR_BASE + expected, name
    # The same pages once there are many more versions, drafts and contributors.
    large = _large_after(case_manager, other_supervisor)
    many = {name: _count(supervisor_client, url) for name, (url, _n) in _pages(large).items()}
    assert many == few


def _large_after(case_manager: User, other_supervisor: User) -> PolicyVersion:
    """More data on top of the small fixture: a second batch of versions and
    contributors on other policies, and a big version for the per-version pages."""
    for key in ("internet", "mobile-devices", "gaming"):
        _submitted_with_contributors(
            Policy.objects.get(key=key),
            case_manager,
            other_supervisor,
            old_versions=2,
            contributors=3,
        )
    other = make_staff("sup.foxtrot", Role.SUPERVISOR, first_name="Frankie")
    return _submitted_with_contributors(
        Policy.objects.get(key="other-networked-technology"),
        case_manager,
        other,
        old_versions=4,
        contributors=8,
    )


def test_the_plan_page_and_the_acknowledgement_report_do_not_grow_with_rows(
    cm_client: Client, supervisor_client: Client, case_manager: User, other_supervisor: User
) -> None:
    youth = make_youth(case_manager)
    first = approved(social_media(), case_manager, other_supervisor)
    plan_url = reverse("policies:plan-policies", args=[youth.plan.pk])
    ack_url = reverse("policies:acknowledgements", args=[social_media().pk])
    cm_client.post(plan_url, {"versions": [first.pk], "expected": ""})
    # plan's youth id; youth (visible_to); plan; current links (+version, policy);
    # links needing review; versions in force for the choices
    few_plan = _count(cm_client, plan_url)
    assert few_plan == REQUEST_BASE + 6
    # policy; version in force; acknowledgements (+user); staff who have not
    few_ack = _count(supervisor_client, ack_url)
    assert few_ack == SUPERVISOR_BASE + 4
    links = {"versions": [first.pk]}
    for key in ("internet", "gaming", "mobile-devices"):
        links["versions"].append(
            approved(Policy.objects.get(key=key), case_manager, other_supervisor).pk
        )
    from policies.models import PlanPolicy

    expected = ",".join(str(pk) for pk in PlanPolicy.objects.values_list("pk", flat=True))
    cm_client.post(plan_url, {**links, "expected": expected})
    for index in range(4):
        make_staff(f"cm.extra{index}", Role.CASE_MANAGER)
    cm_client.post(reverse("policies:version-acknowledge", args=[first.pk]))
    assert _count(cm_client, plan_url) == few_plan
    assert _count(supervisor_client, ack_url) == few_ack
