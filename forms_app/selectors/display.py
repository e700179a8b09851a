"""How a dossier's applicant, answers and files are shown, to citizens and officials alike."""

from django.utils.translation import gettext

from core.formatting import format_date


def masked_name(full_name):
    """ "Nguyễn Văn An" → "Nguyễn V** A*": enough to recognise one's own dossier, not
    enough to learn whose it is."""
    words = (full_name or "").split()
    if not words:
        return ""
    return " ".join([words[0], *(word[0] + "*" * (len(word) - 1) for word in words[1:])])


def applicant_name(dossier):
    """Who the dossier is for: as declared, else the account's name (a counter dossier
    may have no account)."""
    declared = dossier.applicant_data.get("full_name")
    return declared or (dossier.applicant.full_name if dossier.applicant_id else "")


def form_data_rows(dossier):
    """The procedure's own answers, in the form's order, with the labels they were
    submitted under and as a person reads them ("Có", "a, b", "20/11/2026", not True, a
    list or the ISO date the dossier keeps)."""
    fields = dossier.as_submitted.form_fields
    labels = {field.name: field.label for field in fields}
    types = {field.name: field.field_type for field in fields}
    order = [field.name for field in fields]
    names = order + [name for name in dossier.form_data if name not in labels]
    return [
        (labels.get(name, name), readable(dossier.form_data[name], types.get(name, "")))
        for name in names
        if name in dossier.form_data
    ]


def readable(value, field_type=""):
    if value is True:
        return gettext("Có")
    if value is False:
        return gettext("Không")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if field_type == "date":
        return format_date(value)
    return "" if value is None else str(value)


def files_by_component(dossier):
    """The dossier's files under their components, in the procedure's order as it was
    submitted (a file whose component has since gone is still listed, last)."""
    groups = {component.id: (component.name, []) for component in dossier.as_submitted.components}
    for attachment in dossier.files.all():
        groups.setdefault(attachment.component_id, (attachment.component_name, []))[1].append(
            attachment
        )
    return [group for group in groups.values() if group[1]]
