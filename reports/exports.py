"""The registers' rows and the streaming CSV and Excel writers.

Rows are built from `values_list` tuples, one chunk at a time: the main query
streams (a server-side cursor on PostgreSQL, `.iterator(chunk_size=…)`), and each
chunk of rows costs a fixed number of extra queries (rules, windows, restrictions,
categories…), never one per row. Memory stays flat: nothing holds more than one
chunk, and the Excel file is written to a temporary file, not to memory.
"""

import csv
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import IO, Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from desk.models import AccessRequest, RequestKind, RequestStatus
from plans.models import (
    AccessRule,
    Approval,
    Restriction,
    RestrictionKind,
    RiskLevel,
    weekday_ranges,
)
from policies.models import PolicyTransition, PolicyVersion, Status

CHUNK_SIZE = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | Decimal | date | datetime | None


@dataclass(frozen=True)
class Column:
    """`header` stays English in the files (other systems read them); `label` is
    the same header in the staff member's language, for the on-screen tables."""

    header: str
    width: int = 14

    @property
    def label(self) -> str:
        return gettext(self.header)


@dataclass
class Register:
    """What one export needs: its columns and a generator of its rows."""

    title: str
    slug: str
    columns: list[Column]
    rows: Iterable[list[Cell]]


# Cells


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would read as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def local(moment: datetime | None) -> datetime | None:
    """An aware moment as the agency's wall-clock time (spreadsheets have no zones)."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def days(length: timedelta | None) -> Decimal | None:
    if length is None:
        return None
    return (Decimal(length.total_seconds()) / Decimal(86400)).quantize(Decimal("0.01"))


def staff_name(first: str | None, last: str | None, username: str | None) -> str:
    name = f"{first or ''} {last or ''}".strip()
    return name or (username or "")


def yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


class Pseudonyms:
    """'Youth 0001', 'Youth 0002'… in order of first appearance in one export:
    stable within the file, meaningless outside it."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}

    def __call__(self, youth_id: int) -> str:
        number = self._numbers.setdefault(youth_id, len(self._numbers) + 1)
        return f"Youth {number:04d}"


def chunked(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# Short forms, the same words as AccessRule.summary and TimeWindow.summary


@lru_cache(maxsize=4096)
def window_short(weekdays: int, start: time, end: time, language: str | None = None) -> str:
    """Cached: a house has few distinct windows, and 100,000 rows repeat them.
    `language` (the active one) keys the cache: a Spanish preview must not put its
    words in an English file."""
    day_numbers = frozenset(day for day in range(7) if weekdays & (1 << day))
    return f"{weekday_ranges(day_numbers)} {start:%H:%M}–{end:%H:%M}"


def rule_short(supervised: bool, windows: list[str], limit: int | None) -> str:
    parts: list[str] = []
    if supervised:
        parts.append(gettext("supervised"))
    parts.extend(windows)
    if limit:
        parts.append(gettext("%(minutes)s min a day") % {"minutes": limit})
    return ", ".join(parts) if parts else gettext("free use")


@lru_cache(maxsize=4096)
def rule_line(
    category: str,
    supervised: bool,
    windows: tuple[str, ...],
    limit: int | None,
    language: str | None = None,
) -> str:
    """Cached: most rules in a house read the same ("Messaging: free use").
    `language` (the active one) keys the cache, as in window_short."""
    return f"{category}: {rule_short(supervised, list(windows), limit)}"


# The plans register

PLAN_FIELDS = (
    "pk",
    "plan__pk",
    "client_id",
    "preferred_name",
    "case_manager__first_name",
    "case_manager__last_name",
    "case_manager__username",
    "admitted_on",
    "discharged_on",
    "plan__risk_level",
    "plan__risk_assessed_at",
    "plan__next_review_on",
)
RISK_LABELS = dict(RiskLevel.choices)
KIND_LABELS = dict(RestrictionKind.choices)
APPROVAL_LABELS = dict(Approval.choices)
STATUS_LABELS = dict(Status.choices)


def plan_columns(deidentified: bool) -> list[Column]:
    who = (
        [Column(gettext_noop("Youth"), 12)]
        if deidentified
        else [Column(gettext_noop("Client ID")), Column(gettext_noop("Name"), 22)]
    )
    return [
        *who,
        Column(gettext_noop("Case manager"), 22),
        Column(gettext_noop("Admitted"), 12),
        Column(gettext_noop("Discharged"), 12),
        Column(gettext_noop("Risk level"), 11),
        Column(gettext_noop("Risk assessed"), 17),
        Column(gettext_noop("Next review"), 12),
        Column(gettext_noop("Review overdue"), 9),
        Column(gettext_noop("Rules"), 60),
        Column(gettext_noop("Restrictions in force"), 40),
    ]


def _plan_chunk_details(
    plan_ids: list[int], restricted_plan_ids: list[int], now: datetime
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """At most two queries for a chunk of plans, however many rules each has: the
    rules joined to their windows (one row per window, or one for a rule without),
    and, only if some plan of the chunk has one, the restrictions in force now
    joined to their categories."""
    rule_text: dict[int, list[str]] = defaultdict(list)
    current: tuple[int, int, str, bool, int | None] | None = None
    windows: list[str] = []
    # Asked once per chunk: per rule and window it was a quarter of an export's time.
    language = translation.get_language()

    def close_rule() -> None:
        if current is not None:
            _rule_id, plan_id, category, supervised, limit = current
            rule_text[plan_id].append(
                rule_line(category, supervised, tuple(windows), limit, language)
            )

    for rule_id, plan_id, category, supervised, limit, weekdays, start, end in (
        AccessRule.objects.filter(plan_id__in=plan_ids, category__is_active=True)
        .order_by(
            "plan_id",
            "category__position",
            "category__name",
            "pk",
            "windows__start_time",
            "windows__pk",
        )
        .values_list(
            "pk",
            "plan_id",
            "category__name",
            "supervised",
            "daily_limit_minutes",
            "windows__weekdays",
            "windows__start_time",
            "windows__end_time",
        )
    ):
        if current is None or current[0] != rule_id:
            close_rule()
            current = (rule_id, plan_id, category, supervised, limit)
            windows = []
        if weekdays is not None:
            windows.append(window_short(weekdays, start, end, language))
    close_rule()

    restriction_text: dict[int, list[str]] = defaultdict(list)
    if not restricted_plan_ids:
        return rule_text, restriction_text
    restrictions: dict[int, tuple[int, str, bool, datetime, list[str]]] = {}
    for restriction_id, plan_id, kind, everything, ends_at, category in (
        Restriction.objects.active_at(now)
        .filter(plan_id__in=restricted_plan_ids)
        .order_by("ends_at", "pk", "categories__position", "categories__name")
        .values_list("pk", "plan_id", "kind", "all_categories", "ends_at", "categories__name")
    ):
        entry = restrictions.setdefault(restriction_id, (plan_id, kind, everything, ends_at, []))
        if category is not None:
            entry[4].append(category)
    for plan_id, kind, everything, ends_at, names in restrictions.values():
        what = "all categories" if everything else ", ".join(names)
        until = f"{local(ends_at):%Y-%m-%d %H:%M}"
        restriction_text[plan_id].append(f"{KIND_LABELS[kind]} ({what}) until {until}")
    return rule_text, restriction_text


def plan_rows(
    youth: QuerySet, *, deidentified: bool, chunk_size: int = CHUNK_SIZE, limit: int | None = None
) -> Iterator[list[Cell]]:
    now = timezone.now()
    today = timezone.localdate(now)
    pseudonym = Pseudonyms()
    # Which youth have a restriction in force: an EXISTS in the streamed query, so
    # a chunk asks for restrictions only when it has some (most have few).
    in_force = Restriction.objects.active_at(now).filter(plan__youth=OuterRef("pk"))
    stream = (
        youth.annotate(report_restricted=Exists(in_force))
        .order_by("preferred_name", "client_id", "pk")
        .values_list(*PLAN_FIELDS, "report_restricted")
    )
    if limit is not None:
        stream = stream[:limit]
    # Words looked up once, in the language active when the rows are read (English
    # for files), not once a row.
    risk_labels = {key: str(label) for key, label in RISK_LABELS.items()}
    overdue_words = {True: yes_no(True), False: yes_no(False)}
    for chunk in chunked(stream.iterator(chunk_size=chunk_size), chunk_size):
        rule_text, restriction_text = _plan_chunk_details(
            [row[1] for row in chunk], [row[1] for row in chunk if row[-1]], now
        )
        for (
            youth_id,
            plan_id,
            client_id,
            name,
            cm_first,
            cm_last,
            cm_username,
            admitted,
            discharged,
            risk,
            assessed_at,
            next_review,
            _restricted,
        ) in chunk:
            who: list[Cell] = [pseudonym(youth_id)] if deidentified else [client_id, name]
            yield [
                *who,
                staff_name(cm_first, cm_last, cm_username),
                admitted,
                discharged,
                risk_labels.get(risk, risk),
                local(assessed_at),
                next_review,
                overdue_words[next_review is not None and next_review < today],
                "; ".join(rule_text.get(plan_id, [])),
                "; ".join(restriction_text.get(plan_id, [])),
            ]


# The restrictions register

RESTRICTION_FIELDS = (
    "pk",
    "plan__youth_id",
    "plan__youth__client_id",
    "plan__youth__preferred_name",
    "all_categories",
    "kind",
    "reason",
    "starts_at",
    "ends_at",
    "lifted_at",
    "approval",
    "decided_by__first_name",
    "decided_by__last_name",
    "decided_by__username",
    "imposed_by__first_name",
    "imposed_by__last_name",
    "imposed_by__username",
)


def restriction_columns(deidentified: bool) -> list[Column]:
    who = (
        [Column(gettext_noop("Youth"), 12)]
        if deidentified
        else [Column(gettext_noop("Client ID")), Column(gettext_noop("Name"), 22)]
    )
    # Reasons are free text that may name people: not in de-identified files.
    reason = [] if deidentified else [Column(gettext_noop("Reason"), 50)]
    return [
        *who,
        Column(gettext_noop("Categories"), 30),
        Column(gettext_noop("Kind"), 18),
        *reason,
        Column(gettext_noop("Start"), 17),
        Column(gettext_noop("End"), 17),
        Column(gettext_noop("Planned length (days)"), 10),
        Column(gettext_noop("Lifted at"), 17),
        Column(gettext_noop("Actual length (days)"), 10),
        Column(gettext_noop("Lifted early"), 8),
        Column(gettext_noop("Approval"), 22),
        Column(gettext_noop("Approved or declined by"), 22),
        Column(gettext_noop("Imposed by"), 22),
    ]


def actual_length(
    approval: str, starts_at: datetime, ends_at: datetime, lifted_at: datetime | None
) -> timedelta | None:
    """How long it was really in force; None for one that never took effect."""
    if approval not in (Approval.NOT_NEEDED, Approval.APPROVED):
        return None
    end = lifted_at if lifted_at is not None and lifted_at < ends_at else ends_at
    return max(end - starts_at, timedelta(0))


def restriction_rows(
    restrictions: QuerySet,
    *,
    deidentified: bool,
    chunk_size: int = CHUNK_SIZE,
    limit: int | None = None,
) -> Iterator[list[Cell]]:
    pseudonym = Pseudonyms()
    stream = restrictions.order_by("starts_at", "pk").values_list(*RESTRICTION_FIELDS)
    if limit is not None:
        stream = stream[:limit]
    for chunk in chunked(stream.iterator(chunk_size=chunk_size), chunk_size):
        # One query per chunk: the categories of its restrictions.
        categories: dict[int, list[str]] = defaultdict(list)
        for restriction_id, name in (
            Restriction.categories.through.objects.filter(
                restriction_id__in=[row[0] for row in chunk]
            )
            .order_by("category__position", "category__name")
            .values_list("restriction_id", "category__name")
        ):
            categories[restriction_id].append(name)
        for row in chunk:
            (pk, youth_id, client_id, name, everything, kind, reason, starts_at, ends_at) = row[:9]
            lifted_at, approval = row[9], row[10]
            who: list[Cell] = [pseudonym(youth_id)] if deidentified else [client_id, name]
            lifted_early = lifted_at is not None and lifted_at < ends_at
            decided = staff_name(*row[11:14]) if approval in ("approved", "declined") else ""
            yield [
                *who,
                gettext("All categories") if everything else ", ".join(categories[pk]),
                KIND_LABELS.get(kind, kind),
                *([] if deidentified else [reason]),
                local(starts_at),
                local(ends_at),
                days(ends_at - starts_at),
                local(lifted_at),
                days(actual_length(approval, starts_at, ends_at, lifted_at)),
                yes_no(lifted_early),
                APPROVAL_LABELS.get(approval, approval),
                decided,
                staff_name(*row[14:17]),
            ]


# The policy versions register


def policy_columns() -> list[Column]:
    return [
        Column(gettext_noop("Topic"), 24),
        Column(gettext_noop("Version"), 8),
        Column(gettext_noop("Status"), 20),
        Column(gettext_noop("Author"), 22),
        Column(gettext_noop("Reviewer"), 22),
        Column(gettext_noop("Created"), 17),
        Column(gettext_noop("Submitted"), 17),
        Column(gettext_noop("Decided"), 17),
        Column(gettext_noop("In force from"), 12),
        Column(gettext_noop("Next review"), 12),
        Column(gettext_noop("Youth co-authors"), 9),
    ]


def policy_rows(
    versions: QuerySet, *, chunk_size: int = CHUNK_SIZE, limit: int | None = None
) -> Iterator[list[Cell]]:
    """One query in all: the reviewer (who last approved or returned the
    version) comes from a subquery on the transitions, whether an approved
    version is in force today from an EXISTS on PolicyVersion.in_force."""
    today = timezone.localdate()
    in_force = PolicyVersion.objects.in_force(today).filter(pk=OuterRef("pk"))
    decision = PolicyTransition.objects.filter(
        version=OuterRef("pk"), to_status__in=[Status.APPROVED, Status.RETURNED]
    ).order_by("-at", "-pk")
    stream = (
        versions.with_youth_count()
        .annotate(
            reviewer_first=Subquery(decision.values("by__first_name")[:1]),
            reviewer_last=Subquery(decision.values("by__last_name")[:1]),
            decided_at=Subquery(decision.values("at")[:1]),
            is_in_force=Exists(in_force),
        )
        .order_by("policy__position", "policy__title", "number")
        .values_list(
            "policy__title",
            "number",
            "status",
            "created_by__first_name",
            "created_by__last_name",
            "created_by__username",
            "reviewer_first",
            "reviewer_last",
            "created_at",
            "submitted_at",
            "decided_at",
            "effective_date",
            "next_review_on",
            "youth_count",
            "is_in_force",
        )
    )
    if limit is not None:
        stream = stream[:limit]
    for row in stream.iterator(chunk_size=chunk_size):
        (title, number, status, a_first, a_last, a_user, r_first, r_last) = row[:8]
        yield [
            title,
            number,
            policy_status(status, row[11], today, in_force=row[14]),
            staff_name(a_first, a_last, a_user),
            staff_name(r_first, r_last, ""),
            local(row[8]),
            local(row[9]),
            local(row[10]),
            row[11],
            row[12],
            row[13],
        ]


def policy_status(status: str, effective: date | None, today: date, *, in_force: bool) -> str:
    """The stored status, with an approved version's place in time on `today`."""
    if status != Status.APPROVED or effective is None:
        return STATUS_LABELS.get(status, status)
    if in_force:
        return gettext("Approved, in force")
    if effective > today:
        return gettext("Approved, not yet in force")
    return gettext("Approved, superseded")


# The youth requests register

REQUEST_FIELDS = (
    "pk",
    "youth_id",
    "youth__client_id",
    "youth__preferred_name",
    "all_categories",
    "kind",
    "minutes",
    "asked_from",
    "asked_until",
    "reason",
    "status",
    "decided_by__first_name",
    "decided_by__last_name",
    "decided_by__username",
    "decided_at",
    "decision_note",
    "granted_from",
    "granted_until",
    "granted_extra_minutes",
    "requested_by__first_name",
    "requested_by__last_name",
    "requested_by__username",
    "requested_at",
)
REQUEST_KIND_LABELS = dict(RequestKind.choices)
REQUEST_STATUS_LABELS = dict(RequestStatus.choices)
LAPSED = gettext_noop("Lapsed without a decision")


def request_status(status: str, *, waiting: bool) -> str:
    """The stored status, except that a pending request no longer worth deciding
    (AccessRequest.objects.waiting: its time has passed, or the youth left) has lapsed."""
    if status == RequestStatus.PENDING and not waiting:
        return gettext(LAPSED)
    return REQUEST_STATUS_LABELS.get(status, status)


def request_columns(deidentified: bool) -> list[Column]:
    who = (
        [Column(gettext_noop("Youth"), 12)]
        if deidentified
        else [Column(gettext_noop("Client ID")), Column(gettext_noop("Name"), 22)]
    )
    # The youth's reason and the note they were told are free text that may
    # name people: not in de-identified files (as restriction reasons).
    reason = [] if deidentified else [Column(gettext_noop("Youth's reason"), 50)]
    note = [] if deidentified else [Column(gettext_noop("Decision note"), 40)]
    return [
        *who,
        Column(gettext_noop("Kind"), 24),
        Column(gettext_noop("Categories"), 30),
        Column(gettext_noop("Minutes asked"), 9),
        Column(gettext_noop("Asked from"), 17),
        Column(gettext_noop("Asked until"), 17),
        *reason,
        Column(gettext_noop("Status"), 22),
        Column(gettext_noop("Decided by"), 22),
        Column(gettext_noop("Decided at"), 17),
        *note,
        Column(gettext_noop("Granted from"), 17),
        Column(gettext_noop("Granted until"), 17),
        Column(gettext_noop("Extra minutes granted"), 9),
        Column(gettext_noop("Requested by"), 22),
        Column(gettext_noop("Requested at"), 17),
    ]


def request_rows(
    requests: QuerySet,
    *,
    deidentified: bool,
    chunk_size: int = CHUNK_SIZE,
    limit: int | None = None,
) -> Iterator[list[Cell]]:
    """One streamed query, and per chunk one more: the categories asked for. A
    request still pending but no longer worth deciding (its time has passed, or
    the youth left) reads "Lapsed without a decision", as in the summary."""
    pseudonym = Pseudonyms()
    waiting = AccessRequest.objects.waiting(timezone.now()).filter(pk=OuterRef("pk"))
    stream = (
        requests.annotate(report_waiting=Exists(waiting))
        .order_by("requested_at", "pk")
        .values_list(*REQUEST_FIELDS, "report_waiting")
    )
    if limit is not None:
        stream = stream[:limit]
    for chunk in chunked(stream.iterator(chunk_size=chunk_size), chunk_size):
        categories: dict[int, list[str]] = defaultdict(list)
        for request_id, name in (
            AccessRequest.categories.through.objects.filter(
                accessrequest_id__in=[row[0] for row in chunk]
            )
            .order_by("category__position", "category__name")
            .values_list("accessrequest_id", "category__name")
        ):
            categories[request_id].append(name)
        for row in chunk:
            (pk, youth_id, client_id, name, everything, kind, minutes, asked_from) = row[:8]
            (asked_until, reason, status) = row[8:11]
            (decided_at, note, granted_from, granted_until, extra) = row[14:19]
            who: list[Cell] = [pseudonym(youth_id)] if deidentified else [client_id, name]
            granted = status == RequestStatus.GRANTED
            yield [
                *who,
                REQUEST_KIND_LABELS.get(kind, kind),
                gettext("All categories") if everything else ", ".join(categories[pk]),
                minutes,
                local(asked_from),
                local(asked_until),
                *([] if deidentified else [reason]),
                request_status(status, waiting=row[23]),
                staff_name(*row[11:14]) if decided_at is not None else "",
                local(decided_at),
                *([] if deidentified else [note]),
                local(granted_from) if granted else None,
                local(granted_until) if granted else None,
                extra if granted and extra else None,
                staff_name(*row[19:22]),
                local(row[22]),
            ]


# Writers


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_cell(value: Cell | Promise) -> Cell:
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return neutralise(value)


def csv_stream(register: Register) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (so Excel reads accents), one header row.
    Lines are batched so each chunk sent is a few kilobytes, not one row."""
    writer = csv.writer(_Echo())
    # Files stay in English whoever downloads them: other systems read them.
    with translation.override("en"):
        yield ("\ufeff" + writer.writerow([c.header for c in register.columns])).encode()
        batch: list[str] = []
        for row in register.rows:
            batch.append(writer.writerow([csv_cell(value) for value in row]))
            if len(batch) >= 500:
                yield "".join(batch).encode()
                batch = []
        if batch:
            yield "".join(batch).encode()


def xlsx_cell(value: Cell | Promise) -> Cell:
    if isinstance(value, Promise):
        # A translatable label (choices): its words now, in the file's language.
        value = str(value)
    if isinstance(value, str):
        # Control characters are not allowed in the file format.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_file(register: Register, on_row: Callable[[], None] | None = None) -> IO[bytes]:
    """The register as an .xlsx in an anonymous temporary file (deleted when
    closed), written in openpyxl's write-only mode so memory stays bounded.
    Dates are date cells, numbers number cells; the header row is frozen."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(register.title[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(register.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.append([column.header for column in register.columns])
    # Files stay in English whoever downloads them: other systems read them.
    with translation.override("en"):
        for row in register.rows:
            sheet.append([xlsx_cell(value) for value in row])
            if on_row is not None:
                on_row()
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


@dataclass
class RowCounter:
    """Counts rows as they pass, for the export record of an Excel file."""

    count: int = 0

    def __call__(self) -> None:
        self.count += 1


def make_register(
    kind: str,
    queryset: QuerySet,
    *,
    deidentified: bool,
    chunk_size: int | None = None,
    limit: int | None = None,
) -> Register:
    """`limit` is for the on-screen preview; downloads have every row."""
    size = chunk_size or CHUNK_SIZE
    if kind == "plans":
        return Register(
            "Plans register",
            "plans-register",
            plan_columns(deidentified),
            plan_rows(queryset, deidentified=deidentified, chunk_size=size, limit=limit),
        )
    if kind == "restrictions":
        return Register(
            "Restrictions register",
            "restrictions-register",
            restriction_columns(deidentified),
            restriction_rows(queryset, deidentified=deidentified, chunk_size=size, limit=limit),
        )
    if kind == "requests":
        return Register(
            "Youth requests register",
            "youth-requests-register",
            request_columns(deidentified),
            request_rows(queryset, deidentified=deidentified, chunk_size=size, limit=limit),
        )
    if kind == "policies":
        return Register(
            "Policy versions register",
            "policy-versions-register",
            policy_columns(),
            policy_rows(queryset, chunk_size=size, limit=limit),
        )
    raise ValueError(kind)
