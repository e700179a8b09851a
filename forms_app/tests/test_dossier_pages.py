""" "Hồ sơ cá nhân": a citizen sees only their own dossiers and files; anyone else gets
404; the list costs the same queries for 5 or 500 dossiers."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.tests.access import assert_only_the_owner_reaches
from forms_app.constants import DossierStatus
from forms_app.models import Dossier, DossierFile
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    return make_procedure(make_agency())


def make_dossier(procedure, applicant, number, status=DossierStatus.SUBMITTED):
    dossier = Dossier(
        code=None if status == DossierStatus.DRAFT else f"STP-261130-{number:04d}",
        lookup_key=None if status == DossierStatus.DRAFT else f"KEY{number:07d}",
        procedure=procedure,
        agency=procedure.get_parent().specific,
        applicant=applicant,
        status=status,
        submitted_at=None
        if status == DossierStatus.DRAFT
        else timezone.make_aware(datetime.datetime(2026, 11, 30, 8))
        + datetime.timedelta(minutes=number),
    )
    dossier._change_reason = "Nộp hồ sơ trực tuyến"
    dossier.save()
    return dossier


def attach(dossier, original_name="a.pdf", content=b"abc"):
    """A real file in private storage, attached the way submission will attach it."""
    attachment = DossierFile(
        dossier=dossier,
        component_name="Tờ khai đăng ký khai sinh",
        original_name=original_name,
        content_type="application/pdf",
        size=len(content),
    )
    attachment.file.save("ignored.pdf", ContentFile(content), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def owner():
    return UserFactory(email="chu.ho.so@example.vn", verified=True)


@pytest.fixture
def other():
    return UserFactory(email="nguoi.khac@example.vn", verified=True)


def test_the_list_shows_ones_own_dossiers_and_drafts(client, procedure, owner, other):
    mine = make_dossier(procedure, owner, 1)
    make_dossier(procedure, owner, 0, status=DossierStatus.DRAFT)
    theirs = make_dossier(procedure, other, 2)
    client.force_login(owner)
    html = client.get(reverse("dossiers:list")).content.decode()
    assert mine.code in html
    assert "Bản nháp" in html
    assert theirs.code not in html
    assert "Chờ tiếp nhận" in html


def test_the_list_filters_by_status(client, procedure, owner):
    make_dossier(procedure, owner, 1)
    received = make_dossier(procedure, owner, 2, status=DossierStatus.RECEIVED)
    client.force_login(owner)
    html = client.get(reverse("dossiers:list"), {"status": "received"}).content.decode()
    assert received.code in html
    assert "STP-261130-0001" not in html
    assert client.get(reverse("dossiers:list"), {"status": "nonsense"}).status_code == 200


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get(reverse("dossiers:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_detail_shows_status_files_and_timeline_to_the_owner(client, procedure, owner):
    dossier = make_dossier(procedure, owner, 1)
    attachment = attach(dossier, "tờ khai.pdf", b"%PDF-1.4 ...")
    client.force_login(owner)
    html = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert "Chờ tiếp nhận" in html
    assert "tờ khai.pdf" in html
    assert "Nộp hồ sơ trực tuyến" in html  # the timeline's change reason
    download = client.get(reverse("dossiers:file", args=[dossier.code, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ..."
    assert "attachment" in download["Content-Disposition"]
    assert not attachment.file.name.endswith("tờ khai.pdf")  # stored under a server name


def test_another_citizen_gets_404_for_the_dossier_and_its_files(client, procedure, owner, other):
    dossier = make_dossier(procedure, owner, 1)
    attachment = attach(dossier)
    for url in (
        reverse("dossiers:detail", args=[dossier.code]),
        reverse("dossiers:file", args=[dossier.code, attachment.pk]),
    ):
        assert_only_the_owner_reaches(client, "get", url, owner=owner, others=[other])
    assert client.get(reverse("dossiers:detail", args=["STP-000000-0000"])).status_code == 404


def test_private_files_are_not_under_media(client, procedure, owner, settings):
    dossier = make_dossier(procedure, owner, 1)
    attachment = attach(dossier)
    assert not str(attachment.file.path).startswith(str(settings.MEDIA_ROOT))
    assert client.get(settings.MEDIA_URL + attachment.file.name, follow=True).status_code == 404


def test_the_list_costs_the_same_queries_for_5_and_500_dossiers(client, procedure, owner):
    client.force_login(owner)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("dossiers:list")).status_code == 200
        return len(captured)

    for number in range(1, 6):
        make_dossier(procedure, owner, number)
    queries()  # warm per-process caches
    few = queries()
    Dossier.objects.bulk_create(
        Dossier(
            code=f"STP-261130-{number:04d}",
            lookup_key=f"KEY{number:07d}",
            procedure=procedure,
            agency=procedure.get_parent().specific,
            applicant=owner,
            status=DossierStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for number in range(6, 501)
    )
    assert Dossier.objects.filter(applicant=owner).count() == 500
    assert queries() == few
