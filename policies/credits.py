"""How a version credits the youth who shaped it: exactly as each consented.

Pure functions (no database): the caller passes the contributions' names and
consents, so the policy page, a report and a test all get the same words.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

# Most private last: a youth who gave several consents on one version is
# credited by the most private one, never more openly than they agreed.
_PRIVACY_ORDER = ("first_name", "initials", "anonymous")


@dataclass(frozen=True)
class Contributor:
    key: str  # one per youth (or pseudonym), to count each person once
    name: str  # preferred name or pseudonym
    credit: str  # "first_name" | "initials" | "anonymous"


@dataclass(frozen=True)
class Credits:
    named: list[str]
    anonymous: int

    @property
    def youth_count(self) -> int:
        return len(self.named) + self.anonymous

    @property
    def sentence(self) -> str:
        """'Written with Jo, A. B. and 2 youth who chose not to be named.'"""
        parts = list(self.named)
        if self.anonymous:
            parts.append(
                ngettext(
                    "%(count)s youth who chose not to be named",
                    "%(count)s youth who chose not to be named",
                    self.anonymous,
                )
                % {"count": self.anonymous}
            )
        if not parts:
            return ""
        listed = parts[0]
        if len(parts) > 1:
            listed = gettext("%(first)s and %(last)s") % {
                "first": ", ".join(parts[:-1]),
                "last": parts[-1],
            }
        return gettext("Written with %(listed)s.") % {"listed": listed}


def first_name(name: str) -> str:
    words = name.split()
    return words[0] if words else ""


def initials(name: str) -> str:
    """'Alex Brook' -> 'A. B.'; hyphenated parts count as one word."""
    return " ".join(f"{word[0].upper()}." for word in name.split() if word)


def credit_name(name: str, credit: str) -> str:
    """The words a youth agreed to be credited by; empty when not named."""
    if credit == "first_name":
        return first_name(name)
    if credit == "initials":
        return initials(name)
    return ""


def credits_for(contributors: Iterable[Contributor]) -> Credits:
    consent: dict[str, Contributor] = {}
    order: list[str] = []
    for person in contributors:
        known = consent.get(person.key)
        if known is None:
            order.append(person.key)
            consent[person.key] = person
        elif _PRIVACY_ORDER.index(person.credit) > _PRIVACY_ORDER.index(known.credit):
            consent[person.key] = person
    named: list[str] = []
    anonymous = 0
    for key in order:
        words = credit_name(consent[key].name, consent[key].credit)
        if words:
            named.append(words)
        else:
            anonymous += 1
    return Credits(named=named, anonymous=anonymous)
