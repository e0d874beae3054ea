"""Fictional youth in bulk for the export benchmark: `seed_many_youth --count 100000`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.seeding import FIXED_SEED, seed_many_youth
from shelter.models import User
from shelter.roles import Role
from shelter.services import staff_create

BENCH_STAFF = [f"bench.cm{number}" for number in range(1, 6)]


class Command(BaseCommand):
    help = "Create many fictional youth with plans, rules and some restrictions (bulk, fixed seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=FIXED_SEED)

    def handle(self, *args: Any, count: int, seed: int, **options: Any) -> None:
        if count < 1:
            raise CommandError("--count must be at least 1.")
        staff = []
        for username in BENCH_STAFF:
            user = User.objects.filter(username=username).first()
            if user is None:
                # Unusable password: these accounts exist only to hold caseloads.
                user = staff_create(
                    username=username,
                    password=None,  # type: ignore[arg-type]
                    role=Role.CASE_MANAGER,
                    first_name="Bench",
                    last_name=f"Staff {username[-1]}",
                    email=f"{username}@example.org",
                )
            staff.append(user)
        created = seed_many_youth(count=count, case_managers=staff, imposed_by=staff[0], seed=seed)
        self.stdout.write(f"Created {created} fictional youth.")
