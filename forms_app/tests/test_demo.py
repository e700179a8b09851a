"""``seed_demo``'s dossiers: what the demo citizens find in "Hồ sơ cá nhân", and bulk
synthetic dossiers whose codes never collide with real submissions."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forms_app.codes import allocate_dossier_code
from forms_app.constants import DossierStatus
from forms_app.models import Dossier
from forms_app.selectors import dossiers_for_official

pytestmark = pytest.mark.django_db


def test_demo_citizen_has_a_dossier_in_every_status_and_reseeding_adds_none(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    citizen = User.objects.get(email="citizen@example.com")
    statuses = sorted(citizen.dossiers.values_list("status", flat=True))
    before = Dossier.objects.count()

    call_command("seed_demo", force=True, stdout=io.StringIO())

    assert Dossier.objects.count() == before
    assert set(statuses) == set(DossierStatus.values)
    assert (
        Dossier.objects.filter(applicant__email="citizen2@example.com")
        .exclude(status=DossierStatus.DRAFT)
        .exists()
    )
    submitted = citizen.dossiers.filter(status=DossierStatus.SUBMITTED).first()
    assert submitted.files.count() >= 1
    client.force_login(citizen)
    page = client.get(reverse("dossiers:list")).content.decode()
    assert submitted.code in page and "Bản nháp" in page


def test_synthetic_dossiers_spread_over_statuses_and_leave_codes_unique():
    call_command("seed_demo", force=True, dossiers=300, stdout=io.StringIO())

    synthetic = Dossier.objects.filter(applicant_data__full_name="Công dân mẫu")
    assert synthetic.count() == 300
    assert synthetic.values("status").distinct().count() >= 8
    assert synthetic.values("agency").distinct().count() > 1
    sample = synthetic.first()
    agency_code, day = sample.agency.code, sample.submitted_at
    fresh = allocate_dossier_code(agency_code, timezone.localdate(day))
    assert not Dossier.objects.filter(code=fresh).exists()


def test_demo_timelines_run_over_past_days_and_officials_see_their_agency():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    completed = Dossier.objects.get(
        applicant__email="citizen@example.com", status=DossierStatus.COMPLETED
    )
    dates = [record.history_date.date() for record in completed.history.order_by("history_date")]
    official = User.objects.get(email="official.stp@example.com")

    assert len(set(dates)) == len(dates) >= 5
    assert completed.received_at < completed.due_at
    assert dossiers_for_official(official).filter(pk=completed.pk).exists()
    assert (
        not dossiers_for_official(User.objects.get(email="official.skhdt@example.com"))
        .filter(pk=completed.pk)
        .exists()
    )
