"""System checks: a misconfigured gateway stops the portal at start-up, not at the first
citizen's payment; a simulated bank on a production server is reported by --deploy."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .constants import Gateway


@register()
def check_payment_gateway(app_configs, **kwargs):
    name = settings.PAYMENT_GATEWAY
    if name not in Gateway.values:
        return [
            Error(
                f"PAYMENT_GATEWAY is {name!r}.",
                hint="Set PAYMENT_GATEWAY to 'sandbox' or 'vnpay'.",
                id="payments.E001",
            )
        ]
    missing = [
        setting
        for setting in ("VNPAY_TMN_CODE", "VNPAY_HASH_SECRET", "VNPAY_URL")
        if name == Gateway.VNPAY and not getattr(settings, setting, "")
    ]
    if missing:
        return [
            Error(
                f"PAYMENT_GATEWAY is 'vnpay' but {', '.join(missing)} is not set.",
                hint="Set them to the values VNPAY issued for this merchant.",
                id="payments.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_sandbox_not_deployed(app_configs, **kwargs):
    if settings.PAYMENT_GATEWAY == Gateway.SANDBOX:
        return [
            Warning(
                "PAYMENT_GATEWAY is 'sandbox': payments are simulated, and anyone can mark "
                "a fee paid on the simulated bank's page.",
                hint="Set PAYMENT_GATEWAY=vnpay with VNPAY_TMN_CODE and VNPAY_HASH_SECRET.",
                id="payments.W001",
            )
        ]
    return []
