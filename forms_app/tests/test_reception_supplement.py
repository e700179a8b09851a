""" "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" at the reception check: an official asks for
a supplement before receiving the dossier (no clock runs), the citizen supplements it,
and it comes back to the official for "Tiếp nhận", where the clock starts. Officials and
citizens read what happens at each step. Real dates of December 2026, Hà Nội time."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import DossierStatus
from forms_app.models import Dossier, DossierFile
from forms_app.submission.supplement_forms import PREFIX
from forms_app.tests.officials import cleaned_pdf, make_official, submit
from forms_app.tests.wizard import pdf
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db

GUIDANCE = "Bản chụp giấy chứng sinh bị mờ, vui lòng chụp lại rõ nét."
INDEX = "/admin/forms_app/dossier/"


def at(moment):
    return time_machine.travel(datetime.datetime.fromisoformat(moment), tick=False)


@pytest.fixture
def world():
    """Monday 7 December 2026, 09:00: a citizen's dossier for a 3-working-day procedure
    waits for reception at Sở Tư pháp."""
    with at("2026-12-07T09:00+07:00"):
        stp = make_agency()
        procedure = make_procedure(stp, components=2, processing_time_days=3)
        citizen = UserFactory(email="an@example.vn", verified=True)
        return {
            "official": make_official(stp, "can.bo.stp@example.vn", "Trần Thị Bình"),
            "citizen": citizen,
            "dossier": submit(citizen, procedure),
        }


def reload(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def html(client, user, url, params=None):
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def inspect_url(dossier):
    return reverse("forms_app_dossier_modeladmin_inspect", args=[dossier.pk])


def shown_actions(client, official, dossier):
    page = html(client, official, inspect_url(dossier))
    prefix = f"/admin/forms_app/dossier/{dossier.pk}/thao-tac/"
    return {part.split("/")[0] for part in page.split(prefix)[1:]}


def ask_at_reception(client, world, moment="2026-12-07T10:00+07:00", **extra):
    """The official's "Yêu cầu bổ sung hồ sơ" form, posted before receipt (the e-mail
    it queues is sent: the callbacks of the commit run)."""
    dossier = world["dossier"]
    first = dossier.snapshot["components"][0]["id"]
    client.force_login(world["official"])
    with at(moment), TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("forms_app_dossier_action", args=[dossier.pk, "request_supplement"]),
            {
                f"component_{first}_asked": "on",
                f"component_{first}_guidance": GUIDANCE,
                "note": "",
                "reply_by": "2026-12-17",
                **extra,
            },
        )


def test_an_official_asks_for_a_supplement_before_receiving(client, world):
    dossier, official = world["dossier"], world["official"]
    assert shown_actions(client, official, dossier) == {"receive", "reject", "request_supplement"}
    form = html(
        client,
        official,
        reverse("forms_app_dossier_action", args=[dossier.pk, "request_supplement"]),
    )
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in form
    mail.outbox.clear()

    response = ask_at_reception(client, world)

    assert response.status_code == 302
    dossier = reload(dossier)
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    # The clock never ran: nothing to keep, nothing to pause.
    assert (dossier.received_at, dossier.due_at, dossier.days_left_when_paused) == (
        None,
        None,
        None,
    )
    [request] = dossier.supplement_requests.all()
    assert request.at_reception
    [message] = mail.outbox
    assert GUIDANCE in message.body
    assert "Hồ sơ chưa được tiếp nhận" in message.body
    assert "tạm dừng" not in message.body
    assert "Chờ bổ sung (chưa tiếp nhận)" in html(client, official, INDEX)
    assert "khi tiếp nhận hồ sơ" in html(client, official, inspect_url(dossier))
    assert shown_actions(client, official, dossier) == set()


def test_the_citizen_reads_that_the_dossier_is_not_received_yet(client, world):
    ask_at_reception(client, world)
    dossier = reload(world["dossier"])
    page = html(client, world["citizen"], reverse("dossiers:detail", args=[dossier.code]))
    assert GUIDANCE in page
    assert "Gửi bổ sung" in page
    assert "Hồ sơ chưa được tiếp nhận" in page
    assert "Chưa có: hồ sơ chưa được tiếp nhận" in page
    assert "Tạm dừng" not in page
    client.logout()
    lookup = client.get(
        reverse("dossiers:lookup"), {"code": dossier.code, "key": dossier.lookup_key}
    ).content.decode()
    assert "Yêu cầu bổ sung" in lookup
    assert "Chưa có: thời hạn giải quyết được tính từ ngày hồ sơ được tiếp nhận" in lookup
    assert "Hồ sơ chưa được tiếp nhận" in lookup
    assert GUIDANCE not in lookup


def test_the_supplemented_dossier_comes_back_for_reception_and_the_clock_starts_there(
    client, world
):
    ask_at_reception(client, world)
    dossier = reload(world["dossier"])
    component = dossier.snapshot["components"][0]["id"]
    old_file = DossierFile.objects.get(dossier=dossier, component_id=component)
    client.force_login(world["citizen"])
    mail.outbox.clear()

    with at("2026-12-08T16:00+07:00"), TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("dossiers:supplement", args=[dossier.code]),
            {f"{PREFIX}-component_{component}": pdf("giay-chung-sinh-ro.pdf")},
        )

    assert response.status_code == 302
    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("chờ cơ quan kiểm tra và tiếp nhận" in notice for notice in notices), notices
    dossier = reload(dossier)
    assert dossier.status == DossierStatus.SUBMITTED
    assert (dossier.received_at, dossier.due_at, dossier.days_left_when_paused) == (
        None,
        None,
        None,
    )
    old_file.refresh_from_db()
    assert old_file.replaced_at is not None
    [message] = mail.outbox
    assert "chờ tiếp nhận" in message.subject
    assert "thời hạn giải quyết được tính từ ngày hồ sơ được tiếp nhận" in message.body
    page = html(client, world["citizen"], reverse("dossiers:detail", args=[dossier.code]))
    assert "Chờ tiếp nhận" in page
    assert "Người nộp bổ sung hồ sơ, chờ tiếp nhận" in page

    official = world["official"]
    assert shown_actions(client, official, dossier) == {"receive", "reject", "request_supplement"}
    dashboard = html(client, official, "/admin/")
    waiting = dashboard[dashboard.index("Chờ tiếp nhận") :]
    assert dossier.code in waiting

    # Received on Wednesday 9 December at 15:05 (08:05 UTC), after the cut-off: counted
    # from Thursday 10, three working days: due Tuesday 15 December.
    with at("2026-12-09T08:05Z"):
        services.receive_dossier(dossier=dossier, actor=official)
    dossier = reload(dossier)
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.due_at == datetime.datetime(
        2026, 12, 15, 17, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
    )


def test_one_request_at_each_moment_without_confirmation(client, world):
    ask_at_reception(client, world)
    dossier = reload(world["dossier"])
    component = dossier.snapshot["components"][0]["id"]
    with at("2026-12-08T09:00+07:00"):
        services.submit_supplement(
            dossier=dossier,
            actor=world["citizen"],
            uploads=[(component, cleaned_pdf("giay-chung-sinh-ro.pdf"))],
            answers={},
        )
    # A second request at the reception check needs the official's confirmation…
    response = ask_at_reception(client, world, "2026-12-08T10:00+07:00")
    assert response.status_code == 200
    assert "đã được yêu cầu bổ sung một lần" in response.content.decode()
    assert reload(dossier).status == DossierStatus.SUBMITTED
    assert dossier.supplement_requests.count() == 1
    # …but the first one while processing does not.
    official = world["official"]
    with at("2026-12-08T10:00+07:00"):
        dossier = services.receive_dossier(dossier=dossier, actor=official)
        dossier = services.start_processing(dossier=dossier, actor=official, assignee=official)
        services.request_supplement(
            dossier=dossier,
            actor=official,
            items=[{"component_id": component, "guidance": GUIDANCE}],
            note="",
            reply_by=datetime.date(2026, 12, 18),
        )
    dossier = reload(dossier)
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    # Received on Tuesday 8 before the cut-off, 3 days: due Friday 11; asked the same
    # day, three working days are kept.
    assert dossier.days_left_when_paused == 3
    assert [r.at_reception for r in dossier.supplement_requests.order_by("requested_at")] == [
        True,
        False,
    ]
