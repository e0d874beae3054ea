from django.db import migrations

# National US lines an agency starts from; administrators edit or add local ones.
HELPLINES = [
    (
        "National Human Trafficking Hotline",
        "Call 1-888-373-7888 or text 233733",
        "Free, confidential, 24 hours a day.",
    ),
    (
        "988 Suicide & Crisis Lifeline",
        "Call or text 988",
        "Someone to talk to in a crisis, 24 hours a day.",
    ),
    (
        "National Runaway Safeline",
        "Call 1-800-786-2929",
        "Help for youth who have run away or are thinking about it.",
    ),
]


def add_helplines(apps, schema_editor):
    Helpline = apps.get_model("plans", "Helpline")
    for position, (name, how, description) in enumerate(HELPLINES, start=1):
        Helpline.objects.get_or_create(
            name=name,
            defaults={"how_to_reach": how, "description": description, "position": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_units_blocks_help")]

    operations = [migrations.RunPython(add_helplines, migrations.RunPython.noop)]
