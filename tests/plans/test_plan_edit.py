"""Editing a plan with its rules and time windows on one page."""

from datetime import date, time

import pytest
from django.test import Client
from django.urls import reverse

from plans.models import AccessRule, Category, Plan, TimeWindow, Youth
from plans.services import PlanConflict, RuleData, WindowData, plan_update
from shelter.models import User
from tests.builders import (
    add_window,
    admit_youth,
    plan_form_data,
    rule_index,
    signed_in_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(case_manager: User) -> Youth:
    return admit_youth(case_manager, preferred_name="Robin Test", client_id="TEST-0100")


def _category(key: str) -> Category:
    return Category.objects.get(key=key)


def _url(youth: Youth) -> str:
    return reverse("plans:plan-edit", args=[youth.pk])


def _snapshot(youth: Youth) -> tuple:
    plan = Plan.objects.get(youth=youth)
    rules = list(
        AccessRule.objects.filter(plan=plan)
        .order_by("category_id")
        .values_list("category_id", "supervised", "daily_limit_minutes", "note")
    )
    windows = list(
        TimeWindow.objects.filter(rule__plan=plan)
        .order_by("pk")
        .values_list("rule_id", "weekdays", "start_time", "end_time")
    )
    return (plan.version, plan.risk_level, plan.risk_rationale, plan.strengths, rules, windows)


def test_the_edit_page_has_one_rule_row_per_active_category(
    cm_client: Client, youth: Youth
) -> None:
    response = cm_client.get(_url(youth))
    assert response.status_code == 200
    content = response.content.decode()
    for category in Category.objects.filter(is_active=True):
        assert f'<legend class="h6">{category.name}</legend>' in content
    assert 'name="version"' in content
    assert 'name="windows-0-weekdays"' in content  # the blank row to add a window


def test_a_case_manager_saves_an_overnight_window_and_a_daily_limit(
    cm_client: Client, youth: Youth, case_manager: User
) -> None:
    social = _category("social-media")
    data = plan_form_data(youth)
    data["strengths"] = "Keeps in touch with a cousin who supports them."
    data[f"rules-{rule_index(data, social.pk)}-daily_limit_minutes"] = "90"
    data[f"rules-{rule_index(data, social.pk)}-supervised"] = "on"
    add_window(data, social.pk, [4], "20:00", "01:00")

    response = cm_client.post(_url(youth), data)

    assert response.status_code == 302
    assert response.url == reverse("plans:youth-detail", args=[youth.pk])
    plan = Plan.objects.get(youth=youth)
    assert plan.version == 2
    assert plan.strengths == "Keeps in touch with a cousin who supports them."
    assert plan.updated_by == case_manager
    rule = AccessRule.objects.get(plan=plan, category=social)
    assert (rule.supervised, rule.daily_limit_minutes) == (True, 90)
    window = rule.windows.get()
    assert (window.day_numbers, window.start_time, window.end_time) == (
        frozenset({4}),
        time(20, 0),
        time(1, 0),
    )
    assert rule.summary == "supervised, Fri 20:00–01:00, 90 min a day"
    page = cm_client.get(response.url).content.decode()
    assert "Social media:</strong> supervised, Fri 20:00–01:00, 90 min a day" in page


def test_an_unchanged_save_keeps_the_windows(cm_client: Client, youth: Youth) -> None:
    data = plan_form_data(youth)
    add_window(data, _category("online-gaming").pk, [0, 1, 2], "16:00", "18:00")
    assert cm_client.post(_url(youth), data).status_code == 302

    again = plan_form_data(youth)
    assert cm_client.post(_url(youth), again).status_code == 302

    window = TimeWindow.objects.get(rule__plan__youth=youth)
    assert window.summary == "Mon–Wed 16:00–18:00"
    assert window.history.count() == 1  # the second save did not touch it


def test_a_window_ticked_for_removal_is_removed_and_its_history_kept(
    cm_client: Client, youth: Youth
) -> None:
    data = plan_form_data(youth)
    add_window(data, _category("messaging").pk, [5, 6], "10:00", "22:00")
    cm_client.post(_url(youth), data)
    window = TimeWindow.objects.get(rule__plan__youth=youth)

    data = plan_form_data(youth)
    data["windows-0-DELETE"] = "on"
    assert cm_client.post(_url(youth), data).status_code == 302

    assert not TimeWindow.objects.filter(rule__plan__youth=youth).exists()
    assert [row.history_type for row in TimeWindow.history.filter(id=window.pk)] == ["-", "+"]


BAD_INPUT = [
    pytest.param(
        lambda data, ids: add_window(data, ids["social-media"], [], "20:00", "22:00"),
        'id="error_1_id_windows-{row}-weekdays"',
        "Choose at least one day of the week.",
        id="window-without-a-weekday",
    ),
    pytest.param(
        lambda data, ids: add_window(data, ids["social-media"], [2], "20:00", "20:00"),
        'id="error_1_id_windows-{row}-end_time"',
        "Start and end are the same.",
        id="window-with-equal-start-and-end",
    ),
    pytest.param(
        lambda data, ids: add_window(data, "", [2], "20:00", "21:00"),
        'id="error_1_id_windows-{row}-category"',
        "This field is required.",
        id="window-without-a-category",
    ),
    pytest.param(
        lambda data, ids: _set_limit(data, ids["gaming"], "-5"),
        'id="error_1_id_rules-{row}-daily_limit_minutes"',
        "Enter at least 1 minute",
        id="negative-daily-limit",
    ),
    pytest.param(
        lambda data, ids: _set_limit(data, ids["gaming"], "961"),
        'id="error_1_id_rules-{row}-daily_limit_minutes"',
        "Enter at most 960 minutes",
        id="absurd-daily-limit",
    ),
    pytest.param(
        lambda data, ids: _set_risk(data, "high", ""),
        'id="error_1_id_risk_rationale"',
        "The risk level changed: write why.",
        id="risk-change-without-rationale",
    ),
]


def _set_limit(data: dict, category_id: int, value: str) -> int:
    row = rule_index(data, category_id)
    data[f"rules-{row}-daily_limit_minutes"] = value
    return row


def _set_risk(data: dict, level: str, rationale: str) -> int:
    data["risk_level"] = level
    data["risk_rationale"] = rationale
    return 0


@pytest.mark.parametrize(("mutate", "error_id", "message"), BAD_INPUT)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
    cm_client: Client, youth: Youth, mutate, error_id: str, message: str
) -> None:
    data = plan_form_data(youth)
    data["strengths"] = "This must not be saved."
    ids = {
        "social-media": _category("social-media").pk,
        "gaming": _category("online-gaming").pk,
    }
    row = mutate(data, ids)
    before = _snapshot(youth)

    response = cm_client.post(_url(youth), data)

    assert response.status_code == 200
    content = response.content.decode()
    error_at = content.index(error_id.format(row=row))
    assert message in content[error_at : error_at + 300]
    assert "Nothing was saved" in content
    assert _snapshot(youth) == before
    # What the user typed is still in the form.
    assert "This must not be saved." in content


def test_a_risk_change_with_a_new_rationale_records_who_and_when(
    cm_client: Client, youth: Youth, case_manager: User
) -> None:
    data = plan_form_data(youth)
    _set_risk(data, "high", "Fictional: an older stranger offered them a place to stay.")
    assert cm_client.post(_url(youth), data).status_code == 302

    plan = Plan.objects.get(youth=youth)
    assert plan.risk_level == "high"
    assert plan.risk_assessed_by == case_manager
    assert plan.risk_assessed_at is not None

    # Keeping the same rationale for a further change of level is refused.
    data = plan_form_data(youth)
    data["risk_level"] = "moderate"
    response = cm_client.post(_url(youth), data)
    assert response.status_code == 200
    assert "The risk level changed: write why." in response.content.decode()
    assert Plan.objects.get(youth=youth).risk_level == "high"


def test_the_youths_agreement_gets_its_date(cm_client: Client, youth: Youth) -> None:
    data = plan_form_data(youth)
    data["youth_agreed"] = "on"
    cm_client.post(_url(youth), data)
    plan = Plan.objects.get(youth=youth)
    assert plan.youth_agreed and plan.youth_agreed_on is not None


def test_a_category_added_later_gets_its_rule_on_the_next_save(
    cm_client: Client, youth: Youth
) -> None:
    new = Category.objects.create(key="smart-watches", name="Smart watches", position=200)
    data = plan_form_data(youth)
    assert cm_client.post(_url(youth), data).status_code == 302
    assert AccessRule.objects.filter(plan__youth=youth, category=new).exists()


def test_the_second_of_two_concurrent_edits_is_refused_and_shows_the_first(
    case_manager: User, supervisor: User, youth: Youth
) -> None:
    first, second = signed_in_client(case_manager), signed_in_client(supervisor)
    # Both load the page at version 1.
    first_data, second_data = plan_form_data(youth), plan_form_data(youth)
    assert first_data["version"] == second_data["version"] == "1"

    first_data["strengths"] = "Plays chess online with their grandfather."
    assert first.post(_url(youth), first_data).status_code == 302

    second_data["strengths"] = "Good at fixing bikes."
    response = second.post(_url(youth), second_data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this plan while you were editing" in content
    assert "Strengths now “Plays chess online with their grandfather.”" in content
    assert str(case_manager) in content
    assert "Good at fixing bikes." in content  # the second user's input is kept
    plan = Plan.objects.get(youth=youth)
    assert plan.strengths == "Plays chess online with their grandfather."
    assert plan.version == 2
    # The re-shown form carries the current version: saving again is a deliberate choice.
    assert 'name="version" value="2"' in content


def test_the_service_refuses_a_stale_version(youth: Youth, case_manager: User) -> None:
    plan = Plan.objects.get(youth=youth)
    rules = [RuleData(category_id=_category("messaging").pk, daily_limit_minutes=30)]
    plan_update(
        plan=plan,
        expected_version=1,
        by=case_manager,
        plan_data={"challenges": "Fictional: a stranger asked for photos."},
        rules=rules,
        windows=[],
    )
    window = WindowData(
        category_id=_category("messaging").pk,
        weekdays=0b11111,
        start_time=time(9, 0),
        end_time=time(17, 0),
    )
    with pytest.raises(PlanConflict) as refused:
        plan_update(
            plan=plan,
            expected_version=1,
            by=case_manager,
            plan_data={"challenges": "Overwrite attempt."},
            rules=rules,
            windows=[window],
        )
    subjects = {entry.subject for entry in refused.value.changes}
    assert subjects == {"Plan", "Messaging rule"}
    plan.refresh_from_db()
    assert plan.challenges == "Fictional: a stranger asked for photos."
    assert not TimeWindow.objects.filter(rule__plan=plan).exists()


def test_the_next_review_date_is_saved(cm_client: Client, youth: Youth) -> None:
    data = plan_form_data(youth)
    data["next_review_on"] = "2026-12-15"
    cm_client.post(_url(youth), data)
    assert Plan.objects.get(youth=youth).next_review_on == date(2026, 12, 15)
