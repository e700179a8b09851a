"""How the review step ("Xem lại và gửi") shows what the citizen entered: each component
with its files, and each answer as the dossier page will show it."""

import datetime

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..selectors import readable


def attachment_rows(form):
    """Each component with the files attached to it, for the review step."""
    attached = form.attached()
    return [
        (
            component.name,
            ", ".join(
                f"{attachment.original_name} ({filesizeformat(attachment.size)})"
                for attachment in attached.get(component.pk, [])
            )
            or _("Chưa có tệp"),
        )
        for component in form.components
    ]


def display_value(bound_field, value):
    """A cleaned value as the citizen chose it: choice labels rather than codes, and
    otherwise as the dossier page will show it (``selectors.readable``)."""
    choices = dict(getattr(bound_field.field, "choices", []) or [])
    if isinstance(value, (list, tuple)):
        return ", ".join(str(choices.get(item, item)) for item in value)
    if choices and value in choices:
        return choices[value]
    return readable(value, "date" if isinstance(value, datetime.date) else "")
