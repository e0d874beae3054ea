"""Administrators keep the devices the desk lends; nothing is deleted (a device
is retired by unticking "in use"). The log and requests are kept on the
product's own pages, with history and concurrency checks."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from desk.models import Device


@admin.register(Device)
class DeviceAdmin(SimpleHistoryAdmin):
    actions = None
    list_display = ("name", "kind", "category", "is_active")
    list_select_related = ("category",)
    list_filter = ("kind", "is_active")
    search_fields = ("name",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
