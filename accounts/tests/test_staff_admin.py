"""Webmasters manage staff in the Wagtail admin, with one full-name field."""

import pytest
from django.urls import reverse

from accounts.models import User

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def webmaster_client(client):
    client.force_login(UserFactory(email="webmaster@example.vn", is_superuser=True, is_staff=True))
    return client


def test_webmaster_creates_a_staff_account_with_a_full_name(webmaster_client):
    form = webmaster_client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="full_name"' in form
    assert 'name="first_name"' not in form

    response = webmaster_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "Can.Bo@Example.vn",
            "full_name": "Đỗ Thị Cán Bộ",
            "password1": "Ho-Guom-Xanh-2026",
            "password2": "Ho-Guom-Xanh-2026",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    staff = User.objects.get(email__iexact="can.bo@example.vn")
    assert staff.full_name == "Đỗ Thị Cán Bộ"
    assert staff.check_password("Ho-Guom-Xanh-2026")


def test_webmaster_edits_a_staff_members_name(webmaster_client):
    staff = UserFactory(email="can.bo@example.vn", full_name="Tên Cũ", is_staff=True)
    response = webmaster_client.post(
        reverse("wagtailusers_users:edit", args=[staff.pk]),
        {"email": staff.email, "full_name": "Tên Mới", "is_active": "on"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.full_name == "Tên Mới"


def test_a_citizen_never_reaches_the_admin(client):
    client.force_login(UserFactory(verified=True))
    for path in (reverse("wagtailadmin_home"), reverse("wagtailusers_users:index")):
        response = client.get(path)
        assert response.status_code == 403
        assert "Không có quyền truy cập" in response.content.decode()


def test_anonymous_visitors_are_asked_to_log_in_on_the_one_login_page(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_wagtails_own_login_and_reset_pages_cannot_bypass_the_login_limits(client):
    staff = UserFactory(email="can.bo@example.vn", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/admin/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/password_reset/").status_code == 404
