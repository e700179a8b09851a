"""Keeping citizens out of the Wagtail admin."""

from django.shortcuts import render
from django.urls import reverse


class StaffOnlyAdminMiddleware:
    """A logged-in user without admin access gets a 403 page for anything under /admin/.

    Wagtail would send such a user back to the login page, which (being one page for
    everybody) would send a logged-in user on to /admin/ again: a redirect loop. Anonymous
    visitors pass through, and Wagtail asks them to log in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path.startswith(reverse("wagtailadmin_home"))
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            return render(request, "403.html", status=403)
        return self.get_response(request)
