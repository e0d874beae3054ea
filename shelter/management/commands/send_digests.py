from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shelter.digests import digest_send_all


class Command(BaseCommand):
    help = (
        "Email each staff member the digest of their day: what is due, waiting or "
        "overdue, in counts and links. Meant for cron; safe to run again the same day "
        "(what went out is not sent twice, what failed is tried again)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = digest_send_all(today=timezone.localdate())
        # Numbers only: cron mails or logs this output.
        self.stdout.write(
            f"Digests: {run.sent} sent, {run.failed} failed, {run.skipped} already sent "
            f"or being sent, {run.nothing_due} with nothing to do."
        )
        if run.failed:
            raise CommandError(
                f"{run.failed} digest(s) could not be sent; the next run tries them again."
            )
