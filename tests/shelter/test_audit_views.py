"""Reading the audit trail: "who has viewed this record" on each youth's page, for
supervisors and administrators, and the administrators' search in the admin."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import Youth
from shelter.models import AuditAction, AuditEvent, User
from shelter.roles import Role
from tests.builders import make_staff, make_youth

AT = timezone.make_aware(datetime(2026, 11, 20, 9, 30))


def _viewed(
    actor: User, obj: object, at: datetime, action: AuditAction = AuditAction.VIEW_YOUTH
) -> AuditEvent:
    """An audit row at a fixed time (rows written by pages are stamped "now")."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        object_type=obj._meta.label_lower,  # type: ignore[attr-defined]
        object_id=obj.pk,  # type: ignore[attr-defined]
        at=at,
    )


def _viewers_url(youth: Youth) -> str:
    return reverse("plans:youth-viewers", args=[youth.pk])


def _rows(client: Client, youth: Youth) -> list[tuple[str, str, int, datetime, datetime]]:
    response = client.get(_viewers_url(youth))
    assert response.status_code == 200
    return [
        (str(row.staff), row.staff.role_label, row.views, row.first_at, row.last_at)
        for row in response.context["viewers"]
    ]


# Who has viewed this record


def test_supervisors_see_one_row_per_staff_member_who_viewed_the_record_or_plan_newest_first(
    supervisor_client: Client, case_manager: User, other_supervisor: User
) -> None:
    youth = make_youth(case_manager)
    _viewed(case_manager, youth, AT)
    _viewed(case_manager, youth.plan, AT + timedelta(days=2), AuditAction.VIEW_PLAN)
    _viewed(case_manager, youth, AT + timedelta(days=1))
    _viewed(other_supervisor, youth.plan, AT + timedelta(days=3), AuditAction.VIEW_PLAN)
    assert _rows(supervisor_client, youth) == [
        ("Dana Sup Delta", "Supervisor", 1, AT + timedelta(days=3), AT + timedelta(days=3)),
        ("Avery Cm Alpha", "Case manager", 3, AT, AT + timedelta(days=2)),
    ]


def test_the_list_counts_only_views_of_this_youth(
    supervisor_client: Client, case_manager: User, other_case_manager: User
) -> None:
    youth = make_youth(case_manager)
    other = make_youth(other_case_manager, client_id="TEST-0002")
    _viewed(case_manager, youth, AT)
    _viewed(other_case_manager, other, AT)
    _viewed(other_case_manager, other.plan, AT, AuditAction.VIEW_PLAN)
    # A change or a refusal is not a view; a plan id equal to this youth's id is another object.
    _viewed(other_case_manager, youth, AT, AuditAction.CHANGE)
    _viewed(other_case_manager, youth.plan, AT, AuditAction.VIEW_YOUTH)
    assert [row[0] for row in _rows(supervisor_client, youth)] == ["Avery Cm Alpha"]


def test_opening_the_youth_page_puts_the_viewer_on_the_list(
    cm_client: Client, supervisor_client: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    cm_client.get(reverse("plans:youth-detail", args=[youth.pk]))
    cm_client.get(reverse("plans:plan-history", args=[youth.pk]))
    rows = _rows(supervisor_client, youth)
    assert [(name, views) for name, _role, views, _first, _last in rows] == [("Avery Cm Alpha", 2)]


def test_the_page_says_in_plain_words_why_it_exists(
    supervisor_client: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    response = supervisor_client.get(_viewers_url(youth))
    assert b"Youth have the right to know who has looked at their records" in response.content
    assert b"Nobody has viewed this record yet." in response.content
    _viewed(case_manager, youth, AT)
    response = supervisor_client.get(_viewers_url(youth))
    assert b"1 staff member viewed this record" in response.content
    assert b"20 Nov 2026 09:30" in response.content


def test_a_viewer_whose_account_was_closed_stays_on_the_list(
    admin_client_: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    former = make_staff("cm.former", Role.CASE_MANAGER, first_name="Former")
    _viewed(former, youth, AT)
    former.is_active = False
    former.save()
    response = admin_client_.get(_viewers_url(youth))
    assert b"No role (account closed)" in response.content


def test_the_youth_page_links_to_the_list_for_supervisors_and_administrators_only(
    cm_client: Client, supervisor_client: Client, admin_client_: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    link = f'href="{_viewers_url(youth)}"'.encode()
    page = reverse("plans:youth-detail", args=[youth.pk])
    assert link in supervisor_client.get(page).content
    assert link in admin_client_.get(page).content
    assert link not in cm_client.get(page).content


def test_the_youths_own_case_manager_may_not_see_who_viewed_it(
    cm_client: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    assert cm_client.get(_viewers_url(youth)).status_code == 403


def test_another_caseloads_case_manager_is_told_there_is_no_such_youth(
    other_cm_client: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    assert other_cm_client.get(_viewers_url(youth)).status_code == 404


def test_the_list_is_read_only(supervisor_client: Client, case_manager: User) -> None:
    youth = make_youth(case_manager)
    assert supervisor_client.post(_viewers_url(youth)).status_code == 405


@pytest.mark.parametrize(("staff", "views_each"), [(1, 1), (12, 5)])
def test_the_list_runs_a_fixed_number_of_queries(
    supervisor_client: Client,
    case_manager: User,
    staff: int,
    views_each: int,
    django_assert_num_queries,
) -> None:
    youth = make_youth(case_manager)
    for number in range(staff):
        viewer = make_staff(f"cm.viewer{number}", Role.CASE_MANAGER)
        for view in range(views_each):
            target = youth if view % 2 else youth.plan
            action = AuditAction.VIEW_YOUTH if view % 2 else AuditAction.VIEW_PLAN
            _viewed(viewer, target, AT + timedelta(hours=number, minutes=view), action)
    # 1 session, 2 user, 3 the authenticator that verified the session (second step),
    # 4 groups (role), 5 youth with plan, 6 views grouped per staff member, 7 those
    # staff, 8 their groups (role).
    with django_assert_num_queries(8):
        response = supervisor_client.get(_viewers_url(youth))
    assert len(response.context["viewers"]) == staff
    assert response.context["viewers"][0].views == views_each


# The administrators' search in the admin

CHANGELIST = "/admin/shelter/auditevent/"


def _listed(client: Client, **params: str) -> list[int]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return [event.pk for event in response.context["cl"].result_list]


def test_the_trail_is_listed_newest_first(admin_client_: Client, case_manager: User) -> None:
    youth = make_youth(case_manager)
    middle = _viewed(case_manager, youth, AT)
    oldest = _viewed(case_manager, youth, AT - timedelta(days=1))
    newest = _viewed(case_manager, youth, AT + timedelta(days=1))
    listed = _listed(admin_client_, action__exact="view_youth")
    assert listed == [newest.pk, middle.pk, oldest.pk]


def test_administrators_find_what_one_staff_member_did_by_username(
    admin_client_: Client, case_manager: User, other_case_manager: User
) -> None:
    youth = make_youth(case_manager)
    mine = _viewed(case_manager, youth, AT)
    _viewed(other_case_manager, youth, AT)
    assert _listed(admin_client_, q="cm.alpha") == [mine.pk]


def test_administrators_find_every_row_about_one_record_by_its_id(
    admin_client_: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    about_it = _viewed(case_manager, youth, AT)
    about_its_plan = _viewed(case_manager, youth.plan, AT, AuditAction.VIEW_PLAN)
    # The id is matched exactly: not record 10 when looking for 1, nor a path holding it.
    AuditEvent.objects.create(
        action=AuditAction.VIEW_YOUTH,
        actor=case_manager,
        object_type="plans.youth",
        object_id=int(f"{youth.pk}0"),
        path=f"/youth/{youth.pk}/",
        at=AT,
    )
    found = _listed(admin_client_, q=str(youth.pk))
    expected = {about_it.pk} | ({about_its_plan.pk} if youth.plan.pk == youth.pk else set())
    assert set(found) == expected


def test_administrators_filter_the_trail_by_action_and_by_date(
    admin_client_: Client, case_manager: User
) -> None:
    youth = make_youth(case_manager)
    view = _viewed(case_manager, youth, AT)
    change = _viewed(case_manager, youth, AT, AuditAction.CHANGE)
    earlier = _viewed(case_manager, youth, AT - timedelta(days=30))
    assert _listed(admin_client_, action__exact="change") == [change.pk]
    on_the_day = _listed(admin_client_, at__year="2026", at__month="11", at__day="20")
    assert sorted(on_the_day) == sorted([view.pk, change.pk])
    since = _listed(admin_client_, at__gte="2026-11-15 00:00:00+00:00")
    assert earlier.pk not in since
    assert {view.pk, change.pk} <= set(since)
    response = admin_client_.get(CHANGELIST)
    assert b"By action" in response.content
    assert b"By at" in response.content


def test_the_admin_offers_no_way_to_add_change_or_delete_a_row(
    admin_client_: Client, case_manager: User
) -> None:
    event = _viewed(case_manager, make_youth(case_manager), AT)
    listing = admin_client_.get(CHANGELIST)
    assert b'name="action"' not in listing.content  # no bulk actions, not even delete
    assert b"/admin/shelter/auditevent/add/" not in listing.content
    detail = admin_client_.get(f"{CHANGELIST}{event.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert b"/delete/" not in detail.content
    changed = admin_client_.post(f"{CHANGELIST}{event.pk}/change/", {"action": "export"})
    assert changed.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.VIEW_YOUTH


def test_supervisors_cannot_read_the_trail_in_the_admin(supervisor_client: Client) -> None:
    assert supervisor_client.get(CHANGELIST).status_code == 403


@pytest.mark.parametrize("rows", [1, 60])
def test_the_trail_list_runs_a_fixed_number_of_queries(
    admin_client_: Client, case_manager: User, rows: int, django_assert_num_queries
) -> None:
    youth = make_youth(case_manager)
    for number in range(rows):
        actor = make_staff(f"cm.row{number}", Role.CASE_MANAGER) if number < 5 else case_manager
        _viewed(actor, youth, AT + timedelta(minutes=number))
    # 1 session, 2 user, 3 the authenticator that verified the session, 4-5 the user's
    # own and group permissions (admin), 6 count, 7 the page of rows with their actors
    # (list_select_related), 8 the user's groups (role, for the menu), 9 first and last
    # date and 10 the months (date hierarchy), 11 the object types (filter).
    with django_assert_num_queries(11):
        response = admin_client_.get(CHANGELIST)
    assert len(response.context["cl"].result_list) >= rows
