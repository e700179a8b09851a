"""The e-receipt of a fee paid online ("Biên lai thu phí, lệ phí").

One receipt per completed payment: the agency that collects it, the payer, what was
paid for (the dossier's fee lines as they stood), the amount in figures and in words,
and the payment's reference and gateway transaction number, which the citizen and the
finance officer match against the bank's statement.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from procedures.text import format_vnd

from .pdf import WIDTH, agency_name, build_pdf, national_header, para, procedure_title, styles

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# The names of the groups of three digits under a thousand million; above it the
# reading starts again before "tỷ" (1.000.000.000.000 is "một nghìn tỷ").
GROUP_NAMES = ("", "nghìn", "triệu")
BILLION = 10**9


def _units_after_tens(tens, units):
    """The last digit as it is read after a tens digit: "mốt" after "hai mươi" and
    above, "lăm" after any tens; "bốn" (not the colloquial "tư") everywhere."""
    if units == 1 and tens >= 2:
        return "mốt"
    if units == 5:
        return "lăm"
    return DIGITS[units]


def _three_digits(number, *, full):
    """0 < ``number`` < 1000 in words. ``full`` reads an inner group with all three
    digits, as receipts write it ("không trăm linh năm" for 005); the leading group
    is read as it stands ("năm")."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh", DIGITS[units]] if words else [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append(_units_after_tens(tens, units))
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append(_units_after_tens(tens, units))
    return words


def _words(number, *, full=False):
    """``number`` > 0 in words, without "đồng"."""
    if number >= BILLION:
        billions, rest = divmod(number, BILLION)
        words = [*_words(billions, full=full), "tỷ"]
        return words + (_words(rest, full=True) if rest else [])
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue  # a group of zeros is not read: "một triệu", "một tỷ năm nghìn"
        leading = not words and not full
        words += _three_digits(group, full=not leading)
        if GROUP_NAMES[index]:
            words.append(GROUP_NAMES[index])
    return words


def amount_in_words(amount):
    """An amount in đồng written in words as receipts write it a second time, with a
    capital letter: 1005000 → "Một triệu không trăm linh năm nghìn đồng".

    The receipt style reads every group of three digits after the first in full
    ("không trăm", "linh" for an empty tens place), "mười" for ten to nineteen, "mốt"
    for a final one after twenty and above, "lăm" for a final five after any tens,
    and "bốn" for four. num2words (the library this replaced) drops the "không trăm"
    and says "lẻ": "một triệu năm nghìn", which a finance officer would not write.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError(f"An amount in words is a whole, non-negative number, not {amount!r}.")
    words = " ".join(_words(amount)) if amount else DIGITS[0]
    return f"{words[:1].upper()}{words[1:]} {_('đồng')}"


def receipt_pdf(payment) -> bytes:
    """The receipt of a completed payment for a dossier, as an A4 PDF."""
    style_sheet = styles()
    dossier = payment.dossier
    agency = agency_name(dossier)
    details = [
        (_("Số biên lai"), payment.reference),
        (_("Ngày thu"), f"{timezone.localtime(payment.completed_at):%d/%m/%Y %H:%M}"),
        (_("Đơn vị thu"), agency),
        (_("Người nộp"), dossier.applicant_data.get("full_name", "")),
        (_("Địa chỉ"), dossier.applicant_data.get("address", "")),
        (_("Mã hồ sơ"), dossier.code),
        (_("Thủ tục"), procedure_title(dossier)),
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
