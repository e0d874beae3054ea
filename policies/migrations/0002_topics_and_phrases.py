from django.db import migrations

TOPICS = [
    ("social-media", "Social media", "Posting, messaging and browsing on social networks."),
    ("internet", "Internet", "The open web, Wi-Fi and the agency's network."),
    ("mobile-devices", "Mobile devices", "Phones, tablets and other devices youth carry."),
    ("gaming", "Gaming", "Games, especially those with chat or other players."),
    (
        "other-networked-technology",
        "Other networked technology",
        "Smart watches, streaming sticks, and anything else that connects.",
    ),
]

PHRASES = [
    ("under no circumstances", "A blanket ban: says there is no path back."),
    ("zero tolerance", "Zero-tolerance rules push youth away; prefer harm reduction."),
    ("immediate expulsion", "Losing shelter puts youth at higher risk of trafficking."),
    ("strictly prohibited", "A blanket ban: say for how long and how access comes back."),
    ("will be banned", "Say for how long, and how the youth can regain access."),
    ("permanently banned", "No path back: restrictions should always end."),
    ("no exceptions", "Leaves no room for a youth's own plan."),
    ("immediately confiscated", "Taking a phone cuts youth off from safe people and services."),
]


def seed(apps, schema_editor):
    Policy = apps.get_model("policies", "Policy")
    FlaggedPhrase = apps.get_model("policies", "FlaggedPhrase")
    for position, (key, title, description) in enumerate(TOPICS, start=1):
        Policy.objects.get_or_create(
            key=key, defaults={"title": title, "description": description, "position": position * 10}
        )
    for phrase, explanation in PHRASES:
        FlaggedPhrase.objects.get_or_create(phrase=phrase, defaults={"explanation": explanation})


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
