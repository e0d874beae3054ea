"""The plans part of each role's home page: youth, reviews and restrictions."""

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import Restriction, Youth
from shelter.home import HOME_LIST_LENGTH, HomePanel, with_query
from shelter.models import User
from shelter.roles import Role

REVIEW_ITEM = "plans/includes/_home_review.html"


def reviews_home_context(user: User, now: datetime) -> dict[str, HomePanel]:
    """Case managers: their youth, reviews overdue and due this week (four queries:
    the three counts together, then each list). Supervisors: reviews overdue
    across the house (two queries)."""
    if user.role not in (Role.CASE_MANAGER, Role.SUPERVISOR):
        return {}
    today = timezone.localdate(now)
    current = Youth.objects.visible_to(user).current(now).select_related("plan")
    is_overdue = Q(plan__next_review_on__lt=today)
    is_due = Q(plan__next_review_on__gte=today, plan__next_review_on__lte=today + timedelta(days=7))
    counts = current.aggregate(
        youth=Count("pk"),
        overdue=Count("pk", filter=is_overdue),
        due=Count("pk", filter=is_due),
    )
    youth_list = reverse("plans:youth-list")
    overdue = HomePanel(
        key="reviews-overdue",
        title=_("Reviews overdue")
        if user.role == Role.CASE_MANAGER
        else _("Reviews overdue, all youth"),
        count=counts["overdue"],
        items=list(
            current.filter(is_overdue).order_by("plan__next_review_on", "pk")[:HOME_LIST_LENGTH]
        ),
        item_template=REVIEW_ITEM,
        empty=_("No overdue reviews."),
        more_url=with_query(youth_list, review="overdue"),
        more_label=_("All youth with an overdue review"),
    )
    if user.role == Role.SUPERVISOR:
        return {"reviews-overdue": overdue}
    return {
        "youth": HomePanel(
            key="youth",
            title=_("Your youth"),
            count=counts["youth"],
            items=list(current.order_by("preferred_name", "pk")[:HOME_LIST_LENGTH]),
            item_template="plans/includes/_home_youth.html",
            empty=_("No current youth on your caseload."),
            more_url=youth_list,
            more_label=_("All your youth"),
        ),
        "reviews-overdue": overdue,
        "reviews-due": HomePanel(
            key="reviews-due",
            title=_("Reviews due in the next 7 days"),
            count=counts["due"],
            items=list(
                current.filter(is_due).order_by("plan__next_review_on", "pk")[:HOME_LIST_LENGTH]
            ),
            item_template=REVIEW_ITEM,
            empty=_("No reviews due this week."),
            more_url=with_query(youth_list, review="week"),
            more_label=_("All youth with a review due this week"),
        ),
    }


def restriction_home_context(user: User, now: datetime) -> dict[str, HomePanel]:
    """Supervisors: long restrictions waiting for approval. Case managers: their
    caseload's restrictions in force that end within a day. Two queries each."""
    visible = Restriction.objects.visible_to(user).select_related("plan__youth")
    if user.role == Role.SUPERVISOR:
        waiting = visible.awaiting_decision(now).order_by("starts_at", "pk")
        return {
            "restrictions-waiting": HomePanel(
                key="restrictions-waiting",
                title=_("Restrictions waiting for your approval"),
                count=waiting.count(),
                items=list(waiting[:HOME_LIST_LENGTH]),
                item_template="plans/includes/_home_restriction_waiting.html",
                empty=_("None waiting."),
                more_url=reverse("plans:restriction-queue"),
                more_label=_("Open the approvals"),
            )
        }
    if user.role == Role.CASE_MANAGER:
        ending = (
            visible.active_at(now).filter(ends_at__lte=now + timedelta(days=1)).order_by("ends_at")
        )
        return {
            "restrictions-ending": HomePanel(
                key="restrictions-ending",
                title=_("Restrictions ending within a day"),
                count=ending.count(),
                items=list(ending[:HOME_LIST_LENGTH]),
                item_template="plans/includes/_home_restriction_ending.html",
                empty=_("None on your caseload."),
                more_url=with_query(reverse("plans:youth-list"), restricted="yes"),
                more_label=_("All your youth restricted now"),
            )
        }
    return {}


def home_context(user: User) -> dict[str, HomePanel]:
    now = timezone.now()
    return {**reviews_home_context(user, now), **restriction_home_context(user, now)}
