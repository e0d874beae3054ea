from django.urls import path

from policies import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="policy-list"),
    path("reviews/", views.review_queue, name="review-queue"),
    path("<int:policy_id>/", views.policy_detail, name="policy-detail"),
    path("<int:policy_id>/drafts/new/", views.draft_new, name="draft-new"),
    path("<int:policy_id>/retire/", views.policy_retire_view, name="policy-retire"),
    path("<int:policy_id>/acknowledgements/", views.acknowledgements, name="acknowledgements"),
    path("versions/<int:version_id>/", views.version_detail, name="version-detail"),
    path("versions/<int:version_id>/edit/", views.version_edit, name="version-edit"),
    path("versions/<int:version_id>/submit/", views.version_submit, name="version-submit"),
    path(
        "versions/<int:version_id>/contributions/new/",
        views.contribution_new,
        name="contribution-new",
    ),
    path("versions/<int:version_id>/review/", views.version_review, name="version-review"),
    path("versions/<int:version_id>/approve/", views.version_approve, name="version-approve"),
    path("versions/<int:version_id>/return/", views.version_return, name="version-return"),
    path(
        "versions/<int:version_id>/acknowledge/",
        views.version_acknowledge,
        name="version-acknowledge",
    ),
    path("plans/<int:plan_id>/", views.plan_policies, name="plan-policies"),
]
