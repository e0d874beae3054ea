#!/usr/bin/env python
"""Server time and query count of the busiest pages, on PostgreSQL at agency scale.

Prepare a separate database once (20,000 youth, 5,000 current, 100 staff,
60,000 restrictions, 40 policies with 400 versions):
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/shelter_bench
    createdb -h 127.0.0.1 -U postgres shelter_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_agency
Then run:
    .venv/bin/python scripts/bench_pages.py [--repeat 30] [--only youth-list] [--slowest 3]

Each page is requested in this process through Django's test Client, signed in
as a seeded persona (supervisors and administrators with their second step
marked done, as after a real sign-in), with production settings (DEBUG off;
static files collected first, as a deployment does).
After warm-up requests it times `--repeat` requests (the whole response, a
streamed export read to its end) and prints the median, the 95th percentile,
the median time to the first byte of the body (what a browser waits for
before a download starts), the median CPU time of this process (Python's
share, without PostgreSQL's: steadier than wall time on a busy machine) and
the number of queries (the same on every
request, or a range).
"""

import argparse
import logging
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "b" * 48)
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()
# force_login answers with django-axes' INFO lines: keep the table readable.
logging.getLogger("axes").setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from plans.models import Youth  # noqa: E402
from policies.models import PolicyVersion, Status  # noqa: E402
from shelter.models import User  # noqa: E402
from shelter.roles import Role  # noqa: E402

TARGET_MS = 150
BOARD_TARGET_MS = 300


@dataclass
class Page:
    name: str
    user: User
    url: str
    data: dict[str, str] | None = None  # POSTed when given
    target_ms: int = TARGET_MS
    times: list[float] = field(default_factory=list)
    first_bytes: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    size: int = 0


def signed_in(user: User) -> Client:
    """A client signed in as `user`, its second step done if the product has one."""
    client = Client()
    device = None
    if "django_otp" in settings.INSTALLED_APPS and user.role in (
        Role.SUPERVISOR,
        Role.ADMINISTRATOR,
    ):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # A bench-only authenticator (a seeded, fictional account on a bench database).
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Bench authenticator", defaults={"confirmed": True}
        )
    client.force_login(user)
    if device is not None:
        from django_otp import DEVICE_ID_SESSION_KEY

        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def fetch(client: Client, page: Page) -> tuple[float, float]:
    """Milliseconds to the first byte of the body and to its end."""
    started = time.perf_counter()
    post = page.data is not None
    response = client.post(page.url, page.data) if post else client.get(page.url)
    if response.status_code != 200:
        sys.exit(f"{page.name}: answered {response.status_code} ({response.get('Location')})")
    if response.streaming:
        parts = iter(response.streaming_content)
        page.size = len(next(parts, b""))
        first = time.perf_counter()
        page.size += sum(len(part) for part in parts)
    else:
        first = time.perf_counter()
        page.size = len(response.content)
    response.close()
    return (first - started) * 1000, (time.perf_counter() - started) * 1000


def measure(page: Page, *, repeat: int, warm_up: int, slowest: int) -> None:
    client = signed_in(page.user)
    for _ in range(warm_up):
        fetch(client, page)
    for _ in range(repeat):
        cpu = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            first, total = fetch(client, page)
        page.cpu.append((time.process_time() - cpu) * 1000)
        page.first_bytes.append(first)
        page.times.append(total)
        page.queries.append(len(queries.captured_queries))
    if slowest:
        page.slowest = sorted(
            ((float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries),
            reverse=True,
        )[:slowest]


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def personas() -> dict[str, Any]:
    """The busiest current youth (most restrictions) on a case manager's caseload,
    that case manager, a supervisor who did not write the submitted version, the administrator."""
    youth = (
        Youth.objects.current()
        .filter(case_manager__groups__name=Role.CASE_MANAGER.group_name)
        .annotate(restriction_count=Count("plan__restrictions"))
        .order_by("-restriction_count", "pk")
        .select_related("case_manager")
        .first()
    )
    if youth is None:
        sys.exit("No current youth: run `manage.py seed_agency` on this database first.")
    version = (
        PolicyVersion.objects.filter(status=Status.SUBMITTED)
        .order_by("policy__position", "pk")
        .first()
    )
    supervisor = User.objects.with_role(Role.SUPERVISOR).exclude(pk=version.created_by_id).first()
    return {
        "youth": youth,
        "case_manager": youth.case_manager,
        "supervisor": supervisor,
        "administrator": User.objects.with_role(Role.ADMINISTRATOR).first(),
        "version": version,
    }


def pages() -> list[Page]:
    who = personas()
    youth, case_manager, supervisor = who["youth"], who["case_manager"], who["supervisor"]
    export = reverse(
        "reports:register-download", kwargs={"report": "plans", "export_format": "csv"}
    )
    result = [
        Page("youth list, a caseload", case_manager, reverse("plans:youth-list")),
        Page("youth list, all current", supervisor, reverse("plans:youth-list")),
        Page("youth page", case_manager, reverse("plans:youth-detail", args=[youth.pk])),
        Page("plan edit page", case_manager, reverse("plans:plan-edit", args=[youth.pk])),
    ]
    try:
        board = reverse("desk:board")
    except NoReverseMatch:
        print("(desk:board is not in the URLs yet: skipped)")
    else:
        result.append(Page("house board", supervisor, board, target_ms=BOARD_TARGET_MS))
    result += [
        Page(
            "policy version review",
            supervisor,
            reverse("policies:version-review", args=[who["version"].pk]),
        ),
        Page("plans CSV, current youth", who["administrator"], export, data={}),
        Page("plans CSV, all youth", who["administrator"], export, data={"status": "all"}),
    ]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warm-up", type=int, default=3)
    parser.add_argument("--only", help="run only the pages whose name contains this")
    parser.add_argument(
        "--slowest", type=int, default=0, help="also print each page's N slowest queries"
    )
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database seeded with seed_agency.")
    # Production settings serve hashed static files: pages need the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)

    counts = Youth.objects.aggregate(
        all=Count("pk"), current=Count("pk", filter=Q(discharged_on__isnull=True))
    )
    print(
        f"{counts['all']} youth ({counts['current']} current), {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
        f"{arguments.repeat} requests per page after {arguments.warm_up} warm-up"
    )
    chosen = [p for p in pages() if not arguments.only or arguments.only in p.name]
    header = (
        f"{'page':<26} {'median ms':>9} {'p95 ms':>8} {'1st byte':>8} {'app CPU':>8} "
        f"{'queries':>8} {'KB':>7}"
        "  target (median)"
    )
    print(header)
    print("-" * len(header))
    for page in chosen:
        measure(page, repeat=arguments.repeat, warm_up=arguments.warm_up, slowest=arguments.slowest)
        median = statistics.median(page.times)
        low, high = min(page.queries), max(page.queries)
        queries = str(low) if low == high else f"{low}-{high}"
        verdict = "ok" if median < page.target_ms and low == high else "MISSED"
        print(
            f"{page.name:<26} {median:>9.1f} {p95(page.times):>8.1f} "
            f"{statistics.median(page.first_bytes):>8.1f} {statistics.median(page.cpu):>8.1f} "
            f"{queries:>8} "
            f"{page.size / 1024:>7.0f}  < {page.target_ms} ms: {verdict}"
        )
        for milliseconds, sql in page.slowest:
            print(f"    {milliseconds:7.1f} ms  {sql[:300]}")


if __name__ == "__main__":
    main()
