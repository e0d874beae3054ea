#!/usr/bin/env python
"""Benchmark of the plans register export against PostgreSQL's own COPY.

Prepare a separate database once:
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/shelter_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_many_youth --count 100000
Then run (one format per process, so each peak memory figure is its own):
    .venv/bin/python scripts/bench_exports.py            # CSV
    .venv/bin/python scripts/bench_exports.py --format xlsx

It downloads the plans register through the real view (test client, signed in as
a bench administrator, every youth: status=all), discarding the bytes as they
stream, then times `COPY (the same joins, rules aggregated in SQL) TO STDOUT WITH
CSV`. It prints both times, the ratio, and the process's memory: resident size
when idle (after a small warm-up export) and the peak (ru_maxrss) after the run.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shelter.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "b" * 48)
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from shelter.models import User  # noqa: E402
from shelter.roles import Role  # noqa: E402
from shelter.services import staff_create  # noqa: E402

COPY_SQL = """
COPY (
  SELECT y.client_id, y.preferred_name, u.first_name || ' ' || u.last_name,
         y.admitted_on, y.discharged_on, p.risk_level, p.risk_assessed_at, p.next_review_on,
         p.next_review_on < CURRENT_DATE,
         (SELECT string_agg(
                   c.name || ': ' || coalesce(nullif(concat_ws(', ',
                     CASE WHEN r.supervised THEN 'supervised' END,
                     (SELECT string_agg(to_char(w.start_time, 'HH24:MI') || '–'
                                        || to_char(w.end_time, 'HH24:MI'), ', '
                                        ORDER BY w.start_time, w.id)
                        FROM plans_timewindow w WHERE w.rule_id = r.id),
                     r.daily_limit_minutes || ' min a day'), ''), 'free use'),
                   '; ' ORDER BY c.position, c.name)
            FROM plans_accessrule r JOIN plans_category c ON c.id = r.category_id
           WHERE r.plan_id = p.id AND c.is_active),
         (SELECT string_agg(x.kind || ' until ' || x.ends_at::text, '; ' ORDER BY x.ends_at)
            FROM plans_restriction x
           WHERE x.plan_id = p.id AND x.approval IN ('not_needed', 'approved')
             AND x.starts_at <= now() AND x.ends_at > now()
             AND (x.lifted_at IS NULL OR x.lifted_at > now()))
    FROM plans_youth y
    JOIN shelter_user u ON u.id = y.case_manager_id
    JOIN plans_plan p ON p.youth_id = y.id
   ORDER BY y.preferred_name, y.client_id, y.id
) TO STDOUT WITH CSV HEADER
"""

# The same output with the rules aggregated by GROUP BY joins instead of
# correlated subqueries: the fastest plan we found for PostgreSQL to do it alone.
COPY_GROUPED_SQL = """
COPY (
  WITH win AS (
    SELECT rule_id,
           string_agg(to_char(start_time, 'HH24:MI') || '–' || to_char(end_time, 'HH24:MI'),
                               ', ' ORDER BY start_time, id) AS text
      FROM plans_timewindow GROUP BY rule_id),
  rules AS (
    SELECT r.plan_id, string_agg(c.name || ': ' || coalesce(nullif(concat_ws(', ',
             CASE WHEN r.supervised THEN 'supervised' END, win.text,
             r.daily_limit_minutes || ' min a day'), ''), 'free use'),
             '; ' ORDER BY c.position, c.name) AS text
      FROM plans_accessrule r JOIN plans_category c ON c.id = r.category_id
      LEFT JOIN win ON win.rule_id = r.id
     WHERE c.is_active GROUP BY r.plan_id),
  res AS (
    SELECT plan_id, string_agg(kind || ' until ' || ends_at::text, '; ' ORDER BY ends_at) AS text
      FROM plans_restriction
     WHERE approval IN ('not_needed', 'approved') AND starts_at <= now() AND ends_at > now()
       AND (lifted_at IS NULL OR lifted_at > now())
     GROUP BY plan_id)
  SELECT y.client_id, y.preferred_name, u.first_name || ' ' || u.last_name,
         y.admitted_on, y.discharged_on, p.risk_level, p.risk_assessed_at, p.next_review_on,
         p.next_review_on < CURRENT_DATE, rules.text, res.text
    FROM plans_youth y
    JOIN shelter_user u ON u.id = y.case_manager_id
    JOIN plans_plan p ON p.youth_id = y.id
    LEFT JOIN rules ON rules.plan_id = p.id
    LEFT JOIN res ON res.plan_id = p.id
   ORDER BY y.preferred_name, y.client_id, y.id
) TO STDOUT WITH CSV HEADER
"""


class Sink:
    """Counts bytes written by COPY without keeping them."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes | str) -> int:
        self.size += len(data)
        return len(data)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_admin() -> User:
    user = User.objects.filter(username="bench.admin").first()
    if user is None:
        user = staff_create(
            username="bench.admin",
            password=None,  # type: ignore[arg-type]  # unusable: this account never signs in
            role=Role.ADMINISTRATOR,
            first_name="Bench",
            last_name="Administrator",
        )
    return user


def export(client: Client, export_format: str, data: dict[str, str]) -> tuple[int, float]:
    url = reverse(
        "reports:register-download", kwargs={"report": "plans", "export_format": export_format}
    )
    started = time.perf_counter()
    response = client.post(url, data)
    assert response.status_code == 200, response.status_code
    size = 0
    for part in response.streaming_content:
        size += len(part)
    if hasattr(response, "close"):
        response.close()
    return size, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    arguments = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database seeded with seed_many_youth.")

    client = Client()
    client.force_login(bench_admin())
    youth = connection.cursor()
    youth.execute("SELECT count(*) FROM plans_youth")
    (count,) = youth.fetchone()

    # Warm-up: imports, URL resolution, template-free code paths, one small file.
    some = User.objects.case_managers().first()
    export(client, arguments.format, {"status": "all", "case_manager": str(some.pk)})
    idle = rss_mb()
    peak_before = peak_mb()

    size, django_seconds = export(client, arguments.format, {"status": "all"})
    peak = peak_mb()

    def copy(sql: str) -> tuple[int, float]:
        sink = Sink()
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.copy_expert(sql, sink)
            return sink.size, time.perf_counter() - started

    copy_size, copy_seconds = copy(COPY_SQL)
    grouped_size, grouped_seconds = copy(COPY_GROUPED_SQL)

    print(f"youth in the database:        {count}")
    print(f"export format:                {arguments.format}")
    print(f"Django export:                {django_seconds:.2f} s, {size / 1e6:.1f} MB")
    print(f"COPY, correlated subqueries:  {copy_seconds:.2f} s, {copy_size / 1e6:.1f} MB")
    print(f"COPY, grouped joins:          {grouped_seconds:.2f} s, {grouped_size / 1e6:.1f} MB")
    print(f"ratio Django / COPY:          {django_seconds / copy_seconds:.2f}x (subqueries)")
    print(
        f"ratio Django / fastest COPY:  {django_seconds / min(copy_seconds, grouped_seconds):.2f}x"
    )
    print(f"RSS when idle:                {idle:.1f} MB (peak so far {peak_before:.1f} MB)")
    print(f"peak RSS after the export:    {peak:.1f} MB")
    print(f"peak above idle:              {peak - idle:.1f} MB")


if __name__ == "__main__":
    main()
