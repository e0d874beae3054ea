"""Training records: staff record what they completed (never in the future, never
negative hours), withdraw a mistake (kept), and supervisors see who is missing
or overdue on the training their role requires, per person and per training,
in a fixed number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from library.models import RequiredTraining, Resource, TrainingRecord
from library.training import (
    Standing,
    add_months,
    standing,
    training_matrix,
    trainings_due_for,
    valid_until,
)
from library.training_services import training_record_add, training_record_withdraw
from shelter.models import AuditAction, AuditEvent, User
from shelter.roles import Role
from tests.builders import make_staff

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def _course(title: str = "Fictional course: technology and trafficking") -> Resource:
    return Resource.objects.create(title=title, summary="Fictional summary.", is_course=True)


def _require(
    resource: Resource, role: Role = Role.CASE_MANAGER, months: int | None = 12
) -> RequiredTraining:
    return RequiredTraining.objects.create(resource=resource, role=role, renewal_months=months)


def _record(staff: User, resource: Resource | None, completed_on: date) -> TrainingRecord:
    return TrainingRecord.objects.create(
        staff=staff,
        resource=resource,
        course_name="" if resource else "Fictional outside course",
        completed_on=completed_on,
        hours=Decimal("2.5"),
        recorded_by=staff,
    )


def _today() -> date:
    return timezone.localdate()


# The rule: missing, overdue, due soon, done


def test_a_month_later_is_the_same_day_or_the_last_day_of_a_shorter_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 6, 15), 12) == date(2027, 6, 15)
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("last", "months", "expected"),
    [
        (None, 12, Standing.MISSING),
        (None, None, Standing.MISSING),
        (date(2025, 6, 14), 12, Standing.OVERDUE),  # valid until yesterday
        (date(2025, 6, 15), 12, Standing.DUE_SOON),  # valid until today
        (date(2025, 7, 15), 12, Standing.DUE_SOON),  # valid until 30 days from today
        (date(2025, 7, 16), 12, Standing.DONE),
        (date(2020, 1, 1), None, Standing.DONE),  # once is enough
    ],
)
def test_a_standing_comes_from_the_last_completion_and_the_renewal_period(
    last: date | None, months: int | None, expected: Standing
) -> None:
    assert standing(last, months, TODAY) == expected


def test_a_training_required_once_has_no_renewal_date() -> None:
    assert valid_until(date(2020, 1, 1), None) is None
    assert valid_until(date(2025, 6, 15), 6) == date(2025, 12, 15)


# Recording and withdrawing


def test_a_case_manager_records_a_library_course_with_an_audit_row(case_manager: User) -> None:
    course = _course()
    record = training_record_add(
        staff=case_manager,
        by=case_manager,
        resource=course,
        completed_on=_today(),
        hours=Decimal("1.5"),
    )
    assert (record.title, record.hours, record.recorded_by) == (
        course.title,
        Decimal("1.5"),
        case_manager,
    )
    event = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert event.detail == {"op": "training_record_add"}
    assert event.object_id == record.pk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"completed_on": "future"},
            "completed_on",
            "The date is in the future: record a training once it is done.",
        ),
        ({"hours": Decimal("-1")}, "hours", "Ensure this value is greater than or equal to 0."),
        (
            {"resource": None, "course_name": "  "},
            "course_name",
            "Choose a course from the library or type its name.",
        ),
        (
            {"course_name": "Fictional other course"},
            "course_name",
            "Choose a course from the library or type its name, not both.",
        ),
    ],
)
def test_the_service_refuses_bad_input_and_saves_nothing(
    case_manager: User, changes: dict, field: str, message: str
) -> None:
    arguments = {
        "staff": case_manager,
        "by": case_manager,
        "resource": _course(),
        "completed_on": _today(),
        "hours": Decimal("1"),
        **changes,
    }
    if arguments["completed_on"] == "future":
        arguments["completed_on"] = _today() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        training_record_add(**arguments)
    assert error.value.message_dict[field] == [message]
    assert not TrainingRecord.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


def test_a_withdrawn_record_is_kept_marked_and_a_second_withdrawal_is_refused(
    case_manager: User,
) -> None:
    record = _record(case_manager, _course(), _today())
    training_record_withdraw(record=record, by=case_manager)
    record.refresh_from_db()
    assert record.withdrawn_by == case_manager and record.withdrawn_at is not None
    with pytest.raises(ValidationError, match="already withdrawn"):
        training_record_withdraw(record=record, by=case_manager)
    assert TrainingRecord.objects.count() == 1
    assert record.history.count() == 2
    ops = list(AuditEvent.objects.values_list("detail__op", flat=True))
    assert ops == ["training_record_withdraw"]


def test_a_withdrawn_record_does_not_count_towards_required_training(case_manager: User) -> None:
    course = _course()
    _require(course)
    record = _record(case_manager, course, _today())
    assert trainings_due_for(case_manager, _today()) == []
    training_record_withdraw(record=record, by=case_manager)
    [due] = trainings_due_for(case_manager, _today())
    assert (due.title, due.standing) == (course.title, Standing.MISSING)


def test_trainings_due_are_those_of_ones_own_role_most_pressing_first(
    case_manager: User, supervisor: User
) -> None:
    overdue, missing, soon, done = (_course(f"Fictional course {n}") for n in "ABCD")
    for course in (overdue, missing, soon, done):
        _require(course)
    _require(_course("Fictional supervisors' course"), role=Role.SUPERVISOR)
    _require(_course("Fictional retired course")).__class__.objects.filter(
        resource__title="Fictional retired course"
    ).update(is_active=False)
    _record(case_manager, overdue, TODAY - timedelta(days=400))
    _record(case_manager, soon, add_months(TODAY, -12) + timedelta(days=10))
    _record(case_manager, done, TODAY - timedelta(days=10))
    _record(supervisor, missing, TODAY)  # someone else's record counts for nobody else

    due = trainings_due_for(case_manager, TODAY)

    assert [(status.title, status.standing) for status in due] == [
        ("Fictional course B", Standing.MISSING),
        ("Fictional course A", Standing.OVERDUE),
        ("Fictional course C", Standing.DUE_SOON),
    ]
    assert due[2].valid_until == TODAY + timedelta(days=10)


def test_the_matrix_lists_each_staff_member_against_their_roles_requirements(
    case_manager: User, other_case_manager: User, supervisor: User, administrator: User
) -> None:
    course = _course()
    _require(course)
    _record(case_manager, course, TODAY - timedelta(days=20))
    matrix = training_matrix(TODAY)
    assert [(p.staff, [s.standing for s in p.statuses]) for p in matrix.people] == [
        (administrator, []),
        (case_manager, [Standing.DONE]),
        (other_case_manager, [Standing.MISSING]),
        (supervisor, []),
    ]
    [item] = matrix.requirements
    assert [staff for staff, _ in item.behind] == [other_case_manager]


# Pages: recording


def test_the_record_page_saves_a_course_and_returns_to_my_training(
    cm_client: Client, case_manager: User
) -> None:
    course = _course()
    response = cm_client.post(
        reverse("library:training-record-new"),
        {"resource": course.pk, "completed_on": _today().isoformat(), "hours": "1.5"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("library:training-mine")
    record = TrainingRecord.objects.get()
    assert (record.staff, record.resource, record.hours) == (case_manager, course, Decimal("1.5"))


def test_the_record_page_takes_a_course_named_in_words(
    cm_client: Client, case_manager: User
) -> None:
    response = cm_client.post(
        reverse("library:training-record-new"),
        {
            "course_name": "Fictional state conference workshop",
            "completed_on": _today().isoformat(),
            "hours": "3",
        },
    )
    assert response.status_code == 302
    assert TrainingRecord.objects.get().title == "Fictional state conference workshop"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"completed_on": "tomorrow", "hours": "1"},
            "completed_on",
            "The date is in the future: record a training once it is done.",
        ),
        ({"hours": "-2"}, "hours", "Hours cannot be negative."),
        (
            {"hours": "1000"},
            "hours",
            "Ensure that there are no more than 3 digits before the decimal point.",
        ),
        ({"completed_on": "1850-01-01"}, "completed_on", "between the years 1900 and 2999"),
    ],
)
def test_bad_input_on_the_record_page_is_refused_next_to_the_field_and_nothing_is_saved(
    cm_client: Client, data: dict, field: str, message: str
) -> None:
    course = _course()
    posted = {"resource": course.pk, "completed_on": _today().isoformat(), "hours": "1", **data}
    if posted["completed_on"] == "tomorrow":
        posted["completed_on"] = (_today() + timedelta(days=1)).isoformat()
    response = cm_client.post(reverse("library:training-record-new"), posted)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not TrainingRecord.objects.exists()


def test_the_record_page_offers_active_courses_and_required_resources_only(
    cm_client: Client,
) -> None:
    course = _course("Fictional course")
    required = Resource.objects.create(title="Fictional required reading", summary="Fictional.")
    _require(required)
    Resource.objects.create(title="Fictional plain reading", summary="Fictional.")
    Resource.objects.create(
        title="Fictional old course", summary="F.", is_course=True, is_active=False
    )
    form = cm_client.get(reverse("library:training-record-new")).context["form"]
    assert list(form.fields["resource"].queryset) == [course, required]


# Pages: my training and withdrawing


def test_my_training_shows_my_required_training_and_my_records_only(
    cm_client: Client, case_manager: User, other_case_manager: User
) -> None:
    course = _course()
    _require(course)
    mine = _record(case_manager, None, _today() - timedelta(days=3))
    _record(other_case_manager, course, _today())
    withdrawn = _record(case_manager, course, _today() - timedelta(days=5))
    training_record_withdraw(record=withdrawn, by=case_manager)

    response = cm_client.get(reverse("library:training-mine"))

    assert response.status_code == 200
    assert response.context["current"] == [mine]
    assert response.context["withdrawn"] == [withdrawn]
    [status] = response.context["statuses"]
    assert status.standing == Standing.MISSING
    content = response.content.decode()
    assert "Fictional outside course" in content
    assert "Withdrawn records" in content
    assert reverse("library:training-record-withdraw", args=[mine.pk]) in content
    assert reverse("library:training-record-withdraw", args=[withdrawn.pk]) not in content


def test_withdrawing_on_the_page_keeps_the_record_and_says_so(
    cm_client: Client, case_manager: User
) -> None:
    record = _record(case_manager, _course(), _today())
    url = reverse("library:training-record-withdraw", args=[record.pk])
    response = cm_client.post(url, follow=True)
    assert "The training record is withdrawn." in response.content.decode()
    record.refresh_from_db()
    assert record.is_withdrawn
    again = cm_client.post(url, follow=True)
    assert "This training record was already withdrawn." in again.content.decode()


def test_someone_elses_record_is_not_found_for_a_case_manager_and_refused_to_a_supervisor(
    other_cm_client: Client, supervisor_client: Client, case_manager: User
) -> None:
    record = _record(case_manager, _course(), _today())
    url = reverse("library:training-record-withdraw", args=[record.pk])
    assert other_cm_client.post(url).status_code == 404
    assert supervisor_client.post(url).status_code == 403
    record.refresh_from_db()
    assert not record.is_withdrawn


def test_withdrawing_takes_post_only(cm_client: Client, case_manager: User) -> None:
    record = _record(case_manager, _course(), _today())
    url = reverse("library:training-record-withdraw", args=[record.pk])
    assert cm_client.get(url).status_code == 405
    assert cm_client.post(reverse("library:training-mine")).status_code == 405


# Pages: who is missing or overdue


def _house(supervisor: User, count: int, first: int = 100) -> None:
    """Two requirements of case managers and one of supervisors; `count` case managers,
    each with one course done long ago (overdue) and one never done (missing)."""
    courses = list(Resource.objects.filter(is_course=True).order_by("pk"))
    if not courses:
        courses = [
            _course("Fictional course: technology and trafficking"),
            _course("Fictional course: online gaming"),
        ]
        _require(courses[0])
        _require(courses[1], months=None)
        _require(courses[0], role=Role.SUPERVISOR)
    for number in range(first, first + count):
        staff = make_staff(f"cm.{number}", Role.CASE_MANAGER, last_name=f"Fictional {number:03d}")
        _record(staff, courses[0], _today() - timedelta(days=800))
        _record(staff, None, _today())  # a course not in the library counts for nothing
    _record(supervisor, courses[0], _today() - timedelta(days=3))


def test_a_supervisor_sees_who_is_missing_or_overdue_per_person(
    supervisor_client: Client, supervisor: User, case_manager: User
) -> None:
    _house(supervisor, 1)
    response = supervisor_client.get(reverse("library:training-by-staff"))
    assert response.status_code == 200
    content = response.content.decode()
    # The case manager persona and cm.100; the supervisor is done.
    assert "2 staff members are missing or overdue on required training." in content
    people = {person.staff.username: person for person in response.context["people"]}
    # Ordered by title: online gaming (never done), then trafficking (done long ago).
    assert [s.standing for s in people["cm.100"].statuses] == [Standing.MISSING, Standing.OVERDUE]
    assert [s.standing for s in people["cm.alpha"].statuses] == [Standing.MISSING, Standing.MISSING]
    assert [s.standing for s in people["sup.charlie"].statuses] == [Standing.DONE]
    assert "Fictional 100" in content and "Overdue" in content and "Missing" in content


def test_a_supervisor_sees_who_is_missing_or_overdue_per_training(
    supervisor_client: Client, supervisor: User, case_manager: User
) -> None:
    _house(supervisor, 1)
    response = supervisor_client.get(reverse("library:training-by-requirement"))
    assert response.status_code == 200
    items = {
        (item.requirement.resource.title, item.requirement.role): item
        for item in response.context["requirements"]
    }
    trafficking = items[("Fictional course: technology and trafficking", Role.CASE_MANAGER)]
    assert [(staff.username, s.standing) for staff, s in trafficking.behind] == [
        ("cm.alpha", Standing.MISSING),
        ("cm.100", Standing.OVERDUE),
    ] or [(staff.username, s.standing) for staff, s in trafficking.behind] == [
        ("cm.100", Standing.OVERDUE),
        ("cm.alpha", Standing.MISSING),
    ]
    gaming = items[("Fictional course: online gaming", Role.CASE_MANAGER)]
    assert {staff.username for staff, _ in gaming.behind} == {"cm.alpha", "cm.100"}
    supervisors = items[("Fictional course: technology and trafficking", Role.SUPERVISOR)]
    assert [staff.username for staff, _ in supervisors.done] == ["sup.charlie"]
    content = response.content.decode()
    assert "Required of every Case manager, renewed every 12 months." in content
    assert "Missing or overdue (2)" in content


def test_a_retired_requirement_and_an_inactive_account_are_left_out(
    supervisor_client: Client, supervisor: User, case_manager: User
) -> None:
    _house(supervisor, 1)
    User.objects.filter(username="cm.100").update(is_active=False)
    RequiredTraining.objects.filter(renewal_months=None).update(is_active=False)
    response = supervisor_client.get(reverse("library:training-by-staff"))
    people = {person.staff.username: person for person in response.context["people"]}
    assert "cm.100" not in people
    assert [s.title for s in people["cm.alpha"].statuses] == [
        "Fictional course: technology and trafficking"
    ]


def test_without_any_requirement_the_pages_say_so(supervisor_client: Client) -> None:
    for name in ("library:training-by-staff", "library:training-by-requirement"):
        content = supervisor_client.get(reverse(name)).content.decode()
        assert "No training is required yet." in content


def test_case_managers_cannot_open_the_missing_training_pages(cm_client: Client) -> None:
    for name in ("library:training-by-staff", "library:training-by-requirement"):
        assert cm_client.get(reverse(name)).status_code == 403


def test_the_missing_training_pages_take_get_only(admin_client_: Client) -> None:
    for name in ("library:training-by-staff", "library:training-by-requirement"):
        assert admin_client_.get(reverse(name)).status_code == 200
        assert admin_client_.post(reverse(name)).status_code == 405


# Home panels


def test_every_role_has_a_training_due_panel_linking_to_my_training(
    cm_client: Client, case_manager: User
) -> None:
    course = _course()
    _require(course)
    response = cm_client.get(reverse("home"))
    panels = {panel.key: panel for panel in response.context["panels"]}
    assert panels["training-due"].count == 1
    content = response.content.decode()
    assert "Training due (1)" in content
    assert "Fictional course: technology and trafficking: " in content
    assert reverse("library:training-mine") in content


def test_a_supervisors_home_lists_the_staff_missing_required_training(
    supervisor_client: Client, supervisor: User, case_manager: User
) -> None:
    _house(supervisor, 2)
    response = supervisor_client.get(reverse("home"))
    panels = {panel.key: panel for panel in response.context["panels"]}
    assert panels["training-missing"].count == 3
    assert panels["training-due"].count == 0
    content = response.content.decode()
    assert "1 missing, 1 overdue" in content
    assert "2 missing" in content
    assert reverse("library:training-by-staff") in content


# Query counts: fixed however many staff and records


def _count(client: Client, url: str, django_assert_num_queries, expected: int) -> None:
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_my_training_runs_a_fixed_number_of_queries(
    cm_client: Client, case_manager: User, supervisor: User, django_assert_num_queries
) -> None:
    _house(supervisor, 1)
    course = Resource.objects.order_by("pk").first()
    _record(case_manager, course, _today())
    url = reverse("library:training-mine")
    # 1 session, 2 user, 3 the user's groups (role), 4 their records with resources,
    # 5 the requirements, 6 their latest completions.
    _count(cm_client, url, django_assert_num_queries, 6)
    for days in range(30):
        _record(case_manager, course, _today() - timedelta(days=days))
        _record(case_manager, None, _today() - timedelta(days=days))
    _count(cm_client, url, django_assert_num_queries, 6)


@pytest.mark.parametrize("name", ["library:training-by-staff", "library:training-by-requirement"])
def test_the_missing_training_pages_run_a_fixed_number_of_queries(
    supervisor_client: Client, supervisor: User, django_assert_num_queries, name: str
) -> None:
    _house(supervisor, 1)
    url = reverse(name)
    # 1 session, 2 user, 3 the authenticator the session was verified with, 4 the
    # user's groups (role), 5 the requirements with their resources, 6 the staff,
    # 7 their groups, 8 the latest completion per staff member and course.
    _count(supervisor_client, url, django_assert_num_queries, 8)
    _house(supervisor, 30, first=200)
    _count(supervisor_client, url, django_assert_num_queries, 8)


def test_the_library_page_leads_to_my_training_and_supervisors_to_who_is_missing(
    cm_client: Client, supervisor_client: Client
) -> None:
    mine, missing = reverse("library:training-mine"), reverse("library:training-by-staff")
    staff_page = cm_client.get(reverse("library:resource-list")).content.decode()
    assert mine in staff_page and missing not in staff_page
    supervisor_page = supervisor_client.get(reverse("library:resource-list")).content.decode()
    assert mine in supervisor_page and missing in supervisor_page


# The admin: administrators require training, retire it, never delete it


def test_an_administrator_requires_a_course_of_a_role_in_the_admin(
    admin_client_: Client,
) -> None:
    course = _course()
    response = admin_client_.post(
        reverse("admin:library_requiredtraining_add"),
        {
            "resource": course.pk,
            "role": Role.CASE_MANAGER.value,
            "renewal_months": "12",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    requirement = RequiredTraining.objects.get()
    assert (requirement.role, requirement.renewal_months) == (Role.CASE_MANAGER, 12)
    delete = reverse("admin:library_requiredtraining_delete", args=[requirement.pk])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403
    assert RequiredTraining.objects.exists()


def test_a_second_active_requirement_of_the_same_course_and_role_is_refused(
    admin_client_: Client,
) -> None:
    course = _course()
    _require(course)
    response = admin_client_.post(
        reverse("admin:library_requiredtraining_add"),
        {
            "resource": course.pk,
            "role": Role.CASE_MANAGER.value,
            "renewal_months": "6",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "This course is already required of this role." in response.content.decode()
    assert RequiredTraining.objects.count() == 1


def test_case_managers_and_supervisors_cannot_open_required_training_in_the_admin(
    cm_client: Client, supervisor_client: Client
) -> None:
    url = reverse("admin:library_requiredtraining_changelist")
    assert cm_client.get(url).status_code == 403
    assert supervisor_client.get(url).status_code == 403
