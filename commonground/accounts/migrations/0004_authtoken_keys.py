"""Carry the keys of DRF's authtoken table (the API's tokens before named, expiring ones) into ApiToken.

Each becomes a token named "Token from before" expiring API_TOKEN_DEFAULT_DAYS after the migration, kept as
its SHA-256 like every other, so the programs that use one keep working until then. The old table is left
as it is (the authtoken app is no longer installed); drop it by hand once the keys are carried over.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def carry_keys(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if "authtoken_token" not in connection.introspection.table_names(cursor):
            return
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="Token from before",
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            prefix=key[:10],
            created_at=created or timezone.now(),
            expires_at=expires,
        )
        for key, user_id, created in rows
        if not ApiToken.objects.filter(key_hash=hashlib.sha256(key.encode()).hexdigest()).exists()
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_profile_sessions_tokens")]

    operations = [migrations.RunPython(carry_keys, migrations.RunPython.noop)]
