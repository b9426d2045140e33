"""The R*Tree and FTS5 tables on SQLite, the GiST and GIN indexes on PostgreSQL (see resources/spatial.py)."""

from django.db import migrations

from commonground.resources.spatial import create_indexes, drop_indexes


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
