"""The summary's "Youth requests" part: requests made in the range by kind and
outcome, the median time to a decision, and device check-outs against the plan by
what they overrode; on screen as text and a captioned table, and in the CSV."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.summary import RequestCounts, build_summary
from tests.reports.conftest import RequestSet
from tests.reports.helpers import body

pytestmark = pytest.mark.django_db

OCTOBER = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}


def outcomes(counts: RequestCounts) -> dict[str, int]:
    return {"made": counts.made, **dict(counts.outcomes())}


def test_the_summary_counts_requests_made_in_the_range_by_outcome_and_kind(
    request_set: RequestSet,
) -> None:
    requests = build_summary(start=date(2026, 10, 1), end=timezone.localdate()).requests
    assert outcomes(requests.total) == {
        "made": 5,
        "Granted": 1,
        "Declined": 1,
        "Withdrawn": 1,
        "Waiting for a decision": 1,
        "Lapsed without a decision": 1,
    }
    by_kind = {counts.label: outcomes(counts) for counts in requests.by_kind}
    assert list(by_kind) == [
        "Extra minutes today",
        "Allowed until a time tonight",
        "A one-off time window",
    ]
    assert by_kind["Extra minutes today"] == {
        "made": 1,
        "Granted": 1,
        "Declined": 0,
        "Withdrawn": 0,
        "Waiting for a decision": 0,
        "Lapsed without a decision": 0,
    }
    assert by_kind["Allowed until a time tonight"]["Declined"] == 1
    assert by_kind["Allowed until a time tonight"]["Lapsed without a decision"] == 1
    assert by_kind["A one-off time window"]["Withdrawn"] == 1
    assert by_kind["A one-off time window"]["Waiting for a decision"] == 1


def test_the_median_time_to_a_decision_counts_grants_and_declines_not_withdrawals(
    request_set: RequestSet,
) -> None:
    # Granted after 30 minutes, declined after 10; the withdrawal (after an hour)
    # is the youth's, not a decision.
    assert build_summary(**OCTOBER).requests.median_decision_minutes == 20


def test_a_range_without_decisions_has_no_median(request_set: RequestSet) -> None:
    requests = build_summary(start=date(2026, 10, 7), end=date(2026, 10, 8)).requests
    assert requests.total.made == 2
    assert requests.median_decision_minutes is None


def test_requests_made_outside_the_range_are_not_counted(request_set: RequestSet) -> None:
    # October leaves out today's waiting request; September has none.
    assert build_summary(**OCTOBER).requests.total.made == 4
    september = build_summary(start=date(2026, 9, 1), end=date(2026, 9, 30)).requests
    assert september.total.made == 0


def test_check_outs_against_the_plan_are_counted_by_what_they_overrode(
    request_set: RequestSet,
) -> None:
    requests = build_summary(**OCTOBER).requests
    assert requests.checkouts == 4
    assert requests.overrides == 3
    assert requests.overrides_by_state == [
        ("During a restriction", 1),
        ("Outside the plan's time windows", 2),
        ("Over today's time limit", 0),
    ]
    september = build_summary(start=date(2026, 9, 1), end=date(2026, 9, 30)).requests
    assert september.overrides_by_state[2] == ("Over today's time limit", 1)


def test_the_summary_page_tells_the_requests_in_words_and_a_captioned_table(
    supervisor_client: Client, request_set: RequestSet
) -> None:
    response = supervisor_client.get(
        reverse("reports:summary"), {"start": "2026-10-01", "end": "2026-10-31"}
    )
    content = response.content.decode()
    assert "staff recorded 4 requests from youth for more access: 1 granted, 1 declined" in content
    assert "Median time from request to decision: 20 minutes." in content
    assert "<caption>Youth requests made in the range, by what was asked" in content
    assert "<caption>Check-outs against the plan in the range" in content
    assert "4 device check-outs in the range; 3 went against the plan" in content
    assert 'data-testid="chart-requests"' in content
    chart = response.context["charts"][-1]
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("Granted", 1),
        ("Declined", 1),
        ("Withdrawn", 1),
        ("Waiting", 0),
        ("Lapsed", 1),
    ]


def test_the_summary_csv_has_the_requests_figures(
    admin_client_: Client, request_set: RequestSet
) -> None:
    response = admin_client_.post(
        reverse("reports:summary-download"), {"start": "2026-10-01", "end": "2026-10-31"}
    )
    lines = body(response).decode("utf-8-sig").splitlines()
    for line in (
        "Youth requests,Made in the range,4",
        "Youth requests,Granted,1",
        "Youth requests,Lapsed without a decision,1",
        "Youth requests,Median time to a decision (minutes),20",
        "Youth requests: Extra minutes today,Granted,1",
        "Youth requests: A one-off time window,Withdrawn,1",
        "Device check-outs,In the range,4",
        "Device check-outs,Against the plan,3",
        "Check-outs against the plan,Outside the plan's time windows,2",
    ):
        assert line in lines


def test_an_empty_range_says_no_request_was_decided(supervisor_client: Client) -> None:
    content = supervisor_client.get(reverse("reports:summary")).content.decode()
    assert "staff recorded 0 requests" in content
    assert "No request was decided yet." in content
    assert (
        "Youth requests,Median time to a decision (minutes),none"
        in body(supervisor_client.post(reverse("reports:summary-download")))
        .decode("utf-8-sig")
        .splitlines()
    )
