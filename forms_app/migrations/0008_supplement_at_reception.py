"""Whether a supplement request was made at the reception check (before the dossier is
received, no clock running) or while the dossier was being processed."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('forms_app', '0007_ended_dossiers_have_no_appointment'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsupplementrequest',
            name='at_reception',
            field=models.BooleanField(default=False, verbose_name='yêu cầu khi tiếp nhận hồ sơ'),
        ),
        migrations.AddField(
            model_name='supplementrequest',
            name='at_reception',
            field=models.BooleanField(default=False, verbose_name='yêu cầu khi tiếp nhận hồ sơ'),
        ),
    ]
