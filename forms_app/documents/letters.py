"""Letters the agency sends a citizen about a dossier it is settling.

"Phiếu xin lỗi và hẹn lại ngày trả kết quả" follows the form of Decree 61/2018/NĐ-CP
(and Circular 01/2018/TT-VPCP): when a dossier cannot be settled by the appointment, the
agency apologises in writing, says why, and gives a new appointment.
"""

import datetime

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from core.formatting import format_date, long_date

from .pdf import (
    WIDTH,
    build_pdf,
    national_header,
    para,
    styles,
)


def _appointment(value):
    """An appointment as the letter prints it, dd/mm/yyyy. Only a date or a datetime is
    one: the letter is a legal document, and text that merely looks like a date would be
    printed unchecked, so anything else stops the letter (and its e-mail records the
    failure on the timeline)."""
    if not isinstance(value, datetime.date):
        raise TypeError(f"an appointment is a date, not {type(value).__name__}")
    return format_date(value)


def apology_letter_pdf(dossier, *, previous_due, new_due, reason) -> bytes:
    """The apology for a late dossier, with its new appointment, as an A4 PDF.

    ``previous_due`` (the appointment missed) and ``new_due`` are dates or aware
    datetimes; the letter prints their day in the portal's time zone.
    """
    style_sheet = styles()
    agency = dossier.as_submitted.agency_name
    values = {
        "agency": agency,
        "code": dossier.code,
        "procedure": dossier.as_submitted.procedure_title,
        "received": format_date(dossier.received_at or dossier.submitted_at),
        "previous_due": _appointment(previous_due),
        "new_due": _appointment(new_due),
        "reason": reason,
    }
    today = timezone.localdate()
    signature = Table(
        [
            [
                "",
                [
                    para(capfirst(long_date(today)), style_sheet["center"]),
                    para(agency.upper(), style_sheet["center_bold"]),
                ],
            ]
        ],
        colWidths=[WIDTH * 0.4, WIDTH * 0.6],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
    )
    paragraphs = [
        _(
            "%(agency)s đã tiếp nhận hồ sơ số %(code)s của Ông/Bà về thủ tục %(procedure)s "
            "ngày %(received)s, hẹn trả kết quả ngày %(previous_due)s."
        ),
        _(
            "Tuy nhiên đến nay, %(agency)s chưa giải quyết xong hồ sơ của Ông/Bà đúng ngày "
            "hẹn trả kết quả nêu trên."
        ),
        _("Lý do: %(reason)s"),
        _(
            "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. %(agency)s xin lỗi Ông/Bà và hẹn lại "
            "ngày trả kết quả là ngày %(new_due)s."
        ),
        _("Mong Ông/Bà thông cảm."),
    ]
    story = [
        national_header(agency, style_sheet),
        para(_("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"), style_sheet["title"]),
        para(
            _("Kính gửi: Ông/Bà %(name)s") % {"name": dossier.applicant_data.get("full_name", "")},
            style_sheet["center_bold"],
        ),
        Spacer(1, 5 * mm),
    ]
    for text in paragraphs:
        story += [
            para(text % values, style_sheet["body"]),
            Spacer(1, 2.5 * mm),
        ]
    story += [Spacer(1, 5 * mm), signature]
    return build_pdf(
        story,
        title=_("Phiếu xin lỗi và hẹn lại ngày trả kết quả %(code)s") % {"code": dossier.code},
        subject=values["procedure"],
    )
