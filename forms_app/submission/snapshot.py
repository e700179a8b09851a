"""What a dossier was submitted against, frozen at "Gửi đi".

Editors keep improving procedure pages; a submitted dossier must still read as the
citizen saw it (the officials judge it against those rules), so everything the dossier
pages show about the procedure comes from this snapshot, not from the live page.
"""

import dataclasses
import datetime
import decimal

from procedures.fees import ScheduledFee, fee_as_dict


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


@dataclasses.dataclass(frozen=True)
class SnapshotComponent:
    """A dossier component as the procedure listed it at submission."""

    id: int
    name: str
    required: bool = True
    originals: int = 0
    copies: int = 0


@dataclasses.dataclass(frozen=True)
class SnapshotField:
    """One of the procedure's own questions, under the label it was asked with."""

    name: str
    label: str
    field_type: str = ""


class Snapshot:
    """The one way code and templates read ``Dossier.snapshot`` (``dossier.as_submitted``).

    The snapshot is JSON written by ``procedure_snapshot``; dossiers made before a key
    existed, or in bulk by the demo, lack some. Each property says what stands in for a
    missing key — the live procedure or agency where the dossier's own record is the best
    left, otherwise an empty value — so no reader carries its own fallback.
    """

    def __init__(self, dossier):
        self.dossier = dossier
        self.data = dossier.snapshot or {}

    @property
    def _procedure(self):
        return self.data.get("procedure", {})

    @property
    def procedure_title(self):
        return self._procedure.get("title") or self.dossier.procedure.title

    @property
    def procedure_code(self):
        return self._procedure.get("code") or ""

    @property
    def level(self):
        """The service level submitted at (a later change of the page does not take
        online payment away from the dossier, nor give it)."""
        return self._procedure.get("level", self.dossier.procedure.level)

    @property
    def pays_on_submission(self):
        return bool(self._procedure.get("pay_on_submission"))

    @property
    def processing_time_days(self):
        """The legal time limit the dossier was submitted against."""
        return self._procedure.get(
            "processing_time_days", self.dossier.procedure.processing_time_days
        )

    @property
    def processing_time_note(self):
        return self._procedure.get("processing_time_note") or ""

    @property
    def agency_name(self):
        return self.data.get("agency", {}).get("name") or self.dossier.agency.title

    @property
    def fees(self):
        """The fee schedule as ``ScheduledFee`` lines."""
        return [ScheduledFee.from_dict(fee) for fee in self.data.get("fees", [])]

    @property
    def components(self):
        return [
            SnapshotComponent(
                id=component["id"],
                name=component["name"],
                required=component.get("required", True),
                originals=component.get("originals", 0),
                copies=component.get("copies", 0),
            )
            for component in self.data.get("components", [])
        ]

    @property
    def form_fields(self):
        return [
            SnapshotField(
                name=field["name"], label=field["label"], field_type=field.get("field_type", "")
            )
            for field in self.data.get("form_fields", [])
        ]

    def component_names(self):
        """{component id: name}."""
        return {component.id: component.name for component in self.components}

    def field_labels(self):
        """{question name: label}."""
        return {field.name: field.label for field in self.form_fields}
