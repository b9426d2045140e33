"""PostgreSQL: the words of each resource in a stored, generated tsvector column with its GIN index."""

from django.db import migrations

from commonground.resources.spatial import add_text_column, drop_text_column


class Migration(migrations.Migration):
    dependencies = [("resources", "0006_resource_incident_disclosure")]

    operations = [migrations.RunPython(add_text_column, drop_text_column)]
