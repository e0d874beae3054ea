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
    assert "Your youth (3)" in content
    assert "Reviews overdue (1)" in content and "Late Test" in content
    assert "Reviews due in the next 7 days (1)" in content and "Soon Test" in content
    assert "Other Test" not in content


def test_a_supervisor_sees_everyone(
    supervisor_client: Client, case_manager: User, other_case_manager: User
) -> None:
    _with_review(admit_youth(case_manager, preferred_name="Late Test", client_id="T-1"), -2)
    _with_review(admit_youth(other_case_manager, preferred_name="Other Test", client_id="T-4"), -1)
    content = supervisor_client.get(reverse("home")).content.decode()
    assert "Reviews overdue, all youth (2)" in content


def test_administrators_get_no_review_panel(administrator: User) -> None:
    assert reviews_home_context(administrator, timezone.now()) == {}


@pytest.mark.parametrize("count", [2, 40])
def test_the_review_panels_run_four_queries(
    case_manager: User, count: int, django_assert_num_queries
) -> None:
    for number in range(count):
        youth = admit_youth(case_manager, client_id=f"T-{number}")
        _with_review(youth, -1 if number % 2 else 2)
    case_manager.role  # noqa: B018 - the role is cached on the user before counting
    now = timezone.now()
    # 1 the youth, overdue and due counts together, 2 the youth list, 3 the overdue
    # list, 4 the due list.
    with django_assert_num_queries(4):
        panels = reviews_home_context(case_manager, now)
    assert panels["youth"].count == count
    assert panels["reviews-overdue"].count == count // 2
    assert len(panels["reviews-overdue"].items) == min(count // 2, HOME_LIST_LENGTH)
