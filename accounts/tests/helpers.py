"""Small helpers for reading what the portal mailed."""

import re
from urllib.parse import urlsplit

_LINK = re.compile(r"https?://testserver(/\S+)")


def link_in(message):
    """The path of the one link in an e-mail body (activation or password reset)."""
    links = _LINK.findall(message.body)
    assert len(links) == 1, message.body
    return urlsplit(links[0]).path


def without_csrf(html):
    """A page's HTML without its per-request CSRF token, so two answers can be compared."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def shown(response, email):
    """The page as a visitor sees it, with the address typed and the CSRF token blanked:
    what must not differ between a known and an unknown address."""
    return without_csrf(response.content.decode().replace(email, "EMAIL"))
