"""The English catalogue: every message translated, compiled into the committed .mo, and
shown to a visitor who picked English with the language switcher (and only to them)."""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PO = CATALOGUE / "django.po"
MO = CATALOGUE / "django.mo"


# A small .po reader (stdlib only) ---------------------------------------------------------
@dataclass
class Entry:
    line: int
    flags: set = field(default_factory=set)
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict = field(default_factory=dict)  # {0: "…"}, or {0: "…", 1: "…"} for plurals

    @property
    def is_header(self):
        return self.msgid == "" and self.msgctxt is None

    @property
    def translated(self):
        return bool(self.msgstr) and all(self.msgstr.values())

    def __str__(self):
        return f"line {self.line}: {self.msgid!r}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(literal):
    # PO strings are C string literals; the escapes they use (\n \t \" \\) read the same in
    # Python, and the text between the quotes is UTF-8.
    return ast.literal_eval(literal)


def parse_po(text):
    """The entries of a .po file, in order, obsolete (#~) ones included but marked."""
    entries = []
    entry = None
    target = None  # (attribute, plural index) that continuation lines add to

    def start(lineno):
        nonlocal entry
        entry = Entry(line=lineno)
        entries.append(entry)

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            entry, target = None, None
            continue
        if line.startswith("#"):
            # A comment after a msgstr starts the next entry, blank line or not.
            if entry is None or entry.msgstr:
                start(lineno)
                target = None
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            if entry is None or (keyword in ("msgctxt", "msgid") and entry.msgstr):
                start(lineno)
            entry.obsolete = entry.obsolete or obsolete
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = _unquote(literal)
            else:
                target = (keyword, None)
                setattr(entry, keyword, _unquote(literal))
            continue
        if line.startswith('"') and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
            continue
        raise AssertionError(f"{PO.name}, line {lineno}: cannot read {raw!r}")
    return [entry for entry in entries if entry.msgid is not None]


def catalogue_from_po(entries):
    """What msgfmt puts in the .mo, keyed the way gettext.GNUTranslations keys its catalogue:
    translated, non-fuzzy, non-obsolete entries only."""
    catalogue = {}
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated:
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.is_header:
            # msgfmt leaves the POT-Creation-Date out of the compiled header.
            lines = entry.msgstr[0].splitlines(keepends=True)
            catalogue[msgid] = "".join(
                line for line in lines if not line.startswith("POT-Creation-Date:")
            )
        elif entry.msgid_plural is None:
            catalogue[msgid] = entry.msgstr[0]
        else:
            for index, msgstr in entry.msgstr.items():
                catalogue[(msgid, index)] = msgstr
    return catalogue


def catalogue_from_mo(path):
    with path.open("rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


@pytest.fixture(scope="module")
def entries():
    return [entry for entry in parse_po(PO.read_text(encoding="utf-8")) if not entry.obsolete]


@pytest.fixture(scope="module")
def messages(entries):
    return [entry for entry in entries if not entry.is_header]


# (a) The .po is complete ------------------------------------------------------------------
def test_the_catalogue_has_the_portals_messages(messages):
    msgids = {entry.msgid for entry in messages}

    assert len(messages) > 100
    assert {"Đăng nhập", "Đăng ký", "Bỏ qua, đến nội dung chính", "Họ và tên"} <= msgids


def test_every_message_is_translated(messages):
    untranslated = [str(entry) for entry in messages if not entry.translated]

    assert untranslated == []


def test_no_entry_is_fuzzy(entries):
    fuzzy = [str(entry) for entry in entries if "fuzzy" in entry.flags]

    assert fuzzy == []


def test_header_declares_english_in_utf8(entries):
    [header] = [entry for entry in entries if entry.is_header]
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)

    assert fields["Project-Id-Version"] == "cong-dich-vu-cong"
    assert fields["Language"] == "en"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def test_translations_keep_placeholders_and_html_tags(messages):
    broken = []
    for entry in messages:
        for msgstr in entry.msgstr.values():
            for pattern in (_PLACEHOLDER, _TAG):
                expected = sorted(pattern.findall(entry.msgid_plural or entry.msgid))
                if msgstr and sorted(pattern.findall(msgstr)) != expected:
                    broken.append(f"{entry}: {msgstr!r}")

    assert broken == []


# (b) The committed .mo is the .po compiled -------------------------------------------------
def test_committed_mo_holds_exactly_the_po(entries):
    expected = catalogue_from_po(entries)
    committed = catalogue_from_mo(MO)

    assert sorted(committed.keys() - expected.keys(), key=str) == [], "only in the .mo"
    assert sorted(expected.keys() - committed.keys(), key=str) == [], "missing from the .mo"
    changed = [key for key in expected if committed[key] != expected[key]]
    assert changed == [], "differs in the .mo: run `manage.py compilemessages`"


def test_msgfmt_compiles_the_po_cleanly_into_the_committed_mo(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    compiled = tmp_path / "django.mo"

    result = subprocess.run(  # noqa: S603
        [msgfmt, "--check", "-o", str(compiled), str(PO)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warnings either (e.g. a header left at its defaults)
    # Compared as catalogues, not bytes: another gettext version may lay the file out
    # differently.
    assert catalogue_from_mo(compiled) == catalogue_from_mo(MO)


# (c) The pages follow the visitor's choice --------------------------------------------------
def get_page(client, url, language=None):
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content.decode(), "html.parser")


def header_links(page, nav_label):
    nav = page.find("nav", attrs={"aria-label": nav_label})
    assert nav is not None, f"no <nav aria-label={nav_label!r}> in the header"
    return {a.get_text(strip=True): a["href"] for a in nav.find_all("a")}


def skip_link_text(page):
    return page.find("a", href="#main").get_text(strip=True)


def label_text(page, field_name):
    label = page.find("label", attrs={"for": f"id_{field_name}"})
    assert label is not None, f"no label for the {field_name} field"
    return label.get_text(strip=True).rstrip(":")


def test_home_page_in_english_with_the_language_cookie(client):
    response, page = get_page(client, "/", language="en")

    assert page.find("html")["lang"] == "en"
    assert response.headers["Content-Language"] == "en"
    assert skip_link_text(page) == "Skip to main content"
    assert header_links(page, "Account") == {
        "Log in": reverse("account_login"),
        "Sign up": reverse("account_signup"),
    }
    assert page.find("nav", attrs={"aria-label": "Main menu"}).find("a").get_text() == "Home"
    assert page.find("h2", id="levels-title").get_text(strip=True) == (
        "Levels of online public services"
    )
    assert page.find("h2", id="agencies-title").get_text(strip=True) == "Agencies"
    quick_links = {a.get_text(strip=True) for a in page.select(".quick-links a")}
    assert quick_links == {"Sign up", "Log in", "My account", "Track a dossier"}
    html = response.content.decode()
    for vietnamese in ("Đăng nhập", "Đăng ký", "Bỏ qua, đến nội dung chính", "Trang chủ"):
        assert vietnamese not in html


def test_home_page_in_vietnamese_without_the_cookie(client):
    response, page = get_page(client, "/")

    assert page.find("html")["lang"] == "vi"
    assert skip_link_text(page) == "Bỏ qua, đến nội dung chính"
    assert header_links(page, "Tài khoản") == {
        "Đăng nhập": reverse("account_login"),
        "Đăng ký": reverse("account_signup"),
    }
    html = response.content.decode()
    for english in ("Log in", "Sign up", "Skip to main content"):
        assert english not in html


def test_signup_page_in_english_with_the_language_cookie(client):
    response, page = get_page(client, reverse("account_signup"), language="en")

    assert page.find("html")["lang"] == "en"
    assert skip_link_text(page) == "Skip to main content"
    assert set(header_links(page, "Account")) == {"Log in", "Sign up"}
    assert page.find("h1").get_text(strip=True) == "Create an account"
    assert label_text(page, "full_name") == "Full name"
    assert label_text(page, "cccd") == "Citizen ID number"
    assert label_text(page, "phone") == "Mobile phone number"
    assert "Your citizen identity number has 12 digits." in page.get_text()
    assert page.find("button", type="submit").get_text(strip=True) == "Sign up"
    html = response.content.decode()
    for vietnamese in ("Họ và tên", "Số CCCD", "Số điện thoại", "Đăng ký", "Đăng nhập"):
        assert vietnamese not in html


def test_signup_page_in_vietnamese_without_the_cookie(client):
    response, page = get_page(client, reverse("account_signup"))

    assert page.find("html")["lang"] == "vi"
    assert set(header_links(page, "Tài khoản")) == {"Đăng nhập", "Đăng ký"}
    assert page.find("h1").get_text(strip=True) == "Đăng ký tài khoản"
    assert label_text(page, "full_name") == "Họ và tên"
    assert label_text(page, "cccd") == "Số CCCD"
    assert label_text(page, "phone") == "Số điện thoại di động"
    html = response.content.decode()
    for english in ("Full name", "Citizen ID number", "Log in", "Sign up"):
        assert english not in html


def test_catalogue_holds_every_message_of_the_current_sources(tmp_path):
    """Regenerating the catalogue from today's code adds nothing: no new UI text has
    been left out of locale/en (run `make messages` and translate it)."""
    tree = tmp_path / "tree"
    shutil.copytree(
        settings.BASE_DIR,
        tree,
        ignore=shutil.ignore_patterns(".venv", ".git", "db.sqlite3*", "media", "*_media"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "en", "--no-obsolete"],
        cwd=tree,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        check=True,
        capture_output=True,
        timeout=300,
    )
    regenerated = {
        entry.msgid for entry in parse_po((tree / PO.relative_to(settings.BASE_DIR)).read_text())
    }
    committed = {entry.msgid for entry in parse_po(PO.read_text()) if not entry.obsolete}
    assert regenerated - committed == set()
