"""The de-identified summary over a date range: counts, shares and lengths, no
names or client IDs anywhere. A fixed number of aggregate queries."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, pgettext

from desk.models import AccessRequest, DeviceSession, RequestKind, RequestStatus
from plans.models import Approval, Restriction, RiskLevel, Youth
from plans.rightnow import State
from policies.models import Contribution, PolicyVersion
from reports.charts import BarChart, bar_chart
from reports.exports import LAPSED, actual_length, days
from reports.filters import start_of_day

Row = tuple[str, str, str | int | float]

# What a check-out against the plan overrode, in the words of the check-out page.
OVERRIDE_LABELS = {
    State.RESTRICTED: gettext_lazy("During a restriction"),
    State.OUTSIDE_WINDOW: gettext_lazy("Outside the plan's time windows"),
    State.LIMIT_REACHED: gettext_lazy("Over today's time limit"),
}


@dataclass
class RequestCounts:
    """Youth requests made in the range, by how they stand now. "Waiting": still
    pending and worth deciding (AccessRequest.objects.waiting); "lapsed": still
    pending, but the time asked for has passed (or the youth left) undecided."""

    label: str
    made: int = 0
    granted: int = 0
    declined: int = 0
    withdrawn: int = 0
    waiting: int = 0
    lapsed: int = 0

    def add(self, status: str, *, waiting: bool) -> None:
        self.made += 1
        if status == RequestStatus.GRANTED:
            self.granted += 1
        elif status == RequestStatus.DECLINED:
            self.declined += 1
        elif status == RequestStatus.WITHDRAWN:
            self.withdrawn += 1
        elif waiting:
            self.waiting += 1
        else:
            self.lapsed += 1

    def outcomes(self) -> list[tuple[str, int]]:
        return [
            (pgettext("summary count", "Granted"), self.granted),
            (pgettext("summary count", "Declined"), self.declined),
            (pgettext("summary count", "Withdrawn"), self.withdrawn),
            (gettext("Waiting for a decision"), self.waiting),
            (gettext(LAPSED), self.lapsed),
        ]


@dataclass(frozen=True)
class RequestSummary:
    total: RequestCounts
    by_kind: list[RequestCounts]
    median_decision_minutes: int | None
    checkouts: int
    overrides_by_state: list[tuple[str, int]] = field(default_factory=list)

    @property
    def overrides(self) -> int:
        return sum(count for _, count in self.overrides_by_state)


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
    requests: RequestSummary

    @property
    def share_with_youth(self) -> float | None:
        if not self.versions_total:
            return None
        return round(100 * self.versions_with_youth / self.versions_total, 1)

    def charts(self) -> list[BarChart]:
        return [
            bar_chart("risk", gettext("Youth by risk level"), self.by_risk),
            bar_chart(
                "reviews",
                gettext("Plan reviews on %(day)s") % {"day": date_format(self.as_of, "j M Y")},
                self.reviews,
            ),
            bar_chart(
                "restrictions",
                gettext("Restrictions that began in the range"),
                [
                    (pgettext("summary count", "All"), self.restriction_total),
                    (gettext("Took effect"), self.took_effect),
                    (gettext("Needed approval"), self.needed_approval),
                    (pgettext("summary count", "Declined"), self.declined),
                ],
            ),
            bar_chart(
                "requests",
                gettext("Youth requests made in the range"),
                # Short words that fit beside the bars; the table has the long ones.
                [
                    (pgettext("summary count", "Granted"), self.requests.total.granted),
                    (pgettext("summary count", "Declined"), self.requests.total.declined),
                    (pgettext("summary count", "Withdrawn"), self.requests.total.withdrawn),
                    (pgettext("summary count", "Waiting"), self.requests.total.waiting),
                    (pgettext("summary count", "Lapsed"), self.requests.total.lapsed),
                ],
            ),
        ]

    def rows(self) -> list[Row]:
        """(section, measure, value): the CSV and the on-screen table."""

        def shown(value: float | None, unit: str = "") -> str | float:
            return gettext("none") if value is None else (f"{value}{unit}" if unit else value)

        reviews_on = gettext("Plan reviews on %(day)s") % {"day": self.as_of.isoformat()}
        return [
            (gettext("Range"), gettext("From"), self.start.isoformat()),
            (gettext("Range"), gettext("To"), self.end.isoformat()),
            (
                pgettext("report section", "Youth"),
                gettext("Youth in care during the range"),
                self.youth_total,
            ),
            *[(gettext("Youth by risk level"), label, count) for label, count in self.by_risk],
            *[(reviews_on, label, count) for label, count in self.reviews],
            (gettext("Restrictions"), gettext("Began in the range"), self.restriction_total),
            (gettext("Restrictions"), gettext("Took effect"), self.took_effect),
            (
                gettext("Restrictions"),
                gettext("Needed a supervisor's approval"),
                self.needed_approval,
            ),
            (gettext("Restrictions"), pgettext("summary count", "Declined"), self.declined),
            (
                gettext("Restrictions"),
                gettext("Median planned length (days)"),
                shown(self.median_planned_days),
            ),
            (
                gettext("Restrictions"),
                gettext("Longest planned length (days)"),
                shown(self.longest_planned_days),
            ),
            (
                gettext("Restrictions"),
                gettext("Median actual length (days)"),
                shown(self.median_actual_days),
            ),
            (
                gettext("Restrictions"),
                gettext("Longest actual length (days)"),
                shown(self.longest_actual_days),
            ),
            (gettext("Policy versions"), gettext("Written in the range"), self.versions_total),
            (
                gettext("Policy versions"),
                gettext("With youth co-authors"),
                self.versions_with_youth,
            ),
            (
                gettext("Policy versions"),
                gettext("Share with youth (%)"),
                shown(self.share_with_youth),
            ),
            *self._request_rows(shown),
        ]

    def _request_rows(self, shown: Callable[..., str | float]) -> list[Row]:
        requests = self.requests
        rows: list[Row] = [
            (gettext("Youth requests"), gettext("Made in the range"), requests.total.made),
            *[
                (gettext("Youth requests"), label, count)
                for label, count in requests.total.outcomes()
            ],
            (
                gettext("Youth requests"),
                gettext("Median time to a decision (minutes)"),
                shown(requests.median_decision_minutes),
            ),
        ]
        for counts in requests.by_kind:
            section = gettext("Youth requests: %(kind)s") % {"kind": counts.label}
            rows.append((section, gettext("Made in the range"), counts.made))
            rows.extend((section, label, count) for label, count in counts.outcomes())
        rows.append((gettext("Device check-outs"), gettext("In the range"), requests.checkouts))
        rows.append((gettext("Device check-outs"), gettext("Against the plan"), requests.overrides))
        rows.extend(
            (gettext("Check-outs against the plan"), label, count)
            for label, count in requests.overrides_by_state
        )
        return rows


def _requests(start: date, end: date) -> RequestSummary:
    """Two queries: the requests made in the range (with whether each is still
    waiting now, an EXISTS on AccessRequest.objects.waiting), and the device
    check-outs of the range counted by the plan state they overrode."""
    since, until = start_of_day(start), start_of_day(end + timedelta(days=1))
    waiting = AccessRequest.objects.waiting(timezone.now()).filter(pk=OuterRef("pk"))
    total = RequestCounts(gettext("All requests"))
    by_kind = {kind: RequestCounts(str(label)) for kind, label in RequestKind.choices}
    decision_times: list[timedelta] = []
    for kind, status, requested_at, decided_at, still_waiting in (
        AccessRequest.objects.filter(requested_at__gte=since, requested_at__lt=until)
        .annotate(report_waiting=Exists(waiting))
        .order_by()
        .values_list("kind", "status", "requested_at", "decided_at", "report_waiting")
        .iterator(chunk_size=2000)
    ):
        total.add(status, waiting=still_waiting)
        if kind in by_kind:
            by_kind[kind].add(status, waiting=still_waiting)
        # A withdrawal is the youth's, not a decision.
        if status in (RequestStatus.GRANTED, RequestStatus.DECLINED) and decided_at:
            decision_times.append(max(decided_at - requested_at, timedelta(0)))
    median_minutes = round(median(decision_times).total_seconds() / 60) if decision_times else None

    sessions = dict(
        DeviceSession.objects.filter(checked_out_at__gte=since, checked_out_at__lt=until)
        .order_by()
        .values_list("override_state")
        .annotate(n=Count("pk"))
        .values_list("override_state", "n")
    )
    overridden = [
        (str(label), sessions.get(str(state), 0)) for state, label in OVERRIDE_LABELS.items()
    ]
    # A state not named above (should the desk add one) is still counted.
    overridden += [
        (state, count)
        for state, count in sorted(sessions.items())
        if state and state not in OVERRIDE_LABELS
    ]
    return RequestSummary(
        total=total,
        by_kind=list(by_kind.values()),
        median_decision_minutes=median_minutes,
        checkouts=sum(sessions.values()),
        overrides_by_state=overridden,
    )


def _days(values: list[timedelta]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return float(days(median(values))), float(days(max(values)))  # type: ignore[arg-type]


def build_summary(*, start: date, end: date) -> Summary:
    """Six queries: youth by risk and review state, restrictions, policy versions,
    youth requests and device check-outs (see _requests).
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
            (pgettext("summary count", "On time"), reviews["on_time"]),
            (pgettext("summary count", "Overdue"), reviews["overdue"]),
            (gettext("No date set"), reviews["not_set"]),
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
        requests=_requests(start, end),
    )
