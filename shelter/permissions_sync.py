"""Keep each role group's model permissions equal to ROLE_PERMISSIONS.

Runs after every migrate: model permissions are created by Django's own
post_migrate handler, so a data migration cannot grant permissions of models
that a later migration adds.
"""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from shelter.roles import ROLE_PERMISSIONS


def sync_role_permissions(*, using: str = "default", **_: Any) -> None:
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.group_name)
        query = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".", 1)
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.using(using).filter(query))
