"""The Wagtail admin's user management, adapted to ``accounts.User``."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from .forms import FullNameField


class _FullNameMixin(forms.Form):
    full_name = FullNameField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's forms declare these; our users have no such fields.
        self.fields.pop("first_name", None)
        self.fields.pop("last_name", None)
        self.fields["email"].label = _("Email")


class StaffCreationForm(_FullNameMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = {*UserCreationForm.Meta.fields, "full_name"} - {"first_name", "last_name"}


class StaffEditForm(_FullNameMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = {*UserEditForm.Meta.fields, "full_name"} - {"first_name", "last_name"}


class PortalUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return StaffEditForm if for_update else StaffCreationForm
