from django.db import migrations, models


class Migration(migrations.Migration):
    """Restrictions in force now or waiting for a decision are found by their end
    (ends_at > now) without reading every restriction ever imposed."""

    dependencies = [("plans", "0004_helplines")]

    operations = [
        migrations.AddIndex(
            model_name="restriction",
            index=models.Index(fields=["ends_at"], name="restriction_ends_at_idx"),
        ),
    ]
