import uuid

from django.db import migrations, models


def give_each_dossier_a_key(apps, schema_editor):
    """A unique column cannot be added with one default for existing rows."""
    Dossier = apps.get_model("forms_app", "Dossier")
    for dossier in Dossier.objects.filter(submission_key__isnull=True).only("pk"):
        Dossier.objects.filter(pk=dossier.pk).update(submission_key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("forms_app", "0002_dossier_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="wizard_state",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="dossier",
            name="submission_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_dossier_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dossier",
            name="submission_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="historicaldossier",
            name="submission_key",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.AddField(
            model_name="dossierfile",
            name="component_id",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicaldossierfile",
            name="component_id",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
    ]
