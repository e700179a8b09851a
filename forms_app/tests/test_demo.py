"""``seed_demo``'s dossiers: what the demo citizens find in "Hồ sơ cá nhân", and bulk
synthetic dossiers whose codes never collide with real submissions."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forms_app.constants import DossierStatus
from forms_app.models import Dossier
from forms_app.selectors import dossiers_for_official
from forms_app.submission.codes import allocate_dossier_code
from forms_app.working_days import is_working_day
from payments.constants import PaymentStatus, RefundStatus
from payments.models import Payment, Refund

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]


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


def test_demo_timelines_run_over_past_working_days_and_officials_see_their_agency():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    completed = Dossier.objects.get(
        applicant__email="citizen@example.com", status=DossierStatus.COMPLETED
    )
    records = completed.history.order_by("history_date")
    days = [timezone.localdate(record.history_date) for record in records]
    official = User.objects.get(email="official.stp@example.com")

    # Submitted, received, assigned, result ready, handed over: one Hà Nội working day
    # each, all before today, in office hours.
    assert len(set(days)) == len(days) == 5
    assert days == sorted(days) and days[-1] < timezone.localdate()
    assert all(is_working_day(day) for day in days)
    assert all(8 <= timezone.localtime(record.history_date).hour < 17 for record in records)
    assert completed.received_at < completed.due_at
    assert timezone.localdate(completed.submitted_at) == days[0]
    assert timezone.localdate(completed.received_at) == days[1]
    assert dossiers_for_official(official).filter(pk=completed.pk).exists()
    assert (
        not dossiers_for_official(User.objects.get(email="official.skhdt@example.com"))
        .filter(pk=completed.pk)
        .exists()
    )


def test_demo_dossier_codes_carry_the_local_day_of_their_submission():
    """STP-261207-0008 submitted on 02/12/2026 was the bug: the code is dated the day
    the citizen pressed "Gửi đi", in Hà Nội."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    submitted = Dossier.objects.exclude(status=DossierStatus.DRAFT)

    assert submitted.count() >= 12
    for dossier in submitted:
        day = timezone.localdate(dossier.submitted_at)
        assert dossier.code.split("-")[1] == f"{day:%y%m%d}", dossier.code
    older = submitted.filter(status=DossierStatus.COMPLETED).get()
    assert timezone.localdate(older.submitted_at) < timezone.localdate()


def test_demo_citizen_has_level4_dossiers_paid_awaiting_payment_and_refunded(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())
    citizen = User.objects.get(email="citizen@example.com")
    payments = Payment.objects.filter(payer=citizen)
    assert payments.count() == 2  # reseeding paid nothing twice
    assert set(payments.values_list("status", flat=True)) == {PaymentStatus.COMPLETED}
    refund = Refund.objects.get(payment__payer=citizen)
    assert refund.status == RefundStatus.REFUNDED
    assert refund.payment.dossier.status == DossierStatus.REJECTED

    client.force_login(citizen)
    paid = payments.exclude(dossier=refund.payment.dossier).get().dossier
    page = client.get(reverse("dossiers:detail", args=[paid.code])).content.decode()
    assert "Đã thanh toán" in page and "Biên lai thu phí, lệ phí" in page
    assert paid.result.sha256 in page
    awaiting = (
        citizen.dossiers.filter(procedure=paid.procedure, status=DossierStatus.PROCESSING)
        .exclude(payments__isnull=False)
        .first()
    )
    page = client.get(reverse("dossiers:detail", args=[awaiting.code])).content.decode()
    assert "Thanh toán trực tuyến 200.000 đồng" in page
