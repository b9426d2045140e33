"""SQLite: each resource's name and key under each start of its words, in a table kept by triggers, in an index in
start and name order: a text search's page for a common word reads its matches from it
(`resources.spatial.HEAD_TABLE`, `core.word_heads`)."""

from django.db import migrations

from commonground.resources.spatial import add_head_table, drop_head_table


class Migration(migrations.Migration):
    dependencies = [("resources", "0012_resource_word_table")]

    operations = [migrations.RunPython(add_head_table, drop_head_table)]
