"""The models of dossiers (hồ sơ), one module per concern; everything is importable from
``forms_app.models`` (migrations name ``forms_app.models.dossier_file_path`` and
``private_storage``).

Dossiers are data, not content: plain models with django-simple-history, written only
through ``forms_app.services``.
"""

from .calendar import CalendarDay, CalendarYear
from .dossiers import Dossier, DossierCodeCounter, DossierEvent
from .files import DossierFile, DossierResult, dossier_file_path, private_storage, result_file_path
from .officials import OfficialGroup
from .supplements import SupplementItem, SupplementRequest

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "Dossier",
    "DossierCodeCounter",
    "DossierEvent",
    "DossierFile",
    "DossierResult",
    "OfficialGroup",
    "SupplementItem",
    "SupplementRequest",
    "dossier_file_path",
    "private_storage",
    "result_file_path",
]
