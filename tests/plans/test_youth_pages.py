"""The youth list (filters, search kept out of URLs) and the youth page."""

from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import AccessRule, Category, Plan, TimeWindow, Youth
from shelter.models import User
from tests.builders import admit_youth, make_restriction

pytestmark = pytest.mark.django_db

LIST = reverse("plans:youth-list")


def _bulk_youth(case_manager: User, count: int, prefix: str = "BULK") -> list[Youth]:
    """Many youth with plans, fast (no history rows: these are only for counting)."""
    youth = Youth.objects.bulk_create(
        Youth(
            preferred_name=f"Bulk {number:04d}",
            client_id=f"{prefix}-{number:04d}",
            birth_year=2010,
            admitted_on=date(2026, 11, 1),
            case_manager=case_manager,
        )
        for number in range(count)
    )
    Plan.objects.bulk_create(
        Plan(youth=item, next_review_on=date(2026, 1, 1), risk_level="moderate") for item in youth
    )
    return youth


def _names(response) -> list[str]:
    return [youth.preferred_name for youth in response.context["page"].object_list]


def test_a_case_manager_lists_only_their_caseload(
    cm_client: Client, case_manager: User, other_case_manager: User
) -> None:
    admit_youth(case_manager, preferred_name="Mine Test", client_id="TEST-0001")
    admit_youth(other_case_manager, preferred_name="Theirs Test", client_id="TEST-0002")
    response = cm_client.get(LIST)
    assert response.status_code == 200
    assert _names(response) == ["Mine Test"]
    assert "Theirs Test" not in response.content.decode()


def test_a_supervisor_lists_everyone_and_filters_by_case_manager(
    supervisor_client: Client, case_manager: User, other_case_manager: User
) -> None:
    admit_youth(case_manager, preferred_name="Mine Test", client_id="TEST-0001")
    admit_youth(other_case_manager, preferred_name="Theirs Test", client_id="TEST-0002")
    assert _names(supervisor_client.get(LIST)) == ["Mine Test", "Theirs Test"]
    filtered = supervisor_client.get(LIST, {"case_manager": other_case_manager.pk})
    assert _names(filtered) == ["Theirs Test"]


def test_the_list_shows_current_youth_unless_asked_for_discharged(
    cm_client: Client, case_manager: User
) -> None:
    admit_youth(case_manager, preferred_name="Staying Test", client_id="TEST-0001")
    gone = admit_youth(case_manager, preferred_name="Gone Test", client_id="TEST-0002")
    Youth.objects.filter(pk=gone.pk).update(discharged_on=timezone.localdate() - timedelta(days=1))

    assert _names(cm_client.get(LIST)) == ["Staying Test"]
    assert _names(cm_client.get(LIST, {"status": "discharged"})) == ["Gone Test"]
    assert _names(cm_client.get(LIST, {"status": "all"})) == ["Gone Test", "Staying Test"]


def test_the_list_filters_by_risk_review_and_restriction(
    cm_client: Client, case_manager: User
) -> None:
    today = timezone.localdate()
    late = admit_youth(case_manager, preferred_name="Late Test", client_id="TEST-0001")
    soon = admit_youth(case_manager, preferred_name="Soon Test", client_id="TEST-0002")
    calm = admit_youth(case_manager, preferred_name="Calm Test", client_id="TEST-0003")
    Plan.objects.filter(youth=late).update(
        next_review_on=today - timedelta(days=1), risk_level="high"
    )
    Plan.objects.filter(youth=soon).update(next_review_on=today + timedelta(days=3))
    Plan.objects.filter(youth=calm).update(next_review_on=today + timedelta(days=30))
    make_restriction(soon, case_manager)
    make_restriction(  # ended: does not count
        calm,
        case_manager,
        starts_at=timezone.now() - timedelta(hours=5),
        ends_at=timezone.now() - timedelta(hours=1),
    )

    assert _names(cm_client.get(LIST, {"risk_level": "high"})) == ["Late Test"]
    assert _names(cm_client.get(LIST, {"review": "overdue"})) == ["Late Test"]
    assert _names(cm_client.get(LIST, {"review": "week"})) == ["Soon Test"]
    assert _names(cm_client.get(LIST, {"restricted": "yes"})) == ["Soon Test"]
    assert _names(cm_client.get(LIST, {"restricted": "no"})) == ["Calm Test", "Late Test"]


def test_a_filter_cannot_widen_access(
    cm_client: Client, case_manager: User, other_case_manager: User
) -> None:
    admit_youth(other_case_manager, preferred_name="Theirs Test", client_id="TEST-0002")
    response = cm_client.get(LIST, {"case_manager": other_case_manager.pk, "status": "all"})
    assert _names(response) == []


def test_the_search_is_posted_kept_in_the_session_and_never_in_a_url(
    cm_client: Client, case_manager: User
) -> None:
    admit_youth(case_manager, preferred_name="Jordan Test", client_id="TEST-0001")
    admit_youth(case_manager, preferred_name="Kai Test", client_id="TEST-0777")

    response = cm_client.post(reverse("plans:youth-search"), {"q": "  jordan "})
    assert response.status_code == 302
    assert response.url == LIST
    listed = cm_client.get(LIST)
    assert _names(listed) == ["Jordan Test"]
    assert "Showing youth matching “jordan”" in listed.content.decode()
    assert "jordan" not in listed.request["QUERY_STRING"]

    cm_client.post(reverse("plans:youth-search"), {"q": "0777"})
    assert _names(cm_client.get(LIST)) == ["Kai Test"]

    cleared = cm_client.post(reverse("plans:youth-search-clear"))
    assert cleared.status_code == 302
    assert _names(cm_client.get(LIST)) == ["Jordan Test", "Kai Test"]


def test_an_overlong_search_is_refused_with_a_message(cm_client: Client) -> None:
    response = cm_client.post(reverse("plans:youth-search"), {"q": "x" * 81}, follow=True)
    assert "Search for at most 80 characters." in response.content.decode()
    assert response.context["search"] == ""


def test_the_list_is_paginated_by_fifty(cm_client: Client, case_manager: User) -> None:
    _bulk_youth(case_manager, 51)
    first = cm_client.get(LIST)
    assert len(first.context["page"].object_list) == 50
    second = cm_client.get(LIST, {"page": 2, "risk_level": "moderate"})
    assert _names(second) == ["Bulk 0050"]
    assert "risk_level=moderate" in second.content.decode()  # pagination keeps the filters


@pytest.mark.parametrize("count", [5, 500])
def test_the_list_runs_a_fixed_number_of_queries(
    supervisor_client: Client,
    case_manager: User,
    count: int,
    django_assert_num_queries,
) -> None:
    youth = _bulk_youth(case_manager, count)
    make_restriction(youth[0], case_manager)
    # 1 session, 2 the signed-in user, 3 their two-step device (supervisor), 4 their
    # groups (role), 5 count for the paginator, 6 whether any unit exists (the unit
    # column), 7 case managers for the filter, 8 the page of youth with plan, case
    # manager, unit and "restricted now" (one EXISTS subquery).
    with django_assert_num_queries(8):
        response = supervisor_client.get(LIST, {"status": "all"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 50)


# The youth page


def _rich_youth(case_manager: User, windows_per_rule: int, restrictions: int) -> Youth:
    youth = admit_youth(case_manager, preferred_name="Rich Test", client_id="TEST-0500")
    rules = list(AccessRule.objects.filter(plan__youth=youth))
    TimeWindow.objects.bulk_create(
        TimeWindow(
            rule=rule, weekdays=0b0011111, start_time=time(8 + n % 10, 0), end_time=time(1, 0)
        )
        for rule in rules
        for n in range(windows_per_rule)
    )
    AccessRule.objects.filter(plan__youth=youth).update(daily_limit_minutes=60, supervised=True)
    for number in range(restrictions):
        make_restriction(
            youth,
            case_manager,
            categories=["social-media", "messaging"],
            starts_at=timezone.now() + timedelta(days=number + 1),
            ends_at=timezone.now() + timedelta(days=number + 1, hours=2),
        )
    return youth


def test_the_youth_page_shows_facts_plan_and_rules_in_plain_words(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager, preferred_name="Sky Test", client_id="TEST-0042")
    rule = AccessRule.objects.get(plan__youth=youth, category__key="social-media")
    rule.supervised, rule.daily_limit_minutes = True, 60
    rule.save()
    TimeWindow.objects.create(rule=rule, weekdays=0b0011111, start_time=time(16), end_time=time(20))
    Plan.objects.filter(youth=youth).update(
        strengths="Fictional: loves drawing.", next_review_on=date(2020, 1, 1)
    )

    response = cm_client.get(reverse("plans:youth-detail", args=[youth.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Sky Test" in content and "TEST-0042" in content
    assert "Social media:</strong> supervised, Mon–Fri 16:00–20:00, 60 min a day" in content
    assert "Messaging:</strong> free use" in content
    assert "Fictional: loves drawing." in content
    assert "Overdue" in content
    assert reverse("plans:plan-edit", args=[youth.pk]) in content
    assert reverse("plans:youth-edit", args=[youth.pk]) in content


def test_readers_who_may_not_edit_see_no_edit_links(
    admin_client_: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    content = admin_client_.get(reverse("plans:youth-detail", args=[youth.pk])).content.decode()
    # Quoted: the printable plan's address starts with the plan edit page's.
    assert f'"{reverse("plans:plan-edit", args=[youth.pk])}"' not in content
    assert f'"{reverse("plans:youth-edit", args=[youth.pk])}"' not in content
    assert reverse("plans:plan-history", args=[youth.pk]) in content


def test_a_discharged_youth_is_readable_and_no_longer_editable(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    Youth.objects.filter(pk=youth.pk).update(discharged_on=date(2026, 11, 2))
    content = cm_client.get(reverse("plans:youth-detail", args=[youth.pk])).content.decode()
    assert "This record is read-only" in content
    assert f'"{reverse("plans:plan-edit", args=[youth.pk])}"' not in content


@pytest.mark.parametrize(("windows", "restrictions"), [(1, 1), (6, 40)])
def test_the_youth_page_runs_a_fixed_number_of_queries(
    cm_client: Client,
    case_manager: User,
    windows: int,
    restrictions: int,
    django_assert_num_queries,
) -> None:
    youth = _rich_youth(case_manager, windows, restrictions)
    _bulk_youth(case_manager, 100 if windows else 3)
    # "Few" is one of each: a prefetch with nothing to fetch from skips its query.
    # 1 session, 2 user, 3 groups (role), 4 youth with plan, assessor and last editor,
    # 5 rules with categories, 6 windows, 7 restrictions with their staff,
    # 8 restrictions' categories, 9 policy versions the plan follows (with their flag),
    # 10 today's device sessions, 11 granted exceptions not yet over,
    # 12 the audit row of the view (INSERT), 13 the plan's current help contacts,
    # 14 the agency's helplines, 15 the youth's check-outs against the plan (front-desk
    # panel, for their editors), 16 library resources of the plan's categories.
    with django_assert_num_queries(16):
        response = cm_client.get(reverse("plans:youth-detail", args=[youth.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("windows", [1, 6])
def test_the_plan_edit_page_runs_a_fixed_number_of_queries(
    cm_client: Client, case_manager: User, windows: int, django_assert_num_queries
) -> None:
    youth = _rich_youth(case_manager, windows, 0)
    # 1 session, 2 user, 3 groups (role), 4 youth with plan, 5 active categories,
    # 6 rules with categories, 7 windows, 8 the audit row of the view (INSERT).
    with django_assert_num_queries(8):
        response = cm_client.get(reverse("plans:plan-edit", args=[youth.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="col window-row"') == 7 * windows + 2


def test_categories_retired_later_drop_off_the_youth_page(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    Category.objects.filter(key="online-gaming").update(is_active=False)
    content = cm_client.get(reverse("plans:youth-detail", args=[youth.pk])).content.decode()
    assert "Online gaming:</strong>" not in content


@pytest.mark.parametrize(
    "name", ["plans:youth-detail", "plans:youth-edit", "plans:plan-edit", "plans:plan-history"]
)
def test_page_titles_name_no_youth(cm_client: Client, case_manager: User, name: str) -> None:
    """Browsers keep page titles in their history, like addresses."""
    youth = admit_youth(case_manager, preferred_name="Sky Test", client_id="TEST-0042")
    content = cm_client.get(reverse(name, args=[youth.pk])).content.decode()
    title = content[content.index("<title>") : content.index("</title>")]
    assert "Sky" not in title and "TEST-0042" not in title
