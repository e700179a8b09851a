"""The acknowledgement of an online submission ("Phiếu xác nhận nộp hồ sơ trực tuyến").

The citizen's proof that the portal received their dossier: it carries the code and the
lookup key, and a QR code that opens the public lookup already filled in, so the paper
alone is enough to follow the dossier.

Everything comes from the dossier and its snapshot (never the live procedure page), so
the acknowledgement says what the citizen submitted against. The fonts, the national
header and the layout are those of every letter of the portal (``forms_app.documents.pdf``).
"""

import io
from collections import Counter

import segno
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer, Table

from core.formatting import format_datetime, format_vnd

from ..finance.summary import fee_statement
from .pdf import WIDTH, build_pdf, national_header, para, styles

QR_SIZE = 38 * mm


def _qr_code(lookup_url):
    png = io.BytesIO()
    segno.make(lookup_url, error="m").save(png, kind="png", scale=4)
    png.seek(0)
    return Image(png, width=QR_SIZE, height=QR_SIZE)


def _processing_time(submitted_as):
    days = submitted_as.processing_time_days
    if days == 0:
        # Settled within the day of receipt: "0 ngày" would read as no deadline at all.
        text = _("Trong ngày làm việc tiếp nhận hồ sơ hợp lệ")
    else:
        text = _("%(days)s ngày làm việc kể từ ngày tiếp nhận hồ sơ hợp lệ") % {"days": days}
    note = submitted_as.processing_time_note
    return f"{text} ({note})" if note else text


def _component_rows(dossier, style_sheet):
    """One row per component of the snapshot, with how many files came with it; a
    component with files but absent from the snapshot is still listed, so no file the
    citizen sent goes unmentioned."""
    counts = Counter(dossier.files.values_list("component_name", flat=True))
    names = dict.fromkeys(
        [component.name for component in dossier.as_submitted.components] + list(counts)
    )
    header = [
        para(_("STT"), style_sheet["center_bold"]),
        para(_("Thành phần hồ sơ"), style_sheet["bold"]),
        para(_("Số tệp đính kèm"), style_sheet["center_bold"]),
    ]
    return [header] + [
        [
            para(number, style_sheet["center"]),
            para(name, style_sheet["body"]),
            para(counts[name], style_sheet["center"]),
        ]
        for number, name in enumerate(names, start=1)
    ]


def _fee_rows(dossier):
    """The fees as the dossier page states them (``forms_app.finance.summary.fee_statement``): the
    schedule and "Mức phí sẽ được xác định khi tiếp nhận hồ sơ" while alternatives or
    conditional lines are undecided, never a sum of them; otherwise the lines that apply
    and their total (confirmed once the agency has received the dossier)."""
    statement = fee_statement(dossier)
    if not statement.lines:
        return []
    rows = [
        (_("Phí, lệ phí") if number == 0 else "", line)
        for number, line in enumerate(statement.lines)
    ]
    if statement.total is None:
        rows.append(("", _("Mức phí sẽ được xác định khi tiếp nhận hồ sơ.")))
    else:
        rows.append((_("Tổng phí, lệ phí"), format_vnd(statement.total)))
    return rows


def acknowledgement_pdf(dossier, lookup_url: str) -> bytes:
    """The acknowledgement of a submitted dossier as an A4 PDF.

    ``lookup_url`` is the absolute address of the public lookup filled in with the code
    and key: the QR code encodes it and it is printed beneath, for those who type it.
    """
    style_sheet = styles()
    submitted_as = dossier.as_submitted
    agency = submitted_as.agency_name

    procedure_text = submitted_as.procedure_title
    if submitted_as.procedure_code:
        procedure_text = _("%(title)s (mã thủ tục %(code)s)") % {
            "title": procedure_text,
            "code": submitted_as.procedure_code,
        }
    details = [
        (_("Mã hồ sơ"), dossier.code),
        (_("Mã tra cứu"), dossier.lookup_key),
        (_("Thủ tục"), procedure_text),
        (_("Cơ quan tiếp nhận"), agency),
        (_("Người nộp"), dossier.applicant_data.get("full_name", "")),
        (
            _("Thời điểm nộp"),
            format_datetime(dossier.submitted_at),
        ),
        (_("Thời hạn giải quyết"), _processing_time(submitted_as)),
        (_("Hình thức nhận kết quả"), dossier.get_result_delivery_display()),
    ]
    if dossier.delivery_address:
        details.append((_("Địa chỉ nhận kết quả"), dossier.delivery_address))
    details += _fee_rows(dossier)
    details_table = Table(
        [
            [para(label, style_sheet["bold"]), para(value, style_sheet["body"])]
            for label, value in details
        ],
        colWidths=[WIDTH * 0.32, WIDTH * 0.68],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )

    components_table = Table(
        _component_rows(dossier, style_sheet),
        colWidths=[WIDTH * 0.1, WIDTH * 0.66, WIDTH * 0.24],
        repeatRows=1,
        style=[
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
    )

    qr_block = Table(
        [
            [_qr_code(lookup_url)],
            [para(_("Quét mã để tra cứu tình trạng hồ sơ"), style_sheet["center"])],
            [para(lookup_url, style_sheet["small"])],
        ],
        colWidths=[WIDTH * 0.8],
        style=[("ALIGN", (0, 0), (-1, -1), "CENTER")],
    )

    story = [
        national_header(agency, style_sheet),
        para(_("PHIẾU XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN"), style_sheet["title"]),
        details_table,
        Spacer(1, 5 * mm),
        para(_("Thành phần hồ sơ đã nộp"), style_sheet["bold"]),
        Spacer(1, 2 * mm),
        components_table,
        Spacer(1, 5 * mm),
        para(
            _(
                "Cơ quan sẽ kiểm tra và tiếp nhận hồ sơ; kết quả xử lý được thông báo qua "
                "thư điện tử và trong mục Hồ sơ cá nhân."
            ),
            style_sheet["body"],
        ),
        Spacer(1, 6 * mm),
        qr_block,
    ]

    return build_pdf(
        story,
        title=_("Phiếu xác nhận nộp hồ sơ trực tuyến %(code)s") % {"code": dossier.code},
        subject=procedure_text,
    )
