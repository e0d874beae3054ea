from django.urls import path, re_path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/", views.plans_register, name="plans"),
    path("restrictions/", views.restrictions_register, name="restrictions"),
    path("policies/", views.policies_register, name="policies"),
    path("requests/", views.requests_register, name="requests"),
    re_path(
        r"^(?P<report>plans|restrictions|policies|requests)"
        r"/download\.(?P<export_format>csv|xlsx)$",
        views.register_download,
        name="register-download",
    ),
    path("summary/", views.summary, name="summary"),
    path("summary/download.csv", views.summary_download, name="summary-download"),
    path("exports/", views.export_list, name="export-list"),
]
