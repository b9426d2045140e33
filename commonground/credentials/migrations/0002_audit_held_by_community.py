"""Hold the credential program's existing audit entries in their community (`audit_community`), as new ones
are: read only by that community's co-chairs and the facilitators."""

from django.db import migrations
from django.db.models import F

MODELS = (
    "program", "restrictedarea", "signingkey", "facility", "nomination", "credential", "activation",
    "credentialcheck",
)  # fmt: skip


def hold(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("core", "AuditEntry")
    types = ContentType.objects.filter(app_label="credentials", model__in=MODELS)
    entries = AuditEntry.objects.filter(content_type__in=types)
    entries.update(
        tlp="TLP:AMBER",
        whole_record=True,
        owner_id=None,
        person_id=None,
        record_community_id=F("community_id"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0001_initial"),
        ("core", "0005_unfinished_import"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(hold, migrations.RunPython.noop)]
