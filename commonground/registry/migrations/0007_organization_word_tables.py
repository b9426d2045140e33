"""Each organization's name and key under the words of its name, city and ZIP code, in a table kept by triggers,
in an index in word (SQLite: a word's start) and name order: a text search's page for a common word reads its
matches from it (`registry.search.text_search`). SQLite's head table (`core.word_heads`); PostgreSQL's word
table (`core.textsearch.word_table_sql`)."""

from django.db import migrations

from commonground.registry.search import add_head_table, add_word_table, drop_head_table, drop_word_table


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_organization_filter_name_indexes")]

    operations = [
        migrations.RunPython(add_head_table, drop_head_table),
        migrations.RunPython(add_word_table, drop_word_table),
    ]
