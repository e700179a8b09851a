"""Every CSV the admin exports opens safely and in Vietnamese in Excel.

Wagtail writes them all through ``SpreadsheetExportMixin``: the modeladmin listings
("Hồ sơ", "Báo cáo thu phí"), Wagtail's reports and site history, form submissions and
generic listings. ``install()`` (``CoreConfig.ready``) changes that one class, so no
export can be forgotten:

- a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  read by Excel and LibreOffice as a formula — an applicant named
  ``=HYPERLINK("http://evil.example","x")`` would become a link in an official's
  spreadsheet. As OWASP's "CSV Injection" rule says, such a cell is prefixed with a
  single quote and read as text. (Wagtail's XLSX export already writes formula-looking
  cells as strings.)
- the file starts with a UTF-8 byte-order mark and says its charset: without the mark,
  Excel on Windows reads it in the ANSI code page and shows "Nguyá»…n" for "Nguyễn".
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

# OWASP, "CSV Injection": the characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"


def neutralised(value):
    """``value`` as a CSV cell that no spreadsheet runs: text that could start a formula
    gets a leading single quote; numbers, dates and other text are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def install():
    """Wrap ``SpreadsheetExportMixin``'s CSV methods (once, at start-up)."""
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    stream = SpreadsheetExportMixin.stream_csv
    respond = SpreadsheetExportMixin.write_csv_response

    def preprocess_field_value(self, field, value, export_format):
        value = preprocess(self, field, value, export_format)
        return neutralised(value) if export_format == self.FORMAT_CSV else value

    def stream_csv(self, queryset):
        yield BYTE_ORDER_MARK
        yield from stream(self, queryset)

    def write_csv_response(self, queryset):
        response = respond(self, queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.stream_csv = stream_csv
    SpreadsheetExportMixin.write_csv_response = write_csv_response
