"""The steps of the online submission wizard, one form each.

Every step refuses data it did not ask for (a field or component that is not this
procedure's), so a tampered POST comes back with a message instead of being ignored.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import CCCDField, FullNameField, PhoneNumberField
from core.forms import DateField, DateInput
from procedures.constants import ApplicantType
from procedures.forms import OnlineFormBuilder

from ..constants import ResultDelivery
from ..selectors import dossier_total_size
from .uploads import check_dossier_size, clean_upload


class WizardStepForm(forms.Form):
    """A step of the wizard: required fields marked, unknown inputs refused."""

    required_css_class = "required"

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure

    def clean(self):
        cleaned_data = super().clean()
        if self.is_bound and self.prefix:
            known = {self.add_prefix(name) for name in self.fields}
            posted = {
                key for key in [*self.data, *self.files] if key.startswith(f"{self.prefix}-")
            }
            if posted - known:
                raise forms.ValidationError(
                    _("Biểu mẫu gửi lên có thông tin không thuộc thủ tục này. Vui lòng nhập lại."),
                    code="unknown_field",
                )
        return cleaned_data


class AgencyForm(WizardStepForm):
    """ "Cơ quan tiếp nhận": asked only when several agencies carry out the procedure
    (for example, the commune where the citizen lives)."""

    agency = forms.ModelChoiceField(
        label=_("Cơ quan tiếp nhận hồ sơ"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Vui lòng chọn một cơ quan trong danh sách.")},
    )

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, procedure=procedure, **kwargs)
        self.fields["agency"].queryset = procedure.executing_agencies.live().order_by("title")


class ApplicantForm(WizardStepForm):
    """ "Tiếp nhận hồ sơ": who the dossier is for, pre-filled from the citizen's profile,
    and who submits it when someone acts on another's behalf."""

    full_name = FullNameField()
    date_of_birth = DateField(
        label=_("Ngày sinh"), widget=DateInput(attrs={"autocomplete": "bday"})
    )
    cccd = CCCDField()
    phone = PhoneNumberField()
    email = forms.EmailField(
        label=_("Thư điện tử"),
        help_text=_("Thông báo về hồ sơ được gửi tới địa chỉ này."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ thường trú"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    applicant_type = forms.ChoiceField(label=_("Đối tượng thực hiện"), widget=forms.RadioSelect)
    on_behalf = forms.BooleanField(
        label=_("Tôi nộp hồ sơ thay cho người khác (người đại diện, được ủy quyền)"),
        required=False,
    )
    representative_name = FullNameField(label=_("Họ và tên người đại diện"), required=False)
    representative_cccd = CCCDField(label=_("Số CCCD của người đại diện"), required=False)
    representative_phone = PhoneNumberField(
        label=_("Số điện thoại của người đại diện"), required=False
    )
    representative_relation = forms.CharField(
        label=_("Quan hệ với người có hồ sơ"),
        help_text=_("Ví dụ: cha, mẹ, người được ủy quyền."),
        max_length=100,
        required=False,
    )

    REPRESENTATIVE_FIELDS = [
        "representative_name",
        "representative_cccd",
        "representative_phone",
        "representative_relation",
    ]

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, procedure=procedure, **kwargs)
        labels = dict(ApplicantType.choices)
        choices = [(code, labels[code]) for code in procedure.applicant_types if code in labels]
        self.fields["applicant_type"].choices = choices or list(ApplicantType.choices)
        if len(self.fields["applicant_type"].choices) == 1:
            self.fields["applicant_type"].initial = self.fields["applicant_type"].choices[0][0]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("on_behalf"):
            for name in self.REPRESENTATIVE_FIELDS:
                if not cleaned_data.get(name) and name not in self.errors:
                    self.add_error(
                        name, gettext("Vui lòng nhập thông tin này khi nộp hồ sơ thay.")
                    )
        else:
            for name in self.REPRESENTATIVE_FIELDS:
                cleaned_data[name] = ""
        return cleaned_data


class ProcedureDataForm(WizardStepForm):
    """The procedure's own questions, as its editors built them with Wagtail's form
    builder on the procedure page."""

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, procedure=procedure, **kwargs)
        self.fields.update(OnlineFormBuilder(procedure.form_fields.all()).formfields)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, the way Django's documentation builds it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


EXTENSIONS = {
    "pdf": ".pdf",
    "jpeg": ".jpg,.jpeg",
    "png": ".png",
    "doc": ".doc",
    "docx": ".docx",
}


def accept_attribute(component):
    """A hint for the file picker only: the type is decided from the bytes."""
    return ",".join(EXTENSIONS[kind] for kind in component.accepted_types if kind in EXTENSIONS)


MISSING_COMPONENT = "missing_component"


class ComponentsForm(WizardStepForm):
    """ "Thành phần hồ sơ": one upload area per component of the procedure.

    Files already attached to the draft count towards the rules (required components,
    files per component, total size), so the step can be completed in several visits.
    Valid uploads are in ``self.uploads`` as ``(component, CleanedUpload)`` pairs for the
    wizard to store.
    """

    def __init__(self, *args, procedure, draft, **kwargs):
        super().__init__(*args, procedure=procedure, **kwargs)
        self.draft = draft
        self.components = list(procedure.dossier_components.select_related("template"))
        self.uploads = []
        for component in self.components:
            # The inputs sit beside each component's "Xóa" forms, outside the wizard's
            # <form>, and join it through the form attribute.
            self.fields[self.field_name(component)] = MultipleFileField(
                label=component.name,
                required=False,
                widget=MultipleFileInput(
                    attrs={"form": "wizard-form", "accept": accept_attribute(component)}
                ),
            )

    @staticmethod
    def field_name(component):
        return f"component_{component.pk}"

    def attached(self):
        """The draft's files by component id."""
        files = {}
        if self.draft.pk:
            for attachment in self.draft.files.all():
                files.setdefault(attachment.component_id, []).append(attachment)
        return files

    def clean(self):
        cleaned_data = super().clean()
        attached = self.attached()
        total = dossier_total_size(self.draft) if self.draft.pk else 0
        for component in self.components:
            name = self.field_name(component)
            if name in self.errors:
                continue
            uploads = [
                (component, upload)
                for upload in self._clean_files(name, component, cleaned_data.get(name) or [])
            ]
            count = len(attached.get(component.pk, [])) + len(uploads)
            if count > settings.DOSSIER_MAX_FILES_PER_COMPONENT:
                self.add_error(
                    name,
                    gettext("Mỗi thành phần hồ sơ có tối đa %(count)d tệp.")
                    % {"count": settings.DOSSIER_MAX_FILES_PER_COMPONENT},
                )
            elif component.required and count == 0:
                self.add_error(
                    name,
                    forms.ValidationError(
                        gettext("Vui lòng đính kèm “%(name)s”: đây là thành phần bắt buộc.")
                        % {"name": component.name},
                        code=MISSING_COMPONENT,
                    ),
                )
            self.uploads.extend(uploads)
            total += sum(upload.size for _component, upload in uploads)
        check_dossier_size(total)
        return cleaned_data

    def storable_uploads(self):
        """The uploads to keep although the step is not complete: every file sent is
        acceptable and only other required components are still missing. A citizen who
        attaches one document of three keeps it."""
        problems = [error for errors in self.errors.as_data().values() for error in errors]
        if all(error.code == MISSING_COMPONENT for error in problems):
            return self.uploads
        return []

    def _clean_files(self, name, component, files):
        max_size = min(component.max_size_mb * settings.MEGABYTE, settings.DOSSIER_MAX_FILE_SIZE)
        cleaned = []
        for uploaded in files:
            try:
                cleaned.append(
                    clean_upload(
                        uploaded, accepted_types=component.accepted_types, max_size=max_size
                    )
                )
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned


class ResultDeliveryForm(WizardStepForm):
    """How the citizen receives the result: at the agency, by post, or online where the
    procedure is level 4."""

    result_delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        widget=forms.RadioSelect,
        initial=ResultDelivery.AT_AGENCY,
    )
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu điện"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, procedure=procedure, **kwargs)
        choices = [
            (value, label)
            for value, label in ResultDelivery.choices
            if value != ResultDelivery.ONLINE or procedure.allows_online_result
        ]
        self.fields["result_delivery"].choices = choices

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("result_delivery") == ResultDelivery.POSTAL:
            if not cleaned_data.get("delivery_address"):
                self.add_error(
                    "delivery_address",
                    gettext("Vui lòng nhập địa chỉ để nhận kết quả qua bưu điện."),
                )
        else:
            cleaned_data["delivery_address"] = ""
        return cleaned_data


class ReviewForm(WizardStepForm):
    """The last step: everything shown once more, and the citizen's declaration."""

    declaration = forms.BooleanField(
        label=_("Tôi xin cam đoan những thông tin khai trên là đúng sự thật"),
        error_messages={
            "required": _("Vui lòng đánh dấu lời cam đoan trước khi gửi hồ sơ."),
        },
    )
