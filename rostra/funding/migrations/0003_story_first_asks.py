from django.db import migrations, models

import rostra.funding.models


class Migration(migrations.Migration):
    """Story first (#17): one switch per position, the banner above the body and the ask
    after it; the old single switch becomes the one after the body. The ask (#17): preset
    amounts and monthly preselected."""

    dependencies = [("funding", "0002_donors")]

    operations = [
        migrations.RenameField("fundingsettings", "show_support_blocks", "show_end_ask"),
        migrations.AlterField(
            model_name="fundingsettings",
            name="show_end_ask",
            field=models.BooleanField(
                default=True,
                help_text="The full ask (amounts, once or monthly, other ways to give) after the body.",
                verbose_name="show the ask after articles",
            ),
        ),
        migrations.AddField(
            model_name="fundingsettings",
            name="show_banner",
            field=models.BooleanField(
                default=True,
                help_text="One line above the article body: the goal sentence and “Support us”.",
                verbose_name="show the banner above articles",
            ),
        ),
        migrations.AddField(
            model_name="fundingsettings",
            name="amount_presets",
            field=models.CharField(
                default="5, 10, 25, 50",
                help_text="The amounts offered as buttons in the campaign currency, comma-separated.",
                max_length=200,
                validators=[rostra.funding.models.validate_amount_presets],
                verbose_name="preset amounts",
            ),
        ),
        migrations.AddField(
            model_name="fundingsettings",
            name="monthly_preselected",
            field=models.BooleanField(
                default=False,
                help_text="The ask offers “Monthly” first instead of “Once”.",
                verbose_name="monthly preselected",
            ),
        ),
        migrations.AlterField(
            model_name="fundingsettings",
            name="support_text",
            field=models.TextField(
                blank=True,
                default="We are funded by our readers. If our work matters to you, please chip in.",
                help_text="Under the ask's headline: what a gift makes possible.",
                verbose_name="what your support pays for",
            ),
        ),
    ]
