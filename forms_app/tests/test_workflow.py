"""The dossier workflow's services: which status leads to which, what each action
records (history, audit log, e-mail), the input each refuses, the deadline clock that
stops while the citizen supplements, two officials acting at once, and dossiers
received at the counter."""

import datetime
import threading
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.tests.factories import UserFactory
from forms_app import services, working_days
from forms_app.constants import Channel, DossierStatus, EventKind
from forms_app.models import Dossier, DossierEvent, DossierFile, SupplementItem, SupplementRequest
from forms_app.selectors import lookup_dossier
from forms_app.services.workflow import ACTIONS, TRANSITIONS, TransitionRefused
from forms_app.tests.factories import pdf_text
from forms_app.tests.officials import DAYS, build_world, cleaned_pdf, submit
from procedures.constants import DEFAULT_RECEIPT_CUTOFF as CUTOFF
from procedures.tests.factories import make_procedure

# Deadlines and codes are counted in Hà Nội days: also run at 23:30 UTC (conftest.py).
pytestmark = pytest.mark.any_hour

REASON = "Thiếu bản sao giấy chứng sinh có chứng thực"
HANDOVER = "Trả trực tiếp tại bộ phận một cửa"


@pytest.fixture
def world(db):
    return build_world()


def reload(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def component_ids(dossier):
    return [component["id"] for component in dossier.snapshot["components"]]


def reply_by():
    return timezone.localdate() + datetime.timedelta(days=10)


def later(dossier, days=5):
    """A working day ``days`` working days after the dossier's due date."""
    return working_days.add_working_days(timezone.localdate(dossier.due_at), days)


def next_day_off(day):
    """The first day after ``day`` the offices are closed (a Saturday at the latest)."""
    day += datetime.timedelta(days=1)
    while working_days.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def supplement_items(dossier, guidance="Nộp bản sao có chứng thực"):
    return [{"component_id": component_ids(dossier)[0], "guidance": guidance}]


def drive(action, dossier, w, **overrides):
    """Perform ``action`` on ``dossier`` with valid arguments, as the right person.

    The citizen's answer to a supplement request is one service whose outcome depends on
    whether the dossier was received: the two actions are driven on a dossier that was
    (``submit_supplement``) or was not (``submit_supplement_before_receipt``)."""
    awaiting = reload(dossier).status == DossierStatus.SUPPLEMENT_REQUESTED
    if awaiting and action == "submit_supplement" and dossier.received_at is None:
        Dossier.objects.filter(pk=dossier.pk).update(received_at=timezone.now())
        dossier = reload(dossier)
    if awaiting and action == "submit_supplement_before_receipt":
        Dossier.objects.filter(pk=dossier.pk).update(received_at=None)
        dossier = reload(dossier)
    upload_supplement = lambda: services.submit_supplement(  # noqa: E731
        dossier=dossier,
        actor=w.citizen,
        uploads=[(component_ids(dossier)[0], cleaned_pdf("ban-sao.pdf"))],
        answers={},
    )
    calls = {
        "receive": lambda: services.receive_dossier(dossier=dossier, actor=w.official),
        "reject": lambda: services.reject_dossier(
            dossier=dossier, actor=w.official, reason=REASON
        ),
        "start_processing": lambda: services.start_processing(
            dossier=dossier, actor=w.official, assignee=w.colleague
        ),
        "request_supplement": lambda: services.request_supplement(
            dossier=dossier,
            actor=w.official,
            items=supplement_items(dossier),
            note="Vui lòng bổ sung trong thời hạn",
            reply_by=reply_by(),
            confirm_repeat=True,
        ),
        "submit_supplement": upload_supplement,
        "submit_supplement_before_receipt": upload_supplement,
        "resume_processing": lambda: services.resume_processing(dossier=dossier, actor=w.official),
        "mark_result_ready": lambda: services.mark_result_ready(
            dossier=dossier, actor=w.official, result=cleaned_pdf("ket-qua.pdf")
        ),
        "complete": lambda: services.complete_dossier(
            dossier=dossier, actor=w.official, handover="at_agency", note=HANDOVER
        ),
        "withdraw": lambda: services.withdraw_dossier(
            dossier=dossier, actor=w.citizen, reason="Nộp nhầm thủ tục"
        ),
    }
    return calls[action]()


# The path a dossier takes through the workflow, and the action that enters each status.
PATH = [
    ("receive", DossierStatus.RECEIVED),
    ("start_processing", DossierStatus.PROCESSING),
    ("request_supplement", DossierStatus.SUPPLEMENT_REQUESTED),
    ("submit_supplement", DossierStatus.SUPPLEMENTED),
    ("resume_processing", DossierStatus.PROCESSING),
    ("mark_result_ready", DossierStatus.RESULT_READY),
    ("complete", DossierStatus.COMPLETED),
]


def advance(w, until):
    """Take the world's dossier through the services until it first reaches ``until``."""
    dossier = w.dossier
    for action, status in PATH:
        if reload(dossier).status == until:
            break
        dossier = drive(action, dossier, w)
        if status == until:
            break
    return reload(dossier)


def put_in(dossier, status):
    """Set the status directly (setup only), with what the status implies: an open
    supplement request while the citizen is asked for one."""
    Dossier.objects.filter(pk=dossier.pk).update(status=status)
    if status == DossierStatus.SUPPLEMENT_REQUESTED and not services.open_supplement_request(
        dossier
    ):
        request = SupplementRequest.objects.create(
            dossier=dossier, requested_by=UserFactory(), reply_by=reply_by()
        )
        SupplementItem.objects.create(
            request=request, component_id=component_ids(dossier)[0], label="x", guidance="y"
        )
    return reload(dossier)


def state(dossier):
    """Everything an action may change, to show a refused one changed nothing."""
    fresh = reload(dossier)
    return {
        "status": fresh.status,
        "received_at": fresh.received_at,
        "due_at": fresh.due_at,
        "completed_at": fresh.completed_at,
        "assigned_to": fresh.assigned_to_id,
        "history": fresh.history.count(),
        "log": ModelLogEntry.objects.filter(object_id=str(fresh.pk)).count(),
        "events": DossierEvent.objects.filter(dossier=fresh).count(),
        "requests": SupplementRequest.objects.filter(dossier=fresh).count(),
        "files": DossierFile.objects.filter(dossier=fresh).count(),
        "replaced": DossierFile.objects.filter(dossier=fresh, replaced_at__isnull=False).count(),
    }


def refused(dossier, call, error=ValidationError, capture=None):
    """``call`` raises ``error`` and leaves the dossier as it was, nothing to mail."""
    before = state(dossier)
    with capture() as callbacks, pytest.raises(error) as raised:
        call()
    assert callbacks == []
    assert state(dossier) == before
    return raised.value


# Which status leads to which ----------------------------------------------------------
STARTS = [status for status in DossierStatus if status != DossierStatus.DRAFT]


@pytest.mark.parametrize("start", STARTS)
def test_a_status_leads_to_another_only_through_the_transitions(
    world, start, django_capture_on_commit_callbacks
):
    """Every pair (start, end): each action leading to ``end`` is tried on a dossier in
    ``start``; ``end`` is reached iff the pair is a transition, and every refused action
    raises TransitionRefused and changes nothing."""
    for end in DossierStatus:
        reached = False
        for action in [name for name, (_starts, to, _label) in ACTIONS.items() if to == end]:
            dossier = put_in(world.dossier, start)
            if start in ACTIONS[action][0]:
                drive(action, dossier, world)
                assert reload(dossier).status == end, (start, end, action)
                reached = True
            elif action == "withdraw" and start == DossierStatus.WITHDRAWN:
                # Withdrawing twice (a double click) changes nothing and is no error.
                before = state(dossier)
                with django_capture_on_commit_callbacks() as callbacks:
                    drive(action, dossier, world)
                assert callbacks == []
                assert state(dossier) == before
            else:
                error = refused(
                    dossier,
                    lambda dossier=dossier, action=action: drive(action, dossier, world),
                    TransitionRefused,
                    django_capture_on_commit_callbacks,
                )
                assert dossier.code in error.messages[0]
                assert str(start.label) in error.messages[0]
        assert reached == ((start, end) in TRANSITIONS), (start, end)


def test_the_transitions_are_those_of_the_workflow():
    assert {
        (DossierStatus.SUBMITTED, DossierStatus.RECEIVED),
        (DossierStatus.SUBMITTED, DossierStatus.REJECTED),
        (DossierStatus.SUBMITTED, DossierStatus.WITHDRAWN),
        (DossierStatus.SUBMITTED, DossierStatus.SUPPLEMENT_REQUESTED),  # at the reception check
        (
            DossierStatus.SUPPLEMENT_REQUESTED,
            DossierStatus.SUBMITTED,
        ),  # supplemented before receipt
        (DossierStatus.RECEIVED, DossierStatus.PROCESSING),
        (DossierStatus.PROCESSING, DossierStatus.SUPPLEMENT_REQUESTED),
        (DossierStatus.PROCESSING, DossierStatus.RESULT_READY),
        (DossierStatus.PROCESSING, DossierStatus.REJECTED),
        (DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.SUPPLEMENTED),
        (DossierStatus.SUPPLEMENTED, DossierStatus.PROCESSING),
        (DossierStatus.RESULT_READY, DossierStatus.COMPLETED),
    } == TRANSITIONS


# What each action records ---------------------------------------------------------------
# action: (status it starts from, who acts, the reason the history records)
RECORDS = {
    "receive": (DossierStatus.SUBMITTED, "official", "Tiếp nhận hồ sơ"),
    "reject": (DossierStatus.SUBMITTED, "official", REASON),
    "start_processing": (DossierStatus.RECEIVED, "official", "Phân công xử lý"),
    "request_supplement": (
        DossierStatus.PROCESSING,
        "official",
        "Vui lòng bổ sung trong thời hạn",
    ),
    "submit_supplement": (
        DossierStatus.SUPPLEMENT_REQUESTED,
        "citizen",
        "Người nộp bổ sung hồ sơ",
    ),
    "submit_supplement_before_receipt": (
        DossierStatus.SUPPLEMENT_REQUESTED,
        "citizen",
        "Người nộp bổ sung hồ sơ, chờ tiếp nhận",
    ),
    "resume_processing": (DossierStatus.SUPPLEMENTED, "official", "Tiếp tục xử lý"),
    "mark_result_ready": (DossierStatus.PROCESSING, "official", "Có kết quả"),
    "complete": (
        DossierStatus.RESULT_READY,
        "official",
        f"Nhận trực tiếp tại cơ quan. {HANDOVER}",
    ),
    "withdraw": (DossierStatus.SUBMITTED, "citizen", "Nộp nhầm thủ tục"),
}


def test_every_action_is_covered():
    assert set(RECORDS) == set(ACTIONS)


@pytest.mark.parametrize("action", list(RECORDS))
def test_each_action_records_who_why_in_history_and_audit_log_and_mails_once(
    world, action, django_capture_on_commit_callbacks
):
    start, role, reason = RECORDS[action]
    if action == "submit_supplement_before_receipt":
        # Asked at the reception check, not after receipt.
        dossier = drive("request_supplement", world.dossier, world)
    else:
        dossier = advance(world, start)
    assert dossier.status == start
    actor = getattr(world, role)
    history_before = dossier.history.count()
    mail.outbox.clear()
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        drive(action, dossier, world)

    after = timezone.now()
    dossier = reload(dossier)
    assert dossier.status == ACTIONS[action][1]
    assert dossier.history.count() == history_before + 1
    record = dossier.history.latest("history_date")
    assert record.status == dossier.status
    assert record.history_user == actor
    assert record.history_change_reason == reason
    [entry] = ModelLogEntry.objects.filter(
        object_id=str(dossier.pk), action=f"forms_app.dossier.{action}"
    )
    assert entry.user == actor
    [message] = mail.outbox
    assert message.to == ["an@example.vn"]
    assert dossier.code in message.subject
    assert dossier.get_status_display() in message.body
    [event] = DossierEvent.objects.filter(dossier=dossier, kind=EventKind.EMAIL_SENT)
    assert message.subject == settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + event.message

    if action == "receive":
        assert before <= dossier.received_at <= after
        assert dossier.due_at == working_days.due_at(dossier.received_at, DAYS, cutoff=CUTOFF)
        assert timezone.localtime(dossier.due_at).time() == datetime.time(17, 0)
    if action == "start_processing":
        assert dossier.assigned_to == world.colleague
        assert DossierEvent.objects.filter(
            dossier=dossier, kind=EventKind.ASSIGNED, actor=world.official, message="Lê Văn Cường"
        ).exists()
    if action in ("reject", "complete", "withdraw"):
        assert before <= dossier.completed_at <= after
    else:
        assert dossier.completed_at is None
    if action == "reject":
        assert REASON in message.body
    if action == "request_supplement":
        [request] = dossier.supplement_requests.all()
        assert request.requested_by == world.official
        assert [(item.component_id, item.label) for item in request.items.all()] == [
            (component_ids(dossier)[0], "Giấy tờ số 1")
        ]
        assert "Nộp bản sao có chứng thực" in message.body
    if action == "submit_supplement_before_receipt":
        assert (dossier.received_at, dossier.due_at, dossier.days_left_when_paused) == (
            None,
            None,
            None,
        )
    if action in ("submit_supplement", "submit_supplement_before_receipt"):
        first = component_ids(dossier)[0]
        files = DossierFile.objects.filter(dossier=dossier, component_id=first)
        assert files.count() == 2
        assert files.filter(replaced_at__isnull=False).count() == 1
        [new] = files.filter(replaced_at__isnull=True)
        assert new.original_name == "ban-sao.pdf"
        assert new.supplement.answered_at is not None


def test_every_email_sent_is_on_the_timeline(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.receive_dossier(dossier=world.dossier, actor=world.official)
    [message] = mail.outbox
    [event] = DossierEvent.objects.filter(dossier=world.dossier, kind=EventKind.EMAIL_SENT)
    assert world.dossier.code in event.message
    assert message.subject.endswith(event.message)


# Input the services refuse ------------------------------------------------------------
@pytest.fixture
def refuse(django_capture_on_commit_callbacks):
    def check(dossier, call, error=ValidationError):
        return refused(dossier, call, error, django_capture_on_commit_callbacks)

    return check


def messages_of(error):
    return " ".join(error.messages)


def test_a_rejection_needs_a_reason(world, refuse):
    for reason in ("", "   "):
        error = refuse(
            world.dossier,
            lambda reason=reason: services.reject_dossier(
                dossier=world.dossier, actor=world.official, reason=reason
            ),
        )
        assert "lý do từ chối" in messages_of(error)


def test_completing_needs_the_handover_method(world, refuse):
    dossier = advance(world, DossierStatus.RESULT_READY)
    error = refuse(
        dossier,
        lambda: services.complete_dossier(
            dossier=dossier, actor=world.official, handover="", note=HANDOVER
        ),
    )
    assert "hình thức đã trả kết quả" in messages_of(error)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "ít nhất một nội dung"),
        ([{"component_id": 999999, "guidance": "Nộp lại"}], "không thuộc hồ sơ này"),
        ([{"field_name": "khong_co", "guidance": "Khai lại"}], "không thuộc hồ sơ này"),
        ([{"component_id": "first", "guidance": "  "}], "hướng dẫn"),
    ],
)
def test_a_supplement_request_needs_items_of_this_dossier_with_guidance(
    world, refuse, items, message
):
    dossier = advance(world, DossierStatus.PROCESSING)
    first = component_ids(dossier)[0]
    items = [
        {**item, "component_id": first} if item.get("component_id") == "first" else item
        for item in items
    ]
    error = refuse(
        dossier,
        lambda: services.request_supplement(
            dossier=dossier, actor=world.official, items=items, note="", reply_by=reply_by()
        ),
    )
    assert message in messages_of(error)


def test_a_supplement_request_item_of_another_dossier_is_refused(world, refuse):
    other_procedure = make_procedure(world.stp, title="Đăng ký kết hôn", code="1.000894")
    other = submit(world.other_citizen, other_procedure)
    dossier = advance(world, DossierStatus.PROCESSING)
    error = refuse(
        dossier,
        lambda: services.request_supplement(
            dossier=dossier,
            actor=world.official,
            items=[{"component_id": component_ids(other)[0], "guidance": "Nộp lại"}],
            note="",
            reply_by=reply_by(),
        ),
    )
    assert "không thuộc hồ sơ này" in messages_of(error)


def test_a_supplement_request_cannot_be_due_in_the_past(world, refuse):
    dossier = advance(world, DossierStatus.PROCESSING)
    error = refuse(
        dossier,
        lambda: services.request_supplement(
            dossier=dossier,
            actor=world.official,
            items=supplement_items(dossier),
            note="",
            reply_by=timezone.localdate() - datetime.timedelta(days=1),
        ),
    )
    assert "quá khứ" in messages_of(error)


def test_a_second_supplement_request_needs_confirmation(world, refuse):
    dossier = advance(world, DossierStatus.SUPPLEMENTED)
    dossier = services.resume_processing(dossier=dossier, actor=world.official)

    def again(confirm):
        return services.request_supplement(
            dossier=dossier,
            actor=world.official,
            items=supplement_items(dossier, "Bản sao vẫn chưa có chứng thực"),
            note="",
            reply_by=reply_by(),
            confirm_repeat=confirm,
        )

    error = refuse(dossier, lambda: again(False))
    assert "đã được yêu cầu bổ sung một lần" in messages_of(error)
    again(True)
    assert reload(dossier).status == DossierStatus.SUPPLEMENT_REQUESTED
    assert dossier.supplement_requests.count() == 2


def test_an_extension_needs_a_later_date_and_a_reason(world, refuse):
    dossier = advance(world, DossierStatus.PROCESSING)
    due = timezone.localdate(dossier.due_at)
    for new_due, reason, message in [
        (due - datetime.timedelta(days=1), REASON, "phải sau ngày hẹn hiện tại"),
        (due, REASON, "phải sau ngày hẹn hiện tại"),
        (working_days.add_working_days(due, 5), " ", "lý do gia hạn"),
        (next_day_off(due), REASON, "không phải ngày làm việc"),
    ]:
        error = refuse(
            dossier,
            lambda new_due=new_due, reason=reason: services.extend_deadline(
                dossier=dossier, actor=world.official, new_due=new_due, reason=reason
            ),
        )
        assert message in messages_of(error)


@pytest.mark.parametrize(
    "status",
    [DossierStatus.SUBMITTED, DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.COMPLETED],
)
def test_only_a_running_clock_is_extended(world, refuse, status):
    dossier = advance(world, DossierStatus.PROCESSING)
    dossier = put_in(dossier, status)
    error = refuse(
        dossier,
        lambda: services.extend_deadline(
            dossier=dossier,
            actor=world.official,
            new_due=later(dossier),
            reason=REASON,
        ),
    )
    assert "đang trong thời hạn giải quyết" in messages_of(error)


def test_only_an_official_of_the_agency_is_assigned(world, refuse):
    dossier = advance(world, DossierStatus.RECEIVED)
    staff = UserFactory(email="nhan.vien@example.vn", is_staff=True)
    for assignee in (staff, world.outsider, world.citizen):
        error = refuse(
            dossier,
            lambda assignee=assignee: services.start_processing(
                dossier=dossier, actor=world.official, assignee=assignee
            ),
        )
        assert "phải thuộc cơ quan tiếp nhận" in messages_of(error)


# action: the status it is tried in
OFFICIAL_ACTIONS = {
    "receive": DossierStatus.SUBMITTED,
    "reject": DossierStatus.SUBMITTED,
    "start_processing": DossierStatus.RECEIVED,
    "request_supplement": DossierStatus.PROCESSING,
    "resume_processing": DossierStatus.SUPPLEMENTED,
    "mark_result_ready": DossierStatus.PROCESSING,
    "complete": DossierStatus.RESULT_READY,
}


@pytest.mark.parametrize("action", list(OFFICIAL_ACTIONS))
@pytest.mark.parametrize("who", ["outsider", "citizen", "other_citizen"])
def test_only_officials_of_the_agency_act(world, refuse, action, who):
    dossier = advance(world, OFFICIAL_ACTIONS[action])
    intruder = SimpleNamespace(**{**vars(world), "official": getattr(world, who)})
    refuse(dossier, lambda: drive(action, dossier, intruder), PermissionDenied)


def test_only_officials_of_the_agency_extend_or_register(world, refuse):
    dossier = advance(world, DossierStatus.PROCESSING)
    refuse(
        dossier,
        lambda: services.extend_deadline(
            dossier=dossier,
            actor=world.outsider,
            new_due=later(dossier),
            reason=REASON,
        ),
        PermissionDenied,
    )
    count = Dossier.objects.count()
    with pytest.raises(PermissionDenied):
        services.register_counter_dossier(
            actor=world.outsider,
            procedure=world.procedure,
            agency=world.stp,
            applicant_data={"full_name": "Lê Thị Bình"},
        )
    assert Dossier.objects.count() == count


def test_only_the_owner_withdraws_or_supplements(world, refuse):
    for intruder in (world.other_citizen, world.official):
        refuse(
            world.dossier,
            lambda intruder=intruder: services.withdraw_dossier(
                dossier=world.dossier, actor=intruder
            ),
            PermissionDenied,
        )
    dossier = advance(world, DossierStatus.SUPPLEMENT_REQUESTED)
    intruder = SimpleNamespace(**{**vars(world), "citizen": world.other_citizen})
    refuse(dossier, lambda: drive("submit_supplement", dossier, intruder), PermissionDenied)


def test_a_supplement_answers_exactly_what_was_asked(world, refuse):
    dossier = advance(world, DossierStatus.SUPPLEMENT_REQUESTED)
    first, second = component_ids(dossier)
    for uploads, message in [
        ([], "Còn thiếu nội dung bổ sung: Giấy tờ số 1"),
        ([(first, cleaned_pdf()), (second, cleaned_pdf())], "Chỉ bổ sung những nội dung"),
    ]:
        error = refuse(
            dossier,
            lambda uploads=uploads: services.submit_supplement(
                dossier=dossier, actor=world.citizen, uploads=uploads, answers={}
            ),
        )
        assert message in messages_of(error)


# The deadline clock -------------------------------------------------------------------
def test_the_clock_stops_while_the_citizen_supplements(world):
    dossier = advance(world, DossierStatus.PROCESSING)
    received_due = dossier.due_at
    assert received_due == working_days.due_at(dossier.received_at, DAYS, cutoff=CUTOFF)
    # Three working days of the fifteen have gone by when the official asks: twelve are
    # left after today (whatever the time of day).
    Dossier.objects.filter(pk=dossier.pk).update(
        due_at=working_days.close_of_office(
            working_days.add_working_days(timezone.localdate(), DAYS - 3)
        )
    )
    dossier = services.request_supplement(
        dossier=reload(dossier),
        actor=world.official,
        items=supplement_items(dossier),
        note="",
        reply_by=reply_by(),
    )
    assert reload(dossier).days_left_when_paused == DAYS - 3

    # However long the citizen takes, the twelve days left count from the resubmission.
    Dossier.objects.filter(pk=dossier.pk).update(days_left_when_paused=DAYS - 3)
    services.submit_supplement(
        dossier=reload(dossier),
        actor=world.citizen,
        uploads=[(component_ids(dossier)[0], cleaned_pdf())],
        answers={},
    )
    dossier = reload(dossier)
    assert dossier.status == DossierStatus.SUPPLEMENTED
    assert dossier.days_left_when_paused is None
    assert dossier.due_at == working_days.due_at(timezone.now(), DAYS - 3, cutoff=CUTOFF)


def test_an_extension_moves_the_date_and_mails_the_apology_letter(
    world, django_capture_on_commit_callbacks
):
    dossier = advance(world, DossierStatus.PROCESSING)
    new_due = later(dossier)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_deadline(
            dossier=dossier, actor=world.official, new_due=new_due, reason=REASON
        )
    dossier = reload(dossier)
    assert dossier.status == DossierStatus.PROCESSING
    assert timezone.localtime(dossier.due_at).date() == new_due
    assert timezone.localtime(dossier.due_at).time() == datetime.time(17, 0)
    record = dossier.history.latest("history_date")
    assert record.history_user == world.official
    assert record.history_change_reason == REASON
    assert ModelLogEntry.objects.filter(
        object_id=str(dossier.pk), action="forms_app.dossier.extend_deadline", user=world.official
    ).exists()
    assert DossierEvent.objects.filter(
        dossier=dossier, kind=EventKind.DEADLINE_EXTENDED, actor=world.official
    ).exists()
    [message] = mail.outbox
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"phieu-xin-loi-{dossier.code}.pdf"
    assert mimetype == "application/pdf"
    text = pdf_text(content)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert f"{new_due:%d/%m/%Y}" in text
    assert REASON in message.body
    assert DossierEvent.objects.filter(dossier=dossier, kind=EventKind.EMAIL_SENT).exists()


# Two officials at once ----------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql_only("row locks are only real on PostgreSQL")
def test_two_officials_receiving_at_once_one_succeeds():
    w = build_world()
    barrier = threading.Barrier(2)
    outcomes = []

    def receive(official):
        try:
            barrier.wait()
            services.receive_dossier(dossier=w.dossier, actor=official)
            outcomes.append("received")
        except TransitionRefused:
            outcomes.append("refused")
        except Exception as error:  # reported by the assertion below
            outcomes.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=receive, args=(o,)) for o in (w.official, w.colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == ["received", "refused"]
    dossier = reload(w.dossier)
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.history.filter(status=DossierStatus.RECEIVED).count() == 1
    assert (
        ModelLogEntry.objects.filter(
            object_id=str(dossier.pk), action="forms_app.dossier.receive"
        ).count()
        == 1
    )


# Dossiers received at the counter -----------------------------------------------------
def test_a_paper_dossier_registered_at_the_counter_is_followed_online(
    world, client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.register_counter_dossier(
            actor=world.official,
            procedure=world.procedure,
            agency=world.stp,
            applicant_data={
                "full_name": "Lê Thị Bình",
                "cccd": "001190000002",
                "phone": "0987654321",
                "email": "binh@example.vn",
                "address": "",
            },
            note="Nộp bản giấy",
        )
    dossier = reload(dossier)
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.channel == Channel.COUNTER
    assert dossier.applicant is None
    assert dossier.code.startswith(f"STP-{timezone.localdate():%y%m%d}-")
    assert dossier.due_at == working_days.due_at(dossier.received_at, DAYS, cutoff=CUTOFF)
    record = dossier.history.latest("history_date")
    assert record.history_user == world.official
    assert record.history_change_reason == "Nộp bản giấy"
    assert ModelLogEntry.objects.filter(
        object_id=str(dossier.pk), action="forms_app.dossier.register"
    ).exists()
    [message] = mail.outbox
    assert message.to == ["binh@example.vn"]
    assert lookup_dossier(dossier.code, dossier.lookup_key) == dossier

    response = client.get(
        reverse("dossiers:lookup"), {"code": dossier.code, "key": dossier.lookup_key}
    )
    html = response.content.decode()
    assert "Đã tiếp nhận" in html
    assert "Lê T** B***" in html
    assert "Lê Thị Bình" not in html


def test_a_counter_dossier_needs_the_applicants_name(world):
    count = Dossier.objects.count()
    with pytest.raises(ValidationError, match="họ tên người nộp"):
        services.register_counter_dossier(
            actor=world.official,
            procedure=world.procedure,
            agency=world.stp,
            applicant_data={"full_name": ""},
        )
    assert Dossier.objects.count() == count


def test_a_counter_dossier_goes_to_an_agency_carrying_out_the_procedure(world):
    superuser = UserFactory(email="quan.tri@example.vn", is_staff=True, is_superuser=True)
    count = Dossier.objects.count()
    with pytest.raises(ValidationError, match="không thực hiện thủ tục"):
        services.register_counter_dossier(
            actor=superuser,
            procedure=world.procedure,
            agency=world.skhdt,
            applicant_data={"full_name": "Lê Thị Bình"},
        )
    assert Dossier.objects.count() == count
