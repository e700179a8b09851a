from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsAppConfig(AppConfig):
    """Online submission and processing of dossiers: service levels 3 and 4."""

    name = "forms_app"
    verbose_name = _("Hồ sơ trực tuyến")
