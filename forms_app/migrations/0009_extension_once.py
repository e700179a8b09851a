"""An appointment is moved at most once: the appointment an extension replaced is kept
on the dossier. Dossiers extended before this field existed get it from their history
(the appointment they had just before their first extension), so they cannot be
extended again."""

from django.db import migrations, models


def fill_extended_from(apps, schema_editor):
    Dossier = apps.get_model("forms_app", "Dossier")
    DossierEvent = apps.get_model("forms_app", "DossierEvent")
    HistoricalDossier = apps.get_model("forms_app", "HistoricalDossier")
    first_extensions = {}
    for dossier_id, created_at in (
        DossierEvent.objects.filter(kind="deadline_extended")
        .order_by("created_at", "pk")
        .values_list("dossier_id", "created_at")
    ):
        first_extensions.setdefault(dossier_id, created_at)
    for dossier_id, extended_at in first_extensions.items():
        before = (
            HistoricalDossier.objects.filter(
                id=dossier_id, history_date__lt=extended_at, due_at__isnull=False
            )
            .order_by("-history_date", "-history_id")
            .values_list("due_at", flat=True)
            .first()
        )
        dossier = Dossier.objects.filter(pk=dossier_id).first()
        if dossier is None:
            continue
        # Without a history row, the current appointment stands for the one replaced:
        # what matters is that the dossier was extended.
        dossier.extended_from = before or dossier.due_at or extended_at
        dossier.save(update_fields=["extended_from"])


class Migration(migrations.Migration):

    dependencies = [
        ("forms_app", "0008_supplement_at_reception"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="extended_from",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="ngày hẹn trước khi hẹn lại"
            ),
        ),
        migrations.AddField(
            model_name="historicaldossier",
            name="extended_from",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="ngày hẹn trước khi hẹn lại"
            ),
        ),
        migrations.RunPython(fill_extended_from, migrations.RunPython.noop),
    ]
