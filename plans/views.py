"""Views of the plans app: fetch through plans.access, validate with a form,
write through plans.services, redirect."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from desk.board import access_from_prefetched, desk_prefetches
from desk.panels import youth_desk_context
from library.models import Resource
from plans.access import (
    can_edit_youth,
    can_see_viewers,
    help_contact_for_edit,
    restriction_for_decision,
    restriction_for_lift,
    youth_for_edit,
    youth_for_view,
    youth_for_viewers,
)
from plans.filters import YouthFilter
from plans.forms import (
    HelpContactForm,
    PlanEditForms,
    RestrictionDecisionForm,
    RestrictionImposeForm,
    RestrictionLiftForm,
    YouthForm,
    YouthSearchForm,
    add_service_errors,
)
from plans.history import HistoryEntry, grouped, youth_history
from plans.models import (
    AccessRule,
    Approval,
    Category,
    HelpContact,
    Plan,
    Restriction,
    Unit,
    Youth,
    YouthQuerySet,
)
from plans.printout import printable_plan, printable_plan_queryset
from plans.reachable import always_reachable
from plans.rightnow import CategoryAccess, State
from plans.services import (
    HelpContactGone,
    PlanConflict,
    RestrictionConflict,
    YouthConflict,
    help_contact_add,
    help_contact_remove,
    plan_update,
    restriction_approve,
    restriction_decline,
    restriction_impose,
    restriction_lift,
    youth_admit,
    youth_update,
)
from plans.viewers import record_viewers
from policies.models import PlanPolicy
from shelter.access import any_role, role_required
from shelter.audit import audit_record
from shelter.models import AuditAction, User
from shelter.roles import Role

# Youth and plans

SEARCH_SESSION_KEY = "plans:youth-search"
PAGE_SIZE = 50


def _youth_page_queryset() -> YouthQuerySet:
    """The youth page's joins: plan and assessor with the youth, then rules with
    their categories, then all windows (Prefetch to_attr: the template reads
    `plan.rule_list`, never a query)."""
    return Youth.objects.select_related(
        "plan", "plan__risk_assessed_by", "plan__updated_by", "unit"
    ).prefetch_related(
        Prefetch(
            "plan__rules",
            queryset=AccessRule.objects.select_related("category").prefetch_related("windows"),
            to_attr="rule_list",
        ),
        # For the restrictions panels (H3): staff named in each status, categories.
        Prefetch(
            "plan__restrictions",
            queryset=Restriction.objects.select_related(
                "imposed_by", "decided_by", "lifted_by"
            ).prefetch_related("categories"),
            to_attr="restriction_list",
        ),
        # For "Help they can always reach".
        Prefetch(
            "plan__help_contacts",
            queryset=HelpContact.objects.current(),
            to_attr="help_contact_list",
        ),
    )


def youth_page_context(user: User, youth: Youth) -> dict[str, Any]:
    """Everything the youth page shows. `youth` comes from _youth_page_queryset()."""
    plan = youth.plan
    panels = restriction_panels_context(user, youth, timezone.now())
    return {
        "youth": youth,
        "plan": plan,
        "rules": [rule for rule in plan.rule_list if rule.category.is_active],
        "review_overdue": plan.is_review_overdue(),
        "can_edit": can_edit_youth(user, youth),
        "can_see_viewers": can_see_viewers(user),
        "followed_policies": list(PlanPolicy.objects.followed_by(plan)),
        "related_resources": list(
            Resource.objects.visible_to(user).about_categories(
                rule.category_id for rule in plan.rule_list if rule.category.is_active
            )
        ),
        **panels,
        "reachable": always_reachable(youth),
        "restricted_now": any(row.access.state == State.RESTRICTED for row in panels["access_now"]),
        **youth_desk_context(user, youth, timezone.now()),
    }


@require_GET
@any_role
def youth_list(request: HttpRequest) -> HttpResponse:
    """Youth the user may see, filtered by GET parameters (ids and choices only)
    and by the search text kept in the session (names never go in URLs)."""
    search = request.session.get(SEARCH_SESSION_KEY, "")
    data = request.GET.copy()
    data.setdefault("status", YouthFilter.CURRENT)
    youth_filter = YouthFilter(
        data,
        queryset=Youth.objects.visible_to(request.user)
        .for_list(timezone.now())
        .select_related("unit"),
        request=request,
        search=search,
    )
    page = Paginator(youth_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": youth_filter,
        "page": page,
        "search": search,
        "search_form": YouthSearchForm(initial={"q": search}),
        "today": timezone.localdate(),
        "can_add": request.user.role in (Role.CASE_MANAGER, Role.SUPERVISOR),
        # The unit column only once the agency has units.
        "show_units": Unit.objects.exists(),
    }
    return render(request, "plans/youth_list.html", context)


@require_POST
@any_role
def youth_search(request: HttpRequest) -> HttpResponse:
    form = YouthSearchForm(request.POST)
    if form.is_valid():
        request.session[SEARCH_SESSION_KEY] = form.cleaned_data["q"].strip()
    else:
        messages.error(request, _("Search for at most 80 characters."))
    return redirect("plans:youth-list")


@require_POST
@any_role
def youth_search_clear(request: HttpRequest) -> HttpResponse:
    request.session.pop(SEARCH_SESSION_KEY, None)
    return redirect("plans:youth-list")


@require_http_methods(["GET", "POST"])
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def youth_new(request: HttpRequest) -> HttpResponse:
    form = YouthForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.youth_data()
        data.setdefault("case_manager", request.user)
        try:
            youth = youth_admit(by=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Youth added, with an empty plan to fill in."))
            return redirect("plans:plan-edit", youth_id=youth.pk)
    return render(request, "plans/youth_form.html", {"form": form, "youth": None})


@require_GET
@any_role
def youth_detail(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = youth_for_view(request.user, youth_id, _youth_page_queryset())
    audit_record(action=AuditAction.VIEW_YOUTH, actor=request.user, request=request, obj=youth)
    return render(request, "plans/youth_detail.html", youth_page_context(request.user, youth))


@require_http_methods(["GET", "POST"])
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def youth_edit(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = youth_for_edit(request.user, youth_id)
    form = YouthForm(request.POST or None, instance=youth, user=request.user)
    conflict: list[HistoryEntry] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            youth_update(
                youth=youth,
                expected_version=form.cleaned_data["version"] or 0,
                by=request.user,
                data=form.youth_data(),
            )
        except YouthConflict as error:
            conflict = error.changes
            form = YouthForm(
                _with_version(request.POST, Youth, youth.pk), instance=youth, user=request.user
            )
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Youth details saved."))
            return redirect("plans:youth-detail", youth_id=youth.pk)
    context = {"form": form, "youth": youth, "conflict": conflict}
    return render(request, "plans/youth_form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def plan_edit(request: HttpRequest, youth_id: int) -> HttpResponse:
    """The plan with its rules (one per active category) and time windows, as
    one form: nothing is saved unless every part is valid."""
    youth = youth_for_edit(request.user, youth_id, Youth.objects.select_related("plan"))
    plan = youth.plan
    categories = list(Category.objects.filter(is_active=True))
    rules = list(plan.rules.select_related("category").prefetch_related("windows"))

    def build(data: Any) -> PlanEditForms:
        return PlanEditForms(data, plan=plan, categories=categories, rules=rules)

    forms = build(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        audit_record(action=AuditAction.VIEW_PLAN, actor=request.user, request=request, obj=plan)
    conflict: list[HistoryEntry] | None = None
    if request.method == "POST" and forms.is_valid():
        try:
            plan_update(
                plan=plan,
                expected_version=forms.plan_form.cleaned_data["version"],
                by=request.user,
                plan_data=forms.plan_data(),
                rules=forms.rule_data(),
                windows=forms.window_data(),
            )
        except PlanConflict as error:
            # Keep what the user typed; saving again now knowingly replaces the other save.
            conflict = error.changes
            forms = build(_with_version(request.POST, Plan, plan.pk))
            forms.is_valid()
        except ValidationError as error:
            add_service_errors(forms.plan_form, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("plans:youth-detail", youth_id=youth.pk)
    context = {"youth": youth, "plan": plan, "forms": forms, "conflict": conflict}
    return render(request, "plans/plan_form.html", context)


@require_GET
@any_role
def plan_history(request: HttpRequest, youth_id: int) -> HttpResponse:
    """Every earlier state of the youth's record, read-only: anyone who may see
    the youth may read it (also once discharged)."""
    youth = youth_for_view(request.user, youth_id, Youth.objects.select_related("plan"))
    audit_record(action=AuditAction.VIEW_PLAN, actor=request.user, request=request, obj=youth.plan)
    saves = grouped(youth_history(youth))
    return render(request, "plans/plan_history.html", {"youth": youth, "saves": saves})


@require_GET
@any_role
def youth_viewers(request: HttpRequest, youth_id: int) -> HttpResponse:
    """Who has viewed the youth's record or plan, from the audit trail: for
    supervisors and administrators (youth have the right to know)."""
    youth = youth_for_viewers(request.user, youth_id)
    context = {"youth": youth, "viewers": record_viewers(youth)}
    return render(request, "plans/youth_viewers.html", context)


def _with_version(data: QueryDict, model: type[Youth] | type[Plan], pk: int) -> QueryDict:
    fresh = data.copy()
    fresh["version"] = str(model.objects.values_list("version", flat=True).get(pk=pk))
    return fresh


# Restrictions

STATE_WORDS = {
    State.OPEN: gettext_lazy("Open"),
    State.SUPERVISED: gettext_lazy("Supervised only"),
    State.IN_WINDOW: gettext_lazy("Open now (in its time window)"),
    State.OUTSIDE_WINDOW: gettext_lazy("Closed now (outside its time windows)"),
    State.RESTRICTED: gettext_lazy("Restricted"),
    State.LIMIT_REACHED: gettext_lazy("Closed now (today's limit reached)"),
    State.EXCEPTION: gettext_lazy("Open now (by exception)"),
}
# Colour only repeats what the words say (never colour alone).
STATE_BADGES = {
    State.OPEN: "text-bg-success",
    State.SUPERVISED: "text-bg-warning",
    State.IN_WINDOW: "text-bg-success",
    State.OUTSIDE_WINDOW: "text-bg-secondary",
    State.RESTRICTED: "text-bg-danger",
    State.LIMIT_REACHED: "text-bg-secondary",
    State.EXCEPTION: "text-bg-info",
}


@dataclass(frozen=True)
class AccessNowRow:
    access: CategoryAccess

    @property
    def state_words(self) -> str:
        words = str(STATE_WORDS[self.access.state])
        if self.access.supervised and self.access.state == State.IN_WINDOW:
            return _("%(state)s, supervised") % {"state": words}
        return words

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.access.state]

    @property
    def details(self) -> str:
        """The label ("Open until 22:00"), unless it only repeats the state words."""
        return "" if self.access.label == self.state_words else self.access.label


@dataclass(frozen=True)
class RestrictionRow:
    restriction: Restriction
    status: str
    categories: str
    can_lift: bool
    can_decide: bool
    lift_form: RestrictionLiftForm | None
    decision_form: RestrictionDecisionForm | None
    lift_action: str = ""


def _lift_action(restriction: Restriction, now: datetime) -> str:
    """The same action reads differently before a decision or before the start."""
    if restriction.approval == Approval.PENDING:
        return _("Withdraw this request")
    if restriction.starts_at > now:
        return _("Cancel it before it starts")
    return _("Lift this restriction early")


def _categories_label(restriction: Restriction) -> str:
    if restriction.all_categories:
        return _("All categories")
    return ", ".join(category.name for category in restriction.categories.all())


def _restriction_row(
    user: User, restriction: Restriction, youth: Youth, now: datetime, return_to: str
) -> RestrictionRow:
    can_lift = can_edit_youth(user, youth) and restriction.can_be_lifted_at(now)
    can_decide = (
        user.role == Role.SUPERVISOR
        and can_edit_youth(user, youth)
        and restriction.awaits_decision_at(now)
    )
    initial = {"return_to": return_to}
    return RestrictionRow(
        restriction=restriction,
        status=restriction.status_at(now),
        categories=_categories_label(restriction),
        can_lift=can_lift,
        can_decide=can_decide,
        lift_form=RestrictionLiftForm(prefix=f"lift-{restriction.pk}", initial=initial)
        if can_lift
        else None,
        decision_form=RestrictionDecisionForm(prefix=f"decide-{restriction.pk}", initial=initial)
        if can_decide
        else None,
        lift_action=_lift_action(restriction, now),
    )


def restriction_panels_context(user: User, youth: Youth, now: datetime) -> dict[str, Any]:
    """The youth page's "Access right now" and restrictions panels at `now`.

    `youth` comes from _youth_page_queryset(), which prefetches the rules
    (categories, windows) and the restrictions (staff, categories); the desk's
    sessions and exceptions as of `now` are fetched here. `now` is a parameter
    so tests can ask about a fixed moment.
    """
    rules = [rule for rule in youth.plan.rule_list if rule.category.is_active]
    restrictions = youth.plan.restriction_list
    # Today's device sessions (minutes used) and granted exceptions, as of `now`:
    # two queries (three with an exception, for its categories).
    prefetch_related_objects([youth], *desk_prefetches(now))
    # Pending and declined ones never count; future ones do (they bound "until").
    access = access_from_prefetched(youth, rules, restrictions, now)
    rows = [
        _restriction_row(user, restriction, youth, now, "youth") for restriction in restrictions
    ]
    return {
        "access_now": [AccessNowRow(item) for item in access],
        "access_now_at": now,
        # Current ones soonest first (in force, then upcoming); past ones latest first.
        "restrictions_current": sorted(
            (row for row in rows if not row.restriction.has_ended_at(now)),
            key=lambda row: (row.restriction.starts_at, row.restriction.pk),
        ),
        "restrictions_past": [row for row in rows if row.restriction.has_ended_at(now)],
        "can_impose_restriction": can_edit_youth(user, youth),
        "agency_zone": settings.TIME_ZONE,
    }


@require_http_methods(["GET", "POST"])
@any_role
def restriction_new(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = youth_for_edit(request.user, youth_id)
    form = RestrictionImposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            restriction = restriction_impose(
                plan=youth.plan,
                by=request.user,
                categories=data["categories"],
                all_categories=data["all_categories"],
                kind=data["kind"],
                reason=data["reason"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if restriction.approval == Approval.PENDING:
                messages.warning(
                    request,
                    _(
                        "Restriction saved. It is longer than %(hours)s hours, so it waits "
                        "for a supervisor's approval and is not in force yet."
                    )
                    % {"hours": settings.RESTRICTION_APPROVAL_HOURS},
                )
            else:
                messages.success(
                    request,
                    _("Restriction saved: %(status)s.")
                    % {"status": restriction.status_at(timezone.now())},
                )
            return redirect("plans:youth-detail", youth_id=youth.pk)
    context = {
        "youth": youth,
        "form": form,
        "approval_hours": settings.RESTRICTION_APPROVAL_HOURS,
        "max_days": settings.RESTRICTION_MAX_DAYS,
        "is_supervisor": request.user.role == Role.SUPERVISOR,
    }
    return render(request, "plans/restriction_new.html", context)


@require_GET
@role_required(Role.SUPERVISOR)
def restriction_queue(request: HttpRequest) -> HttpResponse:
    """Long restrictions waiting for a supervisor, soonest start first."""
    now = timezone.now()
    pending = (
        Restriction.objects.visible_to(request.user)
        .awaiting_decision(now)
        .select_related("plan__youth__case_manager", "imposed_by", "decided_by", "lifted_by")
        .prefetch_related("categories")
        .order_by("starts_at", "pk")
    )
    page = Paginator(pending, 25).get_page(request.GET.get("page"))
    rows = [
        _restriction_row(request.user, restriction, restriction.plan.youth, now, "queue")
        for restriction in page.object_list
    ]
    return render(request, "plans/restriction_queue.html", {"page": page, "rows": rows})


def _back(user: User, restriction: Restriction, return_to: str) -> HttpResponse:
    if return_to == "queue" and user.role == Role.SUPERVISOR:
        return redirect("plans:restriction-queue")
    return redirect("plans:youth-detail", youth_id=restriction.plan.youth_id)


def _decide(request: HttpRequest, restriction_id: int, *, approve: bool) -> HttpResponse:
    restriction = restriction_for_decision(request.user, restriction_id)
    form = RestrictionDecisionForm(request.POST, prefix=f"decide-{restriction.pk}")
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if approve:
                restriction_approve(restriction=restriction, by=request.user, note=note)
            else:
                restriction_decline(restriction=restriction, by=request.user, note=note)
        except ValidationError as error:
            form.add_error(None, error)
        except RestrictionConflict as conflict:
            messages.error(request, str(conflict))
            return _back(request.user, restriction, form.cleaned_data["return_to"])
        else:
            if approve:
                messages.success(
                    request, _("Restriction approved: it takes effect from its start.")
                )
            else:
                messages.success(request, _("Restriction declined."))
            return _back(request.user, restriction, form.cleaned_data["return_to"])
    context = {
        "restriction": restriction,
        "row": _restriction_row(
            request.user, restriction, restriction.plan.youth, timezone.now(), "queue"
        ),
        "form": form,
    }
    return render(request, "plans/restriction_decide.html", context)


@require_POST
@any_role
def restriction_approve_view(request: HttpRequest, restriction_id: int) -> HttpResponse:
    return _decide(request, restriction_id, approve=True)


@require_POST
@any_role
def restriction_decline_view(request: HttpRequest, restriction_id: int) -> HttpResponse:
    return _decide(request, restriction_id, approve=False)


@require_POST
@any_role
def restriction_lift_view(request: HttpRequest, restriction_id: int) -> HttpResponse:
    restriction = restriction_for_lift(request.user, restriction_id)
    form = RestrictionLiftForm(request.POST, prefix=f"lift-{restriction.pk}")
    if form.is_valid():
        try:
            restriction_lift(
                restriction=restriction, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except RestrictionConflict as conflict:
            messages.error(request, str(conflict))
            return _back(request.user, restriction, form.cleaned_data["return_to"])
        else:
            messages.success(request, _("Restriction lifted: the youth's usual rules apply again."))
            return _back(request.user, restriction, form.cleaned_data["return_to"])
    context = {
        "restriction": restriction,
        "row": _restriction_row(
            request.user, restriction, restriction.plan.youth, timezone.now(), "youth"
        ),
        "form": form,
    }
    return render(request, "plans/restriction_lift.html", context)


# Help the youth can always reach, and the youth's own printable plan


@require_http_methods(["GET", "POST"])
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def help_contact_new(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = youth_for_edit(request.user, youth_id, Youth.objects.select_related("plan"))
    form = HelpContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            help_contact_add(plan=youth.plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added to the help they can always reach."))
            return redirect("plans:youth-detail", youth_id=youth.pk)
    return render(request, "plans/help_contact_form.html", {"youth": youth, "form": form})


@require_http_methods(["GET", "POST"])
@role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
def help_contact_remove_view(request: HttpRequest, youth_id: int, contact_id: int) -> HttpResponse:
    """GET asks to confirm; POST removes (the contact stays in the history)."""
    contact = help_contact_for_edit(request.user, youth_id, contact_id)
    if contact.removed_at is not None:
        messages.info(request, _("Nothing was changed: this contact was removed already."))
        return redirect("plans:youth-detail", youth_id=youth_id)
    if request.method == "POST":
        try:
            help_contact_remove(contact=contact, by=request.user)
        except HelpContactGone:
            messages.info(request, _("Nothing was changed: this contact was removed already."))
        else:
            messages.success(request, _("Removed from the help they can always reach."))
        return redirect("plans:youth-detail", youth_id=youth_id)
    context = {"youth": contact.plan.youth, "contact": contact}
    return render(request, "plans/help_contact_remove.html", context)


@require_GET
@any_role
def plan_print(request: HttpRequest, youth_id: int) -> HttpResponse:
    """The youth's own plan in plain words, to print and sign together. Anyone
    who may see the youth may print it (also once discharged)."""
    now = timezone.now()
    youth = youth_for_view(request.user, youth_id, printable_plan_queryset(now))
    audit_record(action=AuditAction.VIEW_PLAN, actor=request.user, request=request, obj=youth.plan)
    # The youth's sheet, in the youth's language whatever the staff member's own.
    with translation.override(youth.preferred_language):
        context = {"youth": youth, "printable": printable_plan(youth, now)}
        context["things_to_read"] = list(
            Resource.objects.visible_to(request.user)
            .for_youth()
            .about_categories(rule.category_id for rule in youth.plan.rule_list)
        )
        return render(request, "plans/plan_print.html", context)
