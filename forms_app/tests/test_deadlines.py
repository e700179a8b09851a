"""Deadlines by the one-stop-shop rules, on the real calendar of 2026: the time of receipt
counts (after the agency's cut-off, or on a day off, the next working day), procedures
settled within the day of receipt are due that day, and every clock that starts or
resumes — receipt online, receipt at the counter, a supplement handed in — follows the
one rule. The clock is put at precise local moments (Hà Nội is UTC+7)."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import CalendarDayKind, DossierStatus
from forms_app.models import CalendarDay, Dossier
from forms_app.tests.officials import cleaned_pdf, make_official, submit
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(moment):
    """The clock stopped at ``moment`` (ISO 8601 with its offset)."""
    return time_machine.travel(datetime.datetime.fromisoformat(moment), tick=False)


def closing(year, month, day):
    """17:00 in Việt Nam on that day: when a result falls due."""
    return datetime.datetime(year, month, day, 17, 0, tzinfo=VIETNAM)


def build(days=0, cutoff=None):
    """Sở Tư pháp, its "Đăng ký khai sinh" (``days`` working days), an official and a
    citizen's dossier waiting for receipt."""
    stp = make_agency()
    if cutoff is not None:
        stp.receipt_cutoff = cutoff
        stp.save_revision().publish()
        stp.refresh_from_db()
    procedure = make_procedure(stp, processing_time_days=days)
    citizen = UserFactory(email="an@example.vn", verified=True)
    return SimpleNamespace(
        stp=stp,
        procedure=procedure,
        official=make_official(stp, "can.bo.stp@example.vn"),
        citizen=citizen,
        dossier=submit(citizen, procedure),
    )


def receive_at(moment, days=0, cutoff=None):
    """A dossier submitted that morning and received at ``moment``."""
    with at(moment):
        world = build(days, cutoff)
        services.receive_dossier(dossier=world.dossier, actor=world.official)
    world.dossier = Dossier.objects.get(pk=world.dossier.pk)
    return world


# Receipt online ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("moment", "days", "due"),
    [
        # Monday 7 December 2026, before the cut-off: counted from that day.
        ("2026-12-07T14:55+07:00", 0, closing(2026, 12, 7)),
        ("2026-12-07T14:55+07:00", 3, closing(2026, 12, 10)),
        ("2026-12-07T15:00+07:00", 0, closing(2026, 12, 7)),  # the cut-off itself
        # 15:05 in Hà Nội is 08:05 UTC: from Tuesday.
        ("2026-12-07T08:05Z", 0, closing(2026, 12, 8)),
        ("2026-12-07T08:05Z", 3, closing(2026, 12, 11)),
        # Friday after the cut-off: from Monday.
        ("2026-12-11T15:30+07:00", 0, closing(2026, 12, 14)),
        # Saturday morning, the office closed: from Monday.
        ("2026-12-12T09:00+07:00", 0, closing(2026, 12, 14)),
        ("2026-12-12T09:00+07:00", 1, closing(2026, 12, 15)),
        # 23:30 UTC on Sunday is 06:30 on Monday in Hà Nội: Monday, before the cut-off.
        ("2026-12-06T23:30Z", 0, closing(2026, 12, 7)),
        # Friday 13 February after the cut-off, then the Tết break (14–22 February).
        ("2026-02-13T15:30+07:00", 0, closing(2026, 2, 23)),
        ("2026-02-13T15:30+07:00", 5, closing(2026, 3, 2)),
        # Giỗ Tổ fell on Sunday 26 April: Monday 27 April off in its place.
        ("2026-04-24T16:00+07:00", 0, closing(2026, 4, 28)),
        ("2026-04-27T09:00+07:00", 0, closing(2026, 4, 28)),
        # 30 April and 1 May off, then the weekend.
        ("2026-04-29T15:10+07:00", 0, closing(2026, 5, 4)),
        ("2026-04-30T10:00+07:00", 2, closing(2026, 5, 6)),
        # Friday 28 August after the cut-off: the weekend, Monday 31 August (swapped for
        # Saturday 22 August), and Quốc khánh on 1–2 September.
        ("2026-08-28T15:30+07:00", 0, closing(2026, 9, 3)),
    ],
)
def test_a_dossier_counts_from_the_day_it_is_received_by_the_cutoff(moment, days, due):
    world = receive_at(moment, days)
    assert world.dossier.status == DossierStatus.RECEIVED
    assert world.dossier.due_at == due


def test_the_citizen_and_the_official_see_the_same_day_appointment(client):
    world = receive_at("2026-12-07T08:05Z")  # 15:05 in Hà Nội
    client.force_login(world.citizen)
    page = client.get(reverse("dossiers:detail", args=[world.dossier.code]))
    assert "08/12/2026" in page.content.decode()
    lookup = client.get(
        reverse("dossiers:lookup"), {"code": world.dossier.code, "key": world.dossier.lookup_key}
    )
    assert "08/12/2026" in lookup.content.decode()
    client.force_login(world.official)
    inspect = client.get(reverse("forms_app_dossier_modeladmin_inspect", args=[world.dossier.pk]))
    assert "08/12/2026" in inspect.content.decode()


def test_a_day_the_province_recorded_off_is_skipped_too():
    CalendarDay.objects.create(
        date=datetime.date(2026, 12, 8), kind=CalendarDayKind.DAY_OFF, note="Nghỉ bù của tỉnh"
    )
    world = receive_at("2026-12-07T15:05+07:00")
    assert world.dossier.due_at == closing(2026, 12, 9)


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        ("2026-12-07T16:25+07:00", closing(2026, 12, 7)),
        ("2026-12-07T16:35+07:00", closing(2026, 12, 8)),
    ],
)
def test_an_agency_sets_its_own_cutoff(moment, due):
    world = receive_at(moment, cutoff=datetime.time(16, 30))
    assert world.dossier.due_at == due


# Receipt at the counter -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("moment", "due"),
    [
        ("2026-12-07T10:00+07:00", closing(2026, 12, 7)),
        ("2026-12-07T08:05Z", closing(2026, 12, 8)),
        ("2026-02-13T15:30+07:00", closing(2026, 2, 23)),
    ],
)
def test_a_counter_dossier_follows_the_same_rule(moment, due):
    with at(moment):
        world = build(days=0)
        dossier = services.register_counter_dossier(
            actor=world.official,
            procedure=world.procedure,
            agency=world.stp,
            applicant_data={"full_name": "Lê Thị Bình"},
        )
    assert Dossier.objects.get(pk=dossier.pk).due_at == due


# The clock resuming after a supplement ----------------------------------------------------
@pytest.mark.parametrize(
    ("moment", "due"),
    [
        # Two working days were left. Handed in on Friday 11 December before the cut-off:
        # counted from Friday; after it: from Monday.
        ("2026-12-11T14:00+07:00", closing(2026, 12, 15)),
        ("2026-12-11T08:05Z", closing(2026, 12, 16)),
        # Handed in on Saturday: from Monday.
        ("2026-12-12T09:00+07:00", closing(2026, 12, 16)),
    ],
)
def test_the_clock_resumes_by_the_same_rule_after_a_supplement(moment, due):
    with at("2026-12-07T09:00+07:00"):
        world = build(days=5)
        dossier = services.receive_dossier(dossier=world.dossier, actor=world.official)
        dossier = services.start_processing(
            dossier=dossier, actor=world.official, assignee=world.official
        )
    with at("2026-12-10T09:00+07:00"):
        # Due on Monday 14 December: two working days after Thursday 10 are left.
        services.request_supplement(
            dossier=dossier,
            actor=world.official,
            items=[{"component_id": dossier.snapshot["components"][0]["id"], "guidance": "x"}],
            note="",
            reply_by=datetime.date(2026, 12, 20),
        )
    assert Dossier.objects.get(pk=dossier.pk).days_left_when_paused == 2
    with at(moment):
        services.submit_supplement(
            dossier=dossier,
            actor=world.citizen,
            uploads=[(dossier.snapshot["components"][0]["id"], cleaned_pdf())],
            answers={},
        )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == DossierStatus.SUPPLEMENTED
    assert dossier.due_at == due


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        ("2026-12-07T10:00+07:00", "Đến hạn hôm nay"),  # due at 17:00 today
        ("2026-12-07T08:05Z", "Còn 1 ngày làm việc"),  # 15:05: due tomorrow
    ],
)
def test_the_listing_says_when_a_same_day_dossier_is_due(client, moment, label):
    world = receive_at(moment)
    client.force_login(world.official)
    with at(moment):
        listing = client.get("/admin/forms_app/dossier/").content.decode()
    assert label in listing
    assert "Còn 0 ngày làm việc" not in listing
