"""Administrators keep the devices the desk lends; nothing is deleted (a device
is retired by unticking "in use"). The log and requests are kept on the
product's own pages, with history and concurrency checks."""

from django.contrib import admin

from desk.models import Device
from shelter.admin import NoDeleteAdmin


@admin.register(Device)
class DeviceAdmin(NoDeleteAdmin):
    list_display = ("name", "kind", "category", "is_active")
    list_select_related = ("category",)
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
