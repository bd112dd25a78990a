from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0016_moderation_settings_and_picks_logged"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="vote_bumps",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
    ]
