"""One small agency for the tests that walk every URL (access matrix, CSRF, safe
GETs): a youth with a plan whose records carry canary strings, one object for
each URL argument, and a signed-in client per role.

Each request runs inside a transaction that is rolled back (and the client's
cookies are put back), so a POST that changes something, or a sign-out, cannot
change what the next request sees.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from desk.models import AccessRequest, DeviceSession, RequestKind
from library.training_services import training_record_add
from plans.models import Category, Plan, Youth
from plans.services import help_contact_add, record_block_create
from policies.models import CreditConsent, Policy
from policies.services import policy_version_submit
from reports.models import ExportRecord
from shelter.models import User
from shelter.roles import Role
from tests.builders import admit_youth, make_restriction, make_staff, signed_in_client
from tests.policies.builders import contribution, draft, social_media
from tests.url_patterns import Endpoint, all_endpoints

# Written into the youth's record; never in a page refused to anyone, and never in
# any page of someone who may not see this youth.
CANARY_NAME = "Canary Zq7431"
CANARY_CLIENT_ID = "TEST-CANARY-7431"
CANARY_WORDS = "canary-words-7431"
CANARIES = (CANARY_NAME, CANARY_CLIENT_ID, CANARY_WORDS)

ROLES = (
    "anonymous",
    "case_manager",  # the youth's own
    "other_case_manager",  # another caseload
    "blocked",  # a supervisor blocked from the youth
    "supervisor",
    "administrator",
)
# Staff who may not see the youth: the canary is never in any of their pages.
OUTSIDERS = ("anonymous", "other_case_manager", "blocked")


@dataclass
class World:
    users: dict[str, User]
    youth: Youth
    objects: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str, kwarg: str) -> str | None:
        """The URL argument `kwarg` of URL `name`: a seeded object's id."""
        if name.startswith("admin:") and kwarg in ("object_id", "pk"):
            instance = self.admin_object(name)
            # A missing row where the model has none yet.
            return str(instance.pk) if instance is not None else "999999"
        value = self.objects.get(kwarg)
        if value is None:
            return None
        return str(value.pk) if hasattr(value, "pk") else str(value)

    def admin_object(self, name: str) -> Any:
        """For an admin page of a model: the canary youth's own row where there is one."""
        for model in admin.site._registry:
            prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
            if name.startswith(prefix):
                own = {Youth: self.youth, Plan: self.youth.plan}.get(model)
                return own or model._default_manager.order_by("pk").first()
        return None

    def endpoints(self) -> list[Endpoint]:
        return all_endpoints(self.value)

    def client(self, role: str) -> Client:
        client = Client() if role == "anonymous" else signed_in_client(self.users[role])
        # A server error is a status to report, not an exception that ends the walk.
        client.raise_request_exception = False
        return client


def seed_world() -> World:
    case_manager = make_staff("cm.alpha", Role.CASE_MANAGER, first_name="Avery")
    users = {
        "case_manager": case_manager,
        "other_case_manager": make_staff("cm.bravo", Role.CASE_MANAGER, first_name="Blake"),
        "blocked": make_staff("sup.delta", Role.SUPERVISOR, first_name="Dana"),
        "supervisor": make_staff("sup.charlie", Role.SUPERVISOR, first_name="Charlie"),
        "administrator": make_staff("admin.echo", Role.ADMINISTRATOR, first_name="Emery"),
    }
    blocker = make_staff("admin.foxtrot", Role.ADMINISTRATOR, first_name="Fran")
    youth = admit_youth(case_manager, preferred_name=CANARY_NAME, client_id=CANARY_CLIENT_ID)
    Plan.objects.filter(youth=youth).update(
        strengths=CANARY_WORDS, youth_words=CANARY_WORDS, next_review_on=date(2026, 1, 5)
    )
    youth = Youth.objects.select_related("plan").get(pk=youth.pk)
    block = record_block_create(
        by=blocker, staff=users["blocked"], youth=youth, reason="Fictional: a neighbour."
    )
    now = timezone.now()
    restriction = make_restriction(
        youth,
        case_manager,
        approval="pending",
        reason=CANARY_WORDS,
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(days=9),
    )
    version = draft(social_media(), case_manager)
    contribution(version, case_manager, youth=youth, credit=CreditConsent.ANONYMOUS)
    version = policy_version_submit(version=version, revision=version.revision, by=case_manager)
    contact = help_contact_add(
        plan=youth.plan,
        by=case_manager,
        kind="family",
        name=f"Aunt of {CANARY_NAME}",
        how_to_reach="555-0100 (fictional)",
    )
    category = Category.objects.get(key="social-media")
    session = DeviceSession(youth=youth, category=category, checked_out_by=case_manager)
    session.full_clean()
    session.save()
    access_request = AccessRequest(
        youth=youth,
        kind=RequestKind.choices[0][0],
        reason=CANARY_WORDS,
        minutes=30,
        requested_by=case_manager,
    )
    access_request.save()
    access_request.categories.set([category])
    export = ExportRecord.objects.order_by("pk").first()
    training = training_record_add(
        staff=case_manager,
        by=case_manager,
        course_name="Fictional workshop",
        completed_on=date(2026, 1, 5),
        hours=Decimal("2"),
    )
    return World(
        users=users,
        youth=youth,
        objects={
            "youth_id": youth,
            "plan_id": youth.plan,
            "restriction_id": restriction,
            "policy_id": Policy.objects.get(pk=version.policy_id),
            "version_id": version,
            "contact_id": contact,
            "session_id": session,
            "request_id": access_request,
            "block": block,
            "export": export,
            "record_id": training,
            "report": "plans",
            "export_format": "csv",
        },
    )


@contextmanager
def rolled_back(client: Client) -> Iterator[None]:
    """Whatever the request changes is undone, its cookies included (a sign-out)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
            client.cookies = cookies


def send(client: Client, method: str, path: str) -> HttpResponse:
    """One request whose effects are rolled back; the response is read to the end."""
    with rolled_back(client):
        response = getattr(client, method)(path)
        if response.streaming:
            response.content_bytes = b"".join(response.streaming_content)
        else:
            response.content_bytes = response.content
        return response
