"""Registers the back office with Wagtail: the modeladmin screens of ``backoffice`` and
``finance``, the workflow's log actions and the dashboard panels. The classes live with
their concern (``backoffice.admin``, ``backoffice.calendar``, ``finance.admin``)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from .backoffice import calendar
from .backoffice.admin import DossierAdmin, DossierQueuePanel, OfficialGroupAdmin
from .backoffice.calendar import CalendarDayAdmin, CalendarWarningPanel
from .backoffice.common import is_official
from .finance.admin import FinanceAdminGroup
from .services.workflow import ACTIONS
from .working_days import year_to_confirm

modeladmin_register(DossierAdmin)
modeladmin_register(CalendarDayAdmin)
modeladmin_register(OfficialGroupAdmin)
modeladmin_register(FinanceAdminGroup)


@hooks.register("register_log_actions")
def register_dossier_log_actions(actions):
    """The workflow's actions, named in the admin's history and reports."""
    for name, (_starts, _end, label) in ACTIONS.items():
        actions.register_action(f"forms_app.dossier.{name}", label, label)
    actions.register_action(
        "forms_app.dossier.extend_deadline", _("Gia hạn giải quyết"), _("Gia hạn giải quyết")
    )
    actions.register_action(
        "forms_app.dossier.register",
        _("Tiếp nhận hồ sơ trực tiếp"),
        _("Tiếp nhận hồ sơ trực tiếp"),
    )


@hooks.register("construct_homepage_panels")
def add_dossier_queue(request, panels):
    if is_official(request.user):
        panels.insert(0, DossierQueuePanel(request.user))


@hooks.register("construct_homepage_panels")
def add_calendar_warning(request, panels):
    """From 1 October, to those who confirm calendars: next year's is not confirmed."""
    if calendar.can_confirm(request.user):
        year = year_to_confirm()
        if year is not None:
            panels.insert(0, CalendarWarningPanel(year))
