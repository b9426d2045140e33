"""PostgreSQL: each resource's words, one row each with its name and key, in a table kept by triggers, in an index
in word and name order: a text search's page reads its matches from it (`resources.spatial.WORD_TABLE`)."""

from django.db import migrations

from commonground.resources.spatial import add_word_table, drop_word_table


class Migration(migrations.Migration):
    dependencies = [("resources", "0011_resource_search_cover")]

    operations = [migrations.RunPython(add_word_table, drop_word_table)]
