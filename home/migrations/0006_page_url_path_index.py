"""An index on Wagtail's ``url_path``, which ``home.routing`` looks pages up by.

Without it, finding a page by its URL reads every row of the page table (10,000
procedures on a provincial catalogue). PostgreSQL gets a hash index: a B-tree refuses
values longer than about 2,700 bytes, and a deep page with long slugs could reach that;
lookups are by equality only. SQLite has no hash index, and no such limit.
"""

from django.db import migrations

INDEX = "portal_page_url_path"


def create_index(apps, schema_editor):
    method = "USING hash " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page {method}(url_path)"
    )


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_review_fixes"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
