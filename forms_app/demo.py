"""Demo dossiers for ``seed_demo``: what the two demo citizens find in "Hồ sơ cá nhân",
and synthetic dossiers in bulk for benchmarks."""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import services
from .codes import new_lookup_key
from .constants import DossierStatus, ResultDelivery
from .models import Dossier, DossierCodeCounter
from .selectors import default_agency, draft_for, submittable_procedures
from .uploads import clean_upload

# A one-page PDF: enough for an official to open.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# (citizen, procedure code, what the citizen does with it)
# Lý lịch tư pháp goes to Sở Tư pháp and the enterprise ones to Sở Kế hoạch và Đầu tư,
# so that the demo officials have dossiers to receive.
DEMO_DOSSIERS = [
    ("citizen@example.com", "2.000488", "submit"),
    ("citizen@example.com", "1.001193", "submit"),
    ("citizen@example.com", "2.002040", "withdraw"),
    ("citizen@example.com", "1.000894", "draft"),
    ("citizen2@example.com", "2.000488", "submit"),
    ("citizen2@example.com", "2.002041", "draft"),
]


def applicant_data(user):
    return {
        "full_name": user.full_name,
        "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else "",
        "cccd": user.cccd,
        "phone": user.phone,
        "email": user.email,
        "address": user.permanent_address,
        "applicant_type": "citizen",
        "on_behalf": False,
    }


def _attach_demo_files(draft, procedure):
    uploads = []
    for component in procedure.dossier_components.all():
        upload = SimpleUploadedFile(f"{component.name[:60]}.pdf", DEMO_PDF, "application/pdf")
        uploads.append((component, clean_upload(upload, accepted_types=["pdf"], max_size=10**6)))
    services.save_draft_state(draft=draft, state={})
    services.attach_files(draft=draft, uploads=uploads)


def seed_dossiers():
    """The demo citizens' dossiers, through the same services as the wizard. Idempotent:
    a citizen who already has a dossier of a procedure keeps it."""
    procedures = {page.code: page for page in submittable_procedures()}
    created = 0
    for email, code, action in DEMO_DOSSIERS:
        user = User.objects.filter(email=email).first()
        procedure = procedures.get(code)
        if user is None or procedure is None:
            continue
        if Dossier.objects.filter(applicant=user, procedure=procedure).exists():
            continue
        draft = draft_for(user, procedure)
        _attach_demo_files(draft, procedure)
        created += 1
        if action == "draft":
            continue
        dossier, _created = services.submit_dossier(
            draft=draft,
            agency=draft.agency,
            applicant_data=applicant_data(user),
            form_data={},
            result_delivery=ResultDelivery.AT_AGENCY,
            delivery_address="",
            actor=user,
        )
        if action == "withdraw":
            services.withdraw_dossier(dossier=dossier, actor=user)
    return created


SYNTHETIC_STATUSES = [status for status in DossierStatus.values if status != DossierStatus.DRAFT]


def seed_synthetic_dossiers(count, seed=2026):
    """``count`` extra dossiers spread over agencies, days and statuses, for benchmarks.

    Written with bulk_create (no history rows) so 100,000 take a minute; their codes are
    numbered per agency and day after whatever those days already hold, and the code
    counters are moved past them so real submissions never collide.
    """
    rng = random.Random(seed)  # noqa: S311 - repeatable filler, not a secret
    procedures = list(submittable_procedures().order_by("pk")[:500])
    citizens = list(User.objects.filter(is_staff=False).order_by("pk")[:200])
    if not procedures or not citizens:
        return 0
    agencies = {procedure.pk: default_agency(procedure) for procedure in procedures}
    today = timezone.localdate()
    next_number = {}
    for start in range(0, count, 2000):
        batch = []
        for _ in range(min(2000, count - start)):
            procedure = rng.choice(procedures)
            agency = agencies[procedure.pk]
            day = today - datetime.timedelta(days=rng.randint(1, 365))
            key = (agency.code, day)
            if key not in next_number:
                next_number[key] = _last_number(*key)
            next_number[key] += 1
            submitted = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(8))
                + datetime.timedelta(minutes=rng.randint(0, 540))
            )
            batch.append(
                Dossier(
                    code=f"{agency.code}-{day:%y%m%d}-{next_number[key]:04d}",
                    lookup_key=new_lookup_key(),
                    procedure=procedure,
                    agency=agency,
                    applicant=rng.choice(citizens),
                    status=rng.choice(SYNTHETIC_STATUSES),
                    submitted_at=submitted,
                    applicant_data={"full_name": "Công dân mẫu"},
                    snapshot={"procedure": {"title": procedure.title, "code": procedure.code}},
                )
            )
        with transaction.atomic():
            Dossier.objects.bulk_create(batch)
    with transaction.atomic():
        for (agency_code, day), last in next_number.items():
            DossierCodeCounter.objects.update_or_create(
                agency_code=agency_code, day=day, defaults={"last": last}
            )
    return count


def _last_number(agency_code, day):
    counter = DossierCodeCounter.objects.filter(agency_code=agency_code, day=day).first()
    return counter.last if counter else 0
