"""What a dossier was submitted against, frozen at "Gửi đi".

Editors keep improving procedure pages; a submitted dossier must still read as the
citizen saw it (the officials judge it against those rules), so everything the dossier
pages show about the procedure comes from this snapshot, not from the live page.
"""

import datetime
import decimal

from procedures.fees import fee_as_dict


def procedure_snapshot(procedure, agency):
    """A JSON-ready copy of the procedure's rules and the receiving agency."""
    return {
        "procedure": {
            "id": procedure.pk,
            "title": procedure.title,
            "code": procedure.code or "",
            "revision_id": procedure.live_revision_id,
            "level": procedure.level,
            "processing_time_days": procedure.processing_time_days,
            "processing_time_note": procedure.processing_time_note,
            "pay_on_submission": procedure.pay_on_submission,
        },
        "agency": {"id": agency.pk, "name": agency.title, "code": agency.code},
        # As the import and the API write a schedule: each line with how it is owed.
        "fees": [fee_as_dict(fee) for fee in procedure.fees.all()],
        "components": [
            {
                "id": component.pk,
                "name": component.name,
                "required": component.required,
                "originals": component.originals,
                "copies": component.copies,
            }
            for component in procedure.dossier_components.all()
        ],
        "form_fields": [
            {"name": field.clean_name, "label": field.label, "field_type": field.field_type}
            for field in procedure.form_fields.all()
        ],
    }


def json_value(value):
    """A form's cleaned value as JSON keeps it: dates as ISO text, numbers as text
    (a Decimal must not lose digits through float), lists as lists."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    return value
