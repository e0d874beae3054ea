"""The main navigation: each role sees the places it may use, nothing else.

Menus are a convenience, not the access check: every view checks the role
(and the object) again.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import pgettext_lazy

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


# "menu": the menu's words may be shorter than the same words elsewhere (a translation
# must still fit one line at 1280 px).
NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(pgettext_lazy("menu", "Home"), "home", ALL_ROLES),
    NavItem(pgettext_lazy("menu", "Youth"), "plans:youth-list", ALL_ROLES),
    # The board links to the requests and the device log: one entry keeps the menu on one line.
    NavItem(pgettext_lazy("menu", "House board"), "desk:board", ALL_ROLES),
    NavItem(
        pgettext_lazy("menu", "Approvals"), "plans:restriction-queue", frozenset({Role.SUPERVISOR})
    ),
    NavItem(pgettext_lazy("menu", "Policies"), "policies:policy-list", ALL_ROLES),
    NavItem(pgettext_lazy("menu", "Library"), "library:resource-list", ALL_ROLES),
    NavItem(
        pgettext_lazy("menu", "Policy reviews"),
        "policies:review-queue",
        frozenset({Role.SUPERVISOR}),
    ),
    NavItem(
        pgettext_lazy("menu", "Staff accounts"),
        "admin:shelter_user_changelist",
        frozenset({Role.ADMINISTRATOR}),
    ),
    # Categories, units, helplines, devices, flagged phrases, blocks and the audit trail:
    # one entry to the admin's index keeps the menu on one line at 1280 px.
    NavItem(pgettext_lazy("menu", "Settings"), "admin:index", frozenset({Role.ADMINISTRATOR})),
    NavItem(pgettext_lazy("menu", "Reports"), "reports:index", frozenset({Role.ADMINISTRATOR})),
    # Supervisors have only the de-identified summary.
    NavItem(pgettext_lazy("menu", "Reports"), "reports:summary", frozenset({Role.SUPERVISOR})),
)


def items_for(role: Role | None) -> list[NavItem]:
    if role is None:
        return []
    return [item for item in NAV_ITEMS if role in item.roles]
