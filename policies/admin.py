from django.contrib import admin

from policies.models import FlaggedPhrase
from shelter.admin import NoDeleteAdmin


@admin.register(FlaggedPhrase)
class FlaggedPhraseAdmin(NoDeleteAdmin):
    """The wording the automatic checks warn about. Administrators add and
    deactivate phrases; nothing is deleted, so past warnings stay explainable."""

    list_display = ("phrase", "explanation", "is_active")
    list_filter = ("is_active",)
    search_fields = ("phrase", "explanation")
