from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy


class ShelterConfig(AppConfig):
    default = True
    name = "shelter"
    verbose_name = gettext_lazy("Staff and access")

    def ready(self) -> None:
        from shelter import audit, middleware, twofactor
        from shelter.permissions_sync import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="shelter-sync-role-permissions")
        user_logged_in.connect(audit.record_sign_in, dispatch_uid="shelter-audit-sign-in")
        user_logged_out.connect(audit.record_sign_out, dispatch_uid="shelter-audit-sign-out")
        user_login_failed.connect(
            audit.record_sign_in_failed, dispatch_uid="shelter-audit-sign-in-failed"
        )
        user_logged_in.connect(
            middleware.start_session_clocks, dispatch_uid="shelter-session-clocks"
        )
        user_logged_in.connect(
            twofactor.note_authenticator_at_sign_in, dispatch_uid="shelter-two-step-at-sign-in"
        )


class ShelterAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "shelter.admin_site.ShelterAdminSite"
