"""``purge_drafts`` removes old drafts with their files and stray files, nothing else."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from forms_app.constants import DossierStatus
from forms_app.models import Dossier, DossierFile
from procedures.tests.factories import make_agency, make_procedure

from .test_dossier_pages import attach, make_dossier

pytestmark = pytest.mark.django_db


def age(dossier, days):
    Dossier.objects.filter(pk=dossier.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_old_drafts_and_stray_files_go_recent_drafts_and_submitted_dossiers_stay(capsys):
    procedure = make_procedure(make_agency())
    old_draft = make_dossier(procedure, UserFactory(), 1, status=DossierStatus.DRAFT)
    recent_draft = make_dossier(procedure, UserFactory(), 2, status=DossierStatus.DRAFT)
    submitted = make_dossier(procedure, UserFactory(), 3)
    old_file = attach(old_draft)
    kept_files = [attach(recent_draft), attach(submitted)]
    age(old_draft, 31)
    age(submitted, 400)
    storage = DossierFile.file.field.storage
    stray = storage.save(f"dossiers/{submitted.pk}/stray", ContentFile(b"left by a crash"))
    fresh_stray = storage.save(f"dossiers/{submitted.pk}/fresh", ContentFile(b"in flight"))
    long_ago = (timezone.now() - datetime.timedelta(days=31)).timestamp()
    os.utime(storage.path(stray), (long_ago, long_ago))

    call_command("purge_drafts")

    assert set(Dossier.objects.values_list("pk", flat=True)) == {recent_draft.pk, submitted.pk}
    assert not storage.exists(old_file.file.name)
    assert not storage.exists(stray)
    assert storage.exists(fresh_stray)
    assert all(storage.exists(kept.file.name) for kept in kept_files)
    assert "Đã xóa 1 bản nháp và 2 tệp" in capsys.readouterr().out


def test_the_age_is_configurable(settings):
    procedure = make_procedure(make_agency())
    draft = make_dossier(procedure, UserFactory(), 1, status=DossierStatus.DRAFT)
    age(draft, 8)

    call_command("purge_drafts", "--days", "7")

    assert not Dossier.objects.exists()
