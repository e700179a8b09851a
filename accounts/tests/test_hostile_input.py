"""A hostile visitor against every account page.

Every probe sends what no honest form would (NUL bytes, megabytes, bytes that are not
UTF-8, digits from other scripts, tampered links, foreign redirect targets) and asserts
what a citizen must see instead of a server error: the form again with a Vietnamese
message at the field, or a 4xx, and the database exactly as it was. The suite runs on
SQLite and on PostgreSQL (``DATABASE_URL``); NUL bytes and column lengths are where the
two differ.
"""

from urllib.parse import quote, urlencode, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.http import int_to_base36, url_has_allowed_host_and_scheme

from accounts.models import User

from .factories import PASSWORD, UserFactory
from .helpers import link_in

pytestmark = pytest.mark.django_db

NUL = "\x00"
HUGE = "x" * 100_000
# Django's ProhibitNullCharactersValidator message, which has no Vietnamese translation.
NUL_MESSAGE_EN = "Null characters are not allowed."
INVALID_RESET_LINK = "Đường dẫn đặt lại mật khẩu không hợp lệ, đã được dùng hoặc đã hết hạn."
INVALID_ACTIVATION_LINK = "Đường dẫn kích hoạt không hợp lệ, đã được dùng hoặc đã hết hạn."
CCCD_FORMAT = "Số CCCD phải gồm đúng 12 chữ số."
PHONE_INVALID = "Số điện thoại di động không hợp lệ"
NEW_PASSWORD = "Sen-Trang-Ho-Tay-9"

# The same number, 054 195 005678, with some or all digits from other scripts: Python's
# ``\d`` and ``int()`` take them, a CCCD may not.
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
UNICODE_CCCDS = [
    pytest.param("054195005678".translate(ARABIC_INDIC), id="cccd-all-arabic-indic"),
    pytest.param("054" + "195005678".translate(ARABIC_INDIC), id="cccd-arabic-indic-after-code"),
    pytest.param("054" + "195005678".translate(FULL_WIDTH), id="cccd-full-width-after-code"),
    pytest.param("٠١٢٣٤٥٦٧٨٩٠١", id="cccd-brief-example"),
]
UNICODE_PHONES = [
    pytest.param("098" + "7654321".translate(ARABIC_INDIC), id="phone-arabic-indic"),
    pytest.param("098" + "7654321".translate(FULL_WIDTH), id="phone-full-width"),
    pytest.param("0987654321".translate(FULL_WIDTH), id="phone-all-full-width"),
]
# Addresses Django's EmailValidator accepts whose domain has no IDNA (Punycode) form, so
# that no mail can be addressed to them: sanitize_address() raises UnicodeError.
UNMAILABLE_EMAILS = [
    pytest.param("binh@\ufffd.vn", id="replacement-char-domain"),
    pytest.param("binh@\ue000.vn", id="private-use-domain"),
    pytest.param("binh@" + "ü" * 63 + ".vn", id="label-too-long-in-punycode"),
]


def db_state():
    """Every row a probe could touch, in a comparable form."""
    users = list(
        User.objects.order_by("pk").values_list(
            "pk",
            "email",
            "password",
            "full_name",
            "date_of_birth",
            "gender",
            "cccd",
            "phone",
            "permanent_address",
            "is_active",
        )
    )
    addresses = list(
        EmailAddress.objects.order_by("pk").values_list(
            "pk", "user_id", "email", "verified", "primary"
        )
    )
    return users, addresses


def assert_consistent():
    """No half-made account: each user's primary address is their e-mail, and no two
    users share an address."""
    emails = [email.lower() for email in User.objects.values_list("email", flat=True)]
    assert len(emails) == len(set(emails))
    for user in User.objects.all():
        primary = EmailAddress.objects.filter(user=user, primary=True).first()
        if primary is not None:
            assert primary.email == user.email.lower()


VIETNAMESE_LETTERS = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")


def assert_vietnamese(form, field, value=""):
    """The error at the field is written in Vietnamese (it has Vietnamese letters).

    NUL bytes are left to ``test_the_nul_byte_error_is_in_vietnamese``, so that the one
    untranslated message fails one test, not every NUL probe.
    """
    values = value.values() if isinstance(value, dict) else [value]
    if any(NUL in str(each) for each in values):
        return
    text = " ".join(form.errors[field])
    assert VIETNAMESE_LETTERS & set(text.lower()), text


def raw_post(client, url, pairs):
    """POST a form body built by hand, so that values may hold bytes that are not UTF-8.

    ``pairs`` maps names to already percent-encoded values (e.g. ``"%FF%FE"``).
    """
    body = "&".join(f"{name}={value}" for name, value in pairs.items())
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def encoded(data):
    return {name: quote(value, safe="") for name, value in data.items()}


# Sign-up ----------------------------------------------------------------------------------
SIGNUP_URL = reverse("account_signup")
SIGNUP = {
    "full_name": "Trần Thị Bình",
    "email": "binh.tran@example.vn",
    "password1": "Hoa-Sen-Hong-2026",
    "password2": "Hoa-Sen-Hong-2026",
    "cccd": "054195005678",
    "phone": "0987654321",
}


def test_the_signup_data_used_here_is_accepted(client):
    """The probes below change one value of this; it must work unchanged."""
    assert client.post(SIGNUP_URL, SIGNUP).status_code == 302
    assert User.objects.filter(email="binh.tran@example.vn").exists()


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        pytest.param("full_name", {"full_name": f"Trần{NUL}Bình"}, id="nul-name"),
        pytest.param("email", {"email": f"binh{NUL}@example.vn"}, id="nul-email-local"),
        pytest.param("email", {"email": f"binh@example.vn{NUL}"}, id="nul-email-end"),
        pytest.param(
            "password1",
            {"password1": f"Hoa-Sen{NUL}-2026", "password2": f"Hoa-Sen{NUL}-2026"},
            id="nul-password",
        ),
        pytest.param("cccd", {"cccd": f"054195{NUL}005678"}, id="nul-cccd"),
        pytest.param("phone", {"phone": f"0987{NUL}654321"}, id="nul-phone"),
        pytest.param("full_name", {"full_name": HUGE}, id="huge-name"),
        pytest.param("email", {"email": HUGE + "@example.vn"}, id="huge-email"),
        pytest.param("cccd", {"cccd": HUGE}, id="huge-cccd"),
        pytest.param("phone", {"phone": HUGE}, id="huge-phone"),
        pytest.param(
            "email", {"email": "İ" * 130 + "@example.vn"}, id="email-longer-once-lowercased"
        ),
        pytest.param("cccd", {"cccd": "٠١٢٣٤٥٦٧٨٩٠١"}, id="cccd-arabic-indic"),
        pytest.param("cccd", {"cccd": "０５４１９５００５６７８"}, id="cccd-full-width"),
        pytest.param("phone", {"phone": "٠٩٨٧٦٥٤٣٢١"}, id="phone-arabic-indic"),
        pytest.param("full_name", {"full_name": "\u3000\u2003 \t"}, id="unicode-blank-name"),
    ],
)
def test_signup_refuses_odd_values_at_the_field(client, mailoutbox, field, changes):
    response = client.post(SIGNUP_URL, {**SIGNUP, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert_vietnamese(response.context["form"], field, changes)
    assert db_state() == ([], [])
    assert mailoutbox == []


@pytest.mark.parametrize("password", [HUGE, "Ab1-" * 25_000])
def test_signup_survives_a_megabyte_password(client, password):
    response = client.post(SIGNUP_URL, {**SIGNUP, "password1": password, "password2": password})
    assert response.status_code in (200, 302)
    assert_consistent()


@pytest.mark.parametrize("cccd", UNICODE_CCCDS)
def test_signup_refuses_a_cccd_written_with_non_ascii_digits(client, cccd):
    response = client.post(SIGNUP_URL, {**SIGNUP, "cccd": cccd})
    assert response.status_code == 200, "accepted a CCCD that is not 12 ASCII digits"
    assert CCCD_FORMAT in response.context["form"].errors["cccd"]
    assert not User.objects.exists()


@pytest.mark.parametrize("phone", UNICODE_PHONES)
def test_signup_refuses_a_phone_written_with_non_ascii_digits(client, phone):
    response = client.post(SIGNUP_URL, {**SIGNUP, "phone": phone})
    assert response.status_code == 200, "accepted a phone number that is not ASCII digits"
    assert PHONE_INVALID in " ".join(response.context["form"].errors["phone"])
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("email", "binh%FF%FE@example.vn"),
        ("email", "binh%ED%A0%80@example.vn"),  # a UTF-16 surrogate, UTF-8 encoded
        ("cccd", "054195%FF%FE5678"),
        ("phone", "0987%ED%A0%806543"),
    ],
)
def test_signup_refuses_bytes_that_are_not_utf8(client, mailoutbox, field, raw):
    response = raw_post(client, SIGNUP_URL, {**encoded(SIGNUP), field: raw})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert_vietnamese(response.context["form"], field)
    assert db_state() == ([], [])


@pytest.mark.parametrize("email", UNMAILABLE_EMAILS)
def test_signup_refuses_an_address_no_mail_can_reach(mailoutbox, email):
    """The activation mail is sent after the user row is saved: an address that cannot
    be put on an envelope must be refused at the field, not crash half-way."""
    client = Client(raise_request_exception=False)
    response = client.post(SIGNUP_URL, {**SIGNUP, "email": email})
    assert (response.status_code, User.objects.count(), EmailAddress.objects.count()) == (
        200,
        0,
        0,
    )
    assert "email" in response.context["form"].errors


def test_signup_with_a_non_utf8_domain_does_not_crash(mailoutbox):
    """``%FF`` decodes to U+FFFD, which the e-mail validator takes as a domain letter."""
    client = Client(raise_request_exception=False)
    response = raw_post(client, SIGNUP_URL, {**encoded(SIGNUP), "email": "binh@%FF.vn"})
    assert (response.status_code, User.objects.count()) == (200, 0)


def test_signup_with_a_kelvin_sign_is_the_existing_k_account(client, mailoutbox):
    """U+212A KELVIN SIGN lower-cases to "k": the address is taken, nothing is created."""
    owner = UserFactory(email="k@example.vn", verified=True)
    before = db_state()
    response = client.post(SIGNUP_URL, {**SIGNUP, "email": "\u212a@example.vn"})
    assert response.status_code == 302
    assert db_state() == before
    assert User.objects.get() == owner


# Login and logout -------------------------------------------------------------------------
LOGIN_URL = reverse("account_login")


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("login", {"login": f"an{NUL}@example.vn", "password": PASSWORD}),
        ("login", {"login": f"an@example.vn{NUL}", "password": PASSWORD}),
        ("password", {"login": "an@example.vn", "password": PASSWORD + NUL}),
        ("login", {"login": HUGE, "password": PASSWORD}),
        ("login", {"login": HUGE + "@example.vn", "password": PASSWORD}),
        ("login", {"login": "khong-phai-email", "password": PASSWORD}),
        ("password", {"login": "an@example.vn"}),
    ],
)
def test_login_refuses_odd_values(client, field, data):
    UserFactory(email="an@example.vn", verified=True)
    before = db_state()
    response = client.post(LOGIN_URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert_vietnamese(response.context["form"], field, data)
    assert "_auth_user_id" not in client.session
    assert db_state() == before


@pytest.mark.parametrize(
    "login", ["a" * 300 + "@example.vn", "İ" * 150 + "@example.vn", "\u212a@example.vn"]
)
def test_login_with_addresses_longer_than_the_column_is_just_wrong(client, login):
    """Valid addresses (up to 320 characters) that no account can have: a plain miss."""
    UserFactory(email="an@example.vn", verified=True)
    response = client.post(LOGIN_URL, {"login": login, "password": PASSWORD})
    assert response.status_code == 200
    assert "Email hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_a_megabyte_password_is_just_wrong(client):
    UserFactory(email="an@example.vn", verified=True)
    response = client.post(LOGIN_URL, {"login": "an@example.vn", "password": HUGE})
    assert response.status_code == 200
    assert "Email hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("raw", ["an%FF%FE@example.vn", "an%ED%A0%80@example.vn", "an@%FF.vn"])
def test_login_with_bytes_that_are_not_utf8(client, raw):
    UserFactory(email="an@example.vn", verified=True)
    response = raw_post(client, LOGIN_URL, {"login": raw, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


EVIL_NEXTS = [
    "//evil.example",
    "//evil.example/tai-khoan/",
    "https://evil.example/",
    "http:///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/%5Cevil.example",
    " //evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.example",
    "/\x00//evil.example",
    "//evil.example\x00",
    "/\r\nSet-Cookie: x=y",
    "https://testserver@evil.example/",
]


def assert_local_redirect(response):
    assert response.status_code == 302
    location = response["Location"]
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location
    assert "\n" not in location and "\r" not in location
    assert urlsplit(location).netloc in ("", "testserver"), location


@pytest.mark.parametrize("target", EVIL_NEXTS)
def test_login_never_redirects_off_site(client, target):
    UserFactory(email="an@example.vn", verified=True)
    response = client.post(
        LOGIN_URL, {"login": "an@example.vn", "password": PASSWORD, "next": target}
    )
    assert_local_redirect(response)


@pytest.mark.parametrize("target", EVIL_NEXTS)
def test_logout_never_redirects_off_site(client, target):
    client.force_login(UserFactory(verified=True))
    response = client.post(reverse("account_logout"), {"next": target})
    assert_local_redirect(response)
    assert "_auth_user_id" not in client.session


def test_logout_by_get_only_asks(client):
    client.force_login(UserFactory(verified=True))
    response = client.get(reverse("account_logout") + "?next=//evil.example")
    assert response.status_code == 200
    assert "_auth_user_id" in client.session


# Password reset -----------------------------------------------------------------------------
RESET_URL = reverse("account_reset_password")


@pytest.mark.parametrize(
    "email",
    [
        f"an{NUL}@example.vn",
        f"an@example.vn{NUL}",
        HUGE + "@example.vn",
        "a" * 250 + "@example.vn",
        "khong-phai-email",
        "",
    ],
)
def test_reset_request_refuses_odd_addresses(client, mailoutbox, email):
    UserFactory(email="an@example.vn", verified=True)
    before = db_state()
    response = client.post(RESET_URL, {"email": email})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert_vietnamese(response.context["form"], "email", email)
    assert db_state() == before
    assert mailoutbox == []


@pytest.mark.parametrize("email", UNMAILABLE_EMAILS)
def test_reset_request_for_an_unmailable_address_does_not_crash(mailoutbox, email):
    """An unknown address is mailed "no account here": it must not be one no envelope
    can carry."""
    client = Client(raise_request_exception=False)
    response = client.post(RESET_URL, {"email": email})
    assert response.status_code in (200, 302)


def test_reset_request_with_a_non_utf8_domain_does_not_crash(mailoutbox):
    client = Client(raise_request_exception=False)
    response = raw_post(client, RESET_URL, {"email": "an@%FF.vn"})
    assert response.status_code in (200, 302)


def reset_key_url(uidb36, key):
    return f"/tai-khoan/password/reset/key/{uidb36}-{key}/"


@pytest.mark.parametrize(
    "path",
    [
        reset_key_url("zzzzzzzzzzzzz", "abc"),  # 36**13: beyond a 64-bit primary key
        reset_key_url("zzzzzzzzzzzzzz", "abc"),  # 14 digits: base36_to_int refuses
        reset_key_url("0", "abc"),
        reset_key_url("1", "%00"),
        reset_key_url("1", "abc%00def"),
        reset_key_url("1", "%FF%FE"),
        reset_key_url("1", "set-password"),
        reset_key_url("1", "x" * 5000),
        reset_key_url("1", "a/b/c"),
        reset_key_url("1", "%3Fnext=//evil.example"),
        reset_key_url("1", "<script>alert(1)</script>"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_garbage_reset_links_are_refused(client, path, method):
    user = UserFactory(email="an@example.vn", verified=True)
    before = db_state()
    response = getattr(client, method)(
        path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert INVALID_RESET_LINK in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert db_state() == before
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_tampered_reset_links_are_refused(client):
    victim = UserFactory(email="nan.nhan@example.vn", verified=True)
    attacker = UserFactory(email="ke.gian@example.vn", verified=True)
    own_token = default_token_generator.make_token(attacker)
    victim_token = default_token_generator.make_token(victim)
    before = db_state()
    for path in [
        # the attacker's own valid token, with the victim's id
        reset_key_url(int_to_base36(victim.pk), own_token),
        # the victim's token, with one character changed
        reset_key_url(
            int_to_base36(victim.pk),
            victim_token[:-1] + ("a" if victim_token[-1] != "a" else "b"),
        ),
        # the victim's token, truncated and extended
        reset_key_url(int_to_base36(victim.pk), victim_token[:-3]),
        reset_key_url(int_to_base36(victim.pk), victim_token + "0"),
        # the id in upper case, with a leading zero
        reset_key_url(int_to_base36(victim.pk).upper() + "0", victim_token),
    ]:
        response = client.post(
            path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
        )
        assert response.status_code == 200, path
        assert INVALID_RESET_LINK in response.content.decode(), path
    assert db_state() == before


def test_a_reset_session_for_one_account_cannot_reset_another(client, mailoutbox):
    """Open one's own reset link (the key goes into the session), then post the new
    password to the victim's ``…/<id>-set-password/`` URL."""
    victim = UserFactory(email="nan.nhan@example.vn", verified=True)
    UserFactory(email="ke.gian@example.vn", verified=True)
    client.post(RESET_URL, {"email": "ke.gian@example.vn"})
    client.get(link_in(mailoutbox[0]), follow=True)
    before = db_state()
    response = client.post(
        reset_key_url(int_to_base36(victim.pk), "set-password"),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert INVALID_RESET_LINK in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("password1", {"password1": NEW_PASSWORD + NUL, "password2": NEW_PASSWORD + NUL}),
        ("password2", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + NUL}),
        ("password1", {"password1": "", "password2": ""}),
    ],
)
def test_reset_form_refuses_odd_passwords(client, mailoutbox, field, data):
    user = UserFactory(email="an@example.vn", verified=True)
    client.post(RESET_URL, {"email": "an@example.vn"})
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    response = client.post(form_page.context["action_url"], data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert_vietnamese(response.context["form"], field, data)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# Activation (confirm-email) links --------------------------------------------------------
def confirm_url(key):
    return f"/tai-khoan/confirm-email/{key}/"


GARBAGE_KEYS = [
    "abc",
    "MQ:1tA2bC:abcdefghijklmnopqrstuvwxyz0123",
    "a" * 5000,
    ":::",
    "-",
    "ñandú",
    "٠١٢٣",
    signing.dumps(1, salt="not-allauth"),
    signing.dumps("1' OR '1'='1"),
]


@pytest.mark.parametrize("key", GARBAGE_KEYS)
def test_garbage_activation_links_show_the_invalid_page(client, key):
    UserFactory(email="an@example.vn", verified=False)
    before = db_state()
    response = client.get(confirm_url(key))
    assert response.status_code == 200
    assert INVALID_ACTIVATION_LINK in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize("key", GARBAGE_KEYS)
def test_garbage_activation_links_cannot_be_posted(client, key):
    UserFactory(email="an@example.vn", verified=False)
    before = db_state()
    assert client.post(confirm_url(key)).status_code == 404
    assert db_state() == before


@pytest.mark.parametrize("key", ["%00", "ab%00c", "%FF%FE", "a%0Ab", "a%2Fb", "..", "%2e%2e"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_activation_links_with_odd_bytes_are_not_found(client, key, method):
    before = db_state()
    response = getattr(client, method)(confirm_url(key))
    assert response.status_code in (200, 404)
    assert db_state() == before


def test_tampered_activation_links_are_refused(client, mailoutbox):
    client.post(SIGNUP_URL, SIGNUP)
    good = link_in(mailoutbox[0])
    key = good.rstrip("/").rsplit("/", 1)[1]
    before = db_state()
    for tampered in [
        key[:-1] + ("A" if key[-1] != "A" else "B"),
        key.upper(),
        key.lower(),
        key[:-2],
        key + "x",
        # the signed part pointing at another row, with the old signature
        "Mg" + key[key.index(":") :],
    ]:
        assert client.post(confirm_url(tampered)).status_code == 404, tampered
        page = client.get(confirm_url(tampered))
        assert INVALID_ACTIVATION_LINK in page.content.decode(), tampered
    assert db_state() == before
    assert not EmailAddress.objects.get().verified


# E-mail management ---------------------------------------------------------------------------
EMAIL_URL = reverse("account_email")


@pytest.mark.parametrize(
    "email",
    [
        f"moi{NUL}@example.vn",
        f"moi@example.vn{NUL}",
        HUGE + "@example.vn",
        "a" * 250 + "@example.vn",
        "khong-phai-email",
        "",
        "TOI@EXAMPLE.VN",  # one's own address again
        "İ" * 130 + "@example.vn",  # 261 characters once lower-cased
    ],
)
def test_adding_an_odd_address_is_refused_at_the_field(client, mailoutbox, email):
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)
    before = db_state()
    response = client.post(EMAIL_URL, {"action_add": "", "email": email})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert_vietnamese(response.context["form"], "email", email)
    assert db_state() == before
    assert mailoutbox == []


@pytest.mark.parametrize("email", UNMAILABLE_EMAILS)
def test_adding_an_unmailable_address_is_refused_at_the_field(mailoutbox, email):
    user = UserFactory(email="toi@example.vn", verified=True)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    before = db_state()
    response = client.post(EMAIL_URL, {"action_add": "", "email": email})
    assert (response.status_code, db_state() == before) == (200, True)
    assert "email" in response.context["form"].errors


@pytest.mark.parametrize("action", ["action_send", "action_remove", "action_primary"])
@pytest.mark.parametrize(
    "email",
    [
        f"toi{NUL}@example.vn",
        "toi@example.vn" + NUL,
        HUGE,
        "khong-phai-email",
        "",
        "nguoi.khac@example.vn",  # somebody else's address
        "chua.co@example.vn",  # nobody's address
        "toi%FF@example.vn",
    ],
)
def test_actions_on_addresses_one_does_not_have_change_nothing(client, mailoutbox, action, email):
    UserFactory(email="nguoi.khac@example.vn", verified=True)
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)
    before = db_state()
    response = client.post(EMAIL_URL, {action: "", "email": email})
    assert response.status_code in (200, 302)
    assert db_state() == before
    assert mailoutbox == []


def test_actions_without_an_email_change_nothing(client, mailoutbox):
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)
    before = db_state()
    for action in ["action_send", "action_remove", "action_primary", "action_other"]:
        assert client.post(EMAIL_URL, {action: ""}).status_code in (200, 302)
        assert client.post(EMAIL_URL, {action: "", "email": ["", ""]}).status_code in (200, 302)
    assert db_state() == before
    assert mailoutbox == []


def test_the_only_address_cannot_be_removed(client):
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)
    before = db_state()
    response = client.post(EMAIL_URL, {"action_remove": "", "email": "TOI@example.vn"})
    assert response.status_code in (200, 302)
    assert db_state() == before


def test_a_pending_address_cannot_be_made_primary_before_it_is_verified(client, mailoutbox):
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)
    client.post(EMAIL_URL, {"action_add": "", "email": "moi@example.vn"})
    before = db_state()
    response = client.post(EMAIL_URL, {"action_primary": "", "email": "moi@example.vn"})
    assert response.status_code in (200, 302)
    assert db_state() == before
    user.refresh_from_db()
    assert user.email == "toi@example.vn"


def test_confirming_an_address_an_unverified_account_holds_does_not_crash(client, mailoutbox):
    """Somebody signs up with a citizen's address and never activates it (they cannot).
    The citizen, who already has an account, changes their e-mail to that address and
    follows the link that reaches their own mailbox."""
    Client().post(SIGNUP_URL, {**SIGNUP, "email": "chu.that@example.vn"})
    assert User.objects.filter(email="chu.that@example.vn").exists()
    cache.clear()  # days later: the per-address limit on activation mails has lapsed
    mailoutbox.clear()
    citizen = UserFactory(email="cu@example.vn", verified=True)
    client.force_login(citizen)
    client.post(EMAIL_URL, {"action_add": "", "email": "chu.that@example.vn"})
    [mail] = mailoutbox
    assert mail.to == ["chu.that@example.vn"]

    response = client.post(link_in(mail))
    assert response.status_code in (200, 302)
    assert_consistent()


def test_confirming_an_address_another_account_has_verified_changes_nothing(client, mailoutbox):
    """The owner of that mailbox follows the link that another account requested."""
    UserFactory(email="da.co@example.vn", verified=True)
    citizen = UserFactory(email="cu@example.vn", verified=True)
    client.force_login(citizen)
    client.post(EMAIL_URL, {"action_add": "", "email": "da.co@example.vn"})
    [mail] = mailoutbox
    before = db_state()
    page = client.get(link_in(mail))
    assert page.status_code == 200
    assert "đã được xác nhận cho một tài khoản khác" in page.content.decode()
    response = client.post(link_in(mail))
    assert response.status_code in (200, 302)
    assert db_state() == before
    assert_consistent()


# Password change -------------------------------------------------------------------------------
CHANGE_URL = reverse("account_change_password")


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("oldpassword", {"oldpassword": PASSWORD + NUL}),
        ("oldpassword", {"oldpassword": HUGE}),
        ("oldpassword", {"oldpassword": ""}),
        ("password1", {"password1": NEW_PASSWORD + NUL, "password2": NEW_PASSWORD + NUL}),
        ("password2", {"password2": NEW_PASSWORD + NUL}),
        ("password2", {"password2": NEW_PASSWORD + "x"}),
        ("password1", {"password1": "12345678", "password2": "12345678"}),
    ],
)
def test_password_change_refuses_odd_values(client, mailoutbox, field, changes):
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)
    data = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = client.post(CHANGE_URL, {**data, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert_vietnamese(response.context["form"], field, changes)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert mailoutbox == []


def test_password_change_to_a_megabyte_password_does_not_crash(client):
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)
    response = client.post(
        CHANGE_URL, {"oldpassword": PASSWORD, "password1": HUGE, "password2": HUGE}
    )
    assert response.status_code in (200, 302)


def test_password_change_with_bytes_that_are_not_utf8(client):
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)
    response = raw_post(
        client,
        CHANGE_URL,
        {"oldpassword": quote(PASSWORD), "password1": "%FF%FE%ED%A0%80", "password2": "%FF"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# Profile ---------------------------------------------------------------------------------------
PROFILE_URL = reverse("account_profile")
PROFILE = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-05-12",
    "gender": "male",
    "cccd": "001090012345",
    "phone": "0912345678",
    "permanent_address": "Số 1 Lê Lợi, phường Bến Nghé",
}


def test_the_profile_data_used_here_is_accepted(client):
    client.force_login(UserFactory(phone="", cccd=""))
    assert client.post(PROFILE_URL, PROFILE).status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", f"Nguyễn{NUL}An"),
        ("full_name", NUL),
        ("full_name", HUGE),
        ("permanent_address", f"Số 1{NUL}Lê Lợi"),
        ("permanent_address", HUGE),
        ("date_of_birth", "0000-00-00"),
        ("date_of_birth", "99999-01-01"),
        ("date_of_birth", "10000-01-01"),
        ("date_of_birth", "0001-01-01"),
        ("date_of_birth", "1899-12-31"),
        ("date_of_birth", "-1990-05-12"),
        ("date_of_birth", "1990-02-30"),
        ("date_of_birth", "1990-13-01"),
        ("date_of_birth", f"1990-05-12{NUL}"),
        ("date_of_birth", "１９９０-０５-１２"),
        ("date_of_birth", "٢٠٢٠-٠١-٠١"),
        ("date_of_birth", HUGE),
        ("gender", "xyz"),
        ("gender", "MALE"),
        ("gender", f"male{NUL}"),
        ("gender", NUL),
        ("gender", HUGE),
        ("cccd", f"001090{NUL}12345"),
        ("cccd", NUL * 12),
        ("cccd", HUGE),
        ("cccd", "001090012345" + NUL),
        ("phone", f"0912{NUL}345678"),
        ("phone", HUGE),
        ("phone", "+84" + "9" * 50),
    ],
)
def test_profile_refuses_odd_values_at_the_field(client, field, value):
    user = UserFactory()
    client.force_login(user)
    before = db_state()
    response = client.post(PROFILE_URL, {**PROFILE, field: value})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert_vietnamese(response.context["form"], field, value)
    assert db_state() == before


@pytest.mark.parametrize(
    "cccd",
    [
        pytest.param("001090012345".translate(ARABIC_INDIC), id="all-arabic-indic"),
        pytest.param("001" + "090012345".translate(ARABIC_INDIC), id="arabic-after-code"),
        pytest.param("001" + "090012345".translate(FULL_WIDTH), id="full-width-after-code"),
        pytest.param("001090" + "012345".translate(FULL_WIDTH), id="full-width-serial"),
        pytest.param("001090" + "\U0001d7ce" * 6, id="mathematical-bold-serial"),
        pytest.param("٠١٢٣٤٥٦٧٨٩٠١", id="brief-example"),
    ],
)
def test_profile_refuses_a_cccd_written_with_non_ascii_digits(client, cccd):
    user = UserFactory()
    client.force_login(user)
    before = db_state()
    response = client.post(PROFILE_URL, {**PROFILE, "cccd": cccd})
    assert response.status_code == 200, "accepted a CCCD that is not 12 ASCII digits"
    assert CCCD_FORMAT in response.context["form"].errors["cccd"]
    assert db_state() == before


@pytest.mark.parametrize(
    "phone",
    [
        pytest.param("091" + "2345678".translate(ARABIC_INDIC), id="arabic-indic"),
        pytest.param("091" + "2345678".translate(FULL_WIDTH), id="full-width"),
        pytest.param("+8491" + "2345678".translate(FULL_WIDTH), id="full-width-international"),
        pytest.param("0912345678".translate(FULL_WIDTH), id="all-full-width"),
    ],
)
def test_profile_refuses_a_phone_written_with_non_ascii_digits(client, phone):
    user = UserFactory()
    client.force_login(user)
    before = db_state()
    response = client.post(PROFILE_URL, {**PROFILE, "phone": phone})
    assert response.status_code == 200, "accepted a phone number that is not ASCII digits"
    assert PHONE_INVALID in " ".join(response.context["form"].errors["phone"])
    assert db_state() == before


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("cccd", "001090%FF%FE2345"),
        ("phone", "0912%ED%A0%80678"),
        ("date_of_birth", "1990-05-%FF"),
        ("gender", "male%FF"),
    ],
)
def test_profile_refuses_bytes_that_are_not_utf8(client, field, raw):
    user = UserFactory()
    client.force_login(user)
    before = db_state()
    response = raw_post(client, PROFILE_URL, {**encoded(PROFILE), field: raw})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert_vietnamese(response.context["form"], field)
    assert db_state() == before


def test_profile_cannot_change_the_email_or_staff_flags(client):
    user = UserFactory(email="toi@example.vn")
    client.force_login(user)
    client.post(
        PROFILE_URL,
        {
            **PROFILE,
            "email": "K@example.vn",
            "is_staff": "on",
            "is_superuser": "on",
            "password": "x",
        },
    )
    user.refresh_from_db()
    assert (user.email, user.is_staff, user.is_superuser) == ("toi@example.vn", False, False)
    assert user.check_password(PASSWORD)


# Messages a citizen reads --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "data", "login"),
    [
        (SIGNUP_URL, {**SIGNUP, "full_name": f"Trần{NUL}Bình"}, False),
        (LOGIN_URL, {"login": "an@example.vn", "password": PASSWORD + NUL}, False),
        (PROFILE_URL, {**PROFILE, "permanent_address": f"Số 1{NUL}"}, True),
    ],
)
def test_the_nul_byte_error_is_in_vietnamese(client, url, data, login):
    """Django's vi catalogue leaves "Null characters are not allowed." untranslated."""
    if login:
        client.force_login(UserFactory())
    page = client.post(url, data).content.decode()
    assert NUL_MESSAGE_EN not in page


# Language switcher -----------------------------------------------------------------------------
@pytest.mark.parametrize("target", EVIL_NEXTS)
def test_language_switcher_never_redirects_off_site(client, target):
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert_local_redirect(response)


@pytest.mark.parametrize("language", ["xx", "", NUL, "en\x00", HUGE, "../../etc/passwd"])
def test_language_switcher_ignores_unknown_languages(client, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    chosen = response.cookies.get("django_language")
    assert chosen is None or chosen.value in ("vi", "en")


def test_a_forged_language_cookie_falls_back_to_vietnamese(client):
    client.cookies["django_language"] = "xx\x7f"
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"


def test_language_switcher_by_get_does_not_redirect_off_site(client):
    response = client.get("/i18n/setlang/?" + urlencode({"next": "//evil.example"}))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert_local_redirect(response)


# Health check ----------------------------------------------------------------------------------
def test_healthz_answers_ok_and_only_to_safe_methods(client):
    assert client.get("/healthz").content == b"ok"
    assert client.get("/healthz?%00=%FF&x=" + "y" * 5000).status_code == 200
    assert client.head("/healthz").status_code == 200
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/healthz").status_code == 405
