#!/usr/bin/env python
"""Load test: 50 case managers for 2 minutes against gunicorn (2 workers) on PostgreSQL.

Prepare a separate database once, with a known fictional staff password:
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/shelter_bench
    export SEED_STAFF_PASSWORD='…a fictional password, 12+ characters…'
    createdb -h 127.0.0.1 -U postgres shelter_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_agency --password-from-env
Then run (needs the `load` extra: .venv/bin/pip install -e '.[load]'):
    .venv/bin/python scripts/load_test.py [--users 50] [--minutes 2]

It collects static files, starts gunicorn on 127.0.0.1:8001 with production
settings (DEBUG off, a secret key, plain HTTP on the loopback), runs
scripts/loadtest/locustfile.py headless, stops the server, and then looks up
every edit the app answered "saved" in the plan or its history: nothing lost.
It prints requests per second, the 95th percentile, errors, conflicts (the app
refusing a stale save: not errors), saved edits and how many were found.
"""

import argparse
import csv
import json
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADDRESS = ("127.0.0.1", 8001)
TOKEN = re.compile(r"load-[0-9a-f]{16}")


def server_environment() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database seeded with seed_agency.")
    if len(env.get("SEED_STAFF_PASSWORD", "")) < 12:
        sys.exit("Set SEED_STAFF_PASSWORD to the password seed_agency --password-from-env set.")
    env.update(
        DJANGO_SETTINGS_MODULE="shelter.settings",
        DEBUG="false",
        HTTPS="false",
        ALLOWED_HOSTS=ADDRESS[0],
    )
    env.setdefault("SECRET_KEY", "load-test-only-secret-key-" + "l" * 48)
    return env


def wait_for_port(seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(ADDRESS) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer on {ADDRESS[0]}:{ADDRESS[1]}.")


def aggregated(stats_csv: Path) -> dict[str, str]:
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return row
    sys.exit(f"No aggregated row in {stats_csv}.")


def found_in_database(saved: list[dict[str, object]]) -> int:
    """How many saved tokens are in their youth's plan now or in its history."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from plans.models import Plan

    youth_ids = {edit["youth"] for edit in saved}
    stored: set[tuple[int, str]] = set()
    for youth_id, text in Plan.objects.filter(youth_id__in=youth_ids).values_list(
        "youth_id", "strengths"
    ):
        stored.update((youth_id, token) for token in TOKEN.findall(text))
    for youth_id, text in Plan.history.filter(
        youth_id__in=youth_ids, strengths__contains="load-"
    ).values_list("youth_id", "strengths"):
        stored.update((youth_id, token) for token in TOKEN.findall(text))
    return sum((edit["youth"], edit["token"]) in stored for edit in saved)


def work_figures(work: list[list[float]]) -> str:
    """Requests per second, median and p95 of the requests after sign-in."""
    if len(work) < 2:
        return "too few requests"
    moments = [moment for moment, _ in work]
    times = sorted(milliseconds for _, milliseconds in work)
    p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)]
    rate = len(work) / (max(moments) - min(moments))
    return (
        f"{len(work)} requests ({rate:.1f}/s), median {statistics.median(times):.0f} ms, "
        f"p95 {p95:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    env = server_environment()
    os.environ.update(env)

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    work = Path(tempfile.mkdtemp(prefix="load-test-"))
    server_log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(BIN / "gunicorn"),
            "shelter.wsgi",
            "--workers",
            str(arguments.workers),
            "--bind",
            f"{ADDRESS[0]}:{ADDRESS[1]}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    results = work / "results.json"
    try:
        wait_for_port()
        load_before = os.getloadavg()
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "scripts" / "loadtest" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://{ADDRESS[0]}:{ADDRESS[1]}",
                "--users",
                str(arguments.users),
                "--spawn-rate",
                "10",
                "--run-time",
                f"{int(arguments.minutes * 60)}s",
                "--csv",
                str(work / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**env, "LOAD_RESULTS": str(results)},
            check=False,
        )
        load_after = os.getloadavg()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server_log.close()

    stats = aggregated(work / "locust_stats.csv")
    outcome = json.loads(results.read_text())
    saved = outcome["saved"]
    found = found_in_database(saved)
    print()
    print(
        f"machine:           {os.cpu_count()} CPUs, load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after (1 min)"
    )
    print(
        f"users, duration:   {arguments.users} for {arguments.minutes:g} min, "
        f"gunicorn {arguments.workers} workers"
    )
    print(f"all requests:      {stats['Request Count']} ({float(stats['Requests/s']):.1f}/s)")
    print(
        f"median, p95, max:  {stats['50%']} ms, {stats['95%']} ms, "
        f"{float(stats['Max Response Time']):.0f} ms"
    )
    print(f"without sign-in:   {work_figures(outcome['work'])}")
    print(f"errors:            {stats['Failure Count']}")
    print(f"conflicts:         {outcome['conflicts']} (stale saves refused, not errors)")
    print(f"saved edits:       {len(saved)}")
    print(
        f"found in database: {found} of {len(saved)}"
        f"{' - nothing lost' if found == len(saved) else ' - EDITS LOST'}"
    )
    print(f"locust CSVs, server log: {work}")
    if found != len(saved) or stats["Failure Count"] != "0":
        sys.exit(1)


if __name__ == "__main__":
    main()
