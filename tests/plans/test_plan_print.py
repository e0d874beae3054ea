"""The youth's own printable plan: plain, friendly words, its own print page
(no menu, no inline script), anyone who may see the youth may print it."""

import re
from datetime import time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans.models import AccessRule, HelpContact, Plan, TimeWindow, Youth
from plans.plainwords import date_words
from shelter.models import AuditAction, AuditEvent, User
from tests.builders import admit_youth, make_full_plan, make_restriction

pytestmark = pytest.mark.django_db


def print_url(youth: Youth) -> str:
    return reverse("plans:plan-print", args=[youth.pk])


def text_of(html: str) -> str:
    """The page's words as a reader sees them: tags out, spaces squeezed."""
    body = html[html.index("<main") :]
    inline = re.sub(r"</?strong>", "", body)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).replace("&#x27;", "'").split())


def test_the_printed_plan_reads_as_expected_for_a_full_plan(
    cm_client: Client, case_manager: User
) -> None:
    youth = make_full_plan(case_manager)
    response = cm_client.get(print_url(youth))
    assert response.status_code == 200
    text = text_of(response.content.decode())

    assert "Your technology plan For Jordan Test" in text
    # What they may use, when and for how long.
    assert (
        "You can use social media from 4 pm to 8 pm on school days and from 10 am to 9 pm "
        "on weekends, up to 1 hour a day." in text
    )
    assert "You can use messaging apps any time, up to 2 hours a day." in text
    assert (
        "You can browse the web from 3 pm to 9 pm on school days, with a staff member there."
        in text
    )
    assert (
        "You can play online games from 8 pm to 1 am on Friday and Saturday nights, "
        "up to 1 hour 30 minutes a day." in text
    )
    assert "You can keep your own phone with you from 7 am to 10 pm every day." in text
    assert (
        "You can use the shelter's computers and tablets any time, up to 1 hour a day, "
        "with a staff member there." in text
    )
    # The restriction in force and the one coming, with reason and end.
    assert re.search(
        r"For now, until \w+day \d+ \w+ at [\d:]+ [ap]m, online gaming is paused because an adult "
        r"from a game asked to meet this weekend\. Then your usual plan comes back\.",
        text,
    )
    assert re.search(
        r"From \w+day \d+ \w+ at [\d:]+ [ap]m until \w+day \d+ \w+ at [\d:]+ [ap]m, you can use "
        r"social media and messaging only with a staff member there, because the shelter's "
        r"location was shared in a post\.",
        text,
    )
    # Help, always.
    assert (
        "Help you can always reach Any time, day or night. Nothing in this plan, and no pause"
        in text
    )
    assert "National Human Trafficking Hotline: Call 1-888-373-7888 or text 233733" in text
    assert f"Your case manager: {case_manager}" in text
    assert "Aunt Rosa (fictional): Call or text 555-0142. Evenings after 6 pm" in text
    # Their words, strengths, review date and the signature lines.
    assert "In your own words Fictional: my group chat with my cousins keeps me going." in text
    assert "Your strengths Fictional: talks openly with staff" in text
    review = date_words(Plan.objects.get(youth=youth).next_review_on, year=True)
    assert f"We will look at this plan again together on {review}." in text
    assert "Your signature Date" in text
    assert f"Case manager: {case_manager} Date" in text
    # Staff-only parts stay off the youth's sheet; and the tone is never zero tolerance.
    assert "Risk" not in text and "risk" not in text
    for harsh in ("banned", "not allowed", "forbidden", "prohibited", "zero tolerance"):
        assert harsh not in text.lower()


def test_an_empty_plan_leaves_room_to_write_and_says_what_comes_next(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    text = text_of(cm_client.get(print_url(youth)).content.decode())
    assert "You can use social media any time." in text
    assert "What matters to you about staying connected:" in text
    assert "We will agree on a date to look at this plan again together." in text
    assert "For a short time" not in text  # no restriction: no such section


def test_ended_pending_and_lifted_restrictions_are_not_printed(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    now = timezone.now()
    make_restriction(
        youth,
        case_manager,
        reason="Ended one.",
        ends_at=now - timedelta(minutes=1),
        starts_at=now - timedelta(hours=3),
    )
    make_restriction(
        youth,
        case_manager,
        reason="Pending one.",
        approval="pending",
        ends_at=now + timedelta(days=4),
    )
    make_restriction(
        youth,
        case_manager,
        reason="Lifted one.",
        lifted_at=now - timedelta(minutes=5),
        lifted_by=case_manager,
    )
    text = text_of(cm_client.get(print_url(youth)).content.decode())
    assert "ended one" not in text and "pending one" not in text and "lifted one" not in text
    assert "For a short time" not in text


def test_the_page_has_no_menu_no_inline_script_and_its_own_print_styles(
    cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager, preferred_name="Sky Test", client_id="TEST-0042")
    html = cm_client.get(print_url(youth)).content.decode()
    assert "navbar" not in html and "Sign out" not in html
    assert '<script src="/static/js/print.js"></script>' in html
    assert len(re.findall(r"<script", html)) == 1  # that file only: no inline script
    assert "style=" not in html
    assert '<link rel="stylesheet" href="/static/css/print.css">' in html
    assert "data-print" in html
    title = html[html.index("<title>") : html.index("</title>")]
    assert "Sky" not in title and "TEST-0042" not in title


def test_the_youth_page_links_to_the_printable_plan(cm_client: Client, case_manager: User) -> None:
    youth = admit_youth(case_manager)
    content = cm_client.get(reverse("plans:youth-detail", args=[youth.pk])).content.decode()
    assert f'href="{print_url(youth)}">Print the youth\'s plan</a>' in content


def test_reading_it_is_recorded_as_a_view_of_the_plan(
    supervisor_client: Client, supervisor: User, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    supervisor_client.get(print_url(youth))
    event = AuditEvent.objects.get(action=AuditAction.VIEW_PLAN)
    assert (event.actor, event.object_type, event.object_id) == (
        supervisor,
        "plans.plan",
        youth.plan.pk,
    )


def test_everyone_who_may_see_the_youth_may_print_also_once_discharged(
    cm_client: Client, supervisor_client: Client, admin_client_: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager)
    Youth.objects.filter(pk=youth.pk).update(discharged_on=timezone.localdate())
    for client in (cm_client, supervisor_client, admin_client_):
        assert client.get(print_url(youth)).status_code == 200


def test_another_case_manager_gets_404_and_nothing_is_recorded_as_read(
    other_cm_client: Client, case_manager: User
) -> None:
    youth = admit_youth(case_manager, preferred_name="Sky Test")
    response = other_cm_client.get(print_url(youth))
    assert response.status_code == 404
    assert "Sky Test" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PLAN).exists()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_is_allowed(cm_client: Client, case_manager: User, method: str) -> None:
    youth = admit_youth(case_manager)
    assert getattr(cm_client, method)(print_url(youth)).status_code == 405


@pytest.mark.parametrize(("windows", "contacts", "restrictions"), [(1, 1, 1), (6, 25, 20)])
def test_the_print_page_runs_a_fixed_number_of_queries(
    cm_client: Client,
    case_manager: User,
    windows: int,
    contacts: int,
    restrictions: int,
    django_assert_num_queries,
) -> None:
    youth = admit_youth(case_manager)
    rules = list(AccessRule.objects.filter(plan__youth=youth))
    TimeWindow.objects.bulk_create(
        TimeWindow(rule=rule, weekdays=0b0011111, start_time=time(8 + n), end_time=time(1))
        for rule in rules
        for n in range(windows)
    )
    HelpContact.objects.bulk_create(
        HelpContact(
            plan=youth.plan,
            name=f"Contact {n} Test",
            how_to_reach="555-0100",
            added_by=case_manager,
        )
        for n in range(contacts)
    )
    now = timezone.now()
    for n in range(restrictions):
        make_restriction(
            youth,
            case_manager,
            categories=["social-media", "messaging"],
            starts_at=now + timedelta(days=n + 1),
            ends_at=now + timedelta(days=n + 1, hours=2),
        )
    # 1 session, 2 user, 3 groups (role), 4 youth with plan and case manager,
    # 5 rules with categories, 6 windows, 7 restrictions that count and have not
    # ended, 8 their categories, 9 current help contacts, 10 the audit row of the
    # view (INSERT), 11 helplines, 12 youth resources of the plan's topics (library).
    with django_assert_num_queries(12):
        response = cm_client.get(print_url(youth))
    html = response.content.decode()
    assert html.count("Then your usual plan comes back.") == restrictions
    assert html.count("555-0100") == contacts
