"""Forms of the officials' actions on a dossier, one per workflow action.

Each form only collects what its service function needs; the rules (status, reasons,
dates) are the services' to enforce, so that a form, a test and a command are held to
the same ones.
"""

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors import officials_of


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú nội bộ"),
        help_text=_("Chỉ cán bộ xem được; người nộp không thấy ghi chú này."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    def service_kwargs(self):
        return {"note": self.cleaned_data["note"]}


class ReasonForm(NoteForm):
    """An action the citizen must be told the reason for (rejection)."""

    note = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self):
        return {"reason": self.cleaned_data["note"]}


class HandoverForm(NoteForm):
    note = forms.CharField(
        label=_("Cách trả kết quả"),
        help_text=_("Ví dụ: trả trực tiếp tại bộ phận một cửa; gửi qua bưu điện, mã bưu gửi …"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(NoteForm):
    assignee = forms.ModelChoiceField(label=_("Cán bộ xử lý"), queryset=None)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["assignee"].queryset = officials_of(dossier.agency).order_by("full_name")

    def service_kwargs(self):
        return {"assignee": self.cleaned_data["assignee"], "note": self.cleaned_data["note"]}


class ExtendForm(forms.Form):
    new_due = forms.DateField(
        label=_("Ngày hẹn trả kết quả mới"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("Lý do gia hạn"),
        help_text=_("Được ghi vào Phiếu xin lỗi và hẹn lại ngày trả kết quả gửi người nộp."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    def service_kwargs(self):
        return dict(self.cleaned_data)


class SupplementRequestForm(forms.Form):
    """ "Yêu cầu bổ sung": a tick and a guidance box for each component and each form
    answer of the dossier, plus the general note and the reply-by date."""

    note = forms.CharField(
        label=_("Hướng dẫn chung"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reply_by = forms.DateField(
        label=_("Hạn bổ sung"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm_repeat = forms.BooleanField(
        label=_("Tôi biết hồ sơ đã được yêu cầu bổ sung trước đây và vẫn yêu cầu thêm lần nữa"),
        required=False,
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.items = []
        snapshot = dossier.snapshot
        for component in snapshot.get("components", []):
            self._add_item(
                f"component_{component['id']}", component["name"], component_id=component["id"]
            )
        for field in snapshot.get("form_fields", []):
            self._add_item(f"field_{field['name']}", field["label"], field_name=field["name"])
        if not dossier.supplement_requests.exists():
            del self.fields["confirm_repeat"]
        self.fields["reply_by"].initial = timezone.localdate() + datetime.timedelta(days=15)

    def _add_item(self, key, label, **target):
        self.fields[f"{key}_asked"] = forms.BooleanField(label=label, required=False)
        self.fields[f"{key}_guidance"] = forms.CharField(
            label=_("Hướng dẫn cho “%(name)s”") % {"name": label},
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.items.append((key, target))

    def item_fields(self):
        """``(tick, guidance)`` bound fields, for the template."""
        return [(self[f"{key}_asked"], self[f"{key}_guidance"]) for key, _target in self.items]

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "items": [
                {**target, "guidance": data[f"{key}_guidance"]}
                for key, target in self.items
                if data[f"{key}_asked"]
            ],
            "note": data["note"],
            "reply_by": data["reply_by"],
            "confirm_repeat": data.get("confirm_repeat", False),
        }


class CounterDossierForm(forms.Form):
    """A dossier handed in at the counter, registered so it can be followed online."""

    procedure = forms.ModelChoiceField(label=_("Thủ tục"), queryset=None)
    agency = forms.ModelChoiceField(label=_("Cơ quan tiếp nhận"), queryset=None)
    full_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150)
    cccd = forms.CharField(label=_("Số CCCD"), max_length=12, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        help_text=_("Nếu có, người nộp nhận thông báo về hồ sơ qua thư điện tử."),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # One per form shown: posting it twice registers one dossier.
    key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, agencies, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["procedure"].queryset = procedures

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "procedure": data["procedure"],
            "agency": data["agency"],
            "applicant_data": {
                name: data[name] for name in ("full_name", "cccd", "phone", "email", "address")
            },
            "note": data["note"],
            "key": data["key"],
        }
