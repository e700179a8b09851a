"""What the portal's printed letters share: Roboto, the national header, the styles and
building an A4 document with its metadata.

ReportLab's built-in fonts have no Vietnamese glyphs; all text is set in Roboto,
embedded in the PDF. Everything about the dossier comes from its snapshot (never the
live pages) where the snapshot has it, so a letter says what the citizen submitted
against.
"""

import io
from importlib.resources import as_file, files
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

FONT = "Roboto"
BOLD_FONT = "Roboto-Bold"
MARGIN = 20 * mm
# The width between the margins, which tables divide among their columns.
WIDTH = A4[0] - 2 * MARGIN


def register_fonts():
    """Register Roboto with ReportLab once per process: the registry is global, and
    reading a TTF again on every PDF would only cost time."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, filename in ((FONT, "Roboto-Regular.ttf"), (BOLD_FONT, "Roboto-Bold.ttf")):
        if name not in registered:
            # TTFont reads the whole file at once, so the path need outlive only this call.
            with as_file(files("font_roboto") / "files" / filename) as path:
                pdfmetrics.registerFont(TTFont(name, str(path)))


def styles():
    """The paragraph styles of the letters, in Roboto (registered first)."""
    register_fonts()
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


def para(text, style):
    """A Paragraph of plain text: Paragraph parses markup, and a name such as
    "<b>Ân & Co</b>" must print as typed, not break the PDF."""
    return Paragraph(escape(str(text)), style)


def national_header(agency, style_sheet):
    """The agency on the left, the national motto on the right, as every administrative
    document opens (Decree 30/2020/NĐ-CP)."""
    return Table(
        [
            [
                para(agency.upper(), style_sheet["center_bold"]),
                [
                    para(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), style_sheet["center_bold"]),
                    para(_("Độc lập - Tự do - Hạnh phúc"), style_sheet["center_bold"]),
                ],
            ]
        ],
        colWidths=[WIDTH * 0.4, WIDTH * 0.6],
        style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
    )


def build_pdf(story, *, title, subject="") -> bytes:
    """The story laid out on A4 with the portal's margins, as bytes, with the metadata
    a reader shows (title, author, language)."""
    output = io.BytesIO()
    SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=settings.PORTAL_NAME,
        creator=settings.PORTAL_NAME,
        subject=subject,
        lang=get_language() or settings.LANGUAGE_CODE,
    ).build(story)
    return output.getvalue()
