"""Each report page runs the same number of queries with few and many rows, and a
download runs a fixed number of queries per chunk of rows."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from desk.models import AccessRequest, DeviceSession, RequestKind, RequestStatus
from plans.models import Category, Youth
from reports import exports
from reports.exports import plan_rows, request_rows, restriction_rows
from reports.seeding import seed_many_youth
from reports.services import export_record_create
from shelter.models import User
from tests.builders import admit_youth, make_restriction
from tests.reports.conftest import DataSet
from tests.reports.helpers import body, download, xlsx_sheet

pytestmark = pytest.mark.django_db

# Every page: 1 session, 2 the signed-in user, 3 the authenticator app that verified the
# session (administrators and supervisors sign in in two steps), 4 their groups (role).
SIGNED_IN = 4


def seed(case_manager: User, count: int) -> None:
    seed_many_youth(count=count, case_managers=[case_manager], imposed_by=case_manager)


@pytest.mark.parametrize("count", [3, 80])
def test_the_plans_register_page_runs_a_fixed_number_of_queries(
    admin_client_: Client, case_manager: User, count: int, django_assert_num_queries
) -> None:
    seed(case_manager, count)
    first = Youth.objects.order_by("preferred_name", "client_id", "pk").first()
    make_restriction(first, case_manager)
    # 4 the row count, 5 the first 50 youth with plan and case manager
    # ("restricted now" is an EXISTS subquery), 6 their rules with categories
    # and windows, 7 their restrictions in force with categories, 8 case
    # managers for the filter.
    with django_assert_num_queries(SIGNED_IN + 5):
        response = admin_client_.get(reverse("reports:plans"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(count, 50)


@pytest.mark.parametrize("count", [1, 80])
def test_the_restrictions_register_page_runs_a_fixed_number_of_queries(
    admin_client_: Client, case_manager: User, count: int, django_assert_num_queries
) -> None:
    seed(case_manager, count * 20)  # one youth in twenty has a restriction
    # 4 the row count, 5 the first 50 restrictions with youth and staff,
    # 6 their categories, 7 case managers and 8 categories for the filters.
    with django_assert_num_queries(SIGNED_IN + 5):
        response = admin_client_.get(reverse("reports:restrictions"))
    assert response.status_code == 200
    assert response.context["total"] > 0


@pytest.mark.parametrize("versions", [1, 3])
def test_the_policies_register_page_runs_a_fixed_number_of_queries(
    admin_client_: Client,
    data_set: DataSet,
    case_manager: User,
    supervisor: User,
    versions: int,
    django_assert_num_queries,
) -> None:
    from policies.models import Policy
    from tests.policies.builders import draft

    for policy in Policy.objects.exclude(key="social-media")[: versions - 1]:
        draft(policy, case_manager)
    # 4 the row count, 5 the versions with topic, author, youth count and the
    # reviewer from subqueries, 6 topics for the filter.
    with django_assert_num_queries(SIGNED_IN + 3):
        response = admin_client_.get(reverse("reports:policies"))
    assert len(response.context["rows"]) == versions


@pytest.mark.parametrize("records", [1, 60])
def test_the_export_record_page_runs_a_fixed_number_of_queries(
    admin_client_: Client, administrator: User, records: int, django_assert_num_queries
) -> None:
    for _ in range(records):
        export_record_create(
            by=administrator,
            report="plans",
            export_format="csv",
            filters={},
            row_count=1,
            deidentified=False,
        )
    # 4 the count for the paginator, 5 the page of records with who exported.
    with django_assert_num_queries(SIGNED_IN + 2):
        response = admin_client_.get(reverse("reports:export-list"))
    assert len(response.context["page"].object_list) == min(records, 50)


@pytest.mark.parametrize("count", [3, 60])
def test_the_summary_page_runs_a_fixed_number_of_queries(
    supervisor_client: Client, case_manager: User, count: int, django_assert_num_queries
) -> None:
    seed(case_manager, count)
    seed_requests(case_manager, count)
    # 4 youth by risk level, 5 review states, 6 restrictions' dates, 7 policy
    # versions, 8 youth requests (still waiting as an EXISTS), 9 device check-outs
    # by the state they overrode.
    with django_assert_num_queries(SIGNED_IN + 6):
        response = supervisor_client.get(reverse("reports:summary"))
    assert response.status_code == 200


def seed_requests(case_manager: User, count: int) -> None:
    """`count` requests (one youth each, or fewer youth), every other one granted,
    each asking for social media; and as many device check-outs, one in three
    against the plan."""
    youth = list(Youth.objects.order_by("pk")[:count]) or [admit_youth(case_manager)]
    social = Category.objects.get(key="social-media")
    phone = Category.objects.get(key="phone-possession")
    now = timezone.now()
    requests = AccessRequest.objects.bulk_create(
        AccessRequest(
            youth=youth[number % len(youth)],
            kind=RequestKind.EXTRA_MINUTES,
            minutes=30,
            reason="Fictional: homework.",
            requested_by=case_manager,
            requested_at=now - timedelta(minutes=number + 10),
            status=RequestStatus.GRANTED if number % 2 else RequestStatus.PENDING,
            decided_by=case_manager if number % 2 else None,
            decided_at=now - timedelta(minutes=number) if number % 2 else None,
        )
        for number in range(count)
    )
    AccessRequest.categories.through.objects.bulk_create(
        AccessRequest.categories.through(accessrequest_id=request.pk, category_id=social.pk)
        for request in requests
    )
    DeviceSession.objects.bulk_create(
        DeviceSession(
            youth=youth[number % len(youth)],
            category=phone,
            checked_out_at=now - timedelta(hours=number + 2),
            checked_out_by=case_manager,
            checked_in_at=now - timedelta(hours=number + 1),
            override_state="" if number % 3 else "outside_window",
        )
        for number in range(count)
    )


@pytest.mark.parametrize("count", [1, 80])
def test_the_requests_register_page_runs_a_fixed_number_of_queries(
    admin_client_: Client, case_manager: User, count: int, django_assert_num_queries
) -> None:
    seed(case_manager, min(count, 20))
    seed_requests(case_manager, count)
    # 4 the row count, 5 the first 50 requests with youth and staff ("still
    # waiting" is an EXISTS subquery), 6 their categories, 7 case managers and
    # 8 categories for the filters.
    with django_assert_num_queries(SIGNED_IN + 5):
        response = admin_client_.get(reverse("reports:requests"))
    assert response.status_code == 200
    assert response.context["total"] == count
    assert len(response.context["rows"]) == min(count, 50)


# Per chunk


def chunks_with_a_restriction(size: int) -> int:
    """How many chunks of `size` youth (in export order) have a restriction in force."""
    from django.utils import timezone

    from plans.models import Restriction

    restricted = set(
        Restriction.objects.active_at(timezone.now()).values_list("plan__youth_id", flat=True)
    )
    ids = list(
        Youth.objects.order_by("preferred_name", "client_id", "pk").values_list("pk", flat=True)
    )
    return sum(
        1 for start in range(0, len(ids), size) if restricted & set(ids[start : start + size])
    )


@pytest.mark.parametrize(("count", "chunks"), [(10, 2), (100, 20)])
def test_the_plan_rows_run_at_most_two_queries_per_chunk(
    case_manager: User, count: int, chunks: int, django_assert_num_queries
) -> None:
    seed(case_manager, count)
    youth = Youth.objects.all()
    restricted_chunks = chunks_with_a_restriction(5)
    # 1 the youth (one streamed query, with "restriction in force" as an EXISTS),
    # then per chunk of 5: rules with their categories and windows, and only for
    # a chunk with a restricted youth, its restrictions with their categories.
    with django_assert_num_queries(1 + chunks + restricted_chunks):
        rows = list(plan_rows(youth, deidentified=False, chunk_size=5))
    assert len(rows) == count
    assert restricted_chunks > 0 or count == 10


@pytest.mark.parametrize("count", [100, 400])
def test_the_restriction_rows_run_one_query_per_chunk(
    case_manager: User, count: int, django_assert_num_queries
) -> None:
    from plans.models import Restriction

    seed(case_manager, count)
    restrictions = Restriction.objects.all()
    total = restrictions.count()
    expected_chunks = -(-total // 5)
    # 1 the restrictions (one streamed query), then per chunk: their categories.
    with django_assert_num_queries(1 + expected_chunks):
        rows = list(restriction_rows(restrictions, deidentified=False, chunk_size=5))
    assert len(rows) == total > 0


@pytest.mark.parametrize(("count", "chunks"), [(10, 2), (100, 20)])
def test_the_plans_csv_download_runs_a_fixed_number_of_queries_per_chunk(
    admin_client_: Client,
    case_manager: User,
    count: int,
    chunks: int,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries,
) -> None:
    seed(case_manager, count)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    restricted_chunks = chunks_with_a_restriction(5)
    # 4 case managers for the filter's choices, 5 the row count, 6-9 the export
    # record and its audit row (savepoint, insert, insert, release), 10 the streamed
    # youth, then per chunk its rules, and its restrictions if it has a restricted youth.
    with django_assert_num_queries(SIGNED_IN + 7 + chunks + restricted_chunks):
        response = download(admin_client_, "plans", "csv")
        content = body(response)
    assert content.count(b"\n") == count + 1


@pytest.mark.parametrize("count", [10, 60])
def test_the_request_rows_run_one_query_per_chunk(
    case_manager: User, count: int, django_assert_num_queries
) -> None:
    seed(case_manager, 5)
    seed_requests(case_manager, count)
    # 1 the requests (one streamed query, "still waiting" as an EXISTS), then per
    # chunk of 5: their categories.
    with django_assert_num_queries(1 + count // 5):
        rows = list(request_rows(AccessRequest.objects.all(), deidentified=True, chunk_size=5))
    assert len(rows) == count
    assert {row[2] for row in rows} == {"Social media"}


@pytest.mark.parametrize("count", [10, 60])
def test_the_requests_xlsx_download_runs_a_fixed_number_of_queries_per_chunk(
    admin_client_: Client,
    case_manager: User,
    count: int,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries,
) -> None:
    seed(case_manager, 5)
    seed_requests(case_manager, count)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    # 5 the streamed requests, then per chunk of 5 their categories, then the
    # export record and its audit row (savepoint, the exporter checked by
    # full_clean, insert, insert, release). No filter, so no choices are read.
    with django_assert_num_queries(SIGNED_IN + 6 + count // 5):
        response = download(admin_client_, "requests", "xlsx")
    assert xlsx_sheet(response).max_row == count + 1
