from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Online payment of fees (service level 4), through VNPAY or the built-in sandbox.

    Independent of dossiers: a dossier pays through ``payments.services.start_payment``
    and learns of the result from the ``payments.signals.payment_completed`` signal.
    """

    name = "payments"
    verbose_name = _("Thanh toán trực tuyến")
    # Every page under this namespace is someone's payment: never stored by any cache.
    personal_url_namespaces = ("payments",)

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
