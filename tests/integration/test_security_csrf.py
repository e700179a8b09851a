"""CSRF: every form that changes something refuses a POST without the token (403), in the
site and in the admin. Each row is also posted with a valid token, to show that the
403 comes from the missing token and not from something else (a wrong URL, a refusal).

The gateway's notification (IPN) is the exception on purpose: VNPAY calls it server to
server with a signed GET, so it is csrf-exempt and answers GET only; the public lookup
is a GET as well.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PASSWORD, UserFactory
from forms_app import services
from forms_app.selectors import draft_for
from forms_app.tests.officials import cleaned_pdf, make_official, submit
from forms_app.tests.wizard import APPLICANT, PREFIX
from payments.constants import PaymentStatus
from payments.models import Payment
from payments.services import request_refund
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db

SECRET = "Csrf0Secret1For2The3Tests4Only56"  # 32 characters: Django's unmasked secret


@pytest.fixture
def world(settings):
    settings.PAYMENT_GATEWAY = "sandbox"
    agency = make_agency()
    procedure = make_procedure(agency, components=1)
    citizen = UserFactory(verified=True, email="an@example.vn")
    official = make_official(agency, "official.stp@example.vn")
    official.user_permissions.add(
        Permission.objects.get(content_type__app_label="payments", codename="change_refund")
    )
    dossier = submit(citizen, procedure)
    paid = submit(citizen, make_procedure(agency, code="2.000488", title="Lý lịch tư pháp"))
    now = timezone.now()
    payment = Payment.objects.create(
        reference="DVCCSRF000001",
        gateway="sandbox",
        amount=50_000,
        description="Le phi",
        status=PaymentStatus.COMPLETED,
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=15),
        completed_at=now,
        raw_notification={"vnp_ResponseCode": "00"},
        payer=citizen,
        dossier=paid,
    )
    refund, _created = request_refund(payment=payment, amount=50_000, reason="Từ chối")
    # A draft of another procedure, with a file the citizen may remove.
    draft = draft_for(citizen, make_procedure(agency, code="2.000001", title="Thủ tục khác"))
    services.save_draft_state(draft=draft, state={})
    services.attach_files(
        draft=draft, uploads=[(draft.procedure.dossier_components.first(), cleaned_pdf())]
    )
    return SimpleNamespace(
        procedure=procedure,
        citizen=citizen,
        official=official,
        dossier=dossier,
        draft=draft,
        draft_file=draft.files.get(),
        refund=refund,
    )


def endpoints(w):
    """(who, URL, form data) of every POST that changes something."""
    code = w.dossier.code
    step = "tiep-nhan-ho-so"
    return [
        # The submission wizard and "Hồ sơ cá nhân"
        (
            "citizen",
            reverse("dossiers:step", kwargs={"page_id": w.procedure.pk, "step": step}),
            {
                f"{PREFIX}-current_step": step,
                **{f"{step}-{name}": value for name, value in APPLICANT.items()},
            },
        ),
        (
            "citizen",
            reverse(
                "dossiers:step", kwargs={"page_id": w.procedure.pk, "step": "thanh-phan-ho-so"}
            ),
            {
                f"{PREFIX}-current_step": "thanh-phan-ho-so",
                f"thanh-phan-ho-so-component_{w.procedure.dossier_components.first().pk}": (
                    SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")
                ),
            },
        ),
        (
            "citizen",
            reverse("dossiers:remove_draft_file", args=[w.draft.procedure_id, w.draft_file.pk]),
            {},
        ),
        ("citizen", reverse("dossiers:withdraw", args=[code]), {}),
        ("citizen", reverse("dossiers:supplement", args=[code]), {}),
        ("citizen", reverse("dossiers:pay", args=[code]), {}),
        ("anonymous", reverse("payments:sandbox"), {"choice": "pay"}),
        # Accounts
        ("anonymous", reverse("account_login"), {"login": w.citizen.email, "password": PASSWORD}),
        ("anonymous", reverse("account_signup"), {"email": "moi@example.vn"}),
        ("anonymous", reverse("account_reset_password"), {"email": w.citizen.email}),
        (
            "anonymous",
            reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "x-y"}),
            {"password1": "Mat-Khau-Moi-2026", "password2": "Mat-Khau-Moi-2026"},
        ),
        ("anonymous", reverse("account_confirm_email", args=["khong-hop-le"]), {}),
        ("citizen", reverse("account_logout"), {}),
        ("citizen", reverse("account_profile"), {"full_name": "Kẻ Giả Mạo"}),
        (
            "citizen",
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": "Moi-Moi-2026", "password2": "Moi-Moi-2026"},
        ),
        ("citizen", reverse("account_email"), {"email": "khac@example.vn", "action_add": ""}),
        ("anonymous", reverse("set_language"), {"language": "en", "next": "/"}),
        # The officials' back office
        (
            "official",
            reverse("forms_app_dossier_action", args=[w.dossier.pk, "reject"]),
            {"note": "Giả mạo"},
        ),
        ("official", reverse("forms_app_dossier_register"), {}),
        ("official", reverse("forms_app_refund_done", args=[w.refund.pk]), {"note": "UNC 1"}),
        ("official", f"/admin/pages/{w.procedure.pk}/edit/", {"title": "Giả mạo"}),
        ("official", "/admin/logout/", {}),
    ]


def client_for(w, who):
    client = Client(enforce_csrf_checks=True)
    if who != "anonymous":
        client.force_login(getattr(w, who))
    client.cookies["csrftoken"] = SECRET
    return client


def test_every_state_changing_post_without_the_token_is_refused(world):
    for who, url, data in endpoints(world):
        response = client_for(world, who).post(url, data)
        assert response.status_code == 403, (who, url, response.status_code)
        assert "CSRF" in response.content.decode(), url


def test_the_same_posts_with_the_token_get_past_the_check(world):
    """The control: with the token, none of them is a 403."""
    for who, url, data in endpoints(world):
        response = client_for(world, who).post(url, {**data, "csrfmiddlewaretoken": SECRET})
        assert response.status_code != 403, (who, url, response.status_code)


def test_nothing_changed_for_the_posts_without_the_token(world):
    from forms_app.models import Dossier, DossierFile

    for who, url, data in endpoints(world):
        client_for(world, who).post(url, data)
    world.citizen.refresh_from_db()
    assert world.citizen.full_name != "Kẻ Giả Mạo"
    assert world.citizen.check_password(PASSWORD)
    assert Dossier.objects.get(pk=world.dossier.pk).status == "submitted"
    assert DossierFile.objects.filter(pk=world.draft_file.pk).exists()
    assert not Payment.objects.exclude(reference="DVCCSRF000001").exists()


def test_the_payment_notification_is_a_csrf_exempt_get_only():
    client = Client(enforce_csrf_checks=True)
    answer = client.get(reverse("payments:ipn"), {"vnp_TxnRef": "KHONG-CO"})
    assert answer.status_code == 200
    assert answer.json()["RspCode"] in {"01", "97"}  # unknown order / bad signature
    assert client.post(reverse("payments:ipn"), {}).status_code == 405


def test_the_public_lookup_is_a_get():
    client = Client(enforce_csrf_checks=True)
    assert client.get(reverse("dossiers:lookup"), {"code": "X", "key": "Y"}).status_code == 200
    assert client.post(reverse("dossiers:lookup"), {}).status_code == 403


def test_the_api_v3_writes_ignore_the_session_so_a_forged_post_gets_nowhere(world):
    """The content API's write endpoints take bearer tokens only and set a session's user
    aside: a staff member's browser, lured into posting, carries no authority there."""
    from wagtail.models import Page

    admin = UserFactory(verified=True, is_staff=True, is_superuser=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    pages_before = Page.objects.count()
    home = world.procedure.get_parent().get_parent().get_parent()
    created = client.post(
        "/api/v3/pages/",
        {"type": "home.GuidePage", "parent": home.pk, "title": "Giả mạo", "slug": "gia-mao"},
        content_type="application/json",
    )
    # 401, not a CSRF 403: the API does not even see a logged-in user.
    for response in (created, client.delete(f"/api/v3/pages/{world.procedure.pk}/")):
        assert response.status_code == 401, response.status_code
        assert response.json()["detail"] == "Unauthorized"
    assert Page.objects.count() == pages_before


def test_a_csrf_failure_is_explained_in_the_portals_own_page():
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<style" not in html
    assert "css/portal.css" in html
    assert "Phiên làm việc đã thay đổi" in html
