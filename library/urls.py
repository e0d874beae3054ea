from django.urls import path

from library import training_views, views

app_name = "library"

urlpatterns = [
    path("", views.resource_list, name="resource-list"),
    # Training records (library/training_views.py)
    path("training/", training_views.my_training, name="training-mine"),
    path("training/new/", training_views.training_record_new, name="training-record-new"),
    path(
        "training/<int:record_id>/withdraw/",
        training_views.training_record_withdraw_view,
        name="training-record-withdraw",
    ),
    path(
        "training/required/",
        training_views.training_by_requirement,
        name="training-by-requirement",
    ),
    path("training/required/staff/", training_views.training_by_staff, name="training-by-staff"),
]
