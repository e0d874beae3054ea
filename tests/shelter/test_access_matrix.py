"""Every URL of the project × every role × GET and POST answers with the status
written here, and no refused page shows the canary strings of the youth's record.

The URLs are enumerated from the resolver (tests/url_patterns.py), their arguments
filled from seeded objects (tests/shelter/seeded_world.py): the canary youth on the
case manager's caseload, a supervisor blocked from that youth, the youth's pending
restriction, help contact, device session and request, a submitted policy version
with the youth's contribution. POSTs carry no data: this is about who gets in, not
what the forms accept.

A new URL fails `test_every_url_has_an_expectation` until it has a row below.
To add one: read the view's decorators and access helper, and write what each role
must get. Columns, in order: the youth's own case manager, another caseload's case
manager, the blocked supervisor, a supervisor, an administrator. Anonymous visitors
are always sent to sign in (except on the public pages, ANONYMOUS below); admin URLs
follow one rule (administrators only).
"""

from urllib.parse import urlparse

import pytest
from django.http import HttpResponse
from django.urls import resolve, reverse

from tests.shelter.seeded_world import CANARIES, OUTSIDERS, ROLES, World, seed_world, send
from tests.url_patterns import Endpoint

pytestmark = pytest.mark.django_db

STAFF_ROLES = ROLES[1:]  # the columns below

# name: (GET, POST) statuses for: own case manager, other case manager, blocked
# supervisor, supervisor, administrator.
EXPECTED: dict[str, tuple[str, str]] = {
    # Sign-in and account pages
    "home": ("200 200 200 200 200", "405 405 405 405 405"),
    "login": ("302 302 302 302 302", "302 302 302 302 302"),  # already signed in
    "logout": ("405 405 405 405 405", "302 302 302 302 302"),
    "password_change": ("200 200 200 200 200", "200 200 200 200 200"),
    "password_change_done": ("200 200 200 200 200", "405 405 405 405 405"),
    "language": ("200 200 200 200 200", "200 200 200 200 200"),  # a POST without a choice
    # Two-step sign-in: every persona has passed it (case managers have no authenticator)
    "two-step": ("200 200 200 200 200", "405 405 405 405 405"),
    "two-step-verify": ("302 302 302 302 302", "302 302 302 302 302"),
    "two-step-set-up": ("200 200 302 302 302", "405 405 405 405 405"),
    "two-step-set-up-start": ("405 405 405 405 405", "302 302 302 302 302"),
    "two-step-set-up-confirm": ("405 405 405 405 405", "302 302 302 302 302"),
    "two-step-qr-code": ("404 404 404 404 404", "405 405 405 405 405"),  # no set-up started
    "two-step-backup-codes": ("405 405 405 405 405", "302 302 200 200 200"),
    # Youth and plans: 404 outside one's caseload and for the blocked supervisor;
    # administrators read but never edit (403)
    "plans:youth-list": ("200 200 200 200 200", "405 405 405 405 405"),
    "plans:youth-search": ("405 405 405 405 405", "302 302 302 302 302"),
    "plans:youth-search-clear": ("405 405 405 405 405", "302 302 302 302 302"),
    "plans:youth-new": ("200 200 200 200 403", "200 200 200 200 403"),
    "plans:youth-detail": ("200 404 404 200 200", "405 405 405 405 405"),
    "plans:youth-edit": ("200 404 404 200 403", "200 404 404 200 403"),
    "plans:plan-edit": ("200 404 404 200 403", "200 404 404 200 403"),
    "plans:plan-history": ("200 404 404 200 200", "405 405 405 405 405"),
    "plans:plan-print": ("200 404 404 200 200", "405 405 405 405 405"),
    # Who viewed the record: supervisors and administrators (the case manager sees
    # the youth, not the list: 403)
    "plans:youth-viewers": ("403 404 404 200 200", "405 405 405 405 405"),
    "plans:help-contact-new": ("200 404 404 200 403", "200 404 404 200 403"),
    "plans:help-contact-remove": ("200 404 404 200 403", "302 404 404 302 403"),
    "plans:restriction-new": ("200 404 404 200 403", "200 404 404 200 403"),
    "plans:restriction-queue": ("403 403 200 200 403", "405 405 405 405 405"),
    # Only supervisors decide (an approval needs no note: 302; a decline does: 200)
    "plans:restriction-approve": ("405 405 405 405 405", "403 404 404 302 403"),
    "plans:restriction-decline": ("405 405 405 405 405", "403 404 404 200 403"),
    "plans:restriction-lift": ("405 405 405 405 405", "200 404 404 200 403"),
    # The front desk: case managers and supervisors; the board lists only visible youth
    "desk:board": ("200 200 200 200 200", "405 405 405 405 405"),
    "desk:board-rows": ("200 200 200 200 200", "405 405 405 405 405"),
    "desk:check-out": ("200 404 404 200 403", "200 404 404 200 403"),
    "desk:check-in": ("405 405 405 405 405", "302 404 404 302 403"),
    "desk:device-log": ("200 200 200 200 403", "405 405 405 405 405"),
    "desk:request-new": ("200 404 404 200 403", "200 404 404 200 403"),
    "desk:request-list": ("200 200 200 200 403", "405 405 405 405 405"),
    "desk:request-grant": ("405 405 405 405 405", "200 404 404 200 403"),
    "desk:request-decline": ("405 405 405 405 405", "200 404 404 200 403"),
    # An empty form changes nothing and sends back to the list (302)
    "desk:request-withdraw": ("405 405 405 405 405", "302 404 404 302 403"),
    # The research and training library: every role reads (curated in the admin)
    "library:resource-list": ("200 200 200 200 200", "405 405 405 405 405"),
    # Training records: everyone records and withdraws their own (the case manager's
    # record: 404 to another case manager, who cannot see it; 403 to supervisors and
    # administrators, who see it but do not change it). Who is missing required
    # training: supervisors and administrators
    "library:training-mine": ("200 200 200 200 200", "405 405 405 405 405"),
    "library:training-record-new": ("200 200 200 200 200", "200 200 200 200 200"),
    "library:training-record-withdraw": ("405 405 405 405 405", "302 404 403 403 403"),
    "library:training-by-requirement": ("403 403 200 200 200", "405 405 405 405 405"),
    "library:training-by-staff": ("403 403 200 200 200", "405 405 405 405 405"),
    # Policies: every role reads; case managers and supervisors write; supervisors
    # review (the version is submitted, so its edit pages send writers back: 302).
    # A block is about a youth's record, not policy work: the blocked supervisor
    # reviews like any supervisor, and sees the youth's credit, not their name.
    "policies:policy-list": ("200 200 200 200 200", "405 405 405 405 405"),
    "policies:review-queue": ("403 403 200 200 403", "405 405 405 405 405"),
    "policies:policy-detail": ("200 200 200 200 200", "405 405 405 405 405"),
    "policies:draft-new": ("405 405 405 405 405", "302 302 302 302 403"),
    "policies:policy-retire": ("403 403 200 200 403", "403 403 200 200 403"),
    "policies:acknowledgements": ("403 403 200 200 200", "405 405 405 405 405"),
    "policies:version-detail": ("200 200 200 200 200", "405 405 405 405 405"),
    "policies:version-edit": ("302 302 302 302 403", "302 302 302 302 403"),
    "policies:version-submit": ("405 405 405 405 405", "302 302 302 302 403"),
    "policies:contribution-new": ("302 302 302 302 403", "302 302 302 302 403"),
    "policies:version-review": ("403 403 200 200 403", "405 405 405 405 405"),
    "policies:version-approve": ("405 405 405 405 405", "403 403 400 400 403"),
    "policies:version-return": ("405 405 405 405 405", "403 403 400 400 403"),
    "policies:version-acknowledge": ("405 405 405 405 405", "302 302 302 302 302"),
    "policies:plan-policies": ("200 404 404 200 403", "302 404 404 302 403"),
    # Reports: registers and exports for administrators; the de-identified summary
    # for supervisors too (their reports home sends them to it)
    "reports:index": ("403 403 302 302 200", "405 405 405 405 405"),
    "reports:plans": ("403 403 403 403 200", "405 405 405 405 405"),
    "reports:restrictions": ("403 403 403 403 200", "405 405 405 405 405"),
    "reports:policies": ("403 403 403 403 200", "405 405 405 405 405"),
    "reports:requests": ("403 403 403 403 200", "405 405 405 405 405"),
    "reports:register-download": ("405 405 405 405 405", "403 403 403 403 200"),
    "reports:summary": ("403 403 200 200 200", "405 405 405 405 405"),
    "reports:summary-download": ("405 405 405 405 405", "403 403 200 200 200"),
    "reports:export-list": ("403 403 403 403 200", "405 405 405 405 405"),
}

# The only pages a visitor who has not signed in gets: (GET, POST).
ANONYMOUS: dict[str, tuple[int, int]] = {"login": (200, 200)}

REFUSED = {401, 403, 404, 405}


def is_admin(endpoint: Endpoint) -> bool:
    return endpoint.path.startswith("/admin/")


def expected(endpoint: Endpoint, role: str, method: str) -> int | None:
    """The status `role` must get; None: any answer but a server error (an
    administrator in the admin, where sample ids and empty forms vary)."""
    if role == "anonymous":
        public = ANONYMOUS.get(endpoint.name)
        return public[method == "post"] if public else 302
    if is_admin(endpoint):
        return None if role == "administrator" else 403
    row = EXPECTED[endpoint.name][method == "post"].split()
    return int(row[STAFF_ROLES.index(role)])


def sent_to_sign_in(response: HttpResponse) -> bool:
    # The admin's own sign-in page hands over to the product's.
    pages = {reverse("login"), reverse("admin:login")}
    return response.status_code == 302 and urlparse(response["Location"]).path in pages


@pytest.fixture
def world() -> World:
    return seed_world()


def test_every_url_has_an_expectation(world: World) -> None:
    names = {endpoint.name for endpoint in world.endpoints() if not is_admin(endpoint)}
    missing = sorted(names - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - names)
    assert not missing, f"Add rows to EXPECTED in {__name__} for: {', '.join(missing)}"
    assert not stale, f"Remove rows for URLs that no longer exist: {', '.join(stale)}"


def test_every_url_argument_is_filled_from_a_seeded_object(world: World) -> None:
    """An argument left at its sample value would test a missing object, not access:
    a new argument name needs an object in seed_world()."""
    unknown = sorted(
        f"{endpoint.name}: {kwarg}"
        for endpoint in world.endpoints()
        if not is_admin(endpoint)
        for kwarg in resolve(endpoint.path).kwargs
        if kwarg not in world.objects
    )
    assert not unknown, f"Seed an object for: {', '.join(unknown)}"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(world: World, role: str) -> None:
    client = world.client(role)
    wrong: list[str] = []
    for endpoint in world.endpoints():
        if not is_admin(endpoint) and endpoint.name not in EXPECTED:
            continue  # reported by test_every_url_has_an_expectation
        for method in ("get", "post"):
            response = send(client, method, endpoint.path)
            status = response.status_code
            want = expected(endpoint, role, method)
            where = f"{method.upper()} {endpoint.name} ({endpoint.path})"
            if want is None:
                if status >= 500:
                    wrong.append(f"{where}: {status}")
            elif status != want:
                wrong.append(f"{where}: {status}, expected {want}")
            elif role == "anonymous" and want == 302 and not sent_to_sign_in(response):
                wrong.append(f"{where}: redirected to {response['Location']}, not to sign in")
            refused = status in REFUSED or sent_to_sign_in(response)
            if refused or role in OUTSIDERS:
                shown = [c for c in CANARIES if c.encode() in response.content_bytes]
                if shown:
                    wrong.append(f"{where}: {status} shows {shown}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
