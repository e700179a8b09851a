"""Queueing background work so that it happens if, and only if, its change commits."""

from functools import partial

from django.db import transaction
from django_tasks_db import DatabaseBackend


def enqueue_on_commit(task, *args, **kwargs):
    """Queue ``task`` for the change the current transaction is making.

    With the database backend (production) the task's row is written now, inside that
    transaction: it commits with the change or not at all, so no crash between the two
    can lose it, and no worker sees it before the change is visible. Every other backend
    acts at enqueue time (``immediate`` runs the task there and then), so it is called
    once the transaction has committed, and not at all if it rolls back.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))
