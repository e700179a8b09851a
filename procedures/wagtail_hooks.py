"""Admin registration of the catalogue: fields (lĩnh vực) as snippets."""

from wagtail.snippets.models import register_snippet

from .models import ProcedureField

register_snippet(ProcedureField)
