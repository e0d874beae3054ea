from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    # The house board
    path("", views.board, name="board"),
    path("rows/", views.board_rows, name="board-rows"),
    # Devices
    path("youth/<int:youth_id>/check-out/", views.check_out, name="check-out"),
    path("sessions/<int:session_id>/check-in/", views.check_in, name="check-in"),
    path("devices/", views.device_log, name="device-log"),
    # Youth requests
    path("youth/<int:youth_id>/requests/new/", views.request_new, name="request-new"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/<int:request_id>/grant/", views.request_grant, name="request-grant"),
    path("requests/<int:request_id>/decline/", views.request_decline, name="request-decline"),
    path("requests/<int:request_id>/withdraw/", views.request_withdraw, name="request-withdraw"),
]
