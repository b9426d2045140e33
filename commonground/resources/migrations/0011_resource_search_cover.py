from django.db import migrations

from commonground.resources.spatial import create_search_index, drop_search_index


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0010_resource_list_indexes_cover_visibility"),
    ]

    operations = [
        # SQLite only: what a text search reads of each match (spatial.SEARCH_INDEX).
        migrations.RunPython(create_search_index, drop_search_index),
    ]
