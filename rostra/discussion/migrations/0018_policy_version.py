import secrets

from django.db import migrations, models


def first_version(apps, schema_editor):
    # Random, as after every loss of the row (policy.forget_policies): a process can
    # never hold a policy made under a version that comes again.
    apps.get_model("discussion", "PolicyVersion").objects.create(pk=1, value=secrets.randbits(48))


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0017_thread_vote_bumps"),
    ]

    operations = [
        migrations.CreateModel(
            name="PolicyVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
