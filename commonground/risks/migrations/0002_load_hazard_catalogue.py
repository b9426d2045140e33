"""Load the hazard catalogue from data/hazards.json (a frozen copy is not needed: codes are stable)."""

from django.db import migrations


def load(apps, schema_editor):
    from commonground.risks.catalogue import hazard_catalogue_load

    hazard_catalogue_load(apps.get_model("risks", "Hazard").objects.using(schema_editor.connection.alias))


def unload(apps, schema_editor):
    apps.get_model("risks", "Hazard").objects.filter(community=None).delete()


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
