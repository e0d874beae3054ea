from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from shelter import twofactor_views, views
from shelter.twofactor import sign_in_step

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        sign_in_step()(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", sign_in_step()(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/two-step/", twofactor_views.two_step, name="two-step"),
    path("accounts/two-step/verify/", twofactor_views.two_step_verify, name="two-step-verify"),
    path("accounts/two-step/set-up/", twofactor_views.two_step_set_up, name="two-step-set-up"),
    path(
        "accounts/two-step/set-up/start/",
        twofactor_views.two_step_set_up_start,
        name="two-step-set-up-start",
    ),
    path(
        "accounts/two-step/set-up/confirm/",
        twofactor_views.two_step_set_up_confirm,
        name="two-step-set-up-confirm",
    ),
    path(
        "accounts/two-step/set-up/qr-code.svg",
        twofactor_views.two_step_qr_code,
        name="two-step-qr-code",
    ),
    path(
        "accounts/two-step/backup-codes/",
        twofactor_views.two_step_backup_codes,
        name="two-step-backup-codes",
    ),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/language/", views.language, name="language"),
    path("admin/", admin.site.urls),
    path("desk/", include("desk.urls")),
    path("library/", include("library.urls")),
    path("policies/", include("policies.urls")),
    path("reports/", include("reports.urls")),
    path("youth/", include("plans.urls")),
]
