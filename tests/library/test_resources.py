"""The research and training library: links are http(s) or nothing, topics tie
resources to policies and plan categories, the library page filters without
growing its queries, and the seed holds the field guidance's publications."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from library.models import Audience, Resource, Topic
from plans.models import Category
from policies.models import Policy
from shelter.models import User
from tests.builders import admit_youth
from tests.policies.builders import approved, social_media

pytestmark = pytest.mark.django_db

LIBRARY = reverse("library:resource-list")


def _topic(key: str, *, categories: list[str] = (), policies: list[str] = ()) -> Topic:
    topic = Topic.objects.create(key=key, name=f"Test {key}")
    topic.categories.set(Category.objects.filter(key__in=categories))
    topic.policies.set(Policy.objects.filter(key__in=policies))
    return topic


def _resource(title: str, *topics: Topic, **fields: object) -> Resource:
    values: dict[str, object] = {
        "url": "https://example.org/test",
        "summary": "A fictional test resource.",
        "publisher": "Test Press",
    }
    values.update(fields)
    resource = Resource(title=title, **values)
    resource.full_clean()
    resource.save()
    resource.topics.set(topics)
    return resource


# Links


@pytest.mark.parametrize(
    "url", ["ftp://example.org/guide.pdf", "javascript:alert(1)", "file:///etc/passwd", "example"]
)
def test_a_link_that_is_not_http_or_https_is_refused_next_to_the_link(url: str) -> None:
    resource = Resource(title="Bad link", url=url, summary="Fictional.")
    with pytest.raises(ValidationError) as refused:
        resource.full_clean()
    assert list(refused.value.message_dict) == ["url"]


@pytest.mark.parametrize("url", ["http://example.org/a", "HTTPS://example.org/b.pdf", ""])
def test_http_and_https_links_and_no_link_at_all_are_accepted(url: str) -> None:
    Resource(title="Good link", url=url, summary="Fictional.").full_clean()


def test_the_admin_refuses_an_ftp_link_with_a_clear_message_and_saves_nothing(
    admin_client_: Client,
) -> None:
    before = Resource.objects.count()
    response = admin_client_.post(
        reverse("admin:library_resource_add"),
        {
            "title": "Fictional guide",
            "url": "ftp://example.org/guide.pdf",
            "summary": "Fictional.",
            "audience": "staff",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Enter a link that starts with http:// or https://." in response.content.decode()
    assert Resource.objects.count() == before


def test_an_administrator_adds_a_resource_with_history_and_who_added_it(
    admin_client_: Client, administrator: User
) -> None:
    topic = Topic.objects.get(key="online-gaming")
    response = admin_client_.post(
        reverse("admin:library_resource_add"),
        {
            "title": "Fictional gaming guide",
            "url": "https://example.org/gaming",
            "summary": "Fictional.",
            "audience": "youth",
            "topics": [topic.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get(title="Fictional gaming guide")
    assert resource.added_by == administrator
    assert list(resource.topics.all()) == [topic]
    assert {row.history_user for row in resource.history.all()} == {administrator}


@pytest.mark.parametrize("model", [Resource, Topic])
def test_nothing_in_the_library_can_be_deleted_in_the_admin(
    administrator: User, model: type
) -> None:
    request = RequestFactory().get("/")
    request.user = administrator
    model_admin = admin.site._registry[model]
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}


def test_the_resource_admin_filters_by_topic_and_audience(admin_client_: Client) -> None:
    topic = Topic.objects.get(key="labor-trafficking")
    url = reverse("admin:library_resource_changelist")
    response = admin_client_.get(url, {"topics__id__exact": topic.pk, "audience__exact": "staff"})
    assert response.status_code == 200
    listed = {resource.title for resource in response.context["cl"].result_list}
    assert listed == set(
        Resource.objects.filter(topics=topic, audience="staff").values_list("title", flat=True)
    )
    assert "The Technology and Labor Trafficking Project" in listed


def test_the_topic_admin_shows_the_categories_and_policies_of_a_topic(
    admin_client_: Client,
) -> None:
    topic = Topic.objects.get(key="online-gaming")
    response = admin_client_.get(reverse("admin:library_topic_change", args=[topic.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert [c.key for c in form.initial["categories"]] == ["online-gaming"]
    assert [p.key for p in form.initial["policies"]] == ["gaming"]


def test_case_managers_cannot_open_the_resource_admin(cm_client: Client) -> None:
    assert cm_client.get(reverse("admin:library_resource_changelist")).status_code == 403


# The seed


def test_the_seed_holds_the_guidance_publications_with_http_links_or_none() -> None:
    seeded = {resource.title: resource for resource in Resource.objects.all()}
    assert len(seeded) == 7
    for resource in seeded.values():
        resource.full_clean()
        assert resource.url == "" or resource.url.startswith(("http://", "https://"))
        assert resource.topics.exists(), resource.title
        assert resource.audience == Audience.STAFF
    # The link printed under this report belongs to the labor trafficking project.
    online = "Human Trafficking Online: The Role of Social Networking Sites and Online Classifieds"
    assert seeded[online].url == ""
    project = seeded["The Technology and Labor Trafficking Project"]
    assert project.url == "https://technologyandtrafficking.usc.edu/technology-labor-trafficking/"


def test_every_seeded_topic_is_about_a_plan_category_and_a_policy() -> None:
    topics = Topic.objects.prefetch_related("categories", "policies")
    assert {topic.key for topic in topics} >= {
        "social-media",
        "messaging",
        "online-gaming",
        "mobile-devices",
        "online-classifieds",
        "labor-trafficking",
    }
    for topic in topics:
        assert topic.categories.exists(), topic.key
        assert topic.policies.exists(), topic.key
    assert Topic.objects.get(key="technology-safety").categories.count() == Category.objects.count()


# Topic links: resources ↔ policies ↔ plans


def test_a_policy_page_shows_the_active_resources_of_its_topics_only(
    cm_client: Client, case_manager: User, other_supervisor: User
) -> None:
    Resource.objects.update(is_active=False)
    about_social = _topic("test-social", policies=["social-media"])
    about_gaming = _topic("test-gaming", policies=["gaming"])
    _resource("Fictional social media research", about_social)
    _resource("Fictional gaming research", about_gaming)
    _resource("Fictional retired research", about_social, is_active=False)
    version = approved(social_media(), case_manager, other_supervisor)
    for url in (
        reverse("policies:policy-detail", args=[version.policy_id]),
        reverse("policies:version-detail", args=[version.pk]),
    ):
        response = cm_client.get(url)
        titles = [r.title for r in response.context["related_resources"]]
        assert titles == ["Fictional social media research"], url
        html = response.content.decode()
        assert "Research and training on this topic" in html
        assert 'href="https://example.org/test" rel="noopener noreferrer"' in html


def test_a_resource_with_two_topics_of_a_policy_is_shown_once(
    cm_client: Client, case_manager: User, other_supervisor: User
) -> None:
    Resource.objects.update(is_active=False)
    first = _topic("test-one", policies=["social-media"])
    second = _topic("test-two", policies=["social-media"])
    _resource("Fictional twice tagged", first, second)
    response = cm_client.get(reverse("policies:policy-detail", args=[social_media().pk]))
    assert [r.title for r in response.context["related_resources"]] == ["Fictional twice tagged"]


def test_the_youth_page_shows_the_resources_of_the_categories_in_the_plan(
    cm_client: Client, case_manager: User
) -> None:
    Resource.objects.update(is_active=False)
    youth = admit_youth(case_manager)
    _resource("Fictional gaming guide", _topic("test-gaming", categories=["online-gaming"]))
    _resource("Fictional topic of no category", _topic("test-none"))
    Category.objects.create(key="test-retired", name="Test retired", is_active=False)
    _resource("Fictional retired category", _topic("test-retired", categories=["test-retired"]))
    response = cm_client.get(reverse("plans:youth-detail", args=[youth.pk]))
    assert [r.title for r in response.context["related_resources"]] == ["Fictional gaming guide"]
    assert "Research and training on this topic" in response.content.decode()


def test_the_seeded_library_links_policies_and_plans_through_topics(
    cm_client: Client, case_manager: User
) -> None:
    """The seed, end to end: the labor trafficking project (online classifieds) shows
    on the internet policy and on any plan with web browsing."""
    project = "The Technology and Labor Trafficking Project"
    internet = Policy.objects.get(key="internet")
    assert project in {r.title for r in Resource.objects.about_policy(internet.pk)}
    youth = admit_youth(case_manager)
    response = cm_client.get(reverse("plans:youth-detail", args=[youth.pk]))
    assert project in {r.title for r in response.context["related_resources"]}


def test_the_printable_plan_lists_only_youth_resources_of_the_plans_topics(
    cm_client: Client, case_manager: User
) -> None:
    gaming = _topic("test-gaming", categories=["online-gaming"])
    _resource("Fictional game safety for you", gaming, audience="youth")
    _resource("Fictional staff guide on gaming", gaming, audience="staff")
    _resource("Fictional retired youth guide", gaming, audience="youth", is_active=False)
    _resource("Fictional youth guide elsewhere", _topic("test-none"), audience="youth")
    youth = admit_youth(case_manager)
    response = cm_client.get(reverse("plans:plan-print", args=[youth.pk]))
    assert [r.title for r in response.context["things_to_read"]] == [
        "Fictional game safety for you"
    ]
    html = response.content.decode()
    assert "Things to read" in html
    assert "Fictional staff guide on gaming" not in html


def test_the_printable_plan_has_no_reading_section_without_youth_resources(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    html = cm_client.get(reverse("plans:plan-print", args=[youth.pk])).content.decode()
    assert "Things to read" not in html


# The library page


def test_the_library_lists_each_resource_with_its_details(cm_client: Client) -> None:
    topic = _topic("test-gaming")
    _resource("Fictional gaming guide", topic, audience="youth", publisher="Fictional Press")
    _resource("Fictional retired guide", topic, is_active=False)
    _resource("Fictional guide without a link", topic, url="")
    html = cm_client.get(LIBRARY).content.decode()
    assert (
        '<a href="https://example.org/test" rel="noopener noreferrer">Fictional gaming guide</a>'
        in html
    )
    assert "Fictional Press" in html
    assert "A fictional test resource." in html
    assert "Audience: Youth" in html
    assert "Test test-gaming" in html
    assert "Fictional guide without a link <span" in html
    assert "Fictional retired guide" not in html
    assert 'target="_blank"' not in html


def test_the_library_filters_by_topic_and_audience(cm_client: Client) -> None:
    gaming = _topic("test-gaming")
    _resource("Fictional gaming for youth", gaming, audience="youth")
    _resource("Fictional gaming for staff", gaming, _topic("test-other"), audience="staff")
    response = cm_client.get(LIBRARY, {"topic": gaming.pk})
    assert [r.title for r in response.context["resources"]] == [
        "Fictional gaming for staff",
        "Fictional gaming for youth",
    ]
    response = cm_client.get(LIBRARY, {"topic": gaming.pk, "audience": "youth"})
    assert [r.title for r in response.context["resources"]] == ["Fictional gaming for youth"]
    response = cm_client.get(LIBRARY, {"audience": "youth"})
    assert [r.title for r in response.context["resources"]] == ["Fictional gaming for youth"]


@pytest.mark.parametrize("params", [{"topic": "999999"}, {"topic": "x"}, {"audience": "nobody"}])
def test_a_filter_that_is_not_one_shows_its_error_and_lists_nothing(
    cm_client: Client, params: dict[str, str]
) -> None:
    response = cm_client.get(LIBRARY, params)
    assert response.status_code == 200
    assert response.context["filter"].form.errors
    assert response.context["resources"] == []


def test_the_library_is_read_by_get_only(cm_client: Client) -> None:
    assert cm_client.post(LIBRARY).status_code == 405


def test_every_role_finds_the_library_in_the_menu(
    cm_client: Client, supervisor_client: Client, admin_client_: Client
) -> None:
    for client in (cm_client, supervisor_client, admin_client_):
        assert f'href="{LIBRARY}"' in client.get(reverse("home")).content.decode()


def _count(client: Client, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIBRARY, params)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_library_page_runs_the_same_queries_with_few_or_many_resources(
    cm_client: Client,
) -> None:
    topic = Topic.objects.get(key="social-media")
    # 1 session, 2 user, 3 groups (role), 4 resources, 5 their topics (prefetch),
    # 6 topics for the filter's choices
    assert _count(cm_client, {}) == 6
    # 7 the chosen topic, to check the id
    assert _count(cm_client, {"topic": str(topic.pk), "audience": "staff"}) == 7
    topics = list(Topic.objects.all())
    for number in range(40):
        _resource(f"Fictional resource {number:02}", *topics[: number % 5 + 1])
    assert _count(cm_client, {}) == 6
    assert _count(cm_client, {"topic": str(topic.pk), "audience": "staff"}) == 7
