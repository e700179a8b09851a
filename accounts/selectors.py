"""Reads about accounts that other apps rely on."""

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.core import signing


def has_verified_email(user):
    """True when the user's current e-mail address has been confirmed by its link."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def can_submit_dossiers(user):
    """Whether this user may submit dossiers online.

    The one question later issues ask before the submission wizard: logged in, active,
    and with the *current* e-mail verified (the address every notice about the dossier
    goes to). allauth's ``verified_email_required`` accepts any verified address of the
    account, so views ask this instead and, when it says no, show
    ``account/verified_email_required.html`` after re-sending the activation link.
    """
    return bool(user.is_authenticated and user.is_active and has_verified_email(user))


def is_confirmed_by_link(key):
    """True when ``key`` is a genuine activation link whose address is already confirmed.

    allauth's links are HMAC-signed e-mail address ids (``EmailConfirmationHMAC``, the
    default, allauth/account/models.py) that it looks up among *unverified* addresses
    only, so a link opened again after use is "not found" like a forged one. Read with
    the same signing salt, a genuine link can say instead that there is nothing left to
    do. Its age is not checked: the address is confirmed however old the link is.
    """
    try:
        pk = signing.loads(key, salt=allauth_settings.SALT)
    except signing.BadSignature:
        return False
    return EmailAddress.objects.filter(pk=pk, verified=True).exists()
