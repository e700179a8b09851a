"""What an official may read: the dossiers of their agencies (and, for a district's
group that includes them, its communes'), scoped in every view."""

from django.shortcuts import get_object_or_404

from accounts.models import User
from procedures.models import AgencyPage

from ..constants import DossierStatus
from ..models import Dossier, OfficialGroup


def agency_ids_of_official(user):
    """The agencies whose dossiers ``user`` handles: those linked to one of their
    groups, with the communes of a district whose link includes them."""
    ids = set()
    links = OfficialGroup.objects.filter(group__user=user).select_related("agency")
    for link in links:
        ids.add(link.agency_id)
        if link.include_subordinates:
            ids.update(AgencyPage.objects.descendant_of(link.agency).values_list("pk", flat=True))
    return ids


def official_agency_ids(user):
    """``selectors.agency_ids_of_official(user)``, read once per request user: a listing
    asks for every row (its buttons, its permission checks) and the menu asks again, and
    the answer does not change meanwhile."""
    ids = getattr(user, "_official_agency_ids", None)
    if ids is None:
        ids = frozenset(agency_ids_of_official(user)) if user.is_authenticated else frozenset()
        user._official_agency_ids = ids
    return ids


def may_see(user, agency_id):
    """Whether a row of ``agency_id`` is ``user``'s to see, without a query."""
    return user.is_superuser or agency_id in official_agency_ids(user)


def dossiers_for_official(user):
    """Submitted dossiers an official may see: their agencies' (all for a superuser).
    Every admin view of a dossier starts from here, not only the listing."""
    dossiers = Dossier.objects.exclude(status=DossierStatus.DRAFT).select_related(
        "procedure", "agency", "applicant", "assigned_to"
    )
    if user.is_superuser:
        return dossiers
    return dossiers.filter(agency_id__in=agency_ids_of_official(user))


def official_dossier(user, pk):
    """One dossier of the official's agencies, or 404 (never 403: no hint it exists)."""
    return get_object_or_404(dossiers_for_official(user), pk=pk)


def official_dossier_by_key(user, key):
    """The official's dossier registered with this one-time form key, or 404."""
    return get_object_or_404(dossiers_for_official(user), submission_key=key)


def is_official_of(user, agency):
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or agency.pk in agency_ids_of_official(user))
    )


def officials_of(agency):
    """Active staff who handle ``agency``'s dossiers (also through a district link that
    includes its communes)."""
    ancestors = AgencyPage.objects.ancestor_of(agency, inclusive=True)
    links = OfficialGroup.objects.filter(agency=agency) | OfficialGroup.objects.filter(
        agency__in=ancestors, include_subordinates=True
    )
    return User.objects.filter(
        is_active=True, is_staff=True, groups__in=links.values("group")
    ).distinct()
