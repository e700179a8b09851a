"""Reads of dossiers that need care: who may see what, split by audience — ``citizen``
(their own dossiers and drafts, the public lookup), ``official`` (their agencies'
dossiers), ``timeline`` and ``display`` (shared by both). Every name is importable from
``forms_app.selectors``; finance's scoped reads are ``finance.selectors``."""

from .citizen import (
    agencies_offering_online,
    default_agency,
    dossier_file_of,
    dossier_total_size,
    dossiers_of,
    draft_file_of,
    draft_for,
    lookup_dossier,
    missing_components,
    receipt_payment_of,
    result_of,
    submittable_procedures,
    submitted_by_key,
    submitted_dossier_of,
)
from .display import applicant_name, files_by_component, form_data_rows, masked_name, readable
from .official import (
    agency_ids_of_official,
    dossiers_for_official,
    is_official_of,
    may_see,
    official_agency_ids,
    official_dossier,
    official_dossier_by_key,
    officials_of,
)
from .timeline import CITIZEN_NOTES, INTERNAL_EVENTS, timeline

__all__ = [
    "CITIZEN_NOTES",
    "INTERNAL_EVENTS",
    "agencies_offering_online",
    "agency_ids_of_official",
    "applicant_name",
    "default_agency",
    "dossier_file_of",
    "dossier_total_size",
    "dossiers_for_official",
    "dossiers_of",
    "draft_file_of",
    "draft_for",
    "files_by_component",
    "form_data_rows",
    "is_official_of",
    "lookup_dossier",
    "masked_name",
    "may_see",
    "missing_components",
    "official_agency_ids",
    "official_dossier",
    "official_dossier_by_key",
    "officials_of",
    "readable",
    "receipt_payment_of",
    "result_of",
    "submittable_procedures",
    "submitted_by_key",
    "submitted_dossier_of",
    "timeline",
]
