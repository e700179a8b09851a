"""Every CSV export of the admin, Wagtail's own included, writes formula-looking text as
text and starts with the BOM Excel needs (core/spreadsheets.py)."""

import csv
import io

import pytest

from accounts.tests.factories import UserFactory
from core.spreadsheets import neutralised
from procedures.tests.factories import home_page, make_agency

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+84912345678", "'+84912345678"),
        ("-", "'-"),
        ("@admin", "'@admin"),
        ("\r=1", "'\r=1"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("", ""),
        (-50000, -50000),  # a number is a number, not a formula
        (None, None),
    ],
)
def test_text_that_could_start_a_formula_is_quoted(value, written):
    assert neutralised(value) == written


def test_wagtails_own_reports_export_safely_too(client):
    """The site history (audit log) report names pages by their titles, which editors type."""
    home_page()
    make_agency("HACK", '=HYPERLINK("http://evil.example","Sở")')
    client.force_login(
        UserFactory(email="quan.tri@example.vn", verified=True, is_staff=True, is_superuser=True)
    )
    response = client.get("/admin/reports/site-history/", {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    cells = [cell for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","Sở")' in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
