"""``seed_demo --dossiers N``: N synthetic dossiers spread over agencies, procedures and
statuses, made in bulk (for benchmarks and for seeing a busy back office)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .constants import DossierStatus
from .models import Dossier, DossierCodeCounter
from .selectors import default_agency, submittable_procedures
from .submission.codes import new_lookup_key

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


# How a dossier of citizen@example.com reaches each status, as Sở Tư pháp handles it.
