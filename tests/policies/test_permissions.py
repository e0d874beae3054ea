"""Who may use each policy URL: roles (403), objects outside a caseload (404),
and methods (405). Every URL of the app appears here."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from policies.models import PolicyVersion, Status
from shelter.models import User
from tests.builders import make_youth
from tests.policies.builders import approved, draft, social_media, submitted

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    policy_id: int
    in_force_id: int
    waiting_id: int
    draft_id: int
    plan_id: int


@pytest.fixture
def world(case_manager: User, supervisor: User, other_supervisor: User) -> World:
    from policies.models import Policy

    in_force = approved(social_media(), case_manager, other_supervisor)
    waiting = submitted(social_media(), case_manager, text="A change.")
    open_draft = draft(Policy.objects.get(key="gaming"), case_manager)
    youth = make_youth(case_manager)
    return World(social_media().pk, in_force.pk, waiting.pk, open_draft.pk, youth.plan.pk)


def _url(name: str, world: World) -> str:
    kwargs = {
        "policy-list": {},
        "review-queue": {},
        "policy-detail": {"policy_id": world.policy_id},
        "draft-new": {"policy_id": world.policy_id},
        "policy-retire": {"policy_id": world.policy_id},
        "acknowledgements": {"policy_id": world.policy_id},
        "version-detail": {"version_id": world.in_force_id},
        "version-edit": {"version_id": world.draft_id},
        "version-submit": {"version_id": world.draft_id},
        "contribution-new": {"version_id": world.draft_id},
        "version-review": {"version_id": world.waiting_id},
        "version-approve": {"version_id": world.waiting_id},
        "version-return": {"version_id": world.waiting_id},
        "version-acknowledge": {"version_id": world.in_force_id},
        "plan-policies": {"plan_id": world.plan_id},
    }[name]
    return reverse(f"policies:{name}", kwargs=kwargs)


ALL_NAMES = [
    "policy-list",
    "review-queue",
    "policy-detail",
    "draft-new",
    "policy-retire",
    "acknowledgements",
    "version-detail",
    "version-edit",
    "version-submit",
    "contribution-new",
    "version-review",
    "version-approve",
    "version-return",
    "version-acknowledge",
    "plan-policies",
]
POST_ONLY = [
    "draft-new",
    "version-submit",
    "version-approve",
    "version-return",
    "version-acknowledge",
]
GET_ONLY = [
    "policy-list",
    "review-queue",
    "policy-detail",
    "acknowledgements",
    "version-detail",
    "version-review",
]


def test_the_list_of_names_covers_every_url_of_the_app() -> None:
    from policies.urls import urlpatterns

    assert sorted(pattern.name for pattern in urlpatterns) == sorted(ALL_NAMES)


@pytest.mark.parametrize("name", POST_ONLY)
def test_actions_refuse_get(cm_client: Client, world: World, name: str) -> None:
    assert cm_client.get(_url(name, world)).status_code == 405


@pytest.mark.parametrize("name", GET_ONLY)
def test_pages_refuse_post(supervisor_client: Client, world: World, name: str) -> None:
    assert supervisor_client.post(_url(name, world)).status_code == 405


@pytest.mark.parametrize(
    "name", ["version-edit", "contribution-new", "policy-retire", "plan-policies"]
)
def test_forms_refuse_put(supervisor_client: Client, world: World, name: str) -> None:
    assert supervisor_client.put(_url(name, world)).status_code == 405


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("review-queue", "get"),
        ("version-review", "get"),
        ("version-approve", "post"),
        ("version-return", "post"),
        ("policy-retire", "get"),
        ("policy-retire", "post"),
        ("acknowledgements", "get"),
    ],
)
def test_a_case_manager_cannot_review_approve_return_or_retire(
    cm_client: Client, world: World, name: str, method: str
) -> None:
    response = getattr(cm_client, method)(_url(name, world), {"comment": "x", "note": "x"})
    assert response.status_code == 403
    assert PolicyVersion.objects.get(pk=world.waiting_id).status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("draft-new", "post"),
        ("version-edit", "get"),
        ("version-edit", "post"),
        ("version-submit", "post"),
        ("contribution-new", "get"),
        ("contribution-new", "post"),
        ("version-review", "get"),
        ("version-approve", "post"),
        ("version-return", "post"),
        ("policy-retire", "post"),
        ("plan-policies", "get"),
        ("plan-policies", "post"),
    ],
)
def test_an_administrator_reads_but_cannot_write(
    admin_client_: Client, world: World, name: str, method: str
) -> None:
    before = list(PolicyVersion.objects.order_by("pk").values_list("status", "text", "revision"))
    assert getattr(admin_client_, method)(_url(name, world)).status_code == 403
    after = list(PolicyVersion.objects.order_by("pk").values_list("status", "text", "revision"))
    assert after == before


@pytest.mark.parametrize(
    "name", ["policy-list", "policy-detail", "version-detail", "acknowledgements"]
)
def test_an_administrator_reads_the_policies(admin_client_: Client, world: World, name: str):
    assert admin_client_.get(_url(name, world)).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["policy-list", "policy-detail", "version-detail", "version-edit", "contribution-new"],
)
def test_another_case_manager_may_read_and_work_on_shared_drafts(
    other_cm_client: Client, world: World, name: str
) -> None:
    assert other_cm_client.get(_url(name, world)).status_code == 200


def test_the_plan_page_of_another_caseloads_youth_is_not_found(
    other_cm_client: Client, world: World
) -> None:
    url = _url("plan-policies", world)
    assert other_cm_client.get(url).status_code == 404
    assert other_cm_client.post(url, {"versions": [world.in_force_id]}).status_code == 404


def test_a_supervisor_may_record_the_plan_policies_of_any_youth(
    supervisor_client: Client, world: World
) -> None:
    assert supervisor_client.get(_url("plan-policies", world)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/policies/999999/",
        "/policies/versions/999999/",
        "/policies/versions/999999/review/",
        "/policies/plans/999999/",
    ],
)
def test_unknown_ids_are_not_found(supervisor_client: Client, world: World, url: str) -> None:
    assert supervisor_client.get(url).status_code == 404


def test_the_menu_shows_policies_to_all_reviews_to_supervisors_phrases_to_administrators(
    cm_client: Client, supervisor_client: Client, admin_client_: Client
) -> None:
    def labels(client: Client) -> set[str]:
        return {item.label for item in client.get(reverse("home")).context["nav_items"]}

    assert "Policies" in labels(cm_client) and "Policy reviews" not in labels(cm_client)
    assert {"Policies", "Policy reviews"} <= labels(supervisor_client)
    assert {"Policies", "Settings"} <= labels(admin_client_)
    settings_page = admin_client_.get(reverse("admin:index"))
    assert reverse("admin:policies_flaggedphrase_changelist") in settings_page.content.decode()


def test_administrators_edit_flagged_phrases_in_the_admin_but_never_delete_them(
    admin_client_: Client,
) -> None:
    from policies.models import FlaggedPhrase

    phrase = FlaggedPhrase.objects.get(phrase="zero tolerance")
    changelist = admin_client_.get(reverse("admin:policies_flaggedphrase_changelist"))
    assert changelist.status_code == 200
    delete = admin_client_.post(
        reverse("admin:policies_flaggedphrase_delete", args=[phrase.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert FlaggedPhrase.objects.filter(pk=phrase.pk).exists()
