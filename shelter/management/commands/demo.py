from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shelter.demo import DEMO_ACCOUNTS, build_demo


class Command(BaseCommand):
    help = (
        "First look at the product: migrate the database, load fictional demo data and one "
        "account per role (printing their passwords), then start the development server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-server", action="store_true", help="Build the demo database and stop."
        )
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off. Run with DEBUG=true "
                "on a machine that holds no real records."
            )
        call_command("migrate", interactive=False, verbosity=0)
        _staff, passwords = build_demo()
        self.stdout.write(self.style.SUCCESS("Demo database ready. All records are fictional."))
        self.stdout.write("Sign in with one of these demo accounts:")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account.role.label:<14} username: {account.username:<18} "
                f"password: {passwords[account.username]}"
            )
        if settings.TWO_FACTOR_REQUIRED:
            self.stdout.write(
                "Two-step sign-in is on: supervisors and administrators set up an "
                "authenticator app at their first sign-in. For a quick look without it, run "
                "with TWO_FACTOR_REQUIRED=false (make demo does)."
            )
        else:
            self.stdout.write(
                "Two-step sign-in is off for this demo (TWO_FACTOR_REQUIRED=false, allowed "
                "only with DEBUG on): the passwords above are enough. Anyone can still turn "
                "it on for their account under Two-step sign-in."
            )
        if options["no_server"]:
            return
        self.stdout.write(f"Open http://{options['addrport']}/ in your browser.")
        call_command("runserver", options["addrport"], use_reloader=False)
