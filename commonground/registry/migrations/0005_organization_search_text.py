"""The words of each organization (name, city, ZIP code) in a text index: FTS5 on SQLite, a GIN-indexed
stored tsvector column on PostgreSQL."""

from django.db import migrations

from commonground.registry.search import add_text_index, drop_text_index


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_invitation_mail_status")]

    operations = [migrations.RunPython(add_text_index, drop_text_index)]
