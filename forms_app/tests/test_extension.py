""" "Gia hạn" with the "Phiếu xin lỗi và hẹn lại ngày trả kết quả": at most once, and
only before the appointment has passed. A refused attempt is told at the form's field
and changes nothing; the admin offers the button only while an extension is allowed;
two officials extending at once extend once. Real dates of December 2026."""

import datetime
import threading

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.urls import reverse

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import EventKind
from forms_app.models import Dossier, DossierEvent
from forms_app.tests.officials import make_official, submit
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db

VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
REASON = "Cần xác minh thông tin với Ủy ban nhân dân xã nơi cư trú"


def at(moment):
    return time_machine.travel(datetime.datetime.fromisoformat(moment), tick=False)


def build():
    """Monday 7 December 2026, 09:00: a dossier of a 5-working-day procedure received
    and assigned, due Monday 14 December at 17:00."""
    with at("2026-12-07T09:00+07:00"):
        stp = make_agency()
        procedure = make_procedure(stp, processing_time_days=5)
        official = make_official(stp, "can.bo.stp@example.vn", "Trần Thị Bình")
        colleague = make_official(stp, "can.bo2.stp@example.vn", "Lê Văn Cường")
        citizen = UserFactory(email="an@example.vn", verified=True)
        dossier = submit(citizen, procedure)
        dossier = services.receive_dossier(dossier=dossier, actor=official)
        dossier = services.start_processing(dossier=dossier, actor=official, assignee=official)
    assert dossier.due_at == datetime.datetime(2026, 12, 14, 17, tzinfo=VIETNAM)
    return {"dossier": dossier, "official": official, "colleague": colleague}


@pytest.fixture
def world():
    return build()


def reload(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def action_url(dossier):
    return reverse("forms_app_dossier_action", args=[dossier.pk, "extend_deadline"])


def inspect_url(dossier):
    return reverse("forms_app_dossier_modeladmin_inspect", args=[dossier.pk])


def offered(client, dossier):
    page = client.get(inspect_url(dossier)).content.decode()
    return action_url(dossier) in page, page


def post_extension(client, dossier, new_due, reason=REASON):
    return client.post(action_url(dossier), {"new_due": new_due, "reason": reason})


def field_errors(response, field):
    assert response.status_code == 200, response.status_code
    return [str(error) for error in response.context["form"].errors.get(field, [])]


def test_an_appointment_is_moved_once_and_the_second_attempt_is_told_at_the_field(client, world):
    dossier, official = world["dossier"], world["official"]
    client.force_login(official)
    with at("2026-12-10T10:00+07:00"):
        assert offered(client, dossier)[0]
        response = post_extension(client, dossier, "2026-12-18")
        assert response.status_code == 302
        dossier = reload(dossier)
        assert dossier.due_at == datetime.datetime(2026, 12, 18, 17, tzinfo=VIETNAM)
        assert dossier.extended_from == datetime.datetime(2026, 12, 14, 17, tzinfo=VIETNAM)

        shown, page = offered(client, dossier)
        assert not shown
        assert "18/12/2026 (đã hẹn lại; ngày hẹn trước đó 14/12/2026)" in page
        assert "chỉ được thực hiện một lần" in page

        # Opened by its address, the form is not shown: the official is told why.
        response = client.get(action_url(dossier))
        assert response.status_code == 302
        assert any(
            "đã được hẹn lại ngày trả kết quả một lần" in str(message)
            for message in get_messages(response.wsgi_request)
        )
        # Posted (a form opened before a colleague extended it), it is refused at the
        # date field, and nothing changes.
        history = dossier.history.count()
        response = post_extension(client, dossier, "2026-12-23")
    [error] = field_errors(response, "new_due")
    assert error.startswith(
        "Hồ sơ đã được hẹn lại ngày trả kết quả một lần (ngày hẹn trước đó: 14/12/2026)."
    )
    dossier = reload(dossier)
    assert dossier.due_at == datetime.datetime(2026, 12, 18, 17, tzinfo=VIETNAM)
    assert dossier.history.count() == history
    assert (
        DossierEvent.objects.filter(dossier=dossier, kind=EventKind.DEADLINE_EXTENDED).count() == 1
    )


def test_the_service_refuses_a_second_extension_at_the_date_field(world):
    dossier, official = world["dossier"], world["official"]
    with at("2026-12-10T10:00+07:00"):
        services.extend_deadline(
            dossier=dossier, actor=official, new_due=datetime.date(2026, 12, 18), reason=REASON
        )
        with pytest.raises(ValidationError) as refused:
            services.extend_deadline(
                dossier=dossier,
                actor=official,
                new_due=datetime.date(2026, 12, 23),
                reason=REASON,
            )
    assert list(refused.value.error_dict) == ["new_due"]
    assert "chỉ được thực hiện một lần" in " ".join(refused.value.messages)
    assert timezone_date(reload(dossier).due_at) == datetime.date(2026, 12, 18)


def timezone_date(moment):
    return moment.astimezone(VIETNAM).date()


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        ("2026-12-14T16:59+07:00", True),  # the due day, before the office closes
        ("2026-12-14T10:01Z", False),  # 17:01 in Hà Nội: the appointment has passed
        ("2026-12-15T09:00+07:00", False),
        ("2026-12-14T23:30Z", False),  # 06:30 on Tuesday in Hà Nội
    ],
)
def test_an_extension_comes_before_the_appointment_passes(client, world, moment, allowed):
    dossier, official = world["dossier"], world["official"]
    client.force_login(official)
    with at(moment):
        shown, page = offered(client, dossier)
        assert shown is allowed
        if not allowed:
            assert "Đã quá ngày hẹn trả kết quả (14/12/2026)" in page
        response = post_extension(client, dossier, "2026-12-21")
    dossier = reload(dossier)
    if allowed:
        assert response.status_code == 302
        assert timezone_date(dossier.due_at) == datetime.date(2026, 12, 21)
    else:
        assert field_errors(response, "new_due") == [
            "Đã quá ngày hẹn trả kết quả (14/12/2026): chỉ hẹn lại được trước khi hết ngày hẹn."
        ]
        assert dossier.due_at == datetime.datetime(2026, 12, 14, 17, tzinfo=VIETNAM)
        assert dossier.extended_from is None


def test_a_bad_date_or_reason_is_told_at_its_field(client, world):
    dossier, official = world["dossier"], world["official"]
    client.force_login(official)
    with at("2026-12-10T10:00+07:00"):
        before_due = post_extension(client, dossier, "2026-12-11")
        weekend = post_extension(client, dossier, "2026-12-19")
        no_reason = post_extension(client, dossier, "2026-12-18", reason="  ")
    assert field_errors(before_due, "new_due") == [
        "Ngày hẹn mới phải sau ngày hẹn hiện tại (14/12/2026)."
    ]
    assert field_errors(weekend, "new_due") == [
        "Ngày hẹn mới (19/12/2026) không phải ngày làm việc."
    ]
    assert "reason" in no_reason.context["form"].errors
    dossier = reload(dossier)
    assert dossier.extended_from is None
    assert dossier.due_at == datetime.datetime(2026, 12, 14, 17, tzinfo=VIETNAM)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql_only("row locks are only real on PostgreSQL")
def test_two_officials_extending_at_once_extend_once():
    w = build()
    barrier = threading.Barrier(2)
    outcomes = []

    def extend(official, new_due):
        try:
            barrier.wait()
            services.extend_deadline(
                dossier=w["dossier"], actor=official, new_due=new_due, reason=REASON
            )
            outcomes.append("extended")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # reported by the assertion below
            outcomes.append(error)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=extend, args=(w["official"], datetime.date(2026, 12, 18))),
        threading.Thread(target=extend, args=(w["colleague"], datetime.date(2026, 12, 21))),
    ]
    with at("2026-12-10T10:00+07:00"):  # the clock stops for both threads
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert outcomes.count("extended") == 1, outcomes
    [refusal] = [outcome for outcome in outcomes if outcome != "extended"]
    assert "chỉ được thực hiện một lần" in str(refusal), outcomes
    dossier = reload(w["dossier"])
    assert dossier.extended_from == datetime.datetime(2026, 12, 14, 17, tzinfo=VIETNAM)
    assert (
        DossierEvent.objects.filter(dossier=dossier, kind=EventKind.DEADLINE_EXTENDED).count() == 1
    )
