"""What the officials' admin screens share (dossiers, payments, refunds): who counts as an
official, listings that let only their declared filters reach the database, and
read-only permissions by agency."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import SuspiciousOperation
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.views import IndexView

from ..selectors import may_see, official_agency_ids


def is_official(user):
    """Whether ``user`` may open the officials' screens at all."""
    return user.is_authenticated and (user.is_superuser or bool(official_agency_ids(user)))


class StrictFiltersIndexView(IndexView):
    """Only the declared filters reach the database, and a malformed filter value is a
    400: modeladmin would otherwise pass any query parameter on as a lookup, letting an
    official probe related rows (``?applicant__password__startswith=…``)."""

    def get_filters(self, request):
        filter_specs, has_filters, lookups, use_distinct = super().get_filters(request)
        if lookups:
            raise SuspiciousOperation(f"Filtering by {', '.join(lookups)} is not allowed")
        return filter_specs, has_filters, lookups, use_distinct

    def get_queryset(self, request=None):
        try:
            return super().get_queryset(request)
        except IncorrectLookupParameters as error:
            raise SuspiciousOperation(str(error)) from error


class ReadOnlyPermissionHelper(PermissionHelper):
    """Officials list and inspect their agencies' rows; nobody creates, edits or deletes
    one through a form. ``agency_id_of`` says whose a row is."""

    def agency_id_of(self, obj):
        raise NotImplementedError

    def user_can_list(self, user):
        return is_official(user)

    def user_can_inspect_obj(self, user, obj):
        # The objects come from the scoped reads; this checks again without a query.
        return may_see(user, self.agency_id_of(obj))

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False
