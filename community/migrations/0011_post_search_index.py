"""GIN index and backfill for forum search, on PostgreSQL only (SQLite searches plainly)."""

from django.db import migrations

INDEX = "post_search_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON community_post USING gin (search_vector)"
    )
    schema_editor.execute(
        "UPDATE community_post p SET search_vector = "
        "setweight(to_tsvector('simple', t.title), 'A') || "
        "setweight(to_tsvector('simple', p.body), 'B') "
        "FROM community_topic t WHERE t.id = p.topic_id"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("community", "0010_post_search_vector")]

    operations = [migrations.RunPython(forwards, backwards)]
