"""The procedure catalogue: agencies and their procedures as Wagtail pages (levels 1-2)."""

from .agencies import AgencyIndexPage, AgencyPage
from .fields import ProcedureField
from .index import ProcedureIndexPage
from .procedures import (
    DossierComponent,
    FormFieldType,
    LegalBasis,
    ProcedureFee,
    ProcedureFormField,
    ProcedurePage,
)

__all__ = [
    "AgencyIndexPage",
    "AgencyPage",
    "DossierComponent",
    "FormFieldType",
    "LegalBasis",
    "ProcedureFee",
    "ProcedureField",
    "ProcedureFormField",
    "ProcedureIndexPage",
    "ProcedurePage",
]
