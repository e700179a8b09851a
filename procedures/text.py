"""Folding Vietnamese text for search: "Đăng ký khai sinh" and "dang ky khai sinh" meet.

anyascii transliterates every letter to ASCII, đ/Đ included (which Unicode decomposition
and PostgreSQL's unaccent leave alone or treat differently); the same function folds the
stored text and the query, so both databases compare like with like.
"""

import re

from anyascii import anyascii
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_NON_WORD = re.compile(r"[^a-z0-9.]+")


def fold(text):
    """Lower-case ASCII words separated by single spaces, with a space on each side, so
    that ``" " + word`` matches the start of a word anywhere in the text."""
    words = _NON_WORD.sub(" ", anyascii(text or "").lower()).split()
    return f" {' '.join(words)} " if words else ""


def query_terms(query, limit=8):
    """The folded words of a search query, at most ``limit`` of them, longest first."""
    words = dict.fromkeys(fold(query).split())  # keeps order, drops repeats
    return sorted(words, key=len, reverse=True)[:limit]


def procedure_search_text(title, code, field_name):
    """What a procedure is found by: its title, its code and its field, folded."""
    return fold(" ".join([title or "", code or "", field_name or ""]))


def processing_time_text(days):
    """The time limit as the procedure record writes it: "Trong ngày làm việc" for a
    procedure settled within the day of receipt (0 days), otherwise "15 ngày làm việc"."""
    if not days:
        return _("Trong ngày làm việc")
    return ngettext("%(days)s ngày làm việc", "%(days)s ngày làm việc", days) % {"days": days}
