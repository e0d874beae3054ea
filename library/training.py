"""Who has done the training their role requires, and who is missing or overdue.

A requirement (RequiredTraining) asks every active staff member of a role to
complete a library resource, again every `renewal_months` when set. A person's
standing on one requirement comes from their latest current (not withdrawn)
record of that resource:

- missing: never completed;
- overdue: last completion + renewal_months is before today;
- due soon: that date falls within the next DUE_SOON_DAYS days;
- done: otherwise (or once is enough).

Every query here is a fixed number, whatever the number of staff or records:
the staff with their groups, the requirements, and the latest completion per
(staff member, resource) in one aggregate.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Max
from django.utils.translation import gettext_lazy

from library.models import RequiredTraining, TrainingRecord
from shelter.models import User
from shelter.roles import Role

DUE_SOON_DAYS = 30


class Standing(models.TextChoices):
    MISSING = "missing", gettext_lazy("Missing")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    DUE_SOON = "due_soon", gettext_lazy("Due within 30 days")
    DONE = "done", gettext_lazy("Done")


# Those a person has to act on, most pressing first.
NEEDS_ACTION = (Standing.MISSING, Standing.OVERDUE, Standing.DUE_SOON)
BEHIND = (Standing.MISSING, Standing.OVERDUE)
# The badge of each standing (its word is always shown too, never colour alone).
BADGES = {
    Standing.MISSING: "text-bg-danger",
    Standing.OVERDUE: "text-bg-danger",
    Standing.DUE_SOON: "text-bg-warning",
    Standing.DONE: "text-bg-success",
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of the month when it has no such
    day (31 Jan + 1 month is 28 or 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def valid_until(last_completed_on: date | None, renewal_months: int | None) -> date | None:
    if last_completed_on is None or renewal_months is None:
        return None
    return add_months(last_completed_on, renewal_months)


def standing(last_completed_on: date | None, renewal_months: int | None, today: date) -> Standing:
    if last_completed_on is None:
        return Standing.MISSING
    until = valid_until(last_completed_on, renewal_months)
    if until is None:
        return Standing.DONE
    if until < today:
        return Standing.OVERDUE
    if until <= today + timedelta(days=DUE_SOON_DAYS):
        return Standing.DUE_SOON
    return Standing.DONE


@dataclass(frozen=True)
class TrainingStatus:
    """One staff member's standing on one required training."""

    requirement: RequiredTraining
    last_completed_on: date | None
    valid_until: date | None
    standing: Standing

    @property
    def title(self) -> str:
        return self.requirement.resource.title

    @property
    def badge(self) -> str:
        return BADGES[self.standing]

    @property
    def needs_action(self) -> bool:
        return self.standing in NEEDS_ACTION

    @property
    def is_behind(self) -> bool:
        return self.standing in BEHIND


@dataclass(frozen=True)
class StaffTraining:
    """A staff member and their standing on each training their role requires."""

    staff: User
    statuses: list[TrainingStatus]

    @property
    def behind(self) -> list[TrainingStatus]:
        return [status for status in self.statuses if status.is_behind]

    @property
    def missing_count(self) -> int:
        return sum(status.standing == Standing.MISSING for status in self.statuses)

    @property
    def overdue_count(self) -> int:
        return sum(status.standing == Standing.OVERDUE for status in self.statuses)


@dataclass(frozen=True)
class RequirementTraining:
    """A required training and the standing of each staff member of its role."""

    requirement: RequiredTraining
    rows: list[tuple[User, TrainingStatus]]

    def _with(self, *standings: Standing) -> list[tuple[User, TrainingStatus]]:
        return [(staff, status) for staff, status in self.rows if status.standing in standings]

    @property
    def behind(self) -> list[tuple[User, TrainingStatus]]:
        return self._with(*BEHIND)

    @property
    def due_soon(self) -> list[tuple[User, TrainingStatus]]:
        return self._with(Standing.DUE_SOON)

    @property
    def done(self) -> list[tuple[User, TrainingStatus]]:
        return self._with(Standing.DONE)


# Queries


def active_requirements() -> list[RequiredTraining]:
    """One query: every active requirement with its resource."""
    return list(
        RequiredTraining.objects.filter(is_active=True)
        .select_related("resource")
        .order_by("role", "resource__title", "pk")
    )


def staff_with_roles() -> list[User]:
    """Two queries: every active staff member with a role, with their groups (which
    give `user.role` without another query)."""
    return list(
        User.objects.filter(is_active=True, groups__name__in=[role.group_name for role in Role])
        .distinct()
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "username", "pk")
    )


def last_completions(
    staff: Iterable[User] | None, requirements: Iterable[RequiredTraining]
) -> dict[tuple[int, int], date]:
    """One query: the latest current completion per (staff id, resource id) of the
    required resources; `staff` None for everyone."""
    records = TrainingRecord.objects.current().filter(
        resource_id__in={requirement.resource_id for requirement in requirements}
    )
    if staff is not None:
        records = records.filter(staff_id__in=[person.pk for person in staff])
    return {
        (row["staff_id"], row["resource_id"]): row["last"]
        for row in records.values("staff_id", "resource_id").annotate(last=Max("completed_on"))
    }


def _statuses(
    person: User,
    requirements: list[RequiredTraining],
    completions: dict[tuple[int, int], date],
    today: date,
) -> list[TrainingStatus]:
    statuses = []
    for requirement in requirements:
        if requirement.role != person.role:
            continue
        last = completions.get((person.pk, requirement.resource_id))
        statuses.append(
            TrainingStatus(
                requirement=requirement,
                last_completed_on=last,
                valid_until=valid_until(last, requirement.renewal_months),
                standing=standing(last, requirement.renewal_months, today),
            )
        )
    return statuses


def training_for(user: User, today: date) -> list[TrainingStatus]:
    """The user's standing on every training their role requires (two queries)."""
    if user.role is None:
        return []
    requirements = [r for r in active_requirements() if r.role == user.role]
    if not requirements:
        return []
    return _statuses(user, requirements, last_completions([user], requirements), today)


def due_first(statuses: Iterable[TrainingStatus]) -> list[TrainingStatus]:
    """Those to act on (missing, overdue, due soon), most pressing first."""
    order = {value: index for index, value in enumerate(NEEDS_ACTION)}
    due = [status for status in statuses if status.needs_action]
    return sorted(due, key=lambda status: (order[status.standing], status.title))


def trainings_due_for(user: User, today: date) -> list[TrainingStatus]:
    """The required trainings the user has to act on: missing, overdue, or due
    within DUE_SOON_DAYS days; most pressing first (two queries)."""
    return due_first(training_for(user, today))


@dataclass(frozen=True)
class TrainingMatrix:
    """Every active staff member × the trainings their role requires."""

    people: list[StaffTraining]
    requirements: list[RequirementTraining]

    @property
    def people_behind(self) -> list[StaffTraining]:
        return [person for person in self.people if person.behind]

    def of(self, user: User) -> list[TrainingStatus]:
        for person in self.people:
            if person.staff.pk == user.pk:
                return person.statuses
        return []


def training_matrix(today: date) -> TrainingMatrix:
    """Four queries: the requirements, the staff and their groups, the completions."""
    requirements = active_requirements()
    staff = staff_with_roles()
    completions = last_completions(None, requirements) if requirements else {}
    people = [
        StaffTraining(staff=person, statuses=_statuses(person, requirements, completions, today))
        for person in staff
    ]
    by_requirement: dict[int, list[tuple[User, TrainingStatus]]] = defaultdict(list)
    for person in people:
        for status in person.statuses:
            by_requirement[status.requirement.pk].append((person.staff, status))
    return TrainingMatrix(
        people=people,
        requirements=[
            RequirementTraining(requirement=requirement, rows=by_requirement[requirement.pk])
            for requirement in requirements
        ],
    )
