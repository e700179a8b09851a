from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsAppConfig(AppConfig):
    """Online submission and processing of dossiers: service levels 3 and 4."""

    name = "forms_app"
    verbose_name = _("Hồ sơ trực tuyến")
    # Every page under these namespaces is someone's dossier: never stored by any cache.
    personal_url_namespaces = ("dossiers",)

    def ready(self):
        from payments.signals import payment_completed

        from .finance.services import on_payment_completed

        # What a confirmed payment means for its dossier is decided here, not in payments.
        payment_completed.connect(on_payment_completed, dispatch_uid="forms_app.record_payment")
