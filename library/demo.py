"""A fictional required course for the demo, completed by one case manager and
missing for the other, so the supervisor's training page has something to show.
Idempotent."""

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from library.models import Audience, RequiredTraining, Resource, TrainingRecord
from library.training_services import training_record_add
from shelter.roles import Role

if TYPE_CHECKING:
    from shelter.demo import DemoStaff

DEMO_COURSE = "Technology, safety and trafficking: the basics (fictional demo course)"


def seed(staff: "DemoStaff") -> None:
    course, _created = Resource.objects.get_or_create(
        title=DEMO_COURSE,
        defaults={
            "summary": "A made-up two-hour course for trying the product: not a real training.",
            "audience": Audience.STAFF,
            "is_course": True,
        },
    )
    for role in (Role.CASE_MANAGER, Role.SUPERVISOR):
        RequiredTraining.objects.get_or_create(
            resource=course, role=role, is_active=True, defaults={"renewal_months": 12}
        )
    if not TrainingRecord.objects.filter(staff=staff.case_manager).exists():
        training_record_add(
            staff=staff.case_manager,
            by=staff.case_manager,
            completed_on=timezone.localdate() - timedelta(days=40),
            hours=Decimal("2"),
            resource=course,
        )
