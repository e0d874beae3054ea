"""The de-identified summary over a date range: counts, shares and lengths, no
names or client IDs anywhere. A fixed number of aggregate queries."""

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from plans.models import Approval, Restriction, RiskLevel, Youth
from policies.models import Contribution, PolicyVersion
from reports.charts import BarChart, bar_chart
from reports.exports import actual_length, days
from reports.filters import start_of_day


@dataclass(frozen=True)
class Summary:
    start: date
    end: date
    as_of: date
    youth_total: int
    by_risk: list[tuple[str, int]]
    reviews: list[tuple[str, int]]
    restriction_total: int
    needed_approval: int
    declined: int
    took_effect: int
    median_planned_days: float | None
    longest_planned_days: float | None
    median_actual_days: float | None
    longest_actual_days: float | None
    versions_total: int
    versions_with_youth: int

    @property
    def share_with_youth(self) -> float | None:
        if not self.versions_total:
            return None
        return round(100 * self.versions_with_youth / self.versions_total, 1)

    def charts(self) -> list[BarChart]:
        return [
            bar_chart("risk", "Youth by risk level", self.by_risk),
            bar_chart("reviews", f"Plan reviews on {self.as_of:%-d %b %Y}", self.reviews),
            bar_chart(
                "restrictions",
                "Restrictions that began in the range",
                [
                    ("All", self.restriction_total),
                    ("Took effect", self.took_effect),
                    ("Needed approval", self.needed_approval),
                    ("Declined", self.declined),
                ],
            ),
        ]

    def rows(self) -> list[tuple[str, str, str | int | float]]:
        """(section, measure, value): the CSV and the on-screen table."""

        def shown(value: float | None, unit: str = "") -> str | float:
            return "none" if value is None else (f"{value}{unit}" if unit else value)

        return [
            ("Range", "From", self.start.isoformat()),
            ("Range", "To", self.end.isoformat()),
            ("Youth", "Youth in care during the range", self.youth_total),
            *[("Youth by risk level", label, count) for label, count in self.by_risk],
            *[(f"Plan reviews on {self.as_of}", label, count) for label, count in self.reviews],
            ("Restrictions", "Began in the range", self.restriction_total),
            ("Restrictions", "Took effect", self.took_effect),
            ("Restrictions", "Needed a supervisor's approval", self.needed_approval),
            ("Restrictions", "Declined", self.declined),
            ("Restrictions", "Median planned length (days)", shown(self.median_planned_days)),
            ("Restrictions", "Longest planned length (days)", shown(self.longest_planned_days)),
            ("Restrictions", "Median actual length (days)", shown(self.median_actual_days)),
            ("Restrictions", "Longest actual length (days)", shown(self.longest_actual_days)),
            ("Policy versions", "Written in the range", self.versions_total),
            ("Policy versions", "With youth co-authors", self.versions_with_youth),
            ("Policy versions", "Share with youth (%)", shown(self.share_with_youth)),
        ]


def _days(values: list[timedelta]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return float(days(median(values))), float(days(max(values)))  # type: ignore[arg-type]


def build_summary(*, start: date, end: date) -> Summary:
    """Four queries: youth by risk and review state, restrictions, policy versions.
    "In care during the range": admitted by its end, not discharged before its start.
    Reviews are judged on the range's last day, or today if that is earlier."""
    as_of = min(end, timezone.localdate())
    in_care = Youth.objects.filter(admitted_on__lte=end).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=start)
    )
    risk_counts = dict(
        in_care.values_list("plan__risk_level")
        .annotate(n=Count("pk"))
        .values_list("plan__risk_level", "n")
    )
    by_risk = [(str(label), risk_counts.get(value, 0)) for value, label in RiskLevel.choices]
    reviews = in_care.aggregate(
        overdue=Count("pk", filter=Q(plan__next_review_on__lt=as_of)),
        on_time=Count("pk", filter=Q(plan__next_review_on__gte=as_of)),
        not_set=Count("pk", filter=Q(plan__next_review_on__isnull=True)),
    )

    began = Restriction.objects.filter(
        starts_at__gte=start_of_day(start), starts_at__lt=start_of_day(end + timedelta(days=1))
    )
    planned: list[timedelta] = []
    actual: list[timedelta] = []
    needed = declined = 0
    for approval, starts_at, ends_at, lifted_at in began.values_list(
        "approval", "starts_at", "ends_at", "lifted_at"
    ).iterator(chunk_size=2000):
        planned.append(ends_at - starts_at)
        length = actual_length(approval, starts_at, ends_at, lifted_at)
        if length is not None:
            actual.append(length)
        needed += approval != Approval.NOT_NEEDED
        declined += approval == Approval.DECLINED
    median_planned, longest_planned = _days(planned)
    median_actual, longest_actual = _days(actual)

    versions = PolicyVersion.objects.filter(
        created_at__gte=start_of_day(start), created_at__lt=start_of_day(end + timedelta(days=1))
    ).aggregate(
        total=Count("pk"),
        with_youth=Count(
            "pk", filter=Q(Exists(Contribution.objects.filter(version=OuterRef("pk"))))
        ),
    )
    return Summary(
        start=start,
        end=end,
        as_of=as_of,
        youth_total=sum(risk_counts.values()),
        by_risk=by_risk,
        reviews=[
            ("On time", reviews["on_time"]),
            ("Overdue", reviews["overdue"]),
            ("No date set", reviews["not_set"]),
        ],
        restriction_total=len(planned),
        needed_approval=needed,
        declined=declined,
        took_effect=len(actual),
        median_planned_days=median_planned,
        longest_planned_days=longest_planned,
        median_actual_days=median_actual,
        longest_actual_days=longest_actual,
        versions_total=versions["total"],
        versions_with_youth=versions["with_youth"],
    )
