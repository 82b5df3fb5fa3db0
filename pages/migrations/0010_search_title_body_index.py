from django.db import migrations

# Site search on PostgreSQL matches `title || body` of Wagtail's search index (the database
# backend concatenates the two vectors, then applies the query): the GIN indexes Wagtail puts
# on each column apart cannot serve that expression. Without an index on the expression itself
# the planner estimates one match, and a common word at scale takes seconds (issue #7).
CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS pages_indexentry_title_body_gin "
    "ON wagtailsearch_indexentry USING gin ((title || body))"
)
DROP_INDEX = "DROP INDEX IF EXISTS pages_indexentry_title_body_gin"


class PostgreSQLOnly(migrations.RunSQL):
    """SQL run on PostgreSQL only: on SQLite the search index is an FTS5 table of its own."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0009_story_newest_first_index"),
        ("wagtailsearch", "0006_customise_indexentry"),  # the title and body vectors
    ]

    operations = [PostgreSQLOnly(sql=CREATE_INDEX, reverse_sql=DROP_INDEX)]
