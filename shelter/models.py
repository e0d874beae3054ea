from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property

from shelter.roles import ROLE_PRECEDENCE, Role


class StaffQuerySet(models.QuerySet["User"]):
    def with_role(self, role: Role) -> "StaffQuerySet":
        return self.filter(is_active=True, groups__name=role.group_name)

    def case_managers(self) -> "StaffQuerySet":
        """Active staff who may hold a caseload (case managers and supervisors)."""
        return self.filter(
            is_active=True,
            groups__name__in=[Role.CASE_MANAGER.group_name, Role.SUPERVISOR.group_name],
        ).distinct()


class StaffManager(UserManager.from_queryset(StaffQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A staff member. Youth never sign in; their voice is recorded by staff."""

    objects = StaffManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = "staff member"
        verbose_name_plural = "staff members"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role(self) -> Role | None:
        if not self.is_active:
            return None
        if self.is_superuser:
            return Role.ADMINISTRATOR
        names = {group.name for group in self.groups.all()}
        for role in ROLE_PRECEDENCE:
            if role.group_name in names:
                return role
        return None

    @property
    def role_label(self) -> str:
        return str(self.role.label) if self.role else "No role"

    @property
    def is_case_manager(self) -> bool:
        return self.role == Role.CASE_MANAGER

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR
