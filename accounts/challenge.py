"""A proof of work on the login form, for an address that many failed logins came from.

**Why.** The portal used to refuse every login, right password or not, for an hour from an
address with 20 failed logins. Behind a mobile carrier's shared address (CGNAT) or a
one-stop-shop's public Wi-Fi, thousands of citizens are one address: one stranger guessing
passwords locked them all out. Per address the portal now slows guessing down and never
refuses a correct password. Per account the limits still refuse (``accounts.adapter``).

**The rule.** Failed logins are counted per address (IPv6 per network, as allauth counts
its own limits). From ``LOGIN_CHALLENGE_AFTER_FAILURES`` failures within
``LOGIN_CHALLENGE_WINDOW`` seconds on, the login form served to that address carries a
challenge, and a login from there is checked only with its solution. The challenge grows
harder with further failures, up to a few seconds of a phone's time. A missing, wrong,
expired or already used solution is refused at the form before the password is looked at,
so it counts as a failure nowhere.

**The puzzle.** The portal picks a secret counter below ``attempts`` and a random salt, and
publishes the salt, ``attempts``, ``ITERATIONS`` and the target
``PBKDF2-HMAC-SHA256(password=str(counter), salt, ITERATIONS)`` in hex. The browser
(``static/js/login-challenge.js``) tries counters 0, 1, 2… with ``crypto.subtle`` until it
meets the target; the worst case is bounded (``attempts`` tries), and the server checks a
solution with one derivation. PBKDF2 rather than one SHA-256 per try (as ALTCHA's first
scheme does): WebCrypto runs the iterations natively, so a phone pays about what a
guesser's CPU pays per try, whereas one ``crypto.subtle.digest`` call per try costs a
browser some 70 µs of overhead for a hash that takes a native guesser under 2 µs
(measured with Node 20 and CPython's hashlib on the development machine).

**The token.** The puzzle travels in a token signed with Django's ``signing`` (HMAC with
``SECRET_KEY``, key rotation through ``SECRET_KEY_FALLBACKS``, a timestamp checked against
``EXPIRY``), and is spent the first time a correct solution comes back (``cache.add``:
atomic in Redis), so one piece of work buys one login attempt. It is not bound to the
address: a phone behind CGNAT may change public address between loading the form and
sending it, and a solution is a unit of work wherever it comes from.

**Why not a library.** The ``altcha`` package (2.3.0) signs and verifies challenges of the
ALTCHA widget, but its SHA-256 scheme pays the per-call overhead above, its PBKDF2 scheme
needs the ALTCHA widget's wire format (canonical JSON signatures) in the browser, and it
keeps no record of spent solutions and knows nothing of failures per address: the
counting, the difficulty, the replay check and the browser's side would still be ours,
for the sake of a signature that Django already makes.
"""

import dataclasses
import hashlib
import hmac
import ipaddress
import secrets
import time

from allauth import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The fields the browser sends back with the login form.
CHALLENGE_FIELD = "login_challenge"
PROOF_FIELD = "login_proof"

# PBKDF2 iterations per try: about half a millisecond of WebCrypto on a desktop core.
ITERATIONS = 1_000
# Tries at the threshold, doubled every FAILURES_PER_DOUBLING further failures, up to
# MAX_ATTEMPTS: 2,048 tries are at most about 2 million iterations, one second on a
# desktop core and a few on a phone (half that on average).
MIN_ATTEMPTS = 128
MAX_ATTEMPTS = 2_048
FAILURES_PER_DOUBLING = 5
# How long a challenge may be solved and sent; a citizen who waits longer gets a new one.
EXPIRY = 15 * 60

_SIGNING_SALT = "accounts.challenge"
_FAILURES_KEY = "accounts:login-failures:{address}:{window}"
_SPENT_KEY = "accounts:login-challenge-spent:{salt}"

MISSING = _(
    "Trình duyệt chưa làm xong bước kiểm tra bảo mật nên chưa thể đăng nhập. Hãy đợi dòng "
    "“Đã kiểm tra bảo mật xong.” rồi nhập lại mật khẩu và bấm “Đăng nhập”."
)
SPENT = _(
    "Bước kiểm tra bảo mật đã hết hạn hoặc đã được dùng. Hãy đợi dòng “Đã kiểm tra bảo mật "
    "xong.” rồi nhập lại mật khẩu và bấm “Đăng nhập”."
)


@dataclasses.dataclass(frozen=True)
class Challenge:
    """One puzzle as the login form carries it: ``token`` goes back with the solution,
    the other fields are what the browser needs to solve it."""

    token: str
    salt: str
    target: str
    attempts: int
    iterations: int


def _address(request):
    """The address failures are counted for: the client's, as allauth reads it (behind
    ``TRUSTED_PROXY_COUNT`` proxies), an IPv6 one reduced to its network
    (``ALLAUTH_RATE_LIMIT_IPV6_PREFIX``, /64), which one household or phone gets whole."""
    address = get_adapter(request).get_client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
        return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
    return address


def _failure_keys(request, now):
    """The counters of this window and the previous one, and how far into this one we are."""
    window = settings.LOGIN_CHALLENGE_WINDOW
    number, elapsed = divmod(now, window)
    address = _address(request)
    current = _FAILURES_KEY.format(address=address, window=int(number))
    previous = _FAILURES_KEY.format(address=address, window=int(number) - 1)
    return current, previous, elapsed / window


def record_failure(request):
    """Count one failed login from the request's address.

    Counters are per clock window (``LOGIN_CHALLENGE_WINDOW``) and kept for two, so that
    ``failures()`` can weigh the previous window in. ``incr`` is atomic in Redis and in
    the local-memory cache; the folder cache resets a key's lifetime on ``incr``, hence
    the ``touch``.
    """
    now = time.time()
    current, _previous, _elapsed = _failure_keys(request, now)
    window = settings.LOGIN_CHALLENGE_WINDOW
    cache.add(current, 0, 2 * window)
    cache.incr(current)
    cache.touch(current, 2 * window - now % window)


def failures(request):
    """Failed logins from the request's address in about the last window.

    The previous window's count weighs in for the part of it still within one window of
    now (a sliding-window estimate), so that 20 failures just before the clock turns and
    20 just after are 40, not twice 20.
    """
    current, previous, elapsed = _failure_keys(request, time.time())
    counts = cache.get_many([current, previous])
    return counts.get(current, 0) + counts.get(previous, 0) * (1 - elapsed)


def attempts_for(failure_count):
    """The number of tries a challenge spans after ``failure_count`` failures; 0 for none."""
    extra = failure_count - settings.LOGIN_CHALLENGE_AFTER_FAILURES
    if extra < 0:
        return 0
    return min(MAX_ATTEMPTS, MIN_ATTEMPTS << int(extra // FAILURES_PER_DOUBLING))


def is_required(request):
    """Whether a login from the request's address must come with a solved challenge."""
    return attempts_for(failures(request)) > 0


def _derive(counter, salt, iterations):
    return hashlib.pbkdf2_hmac("sha256", counter.encode(), salt.encode(), iterations).hex()


def issue(request):
    """A fresh challenge for the login form served to this request, or None when its
    address owes none."""
    attempts = attempts_for(failures(request))
    if not attempts:
        return None
    salt = secrets.token_hex(16)
    target = _derive(str(secrets.randbelow(attempts)), salt, ITERATIONS)
    token = signing.dumps(
        {"salt": salt, "target": target, "iterations": ITERATIONS}, salt=_SIGNING_SALT
    )
    return Challenge(
        token=token, salt=salt, target=target, attempts=attempts, iterations=ITERATIONS
    )


def redeem(token, proof):
    """Accept a solved challenge once, or raise ValidationError with what to do.

    The token's signature and age are checked first, then the proof (a counter, at most a
    few digits: one derivation), and only then is the challenge spent, so that a wrong
    guess at the proof does not spend a citizen's challenge.
    """
    try:
        puzzle = signing.loads(token, salt=_SIGNING_SALT, max_age=EXPIRY)
    except signing.SignatureExpired as error:
        raise ValidationError(SPENT, code="login_challenge_spent") from error
    except signing.BadSignature as error:
        raise ValidationError(MISSING, code="login_challenge_missing") from error
    if not (proof.isascii() and proof.isdigit() and len(proof) <= len(str(MAX_ATTEMPTS))):
        raise ValidationError(MISSING, code="login_challenge_missing")
    if not hmac.compare_digest(
        _derive(str(int(proof)), puzzle["salt"], puzzle["iterations"]), puzzle["target"]
    ):
        raise ValidationError(MISSING, code="login_challenge_missing")
    if not cache.add(_SPENT_KEY.format(salt=puzzle["salt"]), True, EXPIRY):
        raise ValidationError(SPENT, code="login_challenge_spent")
