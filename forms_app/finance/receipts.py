"""The e-receipt of a fee paid online ("Biên lai thu phí, lệ phí").

One receipt per completed payment: the agency that collects it, the payer, what was
paid for (the dossier's fee lines as they stood), the amount in figures and in words,
and the payment's reference and gateway transaction number, which the citizen and the
finance officer match against the bank's statement.
"""

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from core.formatting import amount_in_words, format_datetime, format_vnd

from ..documents.pdf import (
    WIDTH,
    build_pdf,
    national_header,
    para,
    styles,
)


def receipt_pdf(payment) -> bytes:
    """The receipt of a completed payment for a dossier, as an A4 PDF."""
    style_sheet = styles()
    dossier = payment.dossier
    agency = dossier.as_submitted.agency_name
    details = [
        (_("Số biên lai"), payment.reference),
        (_("Ngày thu"), format_datetime(payment.completed_at)),
        (_("Đơn vị thu"), agency),
        (_("Người nộp"), dossier.applicant_data.get("full_name", "")),
        (_("Địa chỉ"), dossier.applicant_data.get("address", "")),
        (_("Mã hồ sơ"), dossier.code),
        (_("Thủ tục"), dossier.as_submitted.procedure_title),
        (
            _("Hình thức thanh toán"),
            _("Trực tuyến qua %(gateway)s") % {"gateway": payment.get_gateway_display()},
        ),
        (_("Mã giao dịch tại cổng thanh toán"), payment.gateway_transaction_no or "—"),
    ]
    details_table = Table(
        [
            [para(label, style_sheet["bold"]), para(value, style_sheet["body"])]
            for label, value in details
        ],
        colWidths=[WIDTH * 0.35, WIDTH * 0.65],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)],
    )
    # What was charged: the lines that apply (not an unchosen alternative), with an amount.
    lines = [line for line in dossier.fee_lines.all() if line.applies and line.amount]
    rows = [
        [
            para(_("STT"), style_sheet["center_bold"]),
            para(_("Nội dung thu"), style_sheet["bold"]),
            para(_("Số tiền"), style_sheet["center_bold"]),
        ],
        *(
            [
                para(number, style_sheet["center"]),
                para(line.name, style_sheet["body"]),
                para(format_vnd(line.amount), style_sheet["center"]),
            ]
            for number, line in enumerate(lines, start=1)
        ),
        [
            "",
            para(_("Tổng số tiền đã thu"), style_sheet["bold"]),
            para(format_vnd(payment.amount), style_sheet["center_bold"]),
        ],
    ]
    lines_table = Table(
        rows,
        colWidths=[WIDTH * 0.1, WIDTH * 0.6, WIDTH * 0.3],
        repeatRows=1,
        style=[
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
    )
    story = [
        national_header(agency, style_sheet),
        para(_("BIÊN LAI THU PHÍ, LỆ PHÍ"), style_sheet["title"]),
        para(_("(Biên lai điện tử)"), style_sheet["center"]),
        Spacer(1, 5 * mm),
        details_table,
        Spacer(1, 4 * mm),
        lines_table,
        Spacer(1, 3 * mm),
        para(
            _("Số tiền bằng chữ: %(words)s.") % {"words": amount_in_words(payment.amount)},
            style_sheet["body"],
        ),
        Spacer(1, 6 * mm),
        para(
            _("Biên lai được lập tự động khi cổng thanh toán xác nhận giao dịch."),
            style_sheet["small"],
        ),
    ]
    return build_pdf(
        story,
        title=_("Biên lai thu phí, lệ phí %(reference)s") % {"reference": payment.reference},
        subject=dossier.code,
    )
