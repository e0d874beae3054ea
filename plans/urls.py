from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    # Youth and plans
    path("", views.youth_list, name="youth-list"),
    path("search/", views.youth_search, name="youth-search"),
    path("search/clear/", views.youth_search_clear, name="youth-search-clear"),
    path("new/", views.youth_new, name="youth-new"),
    path("<int:youth_id>/", views.youth_detail, name="youth-detail"),
    path("<int:youth_id>/edit/", views.youth_edit, name="youth-edit"),
    path("<int:youth_id>/plan/", views.plan_edit, name="plan-edit"),
    path("<int:youth_id>/history/", views.plan_history, name="plan-history"),
    path("<int:youth_id>/viewers/", views.youth_viewers, name="youth-viewers"),
    path("<int:youth_id>/plan/print/", views.plan_print, name="plan-print"),
    # Help the youth can always reach
    path("<int:youth_id>/help/new/", views.help_contact_new, name="help-contact-new"),
    path(
        "<int:youth_id>/help/<int:contact_id>/remove/",
        views.help_contact_remove_view,
        name="help-contact-remove",
    ),
    # Restrictions
    path(
        "<int:youth_id>/restrictions/new/",
        views.restriction_new,
        name="restriction-new",
    ),
    path("restrictions/approvals/", views.restriction_queue, name="restriction-queue"),
    path(
        "restrictions/<int:restriction_id>/approve/",
        views.restriction_approve_view,
        name="restriction-approve",
    ),
    path(
        "restrictions/<int:restriction_id>/decline/",
        views.restriction_decline_view,
        name="restriction-decline",
    ),
    path(
        "restrictions/<int:restriction_id>/lift/",
        views.restriction_lift_view,
        name="restriction-lift",
    ),
]
