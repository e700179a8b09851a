"""The layout guard itself (helpers.check_layout, run on every page the journeys visit,
at 360 and 1280 px): it must find what it is there to find, and nothing else."""

import pytest

from tests.e2e.helpers import LAYOUT_PROBLEMS_JS, MIN_CHARACTERS

pytestmark = pytest.mark.usefixtures("transactional_db")

# The review step's components as they were laid out when file names came out one
# character per line (issue 14): a label column as wide as its longest label.
SQUEEZED = """
<dl style="display: grid; grid-template-columns: minmax(7rem, max-content) 1fr">
  <dt>{label}</dt><dd style="margin: 0; overflow-wrap: anywhere">{value}</dd>
</dl>
"""
LONG_LABEL = "Văn bản ủy quyền theo quy định của pháp luật " * 4
FILE_NAME = "01-ban-scan-giay-to-cua-cong-dan.pdf (66 byte)"


def problems_in(open_page, body, width=1280):
    page = open_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>')
    return page.evaluate(LAYOUT_PROBLEMS_JS, MIN_CHARACTERS)


def test_text_squeezed_into_a_column_a_character_wide_is_found(open_page):
    problems = problems_in(open_page, SQUEEZED.format(label=LONG_LABEL, value=FILE_NAME))
    assert len(problems) == 1, problems
    assert problems[0].startswith('"01-ban-scan-giay-to-cua-cong-dan.pdf (66" (dd) is broken')


def test_a_page_wider_than_the_window_is_found(open_page):
    problems = problems_in(
        open_page, '<p><code class="hash">' + "8500d47f" * 8 + "</code></p>", width=360
    )
    assert len(problems) == 1, problems
    assert problems[0].startswith("the page is "), problems
    assert "code.hash" in problems[0]


@pytest.mark.parametrize(
    "body",
    [
        # The same list with the portal's rule: labels wrap at 40 % of the width.
        SQUEEZED.replace("minmax(7rem, max-content) 1fr", "fit-content(40%) minmax(0, 1fr)"),
        # Text hidden from sight may stand in a narrow column.
        '<p style="position: absolute; width: 1px; height: 1px; overflow: hidden; '
        'clip: rect(0 0 0 0)">Chỉ trình đọc màn hình đọc được đoạn này</p>',
        '<p style="display: none; width: 1em">Không hiển thị</p>',
        # A wide table scrolls inside its own box: the page itself does not overflow.
        '<div style="overflow-x: auto"><table><tr><td style="min-width: 900px">Bảng rộng'
        "</td></tr></table></div>",
    ],
    ids=["fixed-list", "visually-hidden", "not-displayed", "scrolling-table"],
)
def test_what_is_fine_is_not_reported(open_page, body):
    body = body.format(label=LONG_LABEL, value=FILE_NAME)
    assert problems_in(open_page, body, width=360) == []
    assert problems_in(open_page, body, width=1280) == []
