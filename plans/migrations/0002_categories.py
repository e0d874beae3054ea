from django.db import migrations

CATEGORIES = [
    ("social-media", "Social media", "Posting, messaging and browsing on social networks."),
    ("messaging", "Messaging", "Texting and chat apps."),
    ("web-browsing", "Web browsing", "The open web."),
    ("online-gaming", "Online gaming", "Games with chat or other players."),
    ("video-streaming", "Video and streaming", "Watching or streaming video."),
    ("phone-possession", "Phone possession", "Keeping their own phone on them."),
    ("shelter-computers", "Shelter computers", "The agency's computers and tablets."),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("plans", "Category")
    for position, (key, name, description) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            key=key, defaults={"name": name, "description": description, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
