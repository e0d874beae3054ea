"""Training pages: each staff member's own records ("My training"), and for
supervisors and administrators who is missing or overdue on required training,
by staff member and by training."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from library.models import TrainingRecord
from library.training import DUE_SOON_DAYS, training_for, training_matrix
from library.training_forms import TrainingRecordForm
from library.training_services import training_record_add, training_record_withdraw
from shelter.access import any_role, role_required
from shelter.models import User
from shelter.roles import Role

overseers = role_required(Role.SUPERVISOR, Role.ADMINISTRATOR)


def record_for_withdraw(user: User, record_id: int) -> TrainingRecord:
    """404 for a record the user may not see; 403 for someone else's record
    (supervisors see everyone's, but only its owner withdraws it)."""
    record = (
        TrainingRecord.objects.visible_to(user)
        .select_related("resource")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise Http404("No such training record.")
    if record.staff_id != user.pk:
        raise PermissionDenied
    return record


@require_GET
@any_role
def my_training(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    records = list(
        TrainingRecord.objects.filter(staff=request.user)
        .select_related("resource")
        .order_by("-completed_on", "-pk")
    )
    context = {
        "statuses": training_for(request.user, today),
        "current": [record for record in records if not record.is_withdrawn],
        "withdrawn": [record for record in records if record.is_withdrawn],
    }
    return render(request, "library/training_mine.html", context)


@require_http_methods(["GET", "POST"])
@any_role
def training_record_new(request: HttpRequest) -> HttpResponse:
    form = TrainingRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training_record_add(
                staff=request.user,
                by=request.user,
                resource=data["resource"],
                course_name=data["course_name"],
                completed_on=data["completed_on"],
                hours=data["hours"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your training is recorded."))
            return redirect("library:training-mine")
    return render(request, "library/training_record_form.html", {"form": form})


@require_POST
@any_role
def training_record_withdraw_view(request: HttpRequest, record_id: int) -> HttpResponse:
    record = record_for_withdraw(request.user, record_id)
    try:
        training_record_withdraw(record=record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The training record is withdrawn."))
    return redirect("library:training-mine")


@require_GET
@overseers
def training_by_staff(request: HttpRequest) -> HttpResponse:
    matrix = training_matrix(timezone.localdate())
    context = {
        "people": [person for person in matrix.people if person.statuses],
        "behind": matrix.people_behind,
        "has_requirements": bool(matrix.requirements),
        "due_soon_days": DUE_SOON_DAYS,
    }
    return render(request, "library/training_by_staff.html", context)


@require_GET
@overseers
def training_by_requirement(request: HttpRequest) -> HttpResponse:
    matrix = training_matrix(timezone.localdate())
    context = {"requirements": matrix.requirements, "due_soon_days": DUE_SOON_DAYS}
    return render(request, "library/training_by_requirement.html", context)
