"""A whole fictional agency for the page benchmarks and the load test:
`seed_agency` (20,000 youth, 5,000 current, 100 staff, 60,000 restrictions,
40 policies with 400 versions), `--scale 0.01` for a small one."""

import os
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from reports.seeding import (
    FIXED_SEED,
    AgencySize,
    agency_has_other_youth,
    agency_seed_exists,
    seed_agency,
)
from shelter.models import User

PASSWORD_VARIABLE = "SEED_STAFF_PASSWORD"  # noqa: S105 - the variable's name, not a password


class Command(BaseCommand):
    help = (
        "Seed a fictional agency at scale (bulk inserts, fixed seed, client IDs SEED-…) "
        "on an empty database. Staff cannot sign in unless --password-from-env is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 is the full agency; 0.01 a hundredth."
        )
        parser.add_argument("--seed", type=int, default=FIXED_SEED)
        parser.add_argument(
            "--password-from-env",
            action="store_true",
            help=f"Give every seeded staff account the password in ${PASSWORD_VARIABLE}.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though the database holds youth that are not seed data.",
        )

    def handle(self, *args: Any, scale: float, seed: int, **options: Any) -> None:
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        if agency_seed_exists():
            raise CommandError("This database is already seeded: use a fresh database.")
        if agency_has_other_youth() and not options["force"]:
            raise CommandError(
                "This database holds youth that are not seed data. Seed a separate "
                "database (or pass --force if you are sure)."
            )
        password_hash = None
        if options["password_from_env"]:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            try:
                validate_password(password, user=User(username="seed.cm001"))
            except ValidationError as error:
                raise CommandError(f"${PASSWORD_VARIABLE}: " + "; ".join(error.messages)) from None
            # One hash for every account: hashing 100 times would take most of the run.
            password_hash = make_password(password)
        size = AgencySize.at_scale(scale)
        started = time.perf_counter()
        agency = seed_agency(size=size, password_hash=password_hash, seed=seed)
        if connection.vendor == "postgresql":
            # Fresh statistics, so the first benchmark does not meet a planner guessing.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        staff = len(agency.case_managers) + len(agency.supervisors) + 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {seconds:.1f} s: {agency.youth} youth ({agency.current} current), "
                f"{staff} staff, {agency.restrictions} restrictions, {agency.policies} policies "
                f"with {agency.versions} versions. All fictional."
            )
        )
        if password_hash:
            self.stdout.write(
                f"Staff sign in as seed.cm001…, seed.sup01…, seed.admin with ${PASSWORD_VARIABLE}."
            )
