"""System checks: a misconfigured gateway is reported at start-up, the sandbox by --deploy."""

from payments.checks import check_payment_gateway, check_sandbox_not_deployed


def ids(messages):
    return [message.id for message in messages]


def test_the_default_sandbox_passes_the_ordinary_checks(settings):
    settings.PAYMENT_GATEWAY = "sandbox"

    assert check_payment_gateway(None) == []
    assert ids(check_sandbox_not_deployed(None)) == ["payments.W001"]


def test_an_unknown_gateway_is_an_error(settings):
    settings.PAYMENT_GATEWAY = "momo"

    assert ids(check_payment_gateway(None)) == ["payments.E001"]


def test_vnpay_needs_its_merchant_code_and_secret(settings):
    settings.PAYMENT_GATEWAY = "vnpay"
    settings.VNPAY_TMN_CODE = ""
    settings.VNPAY_HASH_SECRET = ""

    [error] = check_payment_gateway(None)
    assert error.id == "payments.E002"
    assert "VNPAY_TMN_CODE, VNPAY_HASH_SECRET" in error.msg

    settings.VNPAY_TMN_CODE = "DVCTEST1"
    settings.VNPAY_HASH_SECRET = "secret"
    assert check_payment_gateway(None) == []
    assert check_sandbox_not_deployed(None) == []
