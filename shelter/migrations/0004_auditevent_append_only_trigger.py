"""On PostgreSQL, refuse UPDATE and DELETE on the audit trail in the database itself.

The application already refuses; the trigger also stops a raw SQL session or a
future bug. TRUNCATE is left alone: test runs empty the tables that way.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION shelter_auditevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- No percent sign in this text: the database driver would read it as a placeholder.
    RAISE EXCEPTION USING MESSAGE = 'The audit trail is append-only: ' || TG_OP || ' refused';
END;
$$;
CREATE TRIGGER shelter_auditevent_append_only
BEFORE UPDATE OR DELETE ON shelter_auditevent
FOR EACH ROW EXECUTE FUNCTION shelter_auditevent_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS shelter_auditevent_append_only ON shelter_auditevent;
DROP FUNCTION IF EXISTS shelter_auditevent_refuse_change();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("shelter", "0003_auditevent")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
