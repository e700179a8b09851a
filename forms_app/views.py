"""Online submission views.

Until the submission wizard lands, ``start`` tells the citizen how to submit this
procedure today instead of pretending to accept a dossier.
"""

from django.shortcuts import get_object_or_404, render

from procedures.selectors import live_procedures


def start(request, page_id):
    procedure = get_object_or_404(live_procedures().select_related("field"), pk=page_id)
    return render(request, "forms_app/coming_soon.html", {"procedure": procedure})
