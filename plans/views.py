"""Views of the plans app: fetch through plans.access, validate with a form,
write through plans.services, redirect."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans.access import (
    can_edit_youth,
    youth_for_edit,
    youth_for_view,
)
from plans.filters import YouthFilter
from plans.forms import (
    PlanEditForms,
    YouthForm,
    YouthSearchForm,
    add_service_errors,
)
from plans.history import HistoryEntry, grouped, youth_history
from plans.models import AccessRule, Category, Plan, Youth, YouthQuerySet
from plans.services import (
    PlanConflict,
    YouthConflict,
    plan_update,
    youth_admit,
    youth_update,
)
from shelter.access import any_role, role_required
from shelter.models import User
from shelter.roles import Role

# Youth and plans

SEARCH_SESSION_KEY = "plans:youth-search"
PAGE_SIZE = 50


def _youth_page_queryset() -> YouthQuerySet:
    """The youth page's joins: plan and assessor with the youth, then rules with
    their categories, then all windows (Prefetch to_attr: the template reads
    `plan.rule_list`, never a query)."""
    return Youth.objects.select_related(
        "plan", "plan__risk_assessed_by", "plan__updated_by"
    ).prefetch_related(
        Prefetch(
            "plan__rules",
            queryset=AccessRule.objects.select_related("category").prefetch_related("windows"),
            to_attr="rule_list",
        ),
    )


def youth_page_context(user: User, youth: Youth) -> dict[str, Any]:
    """Everything the youth page shows. `youth` comes from _youth_page_queryset()."""
    plan = youth.plan
    return {
        "youth": youth,
        "plan": plan,
        "rules": [rule for rule in plan.rule_list if rule.category.is_active],
        "review_overdue": plan.is_review_overdue(),
        "can_edit": can_edit_youth(user, youth),
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
        queryset=Youth.objects.visible_to(request.user).for_list(timezone.now()),
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
    }
    return render(request, "plans/youth_list.html", context)


@require_POST
@any_role
def youth_search(request: HttpRequest) -> HttpResponse:
    form = YouthSearchForm(request.POST)
    if form.is_valid():
        request.session[SEARCH_SESSION_KEY] = form.cleaned_data["q"].strip()
    else:
        messages.error(request, "Search for at most 80 characters.")
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
            messages.success(request, "Youth added, with an empty plan to fill in.")
            return redirect("plans:plan-edit", youth_id=youth.pk)
    return render(request, "plans/youth_form.html", {"form": form, "youth": None})


@require_GET
@any_role
def youth_detail(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = youth_for_view(request.user, youth_id, _youth_page_queryset())
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
            messages.success(request, "Youth details saved.")
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
            messages.success(request, "Plan saved.")
            return redirect("plans:youth-detail", youth_id=youth.pk)
    context = {"youth": youth, "plan": plan, "forms": forms, "conflict": conflict}
    return render(request, "plans/plan_form.html", context)


@require_GET
@any_role
def plan_history(request: HttpRequest, youth_id: int) -> HttpResponse:
    """Every earlier state of the youth's record, read-only: anyone who may see
    the youth may read it (also once discharged)."""
    youth = youth_for_view(request.user, youth_id)
    saves = grouped(youth_history(youth))
    return render(request, "plans/plan_history.html", {"youth": youth, "saves": saves})


def _with_version(data: QueryDict, model: type[Youth] | type[Plan], pk: int) -> QueryDict:
    fresh = data.copy()
    fresh["version"] = str(model.objects.values_list("version", flat=True).get(pk=pk))
    return fresh
