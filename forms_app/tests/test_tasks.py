"""With TASK_BACKEND=database (production), "Gửi đi" and the officials' actions only
queue the citizen's e-mails, in their own transaction; a `manage.py db_worker` sends
them, once, with their PDFs."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from forms_app import services, working_days
from forms_app.constants import DossierStatus
from forms_app.models import Dossier
from forms_app.tasks import acknowledge_dossier
from forms_app.tests.factories import pdf_text
from portal.settings.base import tasks_setting
from procedures.tests.factories import make_agency, make_procedure

from .officials import build_world, submit

pytestmark = pytest.mark.django_db

DATABASE_TASKS = tasks_setting("database")
IMMEDIATE_TASKS = tasks_setting("immediate")
REASON = "Cần xác minh thêm thông tin tại Ủy ban nhân dân xã"


def acknowledgements():
    """The queued acknowledgement tasks (Wagtail queues its own index updates too)."""
    return DBTaskResult.objects.filter(task_path="forms_app.tasks.acknowledge_dossier")


@pytest.fixture
def citizen():
    return UserFactory(email="an@example.vn", full_name="Nguyễn Văn An", verified=True)


@pytest.fixture
def procedure():
    return make_procedure(make_agency(), components=2)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


# The worker closes connections left in a transaction (``close_old_connections``), as a
# long-running process must: on PostgreSQL that would end a test's wrapping transaction,
# so the tests that run it commit for real.
worker_test = pytest.mark.django_db(transaction=True)


@worker_test
def test_the_worker_sends_the_acknowledgement_after_gui_di(settings, citizen, procedure):
    settings.TASKS = DATABASE_TASKS
    dossier = submit(citizen, procedure)

    assert mail.outbox == []
    [queued] = acknowledgements()
    assert queued.status == "READY"

    run_worker()
    [acknowledgement] = mail.outbox
    assert acknowledgement.to == ["an@example.vn"]
    assert dossier.code in acknowledgement.subject
    [(name, content, mimetype)] = acknowledgement.attachments
    assert name.endswith(".pdf")
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert acknowledgements().get().status == "SUCCESSFUL"

    run_worker()  # nothing left: a second worker pass sends nothing again
    assert len(mail.outbox) == 1


def test_the_database_backend_writes_the_task_in_the_submissions_transaction(
    settings, citizen, procedure
):
    """The test's transaction never commits, so no on-commit callback runs: the task
    row is there because "Gửi đi" wrote it with the dossier, and a crash after the commit
    cannot lose it."""
    settings.TASKS = DATABASE_TASKS
    submit(citizen, procedure)

    assert acknowledgements().get().status == "READY"


class Refused(Exception):
    """What makes the test's transaction roll back."""


@worker_test
@pytest.mark.parametrize(
    "backend", [DATABASE_TASKS, IMMEDIATE_TASKS], ids=["database", "immediate"]
)
def test_a_submission_that_rolls_back_queues_and_sends_nothing(
    settings, citizen, procedure, backend
):
    """The database backend writes the task in the submission's own transaction, the
    immediate one waits for its commit: either way a rollback leaves no trace."""
    settings.TASKS = backend
    with pytest.raises(Refused), transaction.atomic():
        submit(citizen, procedure)
        raise Refused

    assert not Dossier.objects.exclude(status=DossierStatus.DRAFT).exists()
    assert not acknowledgements().exists()
    assert mail.outbox == []


@worker_test
def test_the_worker_mails_each_change_as_it_was_made(settings):
    """Officials' actions only queue their e-mails; a worker that comes later, when the
    dossier has moved on, still reports each change with the status it led to."""
    settings.TASKS = DATABASE_TASKS
    world = build_world()
    services.receive_dossier(dossier=world.dossier, actor=world.official)
    services.start_processing(
        dossier=world.dossier, actor=world.official, assignee=world.colleague
    )
    assert mail.outbox == []

    run_worker()
    acknowledgement, received, processing = mail.outbox
    assert acknowledgement.subject.endswith(f"Đã nhận hồ sơ {world.dossier.code}")
    assert received.subject.endswith(f"Hồ sơ {world.dossier.code} đã được tiếp nhận")
    assert "Trạng thái hồ sơ: Đã tiếp nhận" in received.body
    assert "Trạng thái hồ sơ: Đang xử lý" in processing.body


@worker_test
def test_the_worker_builds_the_apology_letter_of_an_extension(settings):
    settings.TASKS = DATABASE_TASKS
    world = build_world()
    services.receive_dossier(dossier=world.dossier, actor=world.official)
    dossier = Dossier.objects.get(pk=world.dossier.pk)
    previous = timezone.localdate(dossier.due_at)
    new_due = working_days.add_working_days(previous, 5)
    services.extend_deadline(dossier=dossier, actor=world.official, new_due=new_due, reason=REASON)
    run_worker()

    letter_mail = mail.outbox[-1]
    assert letter_mail.subject.endswith(f"Hẹn lại ngày trả kết quả hồ sơ {dossier.code}")
    [(name, content, mimetype)] = letter_mail.attachments
    assert name == f"phieu-xin-loi-{dossier.code}.pdf" and mimetype == "application/pdf"
    text = pdf_text(content)
    assert REASON in text
    assert f"{previous:%d/%m/%Y}" in text and f"{new_due:%d/%m/%Y}" in text


@worker_test
def test_a_dossier_deleted_before_the_worker_runs_is_skipped(settings, citizen, procedure):
    settings.TASKS = DATABASE_TASKS
    dossier = submit(citizen, procedure)
    dossier.files.all().delete()
    dossier.delete()
    DBTaskResult.objects.exclude(pk__in=acknowledgements()).delete()  # Wagtail's, for it

    run_worker()
    assert mail.outbox == []
    assert acknowledgements().get().status == "SUCCESSFUL"
    assert acknowledge_dossier.call(dossier.pk) is False
