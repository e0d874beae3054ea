"""The help a youth can always reach: the agency's helplines, their case manager
and the contacts named in their plan. No plan rule, window or restriction ever
removes it, so every page that says what a youth may do right now shows it."""

from dataclasses import dataclass

from plans.models import HelpContact, Helpline, Youth


@dataclass(frozen=True)
class AlwaysReachable:
    helplines: list[Helpline]
    case_manager: str  # a name only: staff contact details stay off the page
    contacts: list[HelpContact]


def always_reachable(youth: Youth) -> AlwaysReachable:
    """One query (the helplines) when the youth comes with its plan and the plan's
    current contacts prefetched as `help_contact_list` (see `with_help_contacts`),
    and case_manager selected; one more otherwise."""
    plan = youth.plan
    contacts = getattr(plan, "help_contact_list", None)
    if contacts is None:
        contacts = list(plan.help_contacts.current())
    return AlwaysReachable(
        helplines=list(Helpline.objects.active()),
        case_manager=str(youth.case_manager),
        contacts=contacts,
    )
