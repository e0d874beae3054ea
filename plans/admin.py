"""Administrators manage technology categories, units and the agency's helplines
here; youth and plans are shown read-only (they are edited on the product's own
pages, with history and concurrency checks). Nothing is deleted anywhere: a
category, unit or helpline is retired by unticking "is active", a record block
is lifted.

Youth, plans and blocks are listed through `Youth.objects.visible_to`, so a block
on an administrator hides the youth here too."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from plans.models import Category, Helpline, Plan, RecordBlock, Unit, Youth
from plans.services import record_block_create, record_block_lift
from shelter.admin import NoDeleteAdmin
from shelter.audit import audit_record
from shelter.models import AuditAction, User
from shelter.roles import Role


@admin.register(Category)
class CategoryAdmin(NoDeleteAdmin):
    list_display = ("name", "key", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "key")
    prepopulated_fields = {"key": ("name",)}


@admin.register(Unit)
class UnitAdmin(NoDeleteAdmin):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(Helpline)
class HelplineAdmin(NoDeleteAdmin):
    """Agency-wide help every youth can always reach; shown on every youth page and
    printed plan. Retire a line by unticking "is active"."""

    list_display = ("name", "how_to_reach", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewAuditedAdmin(ReadOnlyAdmin):
    """Opening a youth or plan here (or an earlier version of it) is a view of the
    record, written to the audit trail as on the product's own pages."""

    view_action: AuditAction

    def _audit_view(self, request: HttpRequest, response: HttpResponse, shown: Any) -> HttpResponse:
        if request.method == "GET" and response.status_code == 200 and shown is not None:
            audit_record(action=self.view_action, actor=request.user, request=request, obj=shown)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        return self._audit_view(request, response, context.get("original"))

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        response = super().history_form_view(request, object_id, version_id, extra_context)
        # A plain response (no context to read): the record is looked up again.
        return self._audit_view(request, response, self.get_object(request, object_id))


@admin.register(Youth)
class YouthAdmin(ViewAuditedAdmin):
    view_action = AuditAction.VIEW_YOUTH
    list_display = ("client_id", "case_manager", "admitted_on", "discharged_on")
    list_select_related = ("case_manager",)
    # No search by name: the admin's search goes into the URL (?q=).
    list_filter = ("discharged_on",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Plan)
class PlanAdmin(ViewAuditedAdmin):
    view_action = AuditAction.VIEW_PLAN
    list_display = ("youth", "risk_level", "next_review_on", "updated_at")
    list_select_related = ("youth",)
    list_filter = ("risk_level",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        visible = Youth.objects.visible_to(request.user)
        return super().get_queryset(request).filter(youth__in=visible)


@admin.register(RecordBlock)
class RecordBlockAdmin(NoDeleteAdmin):
    """Administrators block a named staff member from a named youth's record (a
    conflict of interest) and lift blocks; a block is never edited or deleted.
    Both go through the services, which write the audit rows."""

    list_display = ("__str__", "staff", "youth_client_id", "status", "created_by", "created_at")
    list_select_related = ("staff", "youth", "created_by", "lifted_by")
    list_filter = (("lifted_at", admin.EmptyFieldListFilter),)
    fields = ("staff", "youth", "reason")
    # An id box with a look-up, not a drop-down of every youth in the agency.
    raw_id_fields = ("youth",)
    readonly_fields = ("created_by", "created_at", "lifted_by", "lifted_at")
    actions = ["lift_blocks"]

    @admin.display(description="Youth (client ID)")
    def youth_client_id(self, obj: RecordBlock) -> str:
        return obj.youth.client_id

    @admin.display(description="Status")
    def status(self, obj: RecordBlock) -> str:
        if obj.lifted_at is None:
            return "Active"
        return f"Lifted by {obj.lifted_by} on {timezone.localtime(obj.lifted_at):%Y-%m-%d %H:%M}"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # A block on a youth the administrator may not see is not shown to them either.
        visible = Youth.objects.visible_to(request.user)
        return super().get_queryset(request).filter(youth__in=visible)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields if obj is None else (*self.fields, *self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "staff":
            # Nobody blocks themselves: the other administrators decide.
            kwargs["queryset"] = (
                User.objects.filter(
                    is_active=True, groups__name__in=[role.group_name for role in Role]
                )
                .exclude(pk=request.user.pk)
                .distinct()
            )
        elif db_field.name == "youth":
            kwargs["queryset"] = Youth.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RecordBlock, form: Any, change: bool) -> None:
        block = record_block_create(
            by=request.user, staff=obj.staff, youth=obj.youth, reason=obj.reason
        )
        # The admin goes on with `obj` (its log entry and the redirect): make it the saved block.
        obj.pk, obj.created_by, obj.created_at = block.pk, block.created_by, block.created_at

    @admin.action(description="Lift the selected blocks")
    def lift_blocks(self, request: HttpRequest, queryset: QuerySet) -> None:
        lifted = 0
        for block in queryset.filter(lifted_at__isnull=True):
            try:
                record_block_lift(block=block, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{block}: {error.messages[0]}", messages.ERROR)
            else:
                lifted += 1
        if lifted:
            self.message_user(request, f"Lifted {lifted} block(s).", messages.SUCCESS)
