"""Forms of the officials' actions on a dossier, one per workflow action.

Each form only collects what its service function needs; the rules (status, reasons,
dates) are the services' to enforce, so that a form, a test and a command are held to
the same ones.
"""

import datetime
import uuid

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import format_vnd
from core.forms import AmountField, DateField
from procedures.constants import DEFAULT_FILE_TYPES, FeeCondition

from ..constants import DossierStatus, ResultDelivery
from ..finance.summary import fee_choice_problems
from ..selectors import officials_of
from ..submission.uploads import clean_upload


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


class ReceiveForm(NoteForm):
    """ "Tiếp nhận", confirming the fees: one amount per fee line, pre-filled from the
    procedure's schedule, an "Áp dụng" box for each alternative and conditional line
    (none ticked: the official decides), and the reason if an amount is changed. The
    rules are ``forms_app.finance.summary.fee_choice_problems``; each refusal is put by the box or
    the amount it is about."""

    fee_reason = forms.CharField(
        label=_("Lý do điều chỉnh phí, lệ phí"),
        help_text=_("Bắt buộc khi thay đổi số tiền; người nộp xem được lý do này."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fee_lines = list(dossier.fee_lines.all())
        order = []
        for line in self.fee_lines:
            if line.condition != FeeCondition.ALWAYS:
                name = f"fee_{line.pk}_applies"
                self.fields[name] = forms.BooleanField(
                    label=_("Áp dụng: %(name)s") % {"name": line.name},
                    required=False,
                    initial=bool(line.applies),
                    help_text=self._choice_help(line),
                )
                order.append(name)
            self.fields[f"fee_{line.pk}"] = AmountField(
                label=line.name,
                min_value=0,
                max_value=10**12,
                initial=line.amount,
                help_text=_("Theo biểu phí: %(amount)s") % {"amount": format_vnd(line.amount)},
            )
            order.append(f"fee_{line.pk}")
        if not self.fee_lines:
            del self.fields["fee_reason"]
        else:
            # The reason follows the amounts it explains.
            self.order_fields([*order, "fee_reason"])

    @staticmethod
    def _choice_help(line):
        if line.condition == FeeCondition.ALTERNATIVE:
            return _(
                "Mức thay thế (nhóm %(group)s): đánh dấu đúng một mức của nhóm; mức không "
                "đánh dấu tính 0 đồng."
            ) % {"group": line.alternative_group or 1}
        return _(
            "Tùy trường hợp: %(case)s. Đánh dấu nếu hồ sơ thuộc trường hợp này; không "
            "đánh dấu thì tính 0 đồng."
        ) % {"case": line.note.strip().rstrip(".") or "—"}

    @property
    def guidance(self):
        """Said above the fields when the official has lines to choose."""
        if any(line.condition != FeeCondition.ALWAYS for line in self.fee_lines):
            return _(
                "Biểu phí của thủ tục có các mức thay thế nhau hoặc khoản phí tùy trường "
                "hợp. Đánh dấu “Áp dụng” cho các khoản hồ sơ này phải nộp (mỗi nhóm mức "
                "thay thế đúng một mức); khoản không đánh dấu tính 0 đồng. Người nộp chỉ "
                "thanh toán tổng các khoản áp dụng."
            )
        return ""

    def _choices(self, cleaned_data):
        applies = {
            line.pk: cleaned_data.get(f"fee_{line.pk}_applies", False)
            for line in self.fee_lines
            if line.condition != FeeCondition.ALWAYS
        }
        amounts = {
            line.pk: cleaned_data[f"fee_{line.pk}"]
            for line in self.fee_lines
            if cleaned_data.get(f"fee_{line.pk}") is not None
        }
        return applies, amounts

    def clean(self):
        cleaned_data = super().clean()
        applies, amounts = self._choices(cleaned_data)
        for pk, kind, message in fee_choice_problems(
            self.fee_lines, applies=applies, amounts=amounts
        ):
            field = f"fee_{pk}_applies" if kind == "applies" else f"fee_{pk}"
            self.add_error(field if field in self.fields else None, message)
        changed = any(
            amounts.get(line.pk, line.amount) != line.amount
            and (line.condition == FeeCondition.ALWAYS or applies.get(line.pk))
            for line in self.fee_lines
        )
        if changed and not (cleaned_data.get("fee_reason") or "").strip():
            self.add_error("fee_reason", _("Vui lòng ghi lý do điều chỉnh phí, lệ phí."))
        return cleaned_data

    def service_kwargs(self):
        data = self.cleaned_data
        applies, amounts = self._choices(data)
        return {
            "note": data["note"],
            "fee_amounts": amounts,
            "fee_applies": applies,
            "fee_reason": data.get("fee_reason", ""),
        }


class ResultForm(NoteForm):
    """ "Có kết quả": the result document, and for a postal delivery its tracking number."""

    result = forms.FileField(
        label=_("Tệp kết quả giải quyết"),
        help_text=_("Bản điện tử của kết quả (PDF, ảnh, DOC, DOCX)."),
    )
    tracking_number = forms.CharField(
        label=_("Mã bưu gửi"),
        max_length=50,
        required=False,
        help_text=_("Bắt buộc khi người nộp nhận kết quả qua bưu điện."),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier.result_delivery != ResultDelivery.POSTAL:
            del self.fields["tracking_number"]
        else:
            self.fields["tracking_number"].required = True

    def clean_result(self):
        return clean_upload(
            self.cleaned_data["result"],
            accepted_types=DEFAULT_FILE_TYPES,
            max_size=settings.DOSSIER_MAX_FILE_SIZE,
        )

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "note": data["note"],
            "result": data["result"],
            "tracking_number": data.get("tracking_number", ""),
        }


class HandoverForm(NoteForm):
    handover = forms.ChoiceField(label=_("Hình thức đã trả kết quả"), choices=())
    note = forms.CharField(
        label=_("Chi tiết"),
        help_text=_("Ví dụ: người nhận, giấy tờ tùy thân đã kiểm tra; bưu điện đã phát ngày …"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        choices = [
            (value, label)
            for value, label in ResultDelivery.choices
            if value != ResultDelivery.ONLINE or dossier.result_delivery == ResultDelivery.ONLINE
        ]
        self.fields["handover"].choices = choices
        self.fields["handover"].initial = dossier.result_delivery

    def service_kwargs(self):
        return {"handover": self.cleaned_data["handover"], "note": self.cleaned_data["note"]}


class AssignForm(NoteForm):
    assignee = forms.ModelChoiceField(label=_("Cán bộ xử lý"), queryset=None)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["assignee"].queryset = officials_of(dossier.agency).order_by("full_name")

    def service_kwargs(self):
        return {"assignee": self.cleaned_data["assignee"], "note": self.cleaned_data["note"]}


class ExtendForm(forms.Form):
    new_due = DateField(label=_("Ngày hẹn trả kết quả mới"))
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
    reply_by = DateField(label=_("Hạn bổ sung"))
    confirm_repeat = forms.BooleanField(
        label=_("Tôi biết hồ sơ đã được yêu cầu bổ sung trước đây và vẫn yêu cầu thêm lần nữa"),
        required=False,
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.items = []
        for component in dossier.as_submitted.components:
            self._add_item(f"component_{component.id}", component.name, component_id=component.id)
        for field in dossier.as_submitted.form_fields:
            self._add_item(f"field_{field.name}", field.label, field_name=field.name)
        # One request for completeness at each moment: the reception check, processing.
        self.at_reception = dossier.status == DossierStatus.SUBMITTED
        if not dossier.supplement_requests.filter(at_reception=self.at_reception).exists():
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
