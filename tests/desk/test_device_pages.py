"""Check-out and check-in pages, the device log, and the overrides shown on
the youth page: against the plan only with a reason, supervision named, who may."""

from datetime import time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from desk.forms import OWN_PHONE
from desk.models import Device, DeviceSession
from plans.models import AccessRule, Category, Unit, Youth
from shelter.models import User
from tests.builders import admit_youth, make_restriction

pytestmark = pytest.mark.django_db

LOG = reverse("desk:device-log")


@pytest.fixture
def youth(case_manager: User) -> Youth:
    return admit_youth(case_manager, preferred_name="Desk Test")


@pytest.fixture
def computer() -> Device:
    return Device.objects.create(
        name="Laptop 3", kind="computer", category=Category.objects.get(key="shelter-computers")
    )


def check_out_url(youth: Youth) -> str:
    return reverse("desk:check-out", args=[youth.pk])


def close_phone_possession(youth: Youth) -> None:
    """A window that is never now: from two hours ahead, for one hour, every day."""
    start = (timezone.localtime() + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    end = time((start.hour + 1) % 24, start.minute)
    rule = AccessRule.objects.get(plan=youth.plan, category__key="phone-possession")
    rule.windows.create(weekdays=0b1111111, start_time=start, end_time=end)


def test_handing_back_their_own_phone_takes_two_clicks(
    cm_client: Client, case_manager: User, youth: Youth
) -> None:
    form = cm_client.get(check_out_url(youth))
    assert form.status_code == 200
    # The only free choice is preselected: the second click is the button.
    assert 'value="own-phone"' in form.content.decode()
    assert form.context["form"]["what"].initial == OWN_PHONE

    response = cm_client.post(check_out_url(youth), {"what": OWN_PHONE, "return_to": "board"})

    assert response.status_code == 302
    assert response.url == reverse("desk:board")
    session = DeviceSession.objects.get()
    assert (session.youth, session.device, session.category.key) == (
        youth,
        None,
        "phone-possession",
    )
    assert (session.checked_out_by, session.override_state) == (case_manager, "")


def test_against_the_plan_the_page_says_why_and_refuses_without_a_reason(
    cm_client: Client, case_manager: User, youth: Youth
) -> None:
    close_phone_possession(youth)
    page = cm_client.get(check_out_url(youth)).content.decode()
    assert "goes against the plan: write why below" in page
    assert 'data-against-plan="true"' in page

    refused = cm_client.post(check_out_url(youth), {"what": OWN_PHONE})
    assert refused.status_code == 200
    assert refused.context["form"].errors["override_reason"] == [
        refused.context["form"].errors["override_reason"][0]
    ]
    assert (
        "Phone possession is not allowed right now"
        in (refused.context["form"].errors["override_reason"][0])
    )
    assert 'data-override-needed="true"' in refused.content.decode()
    assert not DeviceSession.objects.exists()

    reason = "Fictional: they must call their school about tomorrow's exam."
    done = cm_client.post(check_out_url(youth), {"what": OWN_PHONE, "override_reason": reason})
    assert done.status_code == 302
    session = DeviceSession.objects.get()
    assert (session.override_state, session.override_reason) == ("outside_window", reason)


def test_an_override_shows_on_the_youth_page_for_the_case_manager_not_the_administrator(
    cm_client: Client, admin_client_: Client, case_manager: User, youth: Youth
) -> None:
    close_phone_possession(youth)
    reason = "Fictional: a call with their grandmother."
    cm_client.post(check_out_url(youth), {"what": OWN_PHONE, "override_reason": reason})
    page = reverse("plans:youth-detail", args=[youth.pk])
    content = cm_client.get(page).content.decode()
    assert "Check-outs against the plan, last 14 days" in content
    assert f"Why: {reason}" in content
    assert reason not in admin_client_.get(page).content.decode()


def test_a_supervised_device_needs_the_supervising_staff_member(
    cm_client: Client, case_manager: User, youth: Youth, computer: Device
) -> None:
    AccessRule.objects.filter(plan=youth.plan, category__key="shelter-computers").update(
        supervised=True
    )
    form = cm_client.get(check_out_url(youth))
    assert form.context["form"]["supervised_by"].initial == case_manager.pk

    refused = cm_client.post(check_out_url(youth), {"what": str(computer.pk)})
    assert refused.context["form"].errors["supervised_by"] == [
        "The plan says supervised use: name who is supervising."
    ]
    assert not DeviceSession.objects.exists()

    cm_client.post(
        check_out_url(youth), {"what": str(computer.pk), "supervised_by": case_manager.pk}
    )
    session = DeviceSession.objects.get()
    assert (session.device, session.supervised_by) == (computer, case_manager)


def test_a_device_already_out_is_not_offered_and_a_stale_form_is_refused(
    cm_client: Client, case_manager: User, youth: Youth, computer: Device
) -> None:
    other = admit_youth(case_manager, preferred_name="Other Test", client_id="TEST-0002")
    stale = {"what": str(computer.pk)}
    cm_client.post(check_out_url(other), stale)
    assert DeviceSession.objects.get().youth == other

    offered = cm_client.get(check_out_url(youth)).context["form"].fields["what"].choices
    assert [value for value, _label in offered] == [OWN_PHONE]
    refused = cm_client.post(check_out_url(youth), stale)
    assert refused.context["form"].errors["what"] == [
        "That device is no longer free: choose another."
    ]
    assert DeviceSession.objects.count() == 1


def test_check_in_is_one_post_and_a_second_one_changes_nothing(
    cm_client: Client, supervisor_client: Client, case_manager: User, youth: Youth
) -> None:
    cm_client.post(check_out_url(youth), {"what": OWN_PHONE})
    session = DeviceSession.objects.get()
    url = reverse("desk:check-in", args=[session.pk])

    response = cm_client.post(url, {"return_to": "log"})
    assert response.status_code == 302
    assert response.url == LOG
    session.refresh_from_db()
    assert session.checked_in_by == case_manager
    first = session.checked_in_at

    again = supervisor_client.post(url, {"return_to": "board"}, follow=True)
    assert "was already checked in" in again.content.decode()
    session.refresh_from_db()
    assert (session.checked_in_at, session.checked_in_by) == (first, case_manager)


def test_check_out_and_in_go_back_to_the_board_with_its_filters_and_only_those(
    cm_client: Client, youth: Youth
) -> None:
    unit = Unit.objects.create(name="North house")
    Youth.objects.filter(pk=youth.pk).update(unit=unit)
    board = cm_client.get(reverse("desk:board"), {"unit": unit.pk}).content.decode()
    assert f'href="{check_out_url(youth)}?unit={unit.pk}"' in board

    form = cm_client.get(check_out_url(youth), {"unit": unit.pk})
    assert form.context["board_url"] == f"/desk/?unit={unit.pk}"
    done = cm_client.post(
        check_out_url(youth),
        {"what": OWN_PHONE, "board_query": f"unit={unit.pk}&next=https://example.org/"},
    )
    assert done.url == f"/desk/?unit={unit.pk}"

    session = DeviceSession.objects.get()
    back = cm_client.post(
        reverse("desk:check-in", args=[session.pk]),
        {"return_to": "board", "board_query": "unit=abc&case_manager=7"},
    )
    assert back.url == "/desk/?case_manager=7"


def test_the_device_log_shows_todays_and_open_sessions_filtered_by_device(
    cm_client: Client, case_manager: User, other_case_manager: User, computer: Device
) -> None:
    mine = admit_youth(case_manager, preferred_name="Mine Test")
    theirs = admit_youth(other_case_manager, preferred_name="Theirs Test", client_id="TEST-0002")
    phone = Category.objects.get(key="phone-possession")
    now = timezone.now()
    old = DeviceSession.objects.create(
        youth=mine,
        category=phone,
        checked_out_at=now - timedelta(days=3),
        checked_out_by=case_manager,
        checked_in_at=now - timedelta(days=3) + timedelta(minutes=5),
        checked_in_by=case_manager,
    )
    still_out = DeviceSession.objects.create(
        youth=mine,
        category=phone,
        checked_out_at=now - timedelta(days=2),
        checked_out_by=case_manager,
    )
    on_laptop = DeviceSession.objects.create(
        youth=mine,
        category=computer.category,
        device=computer,
        checked_out_at=now,
        checked_out_by=case_manager,
    )
    DeviceSession.objects.create(
        youth=theirs, category=phone, checked_out_at=now, checked_out_by=other_case_manager
    )

    listed = list(cm_client.get(LOG).context["page"].object_list)
    assert listed == [on_laptop, still_out]  # not a closed one of days ago, not theirs
    assert old not in listed
    assert list(cm_client.get(LOG, {"device": computer.pk}).context["page"].object_list) == [
        on_laptop
    ]
    assert list(cm_client.get(LOG, {"device": "own"}).context["page"].object_list) == [still_out]


# Who may


def test_another_caseload_is_404_and_an_administrator_is_403(
    other_cm_client: Client, admin_client_: Client, case_manager: User, youth: Youth
) -> None:
    session = DeviceSession.objects.create(
        youth=youth,
        category=Category.objects.get(key="phone-possession"),
        checked_out_by=case_manager,
    )
    check_in = reverse("desk:check-in", args=[session.pk])
    assert other_cm_client.get(check_out_url(youth)).status_code == 404
    assert other_cm_client.post(check_out_url(youth), {"what": OWN_PHONE}).status_code == 404
    assert other_cm_client.post(check_in).status_code == 404
    assert admin_client_.get(check_out_url(youth)).status_code == 403
    assert admin_client_.post(check_out_url(youth), {"what": OWN_PHONE}).status_code == 403
    assert admin_client_.post(check_in).status_code == 403
    assert admin_client_.get(LOG).status_code == 403
    session.refresh_from_db()
    assert session.is_open
    assert DeviceSession.objects.count() == 1


def test_a_discharged_youth_gets_no_check_out(cm_client: Client, youth: Youth) -> None:
    Youth.objects.filter(pk=youth.pk).update(discharged_on=timezone.localdate())
    assert cm_client.get(check_out_url(youth)).status_code == 403


def test_a_restricted_youth_can_still_have_a_device_by_override_with_the_reason_kept(
    cm_client: Client, case_manager: User, youth: Youth
) -> None:
    make_restriction(youth, case_manager, categories=["phone-possession"])
    refused = cm_client.post(check_out_url(youth), {"what": OWN_PHONE})
    assert "Restricted until" in refused.context["form"].errors["override_reason"][0]
    cm_client.post(
        check_out_url(youth),
        {"what": OWN_PHONE, "override_reason": "Fictional: a call with their lawyer."},
    )
    assert DeviceSession.objects.get().override_state == "restricted"


@pytest.mark.parametrize(
    ("name", "method"),
    [("desk:check-in", "get"), ("desk:check-out", "put"), ("desk:device-log", "post")],
)
def test_wrong_methods_are_refused(
    cm_client: Client, youth: Youth, case_manager: User, name: str, method: str
) -> None:
    session = DeviceSession.objects.create(
        youth=youth,
        category=Category.objects.get(key="phone-possession"),
        checked_out_by=case_manager,
    )
    args = {"desk:check-in": [session.pk], "desk:check-out": [youth.pk]}.get(name, [])
    assert getattr(cm_client, method)(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("count", [2, 60])
def test_the_device_log_runs_a_fixed_number_of_queries(
    supervisor_client: Client,
    case_manager: User,
    computer: Device,
    count: int,
    django_assert_num_queries,
) -> None:
    phone = Category.objects.get(key="phone-possession")
    now = timezone.now()
    for number in range(count):
        item = admit_youth(case_manager, client_id=f"TEST-{number:04d}")
        DeviceSession.objects.create(
            youth=item,
            category=phone,
            checked_out_at=now - timedelta(minutes=1),
            checked_out_by=case_manager,
            checked_in_at=now,
            checked_in_by=case_manager,
            override_state="outside_window" if number % 2 else "",
            override_reason="Fictional: a school call." if number % 2 else "",
        )
    # 1 session, 2 user, 3 authenticator (two-step), 4 groups (role), 5 every device for
    # the filter, 6 count for the paginator, 7 the page of sessions with youth, device,
    # category and staff.
    with django_assert_num_queries(7):
        response = supervisor_client.get(LOG)
    assert len(response.context["page"].object_list) == min(count, 50)
