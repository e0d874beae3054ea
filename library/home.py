"""The training part of each role's home page: the required training one has to
do ("Training due", every role) and, for supervisors, the staff missing or
overdue on required training."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from library.training import TrainingStatus, due_first, training_matrix, trainings_due_for
from shelter.home import HOME_LIST_LENGTH, HomePanel
from shelter.models import User
from shelter.roles import Role


def _due_panel(due: list[TrainingStatus]) -> HomePanel:
    return HomePanel(
        key="training-due",
        title=_("Training due"),
        count=len(due),
        items=due[:HOME_LIST_LENGTH],
        item_template="library/includes/_home_training_due.html",
        empty=_("No required training is due."),
        more_url=reverse("library:training-mine"),
        more_label=_("My training"),
    )


def home_context(user: User) -> dict[str, HomePanel]:
    """Case managers and administrators: two queries (their role's requirements,
    their completions). Supervisors: four (the requirements, the staff and their
    groups, everyone's completions), their own due training taken from the same."""
    if user.role is None:
        return {}
    today = timezone.localdate()
    if user.role != Role.SUPERVISOR:
        return {"training-due": _due_panel(trainings_due_for(user, today))}
    matrix = training_matrix(today)
    behind = matrix.people_behind
    return {
        "training-due": _due_panel(due_first(matrix.of(user))),
        "training-missing": HomePanel(
            key="training-missing",
            title=_("Staff missing required training"),
            count=len(behind),
            items=behind[:HOME_LIST_LENGTH],
            item_template="library/includes/_home_training_missing.html",
            empty=_("Every staff member is up to date on required training."),
            more_url=reverse("library:training-by-staff"),
            more_label=_("Required training by staff member"),
        ),
    }
