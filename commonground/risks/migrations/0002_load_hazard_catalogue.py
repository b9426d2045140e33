"""Load the hazard catalogue from data/hazards.json (a frozen copy is not needed: codes are stable)."""

from django.db import migrations


def load(apps, schema_editor):
    from commonground.risks.choices import hazard_catalogue

    Hazard = apps.get_model("risks", "Hazard")
    for row in hazard_catalogue():
        Hazard.objects.update_or_create(
            community=None,
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "national_risk_index": row["nri"],
                "lifelines": row["lifelines"],
            },
        )


def unload(apps, schema_editor):
    apps.get_model("risks", "Hazard").objects.filter(community=None).delete()


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
