"""The whole demo seeding, in one process: the desk has devices, a request waiting
and a device out; the training page has a required course done by one case manager
and missing for the other. Seeding twice adds nothing."""

from datetime import datetime

import pytest
from django.utils import timezone

from desk.models import AccessRequest, Device, DeviceSession, RequestStatus
from library.models import RequiredTraining, TrainingRecord
from library.training import training_matrix
from shelter.demo import DemoStaff, seed_records
from shelter.roles import Role
from tests.builders import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> DemoStaff:
    return DemoStaff(
        case_manager=make_staff("demo.cm1", Role.CASE_MANAGER),
        other_case_manager=make_staff("demo.cm2", Role.CASE_MANAGER),
        supervisor=make_staff("demo.sup1", Role.SUPERVISOR),
        other_supervisor=make_staff("demo.sup2", Role.SUPERVISOR),
        administrator=make_staff("demo.admin", Role.ADMINISTRATOR),
    )


@pytest.mark.parametrize("hour", [3, 15])
def test_the_demo_gives_the_desk_devices_a_waiting_request_and_a_device_out(
    staff: DemoStaff, hour: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 3 am most plans say no: the check-out then goes ahead with a recorded reason.
    moment = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    moment = moment.replace(hour=hour)
    monkeypatch.setattr(timezone, "now", lambda: moment)

    seed_records(staff)
    seed_records(staff)

    assert Device.objects.count() == 3
    request = AccessRequest.objects.get()
    assert request.status == RequestStatus.PENDING
    assert request.reason.startswith("Fictional:")
    session = DeviceSession.objects.get()
    assert session.checked_in_at is None
    assert session.device == Device.objects.get(name="Computer 1")
    # A reason is recorded exactly when the check-out went against the plan.
    assert (session.override_reason == "") == (session.override_state == "")


def test_the_demo_leaves_one_case_manager_missing_the_required_course(staff: DemoStaff) -> None:
    seed_records(staff)
    seed_records(staff)

    assert RequiredTraining.objects.filter(role=Role.CASE_MANAGER).count() == 1
    assert TrainingRecord.objects.get().staff == staff.case_manager
    standings = {
        (row.staff, status.standing.value)
        for row in training_matrix(timezone.localdate()).people
        for status in row.statuses
    }
    assert (staff.case_manager, "done") in standings
    assert (staff.other_case_manager, "missing") in standings
