"""Payment gateways: one small interface, two adapters (``vnpay`` and the ``sandbox``).

Services and views talk to ``get_gateway()`` only, so that the simulated bank used in
development and tests goes through exactly the code path of the real one: the same
signed parameters, the same notification, the same recording function.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import GatewayError, Notification, PaymentGateway, order_info
from .sandbox import SandboxGateway
from .vnpay import VnpayGateway

__all__ = [
    "GatewayError",
    "Notification",
    "PaymentGateway",
    "SandboxGateway",
    "VnpayGateway",
    "get_gateway",
    "order_info",
]


def get_gateway(name=None):
    """The gateway named ``name``, by default the one ``settings.PAYMENT_GATEWAY`` chooses."""
    name = name or settings.PAYMENT_GATEWAY
    if name == SandboxGateway.name:
        return SandboxGateway()
    if name == VnpayGateway.name:
        return VnpayGateway.from_settings()
    raise ImproperlyConfigured(f"PAYMENT_GATEWAY must be 'sandbox' or 'vnpay', not {name!r}.")
