"""The acknowledgement of an online submission ("Phiếu xác nhận nộp hồ sơ trực tuyến").

The citizen's proof that the portal received their dossier: it carries the code and the
lookup key, and a QR code that opens the public lookup already filled in, so the paper
alone is enough to follow the dossier.

Everything comes from the dossier and its snapshot (never the live procedure page), so
the acknowledgement says what the citizen submitted against. ReportLab's built-in fonts
have no Vietnamese glyphs; all text is set in Roboto, embedded in the PDF.
"""

import io
from collections import Counter
from importlib.resources import as_file, files
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table

from procedures.text import format_vnd

FONT = "Roboto"
BOLD_FONT = "Roboto-Bold"
QR_SIZE = 38 * mm
MARGIN = 20 * mm


def register_fonts():
    """Register Roboto with ReportLab once per process: the registry is global, and
    reading a TTF again on every PDF would only cost time."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, filename in ((FONT, "Roboto-Regular.ttf"), (BOLD_FONT, "Roboto-Bold.ttf")):
        if name not in registered:
            # TTFont reads the whole file at once, so the path need outlive only this call.
            with as_file(files("font_roboto") / "files" / filename) as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))


def _styles():
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14)
    return {
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName=BOLD_FONT),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "center_bold": ParagraphStyle(
            "center_bold", parent=body, fontName=BOLD_FONT, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD_FONT,
            fontSize=15,
            leading=20,
            alignment=TA_CENTER,
            spaceBefore=8 * mm,
            spaceAfter=6 * mm,
        ),
        "small": ParagraphStyle(
            "small", parent=body, fontSize=8.5, leading=11, alignment=TA_CENTER
        ),
    }


def _para(text, style):
    """A Paragraph of plain text: Paragraph parses markup, and a name such as
    "<b>Ân & Co</b>" must print as typed, not break the PDF."""
    return Paragraph(escape(str(text)), style)


def _qr_code(lookup_url):
    png = io.BytesIO()
    segno.make(lookup_url, error="m").save(png, kind="png", scale=4)
    png.seek(0)
    return Image(png, width=QR_SIZE, height=QR_SIZE)


def _processing_time(procedure):
    text = _("%(days)s ngày làm việc kể từ ngày tiếp nhận hồ sơ hợp lệ") % {
        "days": procedure.get("processing_time_days")
    }
    note = procedure.get("processing_time_note")
    return f"{text} ({note})" if note else text


def _component_rows(dossier, styles):
    """One row per component of the snapshot, with how many files came with it; a
    component with files but absent from the snapshot is still listed, so no file the
    citizen sent goes unmentioned."""
    counts = Counter(dossier.files.values_list("component_name", flat=True))
    names = dict.fromkeys(
        [component["name"] for component in dossier.snapshot.get("components", [])] + list(counts)
    )
    header = [
        _para(_("STT"), styles["center_bold"]),
        _para(_("Thành phần hồ sơ"), styles["bold"]),
        _para(_("Số tệp đính kèm"), styles["center_bold"]),
    ]
    return [header] + [
        [
            _para(number, styles["center"]),
            _para(name, styles["body"]),
            _para(counts[name], styles["center"]),
        ]
        for number, name in enumerate(names, start=1)
    ]


def acknowledgement_pdf(dossier, lookup_url: str) -> bytes:
    """The acknowledgement of a submitted dossier as an A4 PDF.

    ``lookup_url`` is the absolute address of the public lookup filled in with the code
    and key: the QR code encodes it and it is printed beneath, for those who type it.
    """
    register_fonts()
    styles = _styles()
    snapshot = dossier.snapshot
    procedure = snapshot.get("procedure", {})
    agency_name = snapshot.get("agency", {}).get("name") or dossier.agency.title
    width = A4[0] - 2 * MARGIN

    header = Table(
        [
            [
                _para(agency_name.upper(), styles["center_bold"]),
                [
                    _para(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), styles["center_bold"]),
                    _para(_("Độc lập - Tự do - Hạnh phúc"), styles["center_bold"]),
                ],
            ]
        ],
        colWidths=[width * 0.4, width * 0.6],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
    )

    procedure_text = procedure.get("title") or dossier.procedure.title
    if procedure.get("code"):
        procedure_text = _("%(title)s (mã thủ tục %(code)s)") % {
            "title": procedure_text,
            "code": procedure["code"],
        }
    details = [
        (_("Mã hồ sơ"), dossier.code),
        (_("Mã tra cứu"), dossier.lookup_key),
        (_("Thủ tục"), procedure_text),
        (_("Cơ quan tiếp nhận"), agency_name),
        (_("Người nộp"), dossier.applicant_data.get("full_name", "")),
        (
            _("Thời điểm nộp"),
            f"{timezone.localtime(dossier.submitted_at):%d/%m/%Y %H:%M}",
        ),
        (_("Thời hạn giải quyết"), _processing_time(procedure)),
        (_("Hình thức nhận kết quả"), dossier.get_result_delivery_display()),
    ]
    if dossier.delivery_address:
        details.append((_("Địa chỉ nhận kết quả"), dossier.delivery_address))
    details += [
        (_("Phí, lệ phí"), f"{fee['name']}: {format_vnd(fee['amount'])}")
        for fee in snapshot.get("fees", [])
    ]
    details_table = Table(
        [[_para(label, styles["bold"]), _para(value, styles["body"])] for label, value in details],
        colWidths=[width * 0.32, width * 0.68],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )

    components_table = Table(
        _component_rows(dossier, styles),
        colWidths=[width * 0.1, width * 0.66, width * 0.24],
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
            [_para(_("Quét mã để tra cứu tình trạng hồ sơ"), styles["center"])],
            [_para(lookup_url, styles["small"])],
        ],
        colWidths=[width * 0.8],
        style=[("ALIGN", (0, 0), (-1, -1), "CENTER")],
    )

    story = [
        header,
        _para(_("PHIẾU XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN"), styles["title"]),
        details_table,
        Spacer(1, 5 * mm),
        _para(_("Thành phần hồ sơ đã nộp"), styles["bold"]),
        Spacer(1, 2 * mm),
        components_table,
        Spacer(1, 5 * mm),
        _para(
            _(
                "Cơ quan sẽ kiểm tra và tiếp nhận hồ sơ; kết quả xử lý được thông báo qua "
                "thư điện tử và trong mục Hồ sơ cá nhân."
            ),
            styles["body"],
        ),
        Spacer(1, 6 * mm),
        qr_block,
    ]

    output = io.BytesIO()
    SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("Phiếu xác nhận nộp hồ sơ trực tuyến %(code)s") % {"code": dossier.code},
        author=settings.PORTAL_NAME,
        creator=settings.PORTAL_NAME,
        subject=procedure_text,
        lang=get_language() or settings.LANGUAGE_CODE,
    ).build(story)
    return output.getvalue()
