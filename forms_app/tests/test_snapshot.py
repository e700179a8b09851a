"""``dossier.as_submitted``: the one way code and templates read a dossier's frozen
snapshot (forms_app/submission/snapshot.py) — what the citizen submitted against, even
after the editors change the page, and the live page only where the snapshot is silent."""

import pytest

from accounts.tests.factories import UserFactory
from forms_app.models import Dossier
from forms_app.submission.snapshot import SnapshotComponent, SnapshotField
from forms_app.tests.officials import submit
from procedures.models import ProcedureFormField
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    agency = make_agency()
    procedure = make_procedure(agency, components=2, fees=1, processing_time_days=5)
    procedure.form_fields = [
        ProcedureFormField(label="Nơi sinh", field_type="singleline", required=True)
    ]
    procedure.save_revision().publish()
    return submit(UserFactory(verified=True), procedure)


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
