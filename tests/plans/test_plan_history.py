"""The history page: every earlier state, who changed what and when."""

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from plans.models import Category, Plan, Youth
from plans.services import RuleData, WindowData, plan_update, youth_update
from shelter.models import User
from tests.builders import admit_youth

pytestmark = pytest.mark.django_db


def _edit(youth: Youth, by: User, *, plan_data: dict, rules=(), windows=()) -> Plan:
    plan = Plan.objects.get(youth=youth)
    return plan_update(
        plan=plan,
        expected_version=plan.version,
        by=by,
        plan_data=plan_data,
        rules=list(rules),
        windows=list(windows),
    )


def _several_edits(youth: Youth, case_manager: User, supervisor: User) -> None:
    social = Category.objects.get(key="social-media").pk
    _edit(
        youth,
        case_manager,
        plan_data={"strengths": "Fictional: keeps a journal."},
        rules=[RuleData(category_id=social, daily_limit_minutes=60)],
        windows=[WindowData(social, 0b0010000, time(20), time(1))],
    )
    window = youth.plan.rules.get(category_id=social).windows.get()
    kept = WindowData(social, 0b0010000, time(20), time(1), window_id=window.pk)
    _edit(
        youth,
        supervisor,
        plan_data={"risk_level": "high", "risk_rationale": "Fictional: a stranger offered a ride."},
        windows=[kept],
    )
    _edit(
        youth,
        case_manager,
        plan_data={},
        rules=[RuleData(category_id=social, daily_limit_minutes=90)],
        windows=[WindowData(social, 0b1110000, time(20), time(1), window_id=window.pk)],
    )
    youth_update(
        youth=youth, expected_version=1, by=supervisor, data={"preferred_name": "Renamed Test"}
    )


def test_the_history_lists_each_change_with_who_and_what(
    cm_client: Client, case_manager: User, supervisor: User
) -> None:
    youth = admit_youth(case_manager, preferred_name="Harper Test")
    _several_edits(youth, case_manager, supervisor)

    response = cm_client.get(reverse("plans:plan-history", args=[youth.pk]))

    assert response.status_code == 200
    saves = response.context["saves"]
    assert [save.who for save in saves] == [
        str(supervisor),
        str(case_manager),
        str(supervisor),
        str(case_manager),
        str(case_manager),
    ]
    latest_plan_edit = {entry.subject: entry for entry in saves[1].entries}
    assert [(c.label, c.old, c.new) for c in latest_plan_edit["Social media rule"].changes] == [
        ("Daily limit (minutes)", "60", "90")
    ]
    assert [
        (c.label, c.old, c.new) for c in latest_plan_edit["Social media time window"].changes
    ] == [("Days", "Fri", "Fri–Sun")]
    risk = {(c.label, c.old, c.new) for c in saves[2].entries[0].changes}
    assert ("Risk level", "Low", "High") in risk
    assert ("Why this risk level", "(empty)", "Fictional: a stranger offered a ride.") in risk
    first_edit = {entry.subject: entry for entry in saves[3].entries}
    assert first_edit["Social media time window"].action == "added"
    assert first_edit["Social media time window"].summary == "Fri 20:00–01:00"
    content = " ".join(strip_tags(response.content.decode()).split())
    assert "Preferred name: Harper Test → Renamed Test" in content
    assert "Daily limit (minutes): 60 → 90" in content
    assert "Risk level: Low → High" in content


@pytest.mark.parametrize("rounds", [1, 8])
def test_the_history_page_runs_a_fixed_number_of_queries(
    cm_client: Client,
    case_manager: User,
    supervisor: User,
    rounds: int,
    django_assert_num_queries,
) -> None:
    youth = admit_youth(case_manager)
    for number in range(rounds):
        _edit(
            youth,
            case_manager,
            plan_data={"challenges": f"Fictional round {number}."},
            rules=[
                RuleData(category_id=Category.objects.first().pk, daily_limit_minutes=10 + number)
            ],
            windows=[WindowData(Category.objects.first().pk, 1 << (number % 7), time(9), time(10))],
        )
    # 1 session, 2 user, 3 groups (role), 4 the youth with its plan, 5 the audit row of
    # the view (INSERT), 6 youth history, 7 plan history, 8 rule history, 9 window history,
    # 10 help contact history, 11 category names, 12 case manager names.
    with django_assert_num_queries(12):
        response = cm_client.get(reverse("plans:plan-history", args=[youth.pk]))
    assert len(response.context["saves"]) == rounds + 1
