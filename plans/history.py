"""A youth's record history in plain words: who changed what, when.

Built from django-simple-history's rows (diff_against between consecutive rows
of the same object) for the youth, the plan, its rules and its time windows, in
a fixed number of queries however long the history is.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from plans.models import (
    AccessRule,
    Category,
    HelpContact,
    HelpKind,
    Plan,
    TimeWindow,
    Youth,
    weekday_ranges,
)
from shelter.models import User

ADDED, CHANGED, REMOVED = "added", "changed", "removed"
_ACTIONS = {"+": ADDED, "~": CHANGED, "-": REMOVED}
# Bookkeeping fields: shown as the entry's who and when, not as changes.
_SKIPPED = {
    "risk_assessed_by",
    "risk_assessed_at",
    "youth_agreed_on",
    "updated_by",
    "plan",
    "youth",
    # A help contact's own bookkeeping: its removal is shown as "removed".
    "added_by",
    "added_at",
    "removed_by",
    "removed_at",
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    subject: str  # "Plan", "Youth details", "Social media rule", "Social media time window"
    action: str  # ADDED, CHANGED or REMOVED
    changes: tuple[FieldChange, ...] = ()
    summary: str = ""  # for added and removed windows and rules: what they were


@dataclass
class HistorySave:
    """All entries of one save: same instant, same person."""

    when: datetime
    who: str
    entries: list[HistoryEntry] = field(default_factory=list)


def youth_history(
    youth: Youth,
    *,
    parts: Iterable[str] = ("youth", "plan", "help"),
    after: datetime | None = None,
) -> list[HistoryEntry]:
    """Newest first. `parts`: "youth" (the youth's facts), "plan" (plan, rules,
    windows), "help" (the contacts they can always reach). `after`: only what was
    saved strictly after that instant.

    Queries: youth rows, plan rows, rule rows, window rows, help contact rows,
    categories, users (7 at most).
    """
    parts = set(parts)
    rows: list[Any] = []
    if "youth" in parts:
        rows += list(Youth.history.filter(id=youth.pk).select_related("history_user"))
    rule_rows: list[Any] = []
    if "plan" in parts:
        plan_rows = list(Plan.history.filter(youth_id=youth.pk).select_related("history_user"))
        plan_ids = {row.id for row in plan_rows}
        rule_rows = list(
            AccessRule.history.filter(plan_id__in=plan_ids).select_related("history_user")
        )
        rule_ids = {row.id for row in rule_rows}
        window_rows = list(
            TimeWindow.history.filter(rule_id__in=rule_ids).select_related("history_user")
        )
        rows += plan_rows + rule_rows + window_rows
    if "help" in parts:
        rows += list(
            HelpContact.history.filter(plan__youth_id=youth.pk).select_related("history_user")
        )
    categories = dict(Category.objects.values_list("pk", "name"))
    unknown = _("Unknown")
    rule_category = {row.id: categories.get(row.category_id, unknown) for row in rule_rows}
    user_ids = {row.case_manager_id for row in rows if isinstance(row, Youth.history.model)}
    users = {user.pk: str(user) for user in User.objects.filter(pk__in=user_ids)}

    entries: list[HistoryEntry] = []
    previous: dict[tuple[type, int], Any] = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        key = (type(row), row.id)
        before = previous.get(key)
        previous[key] = row
        if after is not None and row.history_date <= after:
            continue
        entry = _entry(row, before, _Names(categories, rule_category, users))
        if entry is not None:
            entries.append(entry)
    entries.reverse()
    return entries


def grouped(entries: list[HistoryEntry]) -> list[HistorySave]:
    """Entries of one save together (they share the instant and the person)."""
    saves: list[HistorySave] = []
    for entry in entries:
        if saves and saves[-1].when == entry.when and saves[-1].who == entry.who:
            saves[-1].entries.append(entry)
        else:
            saves.append(HistorySave(when=entry.when, who=entry.who, entries=[entry]))
    return saves


@dataclass(frozen=True)
class _Names:
    categories: dict[int, str]
    rule_category: dict[int, str]
    users: dict[int, str]


def _entry(row: Any, before: Any, names: _Names) -> HistoryEntry | None:
    model = row.instance_type
    action = _ACTIONS[row.history_type]
    who = str(row.history_user) if row.history_user else _("The system")
    subject = _subject(model, row, names)
    if model is HelpContact and before is not None and row.removed_at and not before.removed_at:
        # Contacts are retired, never deleted: the retirement reads as a removal.
        return HistoryEntry(
            row.history_date, who, subject, REMOVED, summary=_describe(model, row, names)
        )
    if action == CHANGED and before is not None:
        delta = row.diff_against(before, excluded_fields=_SKIPPED)
        changes = tuple(
            FieldChange(
                label=_label(model, change.field),
                old=_show(model, change.field, change.old, names),
                new=_show(model, change.field, change.new, names),
            )
            for change in delta.changes
        )
        if not changes:
            return None  # a save that changed only bookkeeping fields
        return HistoryEntry(row.history_date, who, subject, CHANGED, changes)
    return HistoryEntry(
        row.history_date, who, subject, action, summary=_describe(model, row, names)
    )


def _subject(model: type, row: Any, names: _Names) -> str:
    if model is Youth:
        return _("Youth details")
    if model is Plan:
        return _("Plan")
    if model is HelpContact:
        return _("Help they can always reach")
    if model is AccessRule:
        return _("%(category)s rule") % {
            "category": names.categories.get(row.category_id, _("Unknown"))
        }
    return _("%(category)s time window") % {
        "category": names.rule_category.get(row.rule_id, _("Unknown"))
    }


def _describe(model: type, row: Any, names: _Names) -> str:
    if model is TimeWindow:
        return f"{weekday_ranges(_days(row.weekdays))} {row.start_time:%H:%M}–{row.end_time:%H:%M}"
    if model is AccessRule:
        parts = [_("supervised")] if row.supervised else []
        if row.daily_limit_minutes:
            parts.append(_("%(minutes)s min a day") % {"minutes": row.daily_limit_minutes})
        return ", ".join(parts) or _("free use")
    if model is Youth:
        return _("admitted %(day)s") % {"day": _show(model, "admitted_on", row.admitted_on, names)}
    if model is HelpContact:
        reach = f": {row.how_to_reach}" if row.how_to_reach else ""
        return f"{row.name} ({HelpKind(row.kind).label}){reach}"
    return ""


def _days(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def _label(model: type, name: str) -> str:
    if model is TimeWindow and name == "weekdays":
        return _("Days")
    if model is TimeWindow and name == "rule":
        return _("Category")
    verbose = str(model._meta.get_field(name).verbose_name)
    return verbose[:1].upper() + verbose[1:]


def _show(model: type, name: str, value: Any, names: _Names) -> str:
    """A stored value as staff read it."""
    if value is None or value == "":
        return _("(empty)")
    model_field = model._meta.get_field(name)
    if model is TimeWindow and name == "weekdays":
        return weekday_ranges(_days(value))
    if isinstance(model_field, models.ForeignKey):
        if model_field.related_model is Category:
            return names.categories.get(value, _("Unknown"))
        if model_field.related_model is AccessRule:
            return names.rule_category.get(value, _("Unknown"))
        return names.users.get(value, _("staff member %(id)s") % {"id": value})
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return str(value)
