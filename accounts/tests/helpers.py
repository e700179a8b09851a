"""Small helpers for reading what the portal mailed, and for doing what a browser does."""

import hashlib
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

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


def solve_login_challenge(response):
    """The fields static/js/login-challenge.js adds to a login form that carries a proof of
    work: it reads the challenge from the page and tries counters 0, 1, 2… until PBKDF2
    gives the target (accounts/challenge.py)."""
    box = BeautifulSoup(response.content.decode(), "html.parser").find(
        attrs={"data-login-challenge": True}
    )
    assert box is not None, "the login form carries no challenge"
    salt, target = box["data-salt"].encode(), box["data-target"]
    for counter in range(int(box["data-attempts"])):
        derived = hashlib.pbkdf2_hmac(
            "sha256", str(counter).encode(), salt, int(box["data-iterations"])
        )
        if derived.hex() == target:
            return {
                "login_challenge": box.find("input", attrs={"name": "login_challenge"})["value"],
                "login_proof": str(counter),
            }
    raise AssertionError("no counter below data-attempts meets the target")
