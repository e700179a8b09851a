"""``dossier.as_submitted``: the one way code and templates read a dossier's frozen
snapshot (forms_app/submission/snapshot.py) — what the citizen submitted against, even
after the editors change the page, and the live page only where the snapshot is silent."""

import pytest
from django.urls import reverse

from forms_app.models import Dossier
from forms_app.submission.snapshot import SnapshotComponent, SnapshotField
from forms_app.tests.officials import submit
from procedures.models import ProcedureFormField

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(citizen, procedure):
    """The shared fixtures' procedure, with a question of its own, then submitted."""
    procedure.form_fields = [
        ProcedureFormField(label="Nơi sinh", field_type="singleline", required=True)
    ]
    procedure.save_revision().publish()
    return submit(citizen, procedure)


def test_it_reads_what_was_submitted_after_the_page_changes(dossier):
    procedure = dossier.procedure.specific
    procedure.title = "Đăng ký khai sinh (sửa đổi 2027)"
    procedure.processing_time_days = 10
    procedure.save_revision().publish()

    submitted = Dossier.objects.get(pk=dossier.pk).as_submitted
    assert submitted.procedure_title == "Đăng ký khai sinh"
    assert submitted.procedure_code == "1.001193"
    assert submitted.processing_time_days == 5
    assert submitted.agency_name == "Sở Tư pháp"
    assert submitted.level == 4
    assert submitted.components == [
        SnapshotComponent(id=component["id"], name=name, required=True, originals=1, copies=0)
        for component, name in zip(
            dossier.snapshot["components"], ["Giấy tờ số 1", "Giấy tờ số 2"], strict=True
        )
    ]
    assert submitted.form_fields == [
        SnapshotField(name="noi_sinh", label="Nơi sinh", field_type="singleline")
    ]
    assert [fee.amount for fee in submitted.fees] == [50000]


def test_where_the_snapshot_is_silent_the_live_page_answers(dossier):
    """Dossiers made in bulk by the demo, or before a key existed, keep less."""
    Dossier.objects.filter(pk=dossier.pk).update(snapshot={"procedure": {"code": "1.001193"}})
    submitted = Dossier.objects.get(pk=dossier.pk).as_submitted
    assert submitted.procedure_title == "Đăng ký khai sinh"
    assert submitted.agency_name == "Sở Tư pháp"
    assert submitted.processing_time_days == 5
    assert submitted.pays_on_submission is False
    assert (submitted.components, submitted.form_fields, submitted.fees) == ([], [], [])


def test_the_official_and_the_citizen_see_the_submitted_title(
    client, official, citizen, submitted_dossier
):
    procedure = submitted_dossier.procedure.specific
    procedure.title = "Đăng ký khai sinh (sửa đổi 2027)"
    procedure.save_revision().publish()

    client.force_login(official)
    inspect = reverse("forms_app_dossier_modeladmin_inspect", args=[submitted_dossier.pk])
    html = client.get(inspect).content.decode()
    assert "Đăng ký khai sinh (1.001193)" in html
    assert "sửa đổi 2027" not in html

    client.force_login(citizen)
    html = client.get(reverse("dossiers:detail", args=[submitted_dossier.code])).content.decode()
    assert "Đăng ký khai sinh (1.001193)" in html
    assert "sửa đổi 2027" not in html
