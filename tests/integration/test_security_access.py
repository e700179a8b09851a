"""Nobody reaches another person's dossier, file, payment, receipt or result: every such URL,
in the site and in the admin, fetched by another citizen and by an official of another
agency, is a 404 (the Wagtail admin answers a citizen with its 403 page before anything
is looked up). Each row is also fetched by its rightful user, so that a URL which is
simply wrong cannot pass for a refusal.

The dossiers are built through the same services and views as in real use: submitted,
received with its fees confirmed, paid in the sandbox bank, processed, its result attached;
a second one paid and then rejected, which leaves a refund to pay back.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import DossierStatus, ResultDelivery
from forms_app.models import Dossier
from forms_app.tests.officials import cleaned_pdf, make_official, submit
from payments.constants import PaymentStatus, RefundStatus
from payments.models import Payment, Refund
from payments.tests.helpers import query_of
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db


def confirm_first_fee_only(dossier, official):
    lines = list(dossier.fee_lines.all())
    return services.receive_dossier(
        dossier=dossier,
        actor=official,
        fee_amounts={line.pk: (line.amount if n == 0 else 0) for n, line in enumerate(lines)},
        fee_reason="Cấp 01 phiếu",
    )


def pay_in_sandbox(client, dossier, capture):
    """ "Thanh toán trực tuyến", then "Thanh toán" at the sandbox bank; returns the signed
    return URL the bank sent the citizen back to."""
    bank_url = client.post(reverse("dossiers:pay", args=[dossier.code]))["Location"]
    with capture(execute=True):
        answer = client.post(reverse("payments:sandbox"), {**query_of(bank_url), "choice": "pay"})
    assert answer.status_code == 302
    return answer["Location"]


def grant_refunds(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="payments", codename="change_refund")
    )


@pytest.fixture
def world(client, settings, django_capture_on_commit_callbacks):
    settings.PAYMENT_GATEWAY = "sandbox"
    stp = make_agency()
    skhdt = make_agency("SKHDT", "Sở Kế hoạch và Đầu tư")
    procedure = make_procedure(stp, fees=2, title="Cấp Phiếu lý lịch tư pháp", code="2.000488")
    owner = UserFactory(verified=True, email="chu.ho.so@example.vn")
    official = make_official(stp, "official.stp@example.vn")
    foreign_official = make_official(skhdt, "official.skhdt@example.vn")
    for user in (official, foreign_official):
        grant_refunds(user)

    # A dossier paid online, with its result to download.
    dossier = confirm_first_fee_only(
        submit(owner, procedure, result_delivery=ResultDelivery.ONLINE), official
    )
    client.force_login(owner)
    return_url = pay_in_sandbox(client, dossier, django_capture_on_commit_callbacks)
    services.start_processing(dossier=dossier, actor=official, assignee=official)
    services.mark_result_ready(dossier=dossier, actor=official, result=cleaned_pdf("kq.pdf"))
    payment = Payment.objects.get(dossier=dossier, status=PaymentStatus.COMPLETED)

    # A dossier paid and then rejected: a refund waits for the finance officer.
    rejected = confirm_first_fee_only(submit(owner, procedure), official)
    pay_in_sandbox(client, rejected, django_capture_on_commit_callbacks)
    rejected = services.start_processing(dossier=rejected, actor=official, assignee=official)
    services.reject_dossier(dossier=rejected, actor=official, reason="Thiếu giấy tờ")
    client.logout()

    return SimpleNamespace(
        owner=owner,
        other_citizen=UserFactory(verified=True, email="nguoi.khac@example.vn"),
        official=official,
        foreign_official=foreign_official,
        dossier=Dossier.objects.get(pk=dossier.pk),
        file=dossier.files.first(),
        payment=payment,
        return_url=return_url,
        refund=Refund.objects.get(payment__dossier=rejected),
    )


def site_urls(w):
    """(method, URL) of everything a citizen has of a dossier, in the site."""
    code = w.dossier.code
    return [
        ("get", reverse("dossiers:detail", args=[code])),
        ("get", reverse("dossiers:file", args=[code, w.file.pk])),
        ("get", reverse("dossiers:acknowledgement", args=[code])),
        ("get", reverse("dossiers:receipt", args=[code, w.payment.reference])),
        ("get", reverse("dossiers:result", args=[code])),
        ("get", w.return_url),
        ("post", reverse("dossiers:pay", args=[code])),
        ("post", reverse("dossiers:withdraw", args=[code])),
        ("post", reverse("dossiers:supplement", args=[code])),
    ]


def admin_urls(w):
    """(method, URL) of everything an official has of that dossier, its payment and a
    refund, in the Wagtail admin."""
    pk = w.dossier.pk
    return [
        ("get", reverse("forms_app_dossier_modeladmin_inspect", args=[pk])),
        ("get", reverse("forms_app_dossier_modeladmin_history", args=[pk])),
        ("get", reverse("forms_app_dossier_action", args=[pk, "complete"])),
        ("post", reverse("forms_app_dossier_action", args=[pk, "complete"])),
        ("get", reverse("forms_app_dossier_file", args=[pk, w.file.pk])),
        ("get", reverse("forms_app_dossier_result", args=[pk])),
        ("get", reverse("payments_payment_modeladmin_inspect", args=[w.payment.pk])),
        ("get", reverse("payments_refund_modeladmin_inspect", args=[w.refund.pk])),
        ("get", reverse("forms_app_refund_done", args=[w.refund.pk])),
        ("post", reverse("forms_app_refund_done", args=[w.refund.pk])),
    ]


def fetch(client, user, method, url):
    client.force_login(user)
    data = {"note": "UNC 0001", "handover": "online"} if method == "post" else {}
    return getattr(client, method)(url, data)


def fingerprint(world):
    """What a successful forbidden request would have changed."""
    return (
        Dossier.objects.get(pk=world.dossier.pk).status,
        Payment.objects.count(),
        Refund.objects.get(pk=world.refund.pk).status,
    )


def test_the_rightful_users_reach_every_url(client, world):
    """The control, with the very requests the others send: the owner reaches the site
    URLs, and the agency's official the admin ones. The owner's POSTs reach their views,
    which refuse them for the dossier's state (paid, received, no supplement asked) on
    its page and change nothing; the official's POSTs act, last, so that the GETs see
    the dossier as the others saw it."""
    before = fingerprint(world)
    detail = reverse("dossiers:detail", args=[world.dossier.code])
    for method, url in site_urls(world):
        response = fetch(client, world.owner, method, url)
        if method == "get":
            assert response.status_code == 200, url
        else:
            assert (response.status_code, response["Location"]) == (302, detail), url
    assert fingerprint(world) == before
    posts = [url for method, url in admin_urls(world) if method == "post"]
    for method, url in admin_urls(world):
        if method == "get":
            response = fetch(client, world.official, method, url)
            assert response.status_code == 200, url
    for url in posts:
        assert fetch(client, world.official, "post", url).status_code == 302, url
    assert fingerprint(world) == (DossierStatus.COMPLETED, 2, RefundStatus.REFUNDED)


@pytest.mark.parametrize("intruder", ["other_citizen", "foreign_official", "official"])
def test_nobody_else_reaches_a_dossier_in_the_site(client, world, intruder):
    """Another citizen, another agency's official, and even the agency's own official (who
    works in the admin, not as the dossier's owner) get 404 for every site URL."""
    before = fingerprint(world)
    for method, url in site_urls(world):
        response = fetch(client, getattr(world, intruder), method, url)
        assert response.status_code == 404, (intruder, method, url, response.status_code)
        assert world.owner.email not in response.content.decode(errors="replace")
    assert fingerprint(world) == before


def test_another_agencys_official_gets_404_everywhere_in_the_admin(client, world):
    before = fingerprint(world)
    for method, url in admin_urls(world):
        response = fetch(client, world.foreign_official, method, url)
        assert response.status_code == 404, (method, url, response.status_code)
    assert fingerprint(world) == before


def test_a_citizen_gets_the_403_page_everywhere_in_the_admin(client, world):
    before = fingerprint(world)
    for method, url in admin_urls(world):
        response = fetch(client, world.other_citizen, method, url)
        assert response.status_code == 403, (method, url, response.status_code)
        assert world.owner.email not in response.content.decode()
    assert fingerprint(world) == before


def test_anonymous_visitors_are_sent_to_log_in_and_learn_nothing(client, world):
    for method, url in [*site_urls(world), *admin_urls(world)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url, response.status_code)
        assert response["Location"].startswith(reverse("account_login")), url


def test_private_files_are_never_under_media(client, world, settings):
    """Dossier files and results live in the private storage, whose files no URL serves:
    their stored names under MEDIA_URL (where the storage, given no base URL of its own,
    would place them) and beside it are 404, logged in or not."""
    names = [world.file.file.name, world.dossier.result.file.name]
    for name in names:
        assert world.file.file.storage.exists(name)
        for user in (None, world.owner):
            if user:
                client.force_login(user)
            for url in (
                world.file.file.storage.url(name),  # what the storage would call its URL
                f"{settings.MEDIA_URL}{name}",
                f"{settings.MEDIA_URL}../private_media/{name}",
                f"/private_media/{name}",
            ):
                response = client.get(url, follow=True)
                assert response.status_code == 404, url
                assert b"%PDF" not in response.content
    # Where development serves MEDIA_ROOT (DEBUG), the private folder is not inside it.
    media = Path(settings.MEDIA_ROOT).resolve()
    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    assert not private.is_relative_to(media) and not media.is_relative_to(private)
