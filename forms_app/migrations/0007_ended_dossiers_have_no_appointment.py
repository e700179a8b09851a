"""A rejected or withdrawn dossier owes no result, so it keeps no appointment: the
appointments such dossiers still carry are cleared (their history rows keep them), then
the database refuses any other."""

from django.db import migrations, models

ENDED_WITHOUT_RESULT = ["rejected", "withdrawn"]


def clear_ended_appointments(apps, schema_editor):
    Dossier = apps.get_model("forms_app", "Dossier")
    Dossier.objects.filter(status__in=ENDED_WITHOUT_RESULT).exclude(
        due_at__isnull=True, days_left_when_paused__isnull=True
    ).update(due_at=None, days_left_when_paused=None)


class Migration(migrations.Migration):

    dependencies = [
        ("forms_app", "0006_dossier_list_index"),
    ]

    operations = [
        migrations.RunPython(clear_ended_appointments, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ENDED_WITHOUT_RESULT), _negated=True),
                    ("due_at__isnull", True),
                    _connector="OR",
                ),
                name="ended_without_result_has_no_appointment",
            ),
        ),
    ]
