from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from policies.models import FlaggedPhrase


@admin.register(FlaggedPhrase)
class FlaggedPhraseAdmin(SimpleHistoryAdmin):
    """The wording the automatic checks warn about. Administrators add and
    deactivate phrases; nothing is deleted, so past warnings stay explainable."""

    list_display = ("phrase", "explanation", "is_active")
    list_filter = ("is_active",)
    search_fields = ("phrase", "explanation")
    actions = None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
