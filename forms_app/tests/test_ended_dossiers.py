"""A dossier rejected (or withdrawn) owes no result, so it shows no appointment ("Ngày
hẹn trả kết quả") anywhere: the citizen's dossier page and list, the public lookup, the
officials' listing, export, inspect page and dashboard, and the rejection e-mail. The
appointment it had stays in its history."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import DossierStatus
from forms_app.models import Dossier
from forms_app.tests.officials import make_official, submit
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db

APPOINTMENT = "18/12/2026"
REASON = "Người yêu cầu không thuộc đối tượng được cấp"


def at(moment):
    return time_machine.travel(datetime.datetime.fromisoformat(moment), tick=False)


@pytest.fixture
def world(django_capture_on_commit_callbacks, mailoutbox):
    """A dossier received on Monday 7 December 2026 for a 9-working-day procedure (due
    Friday 18 December), assigned, then rejected on Wednesday 9 December."""
    with at("2026-12-07T09:00+07:00"):
        stp = make_agency()
        procedure = make_procedure(stp, processing_time_days=9)
        official = make_official(stp, "can.bo.stp@example.vn")
        citizen = UserFactory(email="an@example.vn", verified=True)
        dossier = submit(citizen, procedure)
        dossier = services.receive_dossier(dossier=dossier, actor=official)
        dossier = services.start_processing(dossier=dossier, actor=official, assignee=official)
    assert timezone.localdate(dossier.due_at) == datetime.date(2026, 12, 18)
    mailoutbox.clear()
    with at("2026-12-09T10:00+07:00"), django_capture_on_commit_callbacks(execute=True):
        services.reject_dossier(dossier=dossier, actor=official, reason=REASON)
    return {
        "dossier": Dossier.objects.get(pk=dossier.pk),
        "official": official,
        "citizen": citizen,
        "mail": list(mailoutbox),
    }


def page(client, user, url, params=None):
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_rejected_dossier_keeps_no_appointment_but_its_history_does(world):
    dossier = world["dossier"]
    assert dossier.status == DossierStatus.REJECTED
    assert dossier.due_at is None
    before = dossier.history.filter(status=DossierStatus.PROCESSING).latest("history_date")
    assert before.due_at is not None


def test_the_citizen_sees_no_appointment_on_a_rejected_dossier(client, world):
    dossier, citizen = world["dossier"], world["citizen"]
    detail = page(client, citizen, reverse("dossiers:detail", args=[dossier.code]))
    assert "Từ chối" in detail
    assert REASON in detail
    assert APPOINTMENT not in detail
    listing = page(client, citizen, reverse("dossiers:list"))
    assert dossier.code in listing
    assert APPOINTMENT not in listing
    client.logout()
    lookup = client.get(
        reverse("dossiers:lookup"), {"code": dossier.code, "key": dossier.lookup_key}
    ).content.decode()
    assert "Từ chối" in lookup
    assert APPOINTMENT not in lookup


def test_the_official_sees_no_appointment_on_a_rejected_dossier(client, world):
    dossier, official = world["dossier"], world["official"]
    index = "/admin/forms_app/dossier/"
    listing = page(client, official, index)
    assert dossier.code in listing
    assert APPOINTMENT not in listing
    inspect = page(
        client, official, reverse("forms_app_dossier_modeladmin_inspect", args=[dossier.pk])
    )
    assert REASON in inspect
    assert APPOINTMENT not in inspect
    assert APPOINTMENT not in page(client, official, "/admin/")
    response = client.get(index, {"export": "csv"})
    export = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8-sig")
    [row] = [row for row in csv.reader(io.StringIO(export)) if row and row[0] == dossier.code]
    assert row[3] == "Từ chối"
    assert APPOINTMENT not in row


def test_the_rejection_email_gives_no_appointment(world):
    [message] = world["mail"]
    assert REASON in message.body
    assert APPOINTMENT not in message.body
    assert "Ngày hẹn trả kết quả" not in message.body


def test_a_withdrawn_dossier_has_no_appointment_either(client, world):
    with at("2026-12-07T09:00+07:00"):
        procedure = world["dossier"].procedure
        dossier = submit(world["citizen"], procedure)
        dossier = services.withdraw_dossier(dossier=dossier, actor=world["citizen"])
    assert Dossier.objects.get(pk=dossier.pk).due_at is None
    detail = page(client, world["citizen"], reverse("dossiers:detail", args=[dossier.code]))
    assert "Đã rút" in detail


@pytest.mark.parametrize("status", [DossierStatus.REJECTED, DossierStatus.WITHDRAWN])
def test_the_database_refuses_an_appointment_on_an_ended_dossier(world, status):
    dossier = world["dossier"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(
            status=status, due_at=datetime.datetime(2026, 12, 18, 10, tzinfo=datetime.UTC)
        )
