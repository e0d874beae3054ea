"""Home page panels: what each one holds, and the administrator's account and
audit panels.

Every app adds its panels through its own `home.py` (`home_context(user)` returns
panels keyed by name); shelter/views.py puts them in each role's order. A panel
is a count, the first few items (each linking to its record), a link to the full
list and a short sentence for when there is nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from shelter.models import AuditAction, AuditEvent, User
from shelter.roles import Role
from shelter.twofactor import second_factor_required

HOME_LIST_LENGTH = 10
# "Deactivated recently": inactive, and its "Active" box was changed in the admin
# within this many days.
DEACTIVATED_WITHIN_DAYS = 30


@dataclass(frozen=True)
class HomePanel:
    key: str
    title: str
    # None for a summary panel whose rows are themselves counts (accounts, audit).
    count: int | None
    items: list[Any]
    # Renders one item, given as `item`.
    item_template: str
    empty: str
    more_url: str = ""
    more_label: str = ""
    # Shown only when it has something (a supervisor's own caseload, say).
    optional: bool = False

    @property
    def shows(self) -> bool:
        return not self.optional or bool(self.items)

    @property
    def more_than_shown(self) -> bool:
        return self.count is not None and self.count > len(self.items)


@dataclass(frozen=True)
class CountRow:
    """One line of a summary panel: a count in plain words, with where to see them."""

    label: str
    count: int
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class AccountRow:
    user: User
    url: str
    note: str = field(default="")


def with_query(url: str, **params: str) -> str:
    return f"{url}?{urlencode(params)}"


def admin_week(now: datetime) -> tuple[datetime, datetime]:
    """The admin date filter's "Past 7 days": from local midnight 7 days ago to
    local midnight tonight, so a count here and the filtered admin list agree."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=7), today + timedelta(days=1)


def admin_week_params(now: datetime) -> dict[str, str]:
    # Written as the admin writes them in its own "Past 7 days" link.
    since, until = admin_week(now)
    return {"at__gte": str(since), "at__lt": str(until)}


def audit_home_panel(now: datetime) -> HomePanel:
    """One query: failed sign-ins, refused accesses and exports in the past week."""
    since, until = admin_week(now)
    failed = [AuditAction.SIGN_IN_FAILED, AuditAction.SECOND_FACTOR_FAILED]
    counts = AuditEvent.objects.filter(at__gte=since, at__lt=until).aggregate(
        failed=Count("pk", filter=Q(action__in=failed)),
        refused=Count("pk", filter=Q(action=AuditAction.ACCESS_REFUSED)),
        exports=Count("pk", filter=Q(action=AuditAction.EXPORT)),
    )
    trail = reverse("admin:shelter_auditevent_changelist")
    week = admin_week_params(now)
    return HomePanel(
        key="audit",
        title=_("Audit trail, past 7 days"),
        count=None,
        items=[
            CountRow(
                _("Failed sign-ins (password or code)"),
                counts["failed"],
                with_query(trail, action__in=",".join(failed), **week),
            ),
            CountRow(
                _("Pages refused to a signed-in person"),
                counts["refused"],
                with_query(trail, action__exact=AuditAction.ACCESS_REFUSED, **week),
            ),
            CountRow(
                _("Exports"),
                counts["exports"],
                with_query(trail, action__exact=AuditAction.EXPORT, **week),
            ),
        ],
        item_template="shelter/includes/_home_count_row.html",
        empty="",
        more_url=with_query(trail, **week),
        more_label=_("The whole audit trail for the past 7 days"),
    )


def _has_two_step() -> Exists:
    return Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))


def _active_box_changed_since(since: datetime) -> Exists:
    # Accounts are deactivated only in the admin, which logs each change with the
    # labels of the fields changed; the account model keeps no date of its own.
    return Exists(
        LogEntry.objects.filter(
            content_type__app_label="shelter",
            content_type__model="user",
            action_flag=CHANGE,
            action_time__gte=since,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            change_message__contains='"Active"',
        )
    )


def accounts_home_panels(now: datetime) -> dict[str, HomePanel]:
    """Five queries: the account counts, the active accounts per role, the first few
    accounts without two-step sign-in (with their groups), the first few deactivated
    recently."""
    since = now - timedelta(days=DEACTIVATED_WITHIN_DAYS)
    active = Q(is_active=True)
    counts = User.objects.aggregate(
        active=Count("pk", filter=active),
        without_two_step=Count("pk", filter=active & ~_has_two_step()),
        deactivated=Count("pk", filter=Q(is_active=False) & _active_box_changed_since(since)),
    )
    # Roles are groups (staff_set_role gives each account exactly one); the admin's
    # staff list filters by group id.
    roles = {
        group.name: group
        for group in Group.objects.filter(name__in=[role.group_name for role in Role]).annotate(
            active=Count("user", filter=Q(user__is_active=True))
        )
    }
    staff = reverse("admin:shelter_user_changelist")
    without_two_step = (
        User.objects.filter(is_active=True)
        .exclude(_has_two_step())
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "username")[:HOME_LIST_LENGTH]
    )
    deactivated = (
        User.objects.filter(is_active=False)
        .filter(_active_box_changed_since(since))
        .order_by("last_name", "first_name", "username")[:HOME_LIST_LENGTH]
    )
    return {
        "accounts": HomePanel(
            key="accounts",
            title=_("Staff accounts"),
            count=None,
            items=[
                CountRow(
                    label,
                    roles[role.group_name].active,
                    with_query(
                        staff,
                        is_active__exact="1",
                        groups__id__exact=str(roles[role.group_name].pk),
                    ),
                )
                for label, role in (
                    (_("Active case managers"), Role.CASE_MANAGER),
                    (_("Active supervisors"), Role.SUPERVISOR),
                    (_("Active administrators"), Role.ADMINISTRATOR),
                )
                if role.group_name in roles
            ]
            + [
                CountRow(
                    _("All active accounts"),
                    counts["active"],
                    with_query(staff, is_active__exact="1"),
                )
            ],
            item_template="shelter/includes/_home_count_row.html",
            empty="",
            more_url=staff,
            more_label=_("All staff accounts"),
        ),
        "accounts-without-two-step": HomePanel(
            key="accounts-without-two-step",
            title=_("Active accounts without two-step sign-in"),
            count=counts["without_two_step"],
            items=[
                AccountRow(
                    user=user,
                    url=reverse("admin:shelter_user_change", args=[user.pk]),
                    note=(
                        _("must set it up at their next sign-in")
                        if second_factor_required(user)
                        else _("may turn it on")
                    ),
                )
                for user in without_two_step
            ],
            item_template="shelter/includes/_home_account.html",
            empty=_("Every active account uses two-step sign-in."),
            more_url=with_query(staff, is_active__exact="1"),
            more_label=_("Active staff accounts"),
        ),
        "accounts-deactivated": HomePanel(
            key="accounts-deactivated",
            title=_("Accounts deactivated in the last %(days)s days")
            % {"days": DEACTIVATED_WITHIN_DAYS},
            count=counts["deactivated"],
            items=[
                AccountRow(user=user, url=reverse("admin:shelter_user_change", args=[user.pk]))
                for user in deactivated
            ],
            item_template="shelter/includes/_home_account.html",
            empty=_("No account was deactivated in the last %(days)s days.")
            % {"days": DEACTIVATED_WITHIN_DAYS},
            more_url=with_query(staff, is_active__exact="0"),
            more_label=_("All deactivated accounts"),
        ),
    }


def home_context(user: User) -> dict[str, HomePanel]:
    """Administrators: accounts and audit highlights (six queries)."""
    if user.role != Role.ADMINISTRATOR:
        return {}
    now = timezone.now()
    return {**accounts_home_panels(now), "audit": audit_home_panel(now)}
