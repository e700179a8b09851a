"""With TASK_BACKEND=database (production), "Gửi đi" only queues the acknowledgement; a
`manage.py db_worker` sends it, once, with its PDF."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from forms_app.tasks import acknowledge_dossier
from procedures.tests.factories import make_agency, make_procedure

from .officials import submit

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


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


def test_a_submission_that_rolls_back_queues_nothing(
    settings, citizen, procedure, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(citizen, procedure)
    # The transaction never commits: the callbacks that would queue are dropped.
    assert callbacks
    assert not acknowledgements().exists()


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
