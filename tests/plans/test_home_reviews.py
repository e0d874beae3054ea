"""The home page's youth and review panel."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.home import HOME_LIST_LENGTH, reviews_home_context
from plans.models import Plan, Youth
from shelter.models import User
from tests.builders import admit_youth

pytestmark = pytest.mark.django_db


def _with_review(youth: Youth, days_from_today: int) -> Youth:
    Plan.objects.filter(youth=youth).update(
        next_review_on=timezone.localdate() + timedelta(days=days_from_today)
    )
    return youth


def test_a_case_manager_sees_their_youth_and_reviews(
    cm_client: Client, case_manager: User, other_case_manager: User
) -> None:
    _with_review(admit_youth(case_manager, preferred_name="Late Test", client_id="T-1"), -2)
    _with_review(admit_youth(case_manager, preferred_name="Soon Test", client_id="T-2"), 3)
    _with_review(admit_youth(case_manager, preferred_name="Later Test", client_id="T-3"), 30)
    _with_review(admit_youth(other_case_manager, preferred_name="Other Test", client_id="T-4"), -1)

    response = cm_client.get(reverse("home"))

    content = response.content.decode()
    assert "3 current youth on your caseload" in content
    assert "Reviews overdue (1)" in content and "Late Test" in content
    assert "Reviews due in the next 7 days (1)" in content and "Soon Test" in content
    assert "Other Test" not in content


def test_a_supervisor_sees_everyone(
    supervisor_client: Client, case_manager: User, other_case_manager: User
) -> None:
    _with_review(admit_youth(case_manager, preferred_name="Late Test", client_id="T-1"), -2)
    _with_review(admit_youth(other_case_manager, preferred_name="Other Test", client_id="T-4"), -1)
    content = supervisor_client.get(reverse("home")).content.decode()
    assert "All youth" in content
    assert "Reviews overdue (2)" in content


def test_administrators_get_no_review_panel(administrator: User) -> None:
    assert reviews_home_context(administrator) == {}


@pytest.mark.parametrize("count", [2, 40])
def test_the_review_panel_runs_five_queries(
    case_manager: User, count: int, django_assert_num_queries
) -> None:
    for number in range(count):
        youth = admit_youth(case_manager, client_id=f"T-{number}")
        _with_review(youth, -1 if number % 2 else 2)
    case_manager.role  # noqa: B018 - the role is cached on the user before counting
    # 1 youth count, 2 overdue list, 3 overdue count, 4 due list, 5 due count.
    with django_assert_num_queries(5):
        context = reviews_home_context(case_manager)
    assert len(context["home_reviews_overdue"]) == min(count // 2, HOME_LIST_LENGTH)
