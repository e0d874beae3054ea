"""Fictional front-desk data for the demo: shelter devices, a youth's request
waiting for a decision, and a device out at the desk. Idempotent."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from desk.models import AccessRequest, Device, DeviceKind, DeviceSession, RequestKind
from desk.services import CheckOutAgainstPlan, access_request_record, device_check_out
from plans.models import Category, Youth

if TYPE_CHECKING:
    from shelter.demo import DemoStaff

DEMO_DEVICES = (
    ("Computer 1", DeviceKind.COMPUTER),
    ("Computer 2", DeviceKind.COMPUTER),
    ("Tablet A", DeviceKind.TABLET),
)


def seed(staff: "DemoStaff", youth: list[Youth]) -> None:
    devices = [
        Device.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in DEMO_DEVICES
    ]
    if AccessRequest.objects.exists() or DeviceSession.objects.exists():
        return
    mine = [
        person
        for person in youth
        if person.case_manager_id == staff.case_manager.pk and not person.is_discharged
    ]
    if not mine:
        return
    access_request_record(
        actor=staff.case_manager,
        youth=mine[0],
        kind=RequestKind.EXTRA_MINUTES,
        categories=Category.objects.filter(key="messaging"),
        all_categories=False,
        reason="Fictional: wants 30 more minutes to video-call their grandmother on her birthday.",
        minutes=30,
    )
    # The first youth whose plan lets them use a shelter computer now; if the plan says
    # no at this hour, the check-out goes ahead with a reason, as the desk would record it.
    for person in mine[1:]:
        try:
            device_check_out(
                actor=staff.case_manager,
                youth=person,
                device=devices[0],
                supervised_by=staff.case_manager,
            )
        except CheckOutAgainstPlan:
            device_check_out(
                actor=staff.case_manager,
                youth=person,
                device=devices[0],
                supervised_by=staff.case_manager,
                override_reason="Fictional: finishing a school assignment due tomorrow.",
            )
        except ValidationError:
            continue
        return
