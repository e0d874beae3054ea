"""The administrator's "Recent exports" panel, the bar charts' geometry, and the
bulk seeding command."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from plans.models import AccessRule, Plan, Youth
from reports.charts import BAR_AREA, LABEL_WIDTH, bar_chart
from reports.home import home_context
from reports.services import export_record_create
from shelter.models import User

pytestmark = pytest.mark.django_db


def record(by: User, **overrides) -> None:
    fields = {
        "report": "plans",
        "export_format": "csv",
        "filters": {},
        "row_count": 12,
        "deidentified": True,
    }
    fields.update(overrides)
    export_record_create(by=by, **fields)


def test_administrators_see_their_recent_exports_on_the_home_page(
    admin_client_: Client, administrator: User
) -> None:
    record(administrator)
    content = admin_client_.get(reverse("home")).content.decode()
    assert 'data-testid="home-exports"' in content
    assert "Plans register (CSV, 12 rows, de-identified) by Emery" in content


def test_other_roles_get_no_exports_panel(
    cm_client: Client, supervisor_client: Client, supervisor: User, administrator: User
) -> None:
    record(administrator)
    assert home_context(supervisor) == {}
    assert (
        'data-testid="home-exports"' not in supervisor_client.get(reverse("home")).content.decode()
    )
    assert 'data-testid="home-exports"' not in cm_client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("records", [1, 20])
def test_the_exports_panel_runs_two_queries(
    administrator: User, records: int, django_assert_num_queries
) -> None:
    for _ in range(records):
        record(administrator)
    administrator.role  # noqa: B018 - loaded once per request, before the panels
    # 1 the past week's exports counted, 2 the latest ten with who took them.
    with django_assert_num_queries(2):
        panel = home_context(administrator)["exports"]
    assert panel.count == records
    assert len(panel.items) == min(records, 10)


def test_bars_are_scaled_to_the_largest_value() -> None:
    chart = bar_chart("risk", "Youth by risk level", [("Low", 10), ("Moderate", 5), ("High", 0)])
    assert [bar.width for bar in chart.bars] == [BAR_AREA, BAR_AREA // 2, 0]
    assert [bar.y for bar in chart.bars] == [5, 35, 65]
    assert chart.bars[0].value_x == LABEL_WIDTH + BAR_AREA + 6
    assert chart.height == 100


def test_a_tiny_value_still_shows_and_an_empty_chart_has_no_bars_of_width() -> None:
    chart = bar_chart("r", "R", [("Many", 1000), ("One", 1)])
    assert chart.bars[1].width == 2
    empty = bar_chart("e", "E", [("None", 0)])
    assert empty.bars[0].width == 0
    assert empty.bars[0].value_label == "0"


def test_the_summary_page_draws_each_chart_with_its_values_as_text(
    supervisor_client: Client,
) -> None:
    content = supervisor_client.get(reverse("reports:summary")).content.decode()
    for key in ("risk", "reviews", "restrictions", "requests"):
        assert f'data-testid="chart-{key}"' in content
    assert "<svg" in content and 'role="img"' in content
    assert "style=" not in content.split("<main", 1)[1]


def test_seed_many_youth_creates_fictional_youth_with_plans_and_rules(
    case_manager: User,
) -> None:
    call_command("seed_many_youth", "--count", "30", stdout=io.StringIO())
    youth = Youth.objects.filter(client_id__startswith="BENCH-")
    assert youth.count() == 30
    assert Plan.objects.filter(youth__in=youth).count() == 30
    assert AccessRule.objects.filter(plan__youth__in=youth).count() == 30 * 7
    assert set(youth.values_list("preferred_name", flat=True)) >= {"Sample Youth 000001"}
    call_command("seed_many_youth", "--count", "5", stdout=io.StringIO())
    assert youth.count() == 35
