"""Encrypt the authenticator-app keys and recovery-code seeds stored before Rostra
sealed them (rostra.core.secret_box); reversible."""

from django.db import migrations

from rostra.core.secret_box import is_sealed, seal, unseal

SECRET_FIELDS = {"totp": ("secret",), "recovery_codes": ("seed",)}


def _convert(apps, change) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=SECRET_FIELDS).iterator():
        data = dict(authenticator.data)
        for field in SECRET_FIELDS[authenticator.type]:
            if isinstance(data.get(field), str):
                data[field] = change(data[field])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def seal_secrets(apps, schema_editor):
    _convert(apps, lambda value: value if is_sealed(value) else seal(value))


def unseal_secrets(apps, schema_editor):
    _convert(apps, unseal)


class Migration(migrations.Migration):
    dependencies = [
        ("rostra_core", "0004_worker_heartbeat_host"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal_secrets, unseal_secrets, elidable=False)]
