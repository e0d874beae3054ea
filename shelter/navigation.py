"""The main navigation: each role sees the places it may use, nothing else.

Menus are a convenience, not the access check: every view checks the role
(and the object) again.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy

from shelter.roles import Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(gettext_lazy("Home"), "home", ALL_ROLES),
    NavItem(gettext_lazy("Youth"), "plans:youth-list", ALL_ROLES),
    # The board links to the requests and the device log: one entry keeps the menu on one line.
    NavItem(gettext_lazy("House board"), "desk:board", ALL_ROLES),
    NavItem(gettext_lazy("Approvals"), "plans:restriction-queue", frozenset({Role.SUPERVISOR})),
    NavItem(gettext_lazy("Policies"), "policies:policy-list", ALL_ROLES),
    NavItem(gettext_lazy("Library"), "library:resource-list", ALL_ROLES),
    NavItem(gettext_lazy("Policy reviews"), "policies:review-queue", frozenset({Role.SUPERVISOR})),
    NavItem(
        gettext_lazy("Staff accounts"),
        "admin:shelter_user_changelist",
        frozenset({Role.ADMINISTRATOR}),
    ),
    # Categories, units, helplines, devices, flagged phrases, blocks and the audit trail:
    # one entry to the admin's index keeps the menu on one line at 1280 px.
    NavItem(gettext_lazy("Settings"), "admin:index", frozenset({Role.ADMINISTRATOR})),
    NavItem(gettext_lazy("Reports"), "reports:index", frozenset({Role.ADMINISTRATOR})),
    # Supervisors have only the de-identified summary.
    NavItem(gettext_lazy("Reports"), "reports:summary", frozenset({Role.SUPERVISOR})),
)


def items_for(role: Role | None) -> list[NavItem]:
    if role is None:
        return []
    return [item for item in NAV_ITEMS if role in item.roles]
