"""Views of the front desk: the house board (and its refresh), device
check-out and check-in, the device log, youth requests and their queue.
Fetch through plans.access / desk.access, validate with a form, write through
desk.services, redirect."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from desk.access import request_for_decision, request_for_view, session_for_check_in
from desk.board import YouthAccess, house_access, youth_access
from desk.filters import BoardFilter
from desk.forms import (
    OWN_PHONE,
    AccessRequestForm,
    CheckInForm,
    CheckOutForm,
    DecisionForm,
    DeclineForm,
    DeviceChoice,
    GrantForm,
)
from desk.models import (
    PHONE_POSSESSION,
    AccessRequest,
    Device,
    DeviceSession,
    RequestKind,
    RequestStatus,
)
from desk.services import (
    CheckOutAgainstPlan,
    RequestConflict,
    SessionAlreadyCheckedIn,
    access_request_decline,
    access_request_grant,
    access_request_record,
    access_request_withdraw,
    device_check_in,
    device_check_out,
)
from plans.access import can_edit_youth, youth_for_edit, youth_for_view
from plans.forms import add_service_errors
from plans.models import Category, Youth
from plans.rightnow import CategoryAccess, State, format_when
from shelter.access import any_role, role_required
from shelter.models import User
from shelter.roles import Role

# The house board

BOARD_PAGE_SIZE = 100
# Short state words for the badge; the label beside it says until when.
STATE_WORDS = {
    State.OPEN: pgettext_lazy("access state", "Open"),
    State.SUPERVISED: pgettext_lazy("access state", "Supervised"),
    State.IN_WINDOW: pgettext_lazy("access state", "Open"),
    State.OUTSIDE_WINDOW: pgettext_lazy("access state", "Closed"),
    State.RESTRICTED: pgettext_lazy("access state", "Restricted"),
    State.LIMIT_REACHED: pgettext_lazy("access state", "Limit reached"),
    State.EXCEPTION: pgettext_lazy("access state", "By exception"),
}
# Colour only repeats what the words say (never colour alone).
STATE_BADGES = {
    State.OPEN: "text-bg-success",
    State.SUPERVISED: "text-bg-warning",
    State.IN_WINDOW: "text-bg-success",
    State.OUTSIDE_WINDOW: "text-bg-secondary",
    State.RESTRICTED: "text-bg-danger",
    State.LIMIT_REACHED: "text-bg-dark",
    State.EXCEPTION: "text-bg-info",
}


@dataclass(frozen=True)
class BoardCell:
    category: Category
    access: CategoryAccess | None  # None: the plan has no rule for this category
    show_reason: bool

    @property
    def words(self) -> str:
        if self.access is None:
            return _("No rule")
        words = str(STATE_WORDS[self.access.state])
        if self.access.supervised and self.access.state in (State.IN_WINDOW, State.EXCEPTION):
            words = _("%(state)s, supervised") % {"state": words}
        return words

    @property
    def badge(self) -> str:
        return "text-bg-light" if self.access is None else STATE_BADGES[self.access.state]

    @property
    def details(self) -> str:
        """The label ("Open until 22:00"), unless it only repeats the badge."""
        if self.access is None:
            return ""
        label = self.access.label
        return "" if label in (self.words, str(STATE_WORDS[self.access.state])) else label

    @property
    def exception_note(self) -> str:
        """ "By exception until 21:00" when an exception is in force but the state
        words do not already say so (it is also inside its window, say)."""
        if self.access is None or self.access.exception_until is None:
            return ""
        if self.access.state == State.EXCEPTION:
            return ""
        return _("By exception until %(when)s") % {
            "when": format_when(self.access.exception_until, self.access.as_of)
        }

    @property
    def reason(self) -> str:
        return self.access.reason if self.access is not None and self.show_reason else ""


@dataclass(frozen=True)
class BoardRow:
    """One youth on the board: "online now?" first, then each category."""

    item: YouthAccess
    cells: list[BoardCell]
    can_act: bool

    @property
    def youth(self) -> Youth:
        return self.item.youth

    @property
    def usable(self) -> list[CategoryAccess]:
        return [cell.access for cell in self.cells if cell.access and cell.access.usable]

    @property
    def online(self) -> str:
        """ "yes", "supervised" (only with staff supervising) or "no"."""
        usable = self.usable
        if any(not access.supervised for access in usable):
            return "yes"
        return "supervised" if usable else "no"

    @property
    def online_words(self) -> str:
        return {"yes": _("Yes"), "supervised": _("Supervised only"), "no": _("No")}[self.online]

    @property
    def online_details(self) -> str:
        """ "4 of 7 categories" or, when nothing is usable, the next opening."""
        usable = self.usable
        ruled = [cell.access for cell in self.cells if cell.access is not None]
        if usable:
            return _("%(usable)s of %(ruled)s categories") % {
                "usable": len(usable),
                "ruled": len(ruled),
            }
        openings = [(a.next_opening, a) for a in ruled if a.next_opening is not None]
        if not openings:
            return _("Nothing opens in the next two weeks")
        when, first = min(openings, key=lambda pair: pair[0])
        return _("Next: %(category)s, %(when)s") % {
            "category": first.category_name,
            "when": format_when(when, first.as_of),
        }


def _board_rows(user: User, items: list[YouthAccess], categories: list[Category]) -> list[BoardRow]:
    rows = []
    for item in items:
        # The board shows a restriction's reason to the youth's editors only (their
        # case manager, supervisors): it is casework, and the desk screen is shared.
        editor = can_edit_youth(user, item.youth)
        by_key = {access.category_key: access for access in item.categories}
        cells = [BoardCell(category, by_key.get(category.key), editor) for category in categories]
        rows.append(BoardRow(item=item, cells=cells, can_act=editor))
    return rows


def board_context(request: HttpRequest, now: datetime) -> dict[str, Any]:
    """Shared by the board and its refresh: the same filters and access checks.
    `now` is a parameter so tests can ask about a fixed moment."""
    board_filter = BoardFilter(
        request.GET,
        queryset=Youth.objects.visible_to(request.user).current(now),
        request=request,
    )
    page: Page = Paginator(board_filter.qs, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's slice goes to house_access before it adds its joins: only this page's
    # youth are computed.
    items = house_access(page.object_list, now)
    categories = list(Category.objects.filter(is_active=True))
    query = board_filter.query_string
    page_query = f"{query}&page={page.number}" if query else f"page={page.number}"
    return {
        "filter": board_filter,
        "page": page,
        "rows": _board_rows(request.user, items, categories),
        "categories": categories,
        "now": now,
        "query": query,
        "rows_url": f"{reverse('desk:board-rows')}?{page_query}",
        "read_only": request.user.role == Role.ADMINISTRATOR,
    }


@require_GET
@any_role
def board(request: HttpRequest) -> HttpResponse:
    """Every current youth the user may see, each category's state right now.
    Administrators see it read-only."""
    return render(request, "desk/board.html", board_context(request, timezone.now()))


@require_GET
@any_role
def board_rows(request: HttpRequest) -> HttpResponse:
    """The board's rows alone: the page fetches them every minute (htmx)."""
    return render(request, "desk/includes/_board_rows.html", board_context(request, timezone.now()))


# Device check-out and check-in


def _device_choices(item: YouthAccess, devices: list[Device]) -> list[DeviceChoice]:
    choices = []
    phone = Category.objects.filter(key=PHONE_POSSESSION, is_active=True).first()
    if phone is not None:
        access = item.category(PHONE_POSSESSION)
        choices.append(DeviceChoice(OWN_PHONE, _("Their own phone"), None, phone, access))
    for device in devices:
        what = _("%(name)s (%(kind)s)") % {
            "name": device.name,
            "kind": device.get_kind_display().lower(),
        }
        access = item.category(device.category.key)
        choices.append(DeviceChoice(str(device.pk), what, device, device.category, access))
    return choices


def _free_devices(youth: Youth) -> list[Device]:
    """Active devices not out now, whose category is active."""
    out = DeviceSession.objects.open().filter(device=OuterRef("pk"))
    return list(
        Device.objects.active()
        .filter(category__is_active=True)
        .exclude(Exists(out))
        .select_related("category")
    )


BOARD_FILTERS = ("case_manager", "unit")


def board_url(board_query: str) -> str:
    """The board with the filters it was showing: ids only, anything else dropped
    (the value comes back from a form, so it is never trusted as a URL)."""
    params = QueryDict(board_query)
    kept = {name: params[name] for name in BOARD_FILTERS if params.get(name, "").isdigit()}
    return reverse("desk:board") + (f"?{urlencode(kept)}" if kept else "")


def _back(return_to: str, youth_id: int, board_query: str = "") -> HttpResponse:
    if return_to == "log":
        return redirect("desk:device-log")
    if return_to == "youth":
        return redirect("plans:youth-detail", youth_id=youth_id)
    return redirect(board_url(board_query))


@require_http_methods(["GET", "POST"])
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def check_out(request: HttpRequest, youth_id: int) -> HttpResponse:
    """Hand the youth their own phone or a free shelter device. Against the
    plan it needs a reason, which is logged and shown to the case manager."""
    youth = youth_for_edit(request.user, youth_id)
    now = timezone.now()
    item = youth_access(youth, now)
    choices = _device_choices(item, _free_devices(youth))
    form = CheckOutForm(
        request.POST or None,
        choices=choices,
        user=request.user,
        initial={
            "return_to": request.GET.get("return_to", "board"),
            "board_query": request.GET.urlencode(),
        },
    )
    override_needed = False
    if request.method == "POST" and form.is_valid():
        choice = form.choice()
        try:
            device_check_out(
                actor=request.user,
                youth=youth,
                category=choice.category,
                device=choice.device,
                # Recorded only where the plan asks for supervision.
                supervised_by=form.cleaned_data["supervised_by"] if choice.supervised else None,
                override_reason=form.cleaned_data["override_reason"].strip(),
                now=now,
            )
        except CheckOutAgainstPlan as error:
            override_needed = True
            add_service_errors(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            what = _("their own phone") if choice.device is None else choice.device.name
            messages.success(request, _("Checked out: %(what)s.") % {"what": what})
            data = form.cleaned_data
            return _back(data["return_to"], youth.pk, data["board_query"])
    context = {
        "youth": youth,
        "form": form,
        "choices": choices,
        # What the page says before the form: the choices against the plan or supervised.
        "plan_notes": [choice for choice in choices if choice.against_plan or choice.supervised],
        "item": item,
        "agency_now": now,
        "override_needed": override_needed,
        "board_url": board_url(request.GET.urlencode() or request.POST.get("board_query", "")),
    }
    return render(request, "desk/check_out.html", context)


@require_POST
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def check_in(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_for_check_in(request.user, session_id)
    form = CheckInForm(request.POST)
    valid = form.is_valid()
    return_to = form.cleaned_data["return_to"] if valid else "board"
    board_query = form.cleaned_data["board_query"] if valid else ""
    try:
        device_check_in(actor=request.user, session=session)
    except SessionAlreadyCheckedIn as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Checked in: %(what)s.") % {"what": session.what.lower()})
    return _back(return_to, session.youth_id, board_query)


LOG_PAGE_SIZE = 50


@require_GET
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def device_log(request: HttpRequest) -> HttpResponse:
    """Today's sessions and every open one, newest first, optionally of one
    device ("own" for youth's own phones)."""
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sessions = (
        DeviceSession.objects.visible_to(request.user)
        .overlapping(midnight, now + timedelta(seconds=1))
        .select_related(
            "youth", "device", "category", "checked_out_by", "checked_in_by", "supervised_by"
        )
        .order_by("-checked_out_at", "-pk")
    )
    devices = list(Device.objects.order_by("name"))
    chosen = request.GET.get("device", "")
    if chosen == "own":
        sessions = sessions.filter(device__isnull=True)
    elif chosen.isdigit():
        sessions = sessions.filter(device_id=int(chosen))
    else:
        chosen = ""
    page = Paginator(sessions, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "devices": devices,
        "chosen": chosen,
        "now": now,
        "midnight": midnight,
    }
    return render(request, "desk/device_log.html", context)


# Youth requests


@require_http_methods(["GET", "POST"])
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def request_new(request: HttpRequest, youth_id: int) -> HttpResponse:
    """Record what the youth asks for, in their words. Anyone on staff who may
    see the youth (and does casework) records it; their case manager or a
    supervisor decides."""
    youth = youth_for_view(request.user, youth_id)
    if youth.is_discharged:
        raise PermissionDenied
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            access_request_record(
                actor=request.user,
                youth=youth,
                kind=data["kind"],
                categories=list(data["categories"]),
                all_categories=data["all_categories"],
                reason=data["reason"],
                minutes=data["minutes"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Request recorded: it waits for a decision."))
            return redirect("desk:request-list")
    return render(request, "desk/request_new.html", {"youth": youth, "form": form})


@dataclass(frozen=True)
class RequestRow:
    request: AccessRequest
    categories: str
    can_decide: bool
    can_withdraw: bool
    grant_form: GrantForm | None
    decline_form: DeclineForm | None

    @property
    def offers_until(self) -> bool:
        """Extra minutes are for today: "until a time" is for the other kinds."""
        return self.request.kind != RequestKind.EXTRA_MINUTES


def _categories_label(access_request: AccessRequest) -> str:
    if access_request.all_categories:
        return _("All categories")
    return ", ".join(category.name for category in access_request.categories.all())


def _request_row(
    user: User,
    access_request: AccessRequest,
    grant_form: GrantForm | None = None,
    decline_form: DeclineForm | None = None,
) -> RequestRow:
    can_decide = access_request.is_pending and can_edit_youth(user, access_request.youth)
    can_withdraw = access_request.is_pending and (
        can_decide or access_request.requested_by_id == user.pk
    )
    initial: dict[str, Any] = {"expected_version": access_request.version}
    prefix = f"r{access_request.pk}"
    asked_until = access_request.asked_until
    grant_initial = {
        **initial,
        "until": f"{timezone.localtime(asked_until):%H:%M}" if asked_until else None,
    }
    return RequestRow(
        request=access_request,
        categories=_categories_label(access_request),
        can_decide=can_decide,
        can_withdraw=can_withdraw,
        grant_form=grant_form or GrantForm(prefix=f"{prefix}-grant", initial=grant_initial)
        if can_decide
        else None,
        decline_form=decline_form or DeclineForm(prefix=f"{prefix}-decline", initial=initial)
        if can_decide
        else None,
    )


DECIDED_PAGE_SIZE = 25


@require_GET
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests waiting for a decision (oldest first), then decided ones (newest first)."""
    visible = (
        AccessRequest.objects.visible_to(request.user)
        .select_related("youth__case_manager", "requested_by", "decided_by")
        .prefetch_related("categories")
    )
    waiting = list(visible.waiting().order_by("requested_at", "pk"))
    decided = visible.exclude(status=RequestStatus.PENDING).order_by("-decided_at", "-pk")
    page = Paginator(decided, DECIDED_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "waiting": [_request_row(request.user, item) for item in waiting],
        "decided": [_request_row(request.user, item) for item in page.object_list],
        "page": page,
        "agency_now": timezone.now(),
    }
    return render(request, "desk/request_list.html", context)


def _decided(request: HttpRequest, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("desk:request-list")


def _refused(request: HttpRequest, row: RequestRow) -> HttpResponse:
    return render(request, "desk/request_decide.html", {"row": row}, status=200)


def _stale(request: HttpRequest, error: Exception) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("desk:request-list")


@require_POST
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def request_grant(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = request_for_decision(request.user, request_id)
    form = GrantForm(request.POST, prefix=f"r{access_request.pk}-grant")
    if form.is_valid():
        try:
            granted = access_request_grant(
                actor=request.user,
                request=access_request,
                expected_version=form.cleaned_data["expected_version"],
                preset=form.cleaned_data["preset"],
                until=form.until_at(),
                note=form.cleaned_data["note"],
            )
        except RequestConflict as error:
            return _stale(request, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            until = date_format(timezone.localtime(granted.granted_until), "D H:i")
            return _decided(request, _("Request granted, until %(time)s.") % {"time": until})
    return _refused(request, _request_row(request.user, access_request, grant_form=form))


@require_POST
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def request_decline(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = request_for_decision(request.user, request_id)
    form = DeclineForm(request.POST, prefix=f"r{access_request.pk}-decline")
    if form.is_valid():
        try:
            access_request_decline(
                actor=request.user,
                request=access_request,
                expected_version=form.cleaned_data["expected_version"],
                note=form.cleaned_data["note"],
            )
        except RequestConflict as error:
            return _stale(request, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _decided(request, _("Request declined. Tell the youth why, as written."))
    return _refused(request, _request_row(request.user, access_request, decline_form=form))


@require_POST
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    """The youth no longer asks: kept, marked withdrawn. Whoever recorded it or
    the youth's editors (the service refuses others with 403)."""
    access_request = request_for_view(request.user, request_id)
    form = DecisionForm(request.POST, prefix=f"r{access_request.pk}-withdraw")
    if not form.is_valid():
        messages.error(request, _("Nothing was changed: reload the page and try again."))
        return redirect("desk:request-list")
    try:
        access_request_withdraw(
            actor=request.user,
            request=access_request,
            expected_version=form.cleaned_data["expected_version"],
        )
    except RequestConflict as error:
        return _stale(request, error)
    return _decided(request, _("Request withdrawn: it is kept, marked withdrawn."))
