"""Case managers under load: reads (youth list, youth pages, plan pages) and plan edits.

Run through scripts/load_test.py, which starts the server, runs this headless and
then checks that every edit the app answered "saved" is in the database.
Settings come from the environment:

    SEED_STAFF_PASSWORD  the seeded staff password (seed_agency --password-from-env)
    LOAD_ACCOUNTS        how many case managers (seed.cm001…) the users sign in as;
                         fewer accounts than users means two sessions share a caseload,
                         so two people can edit the same plan at once (default 25)
    LOAD_RESULTS         where to write the saved edits and conflicts (JSON)

Each edit loads the plan form of one of the first five youth of the caseload,
waits a moment (typing), replaces `strengths` with a unique token and posts the
whole form back with the version it was loaded with. A redirect to the youth
page is "saved"; the page again with its conflict notice is a conflict (the app
refusing a stale save), counted apart from errors. This file imports no Django:
locust's gevent patches the standard library.
"""

import itertools
import json
import os
import re
import time
import uuid
from html.parser import HTMLParser
from secrets import choice
from typing import Any

from locust import HttpUser, between, events, task

YOUTH_LINK = re.compile(r'href="/youth/(\d+)/"')
ACCOUNTS = int(os.environ.get("LOAD_ACCOUNTS", "25"))
PASSWORD = os.environ.get("SEED_STAFF_PASSWORD", "")
numbers = itertools.count()
saved: list[dict[str, Any]] = []
conflicts: list[int] = []
# (when, milliseconds) of every request but the sign-in: the work, without the
# password hashing that the first seconds of a run are mostly made of.
work: list[tuple[float, float]] = []
SIGN_IN = {"sign-in page", "sign in"}
HOT_PLANS = 5


class FormFields(HTMLParser):
    """The fields of the page's form with `form_id`, as a browser would post them."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                self.fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>; the parser keeps it.
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


class CaseManager(HttpUser):
    wait_time = between(1, 2)

    def on_start(self) -> None:
        number = next(numbers) % ACCOUNTS + 1
        self.username = f"seed.cm{number:03d}"
        page = self.client.get("/accounts/login/", name="sign-in page")
        response = self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            name="sign in",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in ({response.status_code}).")
        listing = self.client.get("/youth/", name="youth list")
        self.caseload = sorted({int(pk) for pk in YOUTH_LINK.findall(listing.text)})
        if not self.caseload:
            raise RuntimeError(f"{self.username} has no current youth.")

    @task(3)
    def youth_list(self) -> None:
        self.client.get("/youth/", name="youth list")

    @task(4)
    def youth_page(self) -> None:
        self.client.get(f"/youth/{choice(self.caseload)}/", name="youth page")

    @task(2)
    def plan_page(self) -> None:
        self.client.get(f"/youth/{choice(self.caseload)}/plan/", name="plan page")

    @task(2)
    def plan_edit(self) -> None:
        # The plans being worked on this week: a few per caseload, so two sessions of
        # one account sometimes save the same plan and the app must refuse the stale one.
        youth_id = choice(self.caseload[:HOT_PLANS])
        url = f"/youth/{youth_id}/plan/"
        page = self.client.get(url, name="plan page")
        if page.status_code != 200:
            return
        time.sleep(choice([1, 2, 3]))  # typing (gevent-patched: other users go on)
        token = f"load-{uuid.uuid4().hex[:16]}"
        fields = [
            (name, f"Fictional load-test edit {token}" if name == "strengths" else value)
            for name, value in form_fields(page.text, "plan-form")
        ]
        with self.client.post(
            url, fields, name="plan save", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302 and response.headers.get("Location", "").endswith(
                f"/youth/{youth_id}/"
            ):
                saved.append({"youth": youth_id, "token": token})
                response.success()
            elif response.status_code == 200 and 'data-testid="conflict"' in response.text:
                conflicts.append(youth_id)
                response.success()  # the app refused a stale save: not an error
            else:
                response.failure(f"plan save answered {response.status_code}")


@events.request.add_listener
def note_work(name: str, response_time: float, **kwargs: Any) -> None:
    if name not in SIGN_IN:
        work.append((time.time(), response_time))


@events.test_stop.add_listener
def write_results(environment: Any, **kwargs: Any) -> None:
    path = os.environ.get("LOAD_RESULTS")
    if path:
        with open(path, "w") as out:
            json.dump({"saved": saved, "conflicts": len(conflicts), "work": work}, out)
