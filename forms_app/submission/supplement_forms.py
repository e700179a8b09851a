"""The citizen's answer to a "Yêu cầu bổ sung": new files for exactly the components the
agency asked for, new answers for exactly the form fields it asked for.

Like the wizard's steps, the form refuses whatever it did not ask for, so a tampered
POST comes back with a message instead of being ignored. Valid input is ready for
``services.submit_supplement``: ``uploads`` as ``(component id, CleanedUpload)`` pairs
and ``answers`` as JSON-ready values by field name.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from procedures.constants import DEFAULT_FILE_TYPES, FileType
from procedures.forms import OnlineFormBuilder

from .forms import MultipleFileField, MultipleFileInput, accept_attribute
from .snapshot import json_value
from .uploads import check_dossier_size, clean_upload

PREFIX = "bo-sung"
COMPONENT = "component"
FORM_FIELD = "field"


@dataclass
class UploadRules:
    """What one requested component accepts: the page's rules for it, or the portal's
    defaults when the component has since been removed from the procedure page."""

    accepted_types: list
    max_size: int

    @property
    def accept(self):
        return accept_attribute(self)

    @property
    def description(self):
        labels = [choice.label for choice in FileType if choice in self.accepted_types]
        return gettext("Tệp %(types)s, mỗi tệp tối đa %(size)s.") % {
            "types": get_text_list(labels, gettext("hoặc")),
            "size": filesizeformat(self.max_size),
        }


@dataclass
class Entry:
    """One thing to supplement, as the page shows it: the agency's item(s) and the one
    input that answers them."""

    kind: str
    name: str
    label: str
    guidances: list
    component_id: int | None = None
    field_name: str = ""
    rules: UploadRules | None = None
    current_files: list = field(default_factory=list)
    bound_field: object = None

    @property
    def is_component(self):
        return self.kind == COMPONENT


def upload_rules(component):
    if component is None:
        return UploadRules(list(DEFAULT_FILE_TYPES), settings.DOSSIER_MAX_FILE_SIZE)
    return UploadRules(
        list(component.accepted_types),
        min(component.max_size_mb * settings.MEGABYTE, settings.DOSSIER_MAX_FILE_SIZE),
    )


class SupplementForm(forms.Form):
    """ "Gửi bổ sung": one upload area per requested component (several files allowed;
    they replace the component's current files) and one input per requested field,
    pre-filled with the current answer."""

    required_css_class = "required"

    def __init__(self, dossier, request_, data=None, files=None):
        super().__init__(data, files, prefix=PREFIX)
        self.dossier = dossier
        self.request_ = request_
        self.uploads = []
        self.answers = {}
        self.entries = []
        items = list(request_.items.all())
        procedure = dossier.procedure
        components = {
            component.pk: component
            for component in procedure.dossier_components.all()
            if any(item.component_id == component.pk for item in items)
        }
        requested_fields = [item.field_name for item in items if item.field_name]
        built = (
            OnlineFormBuilder(
                procedure.form_fields.filter(clean_name__in=requested_fields)
            ).formfields
            if requested_fields
            else {}
        )
        current = [f for f in dossier.files.all() if f.replaced_at is None]
        by_name = {}
        for item in items:
            if item.component_id:
                name = f"{COMPONENT}_{item.component_id}"
            else:
                name = f"{FORM_FIELD}_{item.field_name}"
            if name in by_name:  # the same thing asked twice: one input, both guidances
                by_name[name].guidances.append(item.guidance)
                continue
            if item.component_id:
                entry = self._component_entry(name, item, components, current)
            else:
                entry = self._field_entry(name, item, built)
            by_name[name] = entry
            self.entries.append(entry)
        for entry in self.entries:
            # Read out with the input (Django adds the errors' id when there are some).
            self.fields[entry.name].help_text = " ".join(entry.guidances)
            entry.bound_field = self[entry.name]

    def _component_entry(self, name, item, components, current):
        rules = upload_rules(components.get(item.component_id))
        self.fields[name] = MultipleFileField(
            label=gettext("Chọn tệp mới"),
            required=False,
            # Required, but checked in clean() with a message naming the component; the
            # attribute tells assistive technology (the page's form is novalidate).
            widget=MultipleFileInput(attrs={"accept": rules.accept, "required": True}),
        )
        return Entry(
            kind=COMPONENT,
            name=name,
            label=item.label,
            guidances=[item.guidance],
            component_id=item.component_id,
            rules=rules,
            current_files=[f for f in current if f.component_id == item.component_id],
        )

    def _field_entry(self, name, item, built):
        formfield = built.get(item.field_name)
        if formfield is None:  # the question has since left the procedure page
            formfield = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
        formfield.label = item.label
        # The agency asked for this answer: it may not be left empty (except a
        # checkbox, whose right answer may be "no").
        if not isinstance(formfield, forms.BooleanField):
            formfield.required = True
        formfield.initial = self.dossier.form_data.get(item.field_name)
        self.fields[name] = formfield
        return Entry(
            kind=FORM_FIELD,
            name=name,
            label=item.label,
            guidances=[item.guidance],
            field_name=item.field_name,
        )

    def clean(self):
        cleaned_data = super().clean()
        known = {self.add_prefix(name) for name in self.fields}
        posted = {key for key in [*self.data, *self.files] if key.startswith(f"{self.prefix}-")}
        if posted - known:
            raise forms.ValidationError(
                _(
                    "Biểu mẫu gửi lên có nội dung cơ quan không yêu cầu bổ sung. "
                    "Vui lòng tải lại trang và gửi lại."
                ),
                code="unknown_field",
            )
        total = sum(
            f.size
            for f in self.dossier.files.all()
            if f.replaced_at is None
            and f.component_id not in {e.component_id for e in self.entries if e.is_component}
        )
        for entry in self.entries:
            if entry.name in self.errors:
                continue
            if entry.is_component:
                uploads = self._clean_files(entry, cleaned_data.get(entry.name) or [])
                total += sum(upload.size for _component_id, upload in uploads)
                self.uploads.extend(uploads)
            else:
                self.answers[entry.field_name] = json_value(cleaned_data.get(entry.name))
        check_dossier_size(total)
        return cleaned_data

    def _clean_files(self, entry, files):
        """The entry's files, each checked by its bytes; the errors go to its input."""
        if not files:
            self.add_error(
                entry.name,
                forms.ValidationError(
                    gettext("Vui lòng đính kèm tệp mới cho “%(name)s”.") % {"name": entry.label},
                    code="missing_component",
                ),
            )
            return []
        if len(files) > settings.DOSSIER_MAX_FILES_PER_COMPONENT:
            self.add_error(
                entry.name,
                gettext("Mỗi thành phần hồ sơ có tối đa %(count)d tệp.")
                % {"count": settings.DOSSIER_MAX_FILES_PER_COMPONENT},
            )
            return []
        cleaned = []
        for uploaded in files:
            try:
                cleaned.append(
                    clean_upload(
                        uploaded,
                        accepted_types=entry.rules.accepted_types,
                        max_size=entry.rules.max_size,
                    )
                )
            except forms.ValidationError as error:
                self.add_error(entry.name, error)
        if entry.name in self.errors:
            return []
        return [(entry.component_id, upload) for upload in cleaned]
