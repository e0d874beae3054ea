from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from shelter.models import AuditEvent, User
from shelter.roles import Role
from shelter.services import staff_set_role
from shelter.twofactor import authenticator_for, second_factor_reset


class RoleFormMixin(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        label=gettext_lazy("Role"),
        help_text=gettext_lazy("What this staff member does: it decides which pages they may use."),
    )


class StaffCreationForm(AdminUserCreationForm, RoleFormMixin):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")


class StaffChangeForm(UserChangeForm, RoleFormMixin):
    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.role:
            self.fields["role"].initial = self.instance.role.value


class NoDeleteAdmin(SimpleHistoryAdmin):
    """For data administrators keep (categories, units, devices, phrases…): added and
    changed with history, retired rather than deleted."""

    actions = None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def check_history_access(self, request: HttpRequest, object_id: str) -> None:
        """Before a history page: 404 for what the page's list would not show.
        simple-history falls back to the history rows of an object the queryset
        does not hold (a youth hidden by a block), and fails on an id that is not one."""
        try:
            self.model._meta.pk.to_python(object_id)
        except ValidationError:
            raise Http404 from None
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self.check_history_access(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self.check_history_access(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only records (audit trail, export record): listed and searched,
    never added, changed or deleted through the admin."""

    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class StaffAdmin(UserAdmin):
    """Administrators manage staff accounts here.

    Accounts are deactivated, never deleted, so every record of who did what
    keeps its author. Roles are chosen from one list, not by editing groups.
    """

    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ("username", "first_name", "last_name", "role_label", "is_active", "last_login")
    list_filter = ("is_active", "groups")
    search_fields = ("username", "first_name", "last_name", "email")
    readonly_fields = ("last_login", "date_joined", "two_step_sign_in")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Person"), {"fields": ("first_name", "last_name", "email", "language")}),
        (gettext_lazy("Access"), {"fields": ("role", "is_active", "two_step_sign_in")}),
        (gettext_lazy("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "role",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    actions = None

    @admin.display(description=gettext_lazy("Role"))
    def role_label(self, obj: User) -> str:
        return obj.role_label

    @admin.display(description=gettext_lazy("Two-step sign-in"))
    def two_step_sign_in(self, obj: User) -> str:
        if not obj.pk or authenticator_for(obj) is None:
            return _("Off")
        url = reverse("admin:shelter_user_two_step_reset", args=[obj.pk])
        return format_html('{} <a href="{}">{}</a>', _("On."), url, _("Reset (lost or new phone)"))

    def get_urls(self) -> list[URLPattern]:
        reset = path(
            "<int:user_id>/two-step-reset/",
            self.admin_site.admin_view(self.two_step_reset_view),
            name="shelter_user_two_step_reset",
        )
        return [reset, *super().get_urls()]

    @method_decorator(require_http_methods(["GET", "POST"]))
    def two_step_reset_view(self, request: HttpRequest, user_id: int) -> HttpResponse:
        """Remove a staff member's authenticator app and backup codes, after a confirmation.

        They set two-step sign-in up again at their next sign-in (their role requires it)
        or go without; the reset is audited.
        """
        staff = get_object_or_404(User, pk=user_id)
        if not self.has_change_permission(request, staff):
            raise PermissionDenied
        change_url = reverse("admin:shelter_user_change", args=[staff.pk])
        if request.method == "POST":
            second_factor_reset(user=staff, by=request.user, request=request)
            self.message_user(
                request,
                _(
                    "Two-step sign-in reset for %(username)s: they set it up again "
                    "when they next sign in."
                )
                % {"username": staff.username},
                messages.SUCCESS,
            )
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "staff": staff,
            "has_authenticator": authenticator_for(staff) is not None,
            "change_url": change_url,
            "title": _("Reset two-step sign-in"),
        }
        return TemplateResponse(request, "admin/shelter/user/two_step_reset.html", context)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        staff_set_role(user=obj, role=Role(form.cleaned_data["role"]))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Groups are set from the role in save_model; the form has no groups field.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, for administrators to search: read-only, rows are never changed."""

    list_display = ("at", "action", "actor", "object_type", "object_id", "ip_address", "path")
    list_filter = ("action", "at", "object_type")
    search_fields = ("actor__username", "actor__last_name", "path", "ip_address")
    search_help_text = gettext_lazy(
        "A staff member's username or last name, an address or a page path; "
        "a number finds the rows about the record with that id."
    )
    date_hierarchy = "at"
    list_select_related = ("actor",)
    ordering = ("-at", "-pk")
    # The trail only grows: counting every row on each page would get slow.
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AuditEvent], search_term: str
    ) -> tuple[QuerySet[AuditEvent], bool]:
        # A record id is matched exactly (an indexed lookup), not as text inside paths.
        term = search_term.strip()
        if term.isdigit():
            return queryset.filter(object_id=int(term)), False
        return super().get_search_results(request, queryset, search_term)
