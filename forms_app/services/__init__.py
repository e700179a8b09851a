"""Every write to a dossier, one function per thing a citizen or an official does:
``submission`` for the citizen's draft and "Gửi đi", ``workflow`` for what happens after
(with ``supplements``, ``extension`` and ``counter`` for three of its steps). Views, admin
actions and commands call these; none writes a status itself."""

from ..finance.services import start_dossier_payment
from .counter import register_counter_dossier
from .extension import extend_deadline, extension_refusal
from .submission import (
    attach_files,
    purge_drafts,
    remove_draft_file,
    save_draft_state,
    store_files,
    submit_dossier,
)
from .supplements import open_supplement_request, request_supplement, submit_supplement
from .workflow import (
    ACTIONS,
    TRANSITIONS,
    TransitionRefused,
    allowed_actions,
    complete_dossier,
    mark_result_ready,
    receive_dossier,
    reject_dossier,
    resume_processing,
    start_processing,
    withdraw_dossier,
)

__all__ = [
    "ACTIONS",
    "TRANSITIONS",
    "TransitionRefused",
    "allowed_actions",
    "attach_files",
    "complete_dossier",
    "extend_deadline",
    "extension_refusal",
    "mark_result_ready",
    "open_supplement_request",
    "purge_drafts",
    "receive_dossier",
    "register_counter_dossier",
    "reject_dossier",
    "remove_draft_file",
    "request_supplement",
    "resume_processing",
    "save_draft_state",
    "start_dossier_payment",
    "start_processing",
    "store_files",
    "submit_dossier",
    "submit_supplement",
    "withdraw_dossier",
]
