from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class ShelterConfig(AppConfig):
    default = True
    name = "shelter"
    verbose_name = "Staff and access"

    def ready(self) -> None:
        from shelter.permissions_sync import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="shelter-sync-role-permissions")


class ShelterAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "shelter.admin_site.ShelterAdminSite"
