"""Reads about accounts that other apps rely on."""

from allauth.account.models import EmailAddress


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
