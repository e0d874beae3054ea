"""No GET changes the database: every URL of the project, opened by each role,
issues no INSERT, UPDATE or DELETE but these, which are expected:

- the session row (Django saves a session it changed; the idle timeout notes the
  time of the last request at most once a minute);
- audit rows for reading a youth's record or plan, and for a refused access (the
  issue asks for one row per view and per refusal).

Anything else written by a GET (a "mark as read", a counter, a lazily created
record) fails the test, with the statement.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shelter.models import AuditAction, AuditEvent
from tests.shelter.seeded_world import ROLES, World, rolled_back, seed_world

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)

# Tables a GET may write, and the audit actions a GET may record.
SESSION_TABLE = "django_session"
AUDIT_TABLE = AuditEvent._meta.db_table
AUDIT_ON_GET = {AuditAction.VIEW_YOUTH, AuditAction.VIEW_PLAN, AuditAction.ACCESS_REFUSED}


def unexpected_writes(statements: list[str]) -> list[str]:
    found = []
    for sql in statements:
        match = WRITE.match(sql)
        if match is None:
            continue
        verb, table = match.group(1).split()[0].upper(), match.group(2)
        if table == SESSION_TABLE and verb in ("INSERT", "UPDATE"):
            continue
        if table == AUDIT_TABLE and verb == "INSERT":
            continue  # which actions: checked against AUDIT_ON_GET
        found.append(sql[:160])
    return found


def test_the_check_sees_writes() -> None:
    assert unexpected_writes(['UPDATE "plans_plan" SET "strengths" = %s']) != []
    assert unexpected_writes(['INSERT INTO "shelter_auditevent" ("action") VALUES (%s)']) == []
    assert unexpected_writes(['UPDATE "django_session" SET "session_data" = %s']) == []
    assert unexpected_writes(['DELETE FROM "shelter_auditevent"']) != []
    assert unexpected_writes(['SELECT 1 FROM "plans_plan"']) == []


@pytest.fixture
def world() -> World:
    return seed_world()


@pytest.mark.parametrize("role", ROLES)
def test_no_get_changes_the_database(world: World, role: str) -> None:
    client = world.client(role)
    wrong: list[str] = []
    for endpoint in world.endpoints():
        with rolled_back(client):
            last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            with CaptureQueriesContext(connection) as queries:
                response = client.get(endpoint.path)
                if response.streaming:
                    b"".join(response.streaming_content)
            statements = [query["sql"] for query in queries.captured_queries]
            for sql in unexpected_writes(statements):
                wrong.append(f"{endpoint.name} ({endpoint.path}): {sql}")
            recorded = set(AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True))
            if recorded - AUDIT_ON_GET:
                wrong.append(f"{endpoint.name} ({endpoint.path}): audit {recorded - AUDIT_ON_GET}")
    assert not wrong, f"{role}: GET wrote to the database:\n" + "\n".join(wrong)
