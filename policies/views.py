"""Policy pages. Each view: fetch through policies/access.py, validate with a
form, call a service, redirect. Status words and who-may-press-what are
computed here or on the models, never in templates."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from library.models import Resource
from plans.models import Plan
from policies.access import (
    can_review,
    can_write,
    plan_for_edit,
    policy_for_view,
    version_for_review,
    version_for_view,
    version_for_write,
)
from policies.checks import Finding, run_checks
from policies.credits import Credits, credits_for
from policies.diff import diff_summary, side_by_side
from policies.forms import (
    ApproveForm,
    ContributionForm,
    DraftForm,
    PlanPoliciesForm,
    RetireForm,
    ReturnForm,
    RevisionForm,
)
from policies.home import active_staff
from policies.markdown import render_markdown
from policies.models import (
    Acknowledgement,
    Contribution,
    FlaggedPhrase,
    PlanPolicy,
    Policy,
    PolicyVersion,
    Status,
    in_force_among,
)
from policies.services import (
    EditConflict,
    acknowledgement_record,
    contribution_record,
    plan_policies_set,
    policy_retire,
    policy_version_approve,
    policy_version_edit,
    policy_version_return,
    policy_version_start_draft,
    policy_version_submit,
)
from shelter.access import any_role, role_required
from shelter.models import User
from shelter.roles import Role

writers = role_required(Role.CASE_MANAGER, Role.SUPERVISOR)
supervisors = role_required(Role.SUPERVISOR)
overseers = role_required(Role.SUPERVISOR, Role.ADMINISTRATOR)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# Reading


@dataclass(frozen=True)
class PolicyRow:
    policy: Policy
    in_force: PolicyVersion | None
    open_draft: PolicyVersion | None
    status: str
    review_overdue: bool


def _policy_status(
    policy: Policy, in_force: PolicyVersion | None, coming: list[PolicyVersion]
) -> str:
    if policy.is_retired:
        return _("Retired")
    if in_force is None:
        status = _("No version in force yet")
    else:
        status = _("Version %(number)s in force since %(since)s") % {
            "number": in_force.number,
            "since": date_format(in_force.effective_date, "j M Y"),
        }
    if coming:
        status += _("; version %(number)s approved, in force from %(since)s") % {
            "number": coming[0].number,
            "since": date_format(coming[0].effective_date, "j M Y"),
        }
    return status


@require_GET
@any_role
def policy_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for policy in Policy.objects.visible_to(request.user).with_current_versions(today):
        in_force = policy.in_force_versions[0] if policy.in_force_versions else None
        rows.append(
            PolicyRow(
                policy=policy,
                in_force=in_force,
                open_draft=policy.open_versions[0] if policy.open_versions else None,
                status=_policy_status(policy, in_force, policy.coming_versions),
                review_overdue=bool(
                    in_force and in_force.next_review_on and in_force.next_review_on < today
                ),
            )
        )
    return render(request, "policies/policy_list.html", {"rows": rows})


def _credits(user: User, version: PolicyVersion | None) -> tuple[list[Contribution], Credits]:
    if version is None:
        return [], credits_for([])
    contributions = list(Contribution.objects.visible_to(user).filter(version=version))
    return contributions, credits_for(c.as_contributor for c in contributions)


@require_GET
@any_role
def policy_detail(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = policy_for_view(request.user, policy_id)
    today = timezone.localdate()
    versions = list(
        PolicyVersion.objects.visible_to(request.user)
        .filter(policy=policy)
        .select_related("created_by")
        .order_by("-number")
    )
    in_force = in_force_among(versions, today)
    _contributions, credits = _credits(request.user, in_force)
    open_draft = next((v for v in versions if v.is_open), None)
    acknowledged = (
        in_force is not None
        and Acknowledgement.objects.filter(version=in_force, user=request.user).exists()
    )
    context = {
        "policy": policy,
        "in_force": in_force,
        "in_force_html": render_markdown(in_force.text, heading_offset=2) if in_force else "",
        "credits": credits,
        "versions": [
            (v, v.status_label(in_force_id=in_force.pk if in_force else None, today=today))
            for v in versions
        ],
        "open_draft": open_draft,
        "can_start_draft": can_write(request.user) and not policy.is_retired,
        "can_retire": request.user.role == Role.SUPERVISOR and not policy.is_retired,
        "can_see_acknowledgements": request.user.role in (Role.SUPERVISOR, Role.ADMINISTRATOR),
        "acknowledged": acknowledged,
        "review_overdue": bool(
            in_force and in_force.next_review_on and in_force.next_review_on < today
        ),
        "related_resources": list(
            Resource.objects.visible_to(request.user).about_policy(policy.pk)
        ),
    }
    return render(request, "policies/policy_detail.html", context)


def _active_phrases() -> list[str]:
    return list(FlaggedPhrase.objects.filter(is_active=True).values_list("phrase", flat=True))


def _contribution_rows(
    user: User, contributions: list[Contribution]
) -> list[tuple[str, Contribution]]:
    return [(c.label_for(user), c) for c in contributions]


def _version_context(request: HttpRequest, version: PolicyVersion) -> dict[str, Any]:
    """What the version page and the review page share."""
    today = timezone.localdate()
    in_force = PolicyVersion.objects.filter(policy_id=version.policy_id).in_force(today).first()
    contributions, credits = _credits(request.user, version)
    return {
        "version": version,
        "policy": version.policy,
        "in_force": in_force,
        "status_label": version.status_label(
            in_force_id=in_force.pk if in_force else None, today=today
        ),
        "text_html": render_markdown(version.text, heading_offset=2),
        "contributions": _contribution_rows(request.user, contributions),
        "credits": credits,
        "transitions": list(version.transitions.select_related("by")),
    }


def _checks_for(version: PolicyVersion, credits: Credits) -> list[Finding]:
    return run_checks(
        version.text,
        _active_phrases(),
        has_youth_input=credits.youth_count > 0,
        # A draft gets its next review date at approval: only warn once it should have one.
        has_next_review=version.is_open or version.next_review_on is not None,
    )


@require_GET
@any_role
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for_view(request.user, version_id)
    context = _version_context(request, version)
    is_in_force = context["in_force"] is not None and context["in_force"].pk == version.pk
    context.update(
        {
            "findings": _checks_for(version, context["credits"]) if version.is_open else [],
            "can_edit": version.is_editable and can_write(request.user),
            "can_submit": version.is_editable and version.created_by_id == request.user.pk,
            "can_add_contribution": version.is_editable and can_write(request.user),
            "can_review": version.status == Status.SUBMITTED and can_review(request.user, version),
            "is_own_submitted": version.status == Status.SUBMITTED
            and version.created_by_id == request.user.pk,
            "can_acknowledge": is_in_force
            and not Acknowledgement.objects.filter(version=version, user=request.user).exists(),
            "revision_form": RevisionForm(initial={"revision": version.revision}),
            "last_return": next(
                (t for t in reversed(context["transitions"]) if t.to_status == Status.RETURNED),
                None,
            )
            if version.status == Status.RETURNED
            else None,
            "related_resources": list(
                Resource.objects.visible_to(request.user).about_policy(version.policy_id)
            ),
        }
    )
    return render(request, "policies/version_detail.html", context)


# Writing drafts


@require_POST
@writers
def draft_new(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = policy_for_view(request.user, policy_id)
    try:
        draft, created = policy_version_start_draft(policy=policy, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("policies:policy-detail", policy_id=policy.pk)
    if created:
        messages.success(
            request,
            _("Version %(number)s started from the latest approved text.")
            % {"number": draft.number},
        )
    else:
        messages.info(
            request,
            _("This policy already has an open draft (version %(number)s): here it is.")
            % {"number": draft.number},
        )
    return redirect("policies:version-edit", version_id=draft.pk)


@require_http_methods(["GET", "POST"])
@writers
def version_edit(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for_write(request.user, version_id)
    if not version.is_editable:
        messages.error(
            request,
            _(
                "This version is “%(status)s” and can no longer be edited. "
                "To change it, start a new draft."
            )
            % {"status": version.get_status_display()},
        )
        return redirect("policies:version-detail", version_id=version.pk)
    conflict_rows = None
    if request.method == "POST":
        form = DraftForm(request.POST)
        if form.is_valid():
            try:
                policy_version_edit(
                    version=version,
                    text=form.cleaned_data["text"],
                    revision=form.cleaned_data["revision"],
                    by=request.user,
                )
            except EditConflict as error:
                form.add_error(None, error)
                # Show what changed meanwhile: their saved text against the text typed here.
                version.refresh_from_db()
                conflict_rows = side_by_side(version.text, form.cleaned_data["text"])
                form.data = form.data.copy()
                form.data["revision"] = str(version.revision)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("policies:version-detail", version_id=version.pk)
    else:
        form = DraftForm(initial={"text": version.text, "revision": version.revision})
    context = {
        "version": version,
        "policy": version.policy,
        "form": form,
        "conflict_rows": conflict_rows,
    }
    return render(request, "policies/version_edit.html", context)


@require_POST
@writers
def version_submit(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for_write(request.user, version_id)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("policies:version-detail", version_id=version.pk)
    try:
        policy_version_submit(
            version=version, revision=form.cleaned_data["revision"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("Submitted for review. Another supervisor than the author will review it.")
        )
    return redirect("policies:version-detail", version_id=version.pk)


@require_http_methods(["GET", "POST"])
@writers
def contribution_new(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for_write(request.user, version_id)
    if not version.is_editable:
        messages.error(
            request,
            _("This version is “%(status)s”: contributions are recorded on drafts only.")
            % {"status": version.get_status_display()},
        )
        return redirect("policies:version-detail", version_id=version.pk)
    form = ContributionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution_record(
                version=version,
                by=request.user,
                youth=data["youth"],
                pseudonym=data["pseudonym"],
                kind=data["kind"],
                summary=data["summary"],
                contributed_on=data["contributed_on"],
                facilitated_by=data["facilitated_by"],
                credit=data["credit"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contribution recorded."))
            return redirect("policies:version-detail", version_id=version.pk)
    context = {"version": version, "policy": version.policy, "form": form}
    return render(request, "policies/contribution_form.html", context)


# Review


@require_GET
@supervisors
def review_queue(request: HttpRequest) -> HttpResponse:
    waiting = list(
        PolicyVersion.objects.visible_to(request.user)
        .filter(status=Status.SUBMITTED)
        .select_related("policy", "created_by")
        .with_youth_count()
        .order_by("submitted_at", "pk")
    )
    rows = [(v, v.created_by_id == request.user.pk) for v in waiting]
    return render(request, "policies/review_queue.html", {"rows": rows})


def _review_page(
    request: HttpRequest,
    version: PolicyVersion,
    *,
    approve_form: ApproveForm | None = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _version_context(request, version)
    in_force = context["in_force"]
    rows = side_by_side(in_force.text if in_force else "", version.text)
    is_author = version.created_by_id == request.user.pk
    context.update(
        {
            "diff_rows": rows,
            "diff_summary": diff_summary(rows),
            "findings": _checks_for(version, context["credits"]),
            "is_author": is_author,
            "can_decide": version.status == Status.SUBMITTED and not is_author,
            "approve_form": approve_form
            or ApproveForm(initial={"revision": version.revision}, prefix="approve"),
            "return_form": return_form
            or ReturnForm(initial={"revision": version.revision}, prefix="return"),
        }
    )
    return render(request, "policies/version_review.html", context, status=status)


@require_GET
@supervisors
def version_review(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for_review(request.user, version_id)
    return _review_page(request, version)


@require_POST
@supervisors
def version_approve(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for_review(request.user, version_id)
    form = ApproveForm(request.POST, prefix="approve")
    if form.is_valid():
        data = form.cleaned_data
        try:
            policy_version_approve(
                version=version,
                revision=data["revision"],
                by=request.user,
                effective_date=data["effective_date"],
                next_review_on=data["next_review_on"],
                comment=data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Version %(number)s approved, in force from %(since)s.")
                % {
                    "number": version.number,
                    "since": date_format(data["effective_date"], "j M Y"),
                },
            )
            return redirect("policies:policy-detail", policy_id=version.policy_id)
    version.refresh_from_db()
    return _review_page(request, version, approve_form=form, status=400)


@require_POST
@supervisors
def version_return(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for_review(request.user, version_id)
    form = ReturnForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            policy_version_return(
                version=version,
                revision=form.cleaned_data["revision"],
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Version %(number)s returned to its author.") % {"number": version.number},
            )
            return redirect("policies:review-queue")
    version.refresh_from_db()
    return _review_page(request, version, return_form=form, status=400)


@require_http_methods(["GET", "POST"])
@supervisors
def policy_retire_view(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = policy_for_view(request.user, policy_id)
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy_retire(policy=policy, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The %(title)s policy is retired.") % {"title": policy.title}
            )
            return redirect("policies:policy-detail", policy_id=policy.pk)
    return render(request, "policies/policy_retire.html", {"policy": policy, "form": form})


# Acknowledgements


@require_POST
@any_role
def version_acknowledge(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for_view(request.user, version_id)
    try:
        _ack, created = acknowledgement_record(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Thank you: your acknowledgement is recorded.")
            if created
            else _("You had already acknowledged this version."),
        )
    return redirect("policies:policy-detail", policy_id=version.policy_id)


@require_GET
@overseers
def acknowledgements(request: HttpRequest, policy_id: int) -> HttpResponse:
    policy = policy_for_view(request.user, policy_id)
    in_force = PolicyVersion.objects.filter(policy=policy).in_force().first()
    missing: list[User] = []
    done: list[Acknowledgement] = []
    if in_force is not None:
        done = list(in_force.acknowledgements.select_related("user").order_by("acknowledged_at"))
        missing = list(
            active_staff()
            .exclude(pk__in=Acknowledgement.objects.filter(version=in_force).values("user_id"))
            .order_by("last_name", "first_name", "username")
        )
    context = {"policy": policy, "in_force": in_force, "missing": missing, "done": done}
    return render(request, "policies/acknowledgements.html", context)


# Plans


@require_http_methods(["GET", "POST"])
@writers
def plan_policies(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan: Plan = plan_for_edit(request.user, plan_id)
    today = timezone.localdate()
    choices = (
        PolicyVersion.objects.in_force(today).select_related("policy").order_by("policy__position")
    )
    links = list(
        PlanPolicy.objects.current()
        .filter(plan=plan)
        .select_related("policy_version__policy")
        .order_by("policy_version__policy__position")
    )
    superseded = set(
        PlanPolicy.objects.needing_review(today).filter(plan=plan).values_list("pk", flat=True)
    )
    expected = ",".join(str(pk) for pk in sorted(link.pk for link in links))
    if request.method == "POST":
        form = PlanPoliciesForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                plan_policies_set(
                    plan=plan,
                    versions=form.cleaned_data["versions"],
                    by=request.user,
                    expected=form.cleaned_data["expected"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The policies this plan follows are recorded."))
                return redirect("policies:plan-policies", plan_id=plan.pk)
    else:
        form = PlanPoliciesForm(
            initial={
                "versions": [link.policy_version_id for link in links],
                "expected": expected,
            },
            choices=choices,
        )
    context = {
        "plan": plan,
        "youth": plan.youth,
        "form": form,
        "links": [(link, link.pk in superseded) for link in links],
        "youth_url": _youth_url(plan.youth_id),
    }
    return render(request, "policies/plan_policies.html", context)


def _youth_url(youth_id: int) -> str | None:
    """The youth page belongs to the plans app; link to it when it exists."""
    try:
        return reverse("plans:youth-detail", kwargs={"youth_id": youth_id})
    except NoReverseMatch:
        return None
