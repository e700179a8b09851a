"""The citizen's profile page: their own data only, validated as at sign-up."""

import datetime

import pytest
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("account_profile")
VALID = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-05-12",
    "gender": "male",
    "cccd": "001090012345",
    "phone": "0912 345 678",
    "permanent_address": "Số 1 Lê Lợi, phường Bến Nghé",
}


def test_anonymous_visitors_are_sent_to_login():
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_citizen_edits_their_profile(client):
    user = UserFactory(verified=True, phone="", cccd="", date_of_birth=None, gender="")
    client.force_login(user)
    response = client.post(URL, {**VALID, "phone": "0987.654.321"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "+84987654321"
    assert user.cccd == "001090012345"
    assert user.date_of_birth == datetime.date(1990, 5, 12)
    assert "Đã lưu thông tin cá nhân." in client.get(URL).content.decode()


def test_the_form_shows_the_phone_as_people_write_it(client):
    client.force_login(UserFactory(phone="+84912345678"))
    assert 'value="0912345678"' in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cccd": "001091012345"}, "cccd", "ghi năm sinh 1991, khác với ngày sinh đã khai"),
        ({"gender": "female"}, "cccd", "Số CCCD không khớp với giới tính đã khai."),
        ({"cccd": "1234"}, "cccd", "Số CCCD phải gồm đúng 12 chữ số."),
        ({"phone": "024 3812 3456"}, "phone", "Số điện thoại di động không hợp lệ"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "Ngày sinh phải nằm trong khoảng"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth", "không có ngày 31/02/1990"),
        ({"date_of_birth": "02/13/1990"}, "date_of_birth", "không có ngày 02/13/1990"),
        ({"full_name": ""}, "full_name", "Trường này là bắt buộc."),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_changes(client, changes, field, message):
    user = UserFactory()
    before = (user.full_name, user.cccd, user.phone, user.date_of_birth, user.gender)
    client.force_login(user)
    response = client.post(URL, {**VALID, **changes})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert message in response.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.cccd, user.phone, user.date_of_birth, user.gender) == before


def test_unverified_citizen_is_told_to_activate(client):
    client.force_login(UserFactory(verified=False))
    page = client.get(URL).content.decode()
    assert "Chưa xác thực" in page
    assert "trước khi nộp hồ sơ trực tuyến" in page


def test_the_profile_is_always_ones_own(client):
    other = UserFactory(email="nguoi.khac@example.vn", full_name="Lê Thị Khác")
    me = UserFactory(email="toi@example.vn", full_name="Nguyễn Văn Tôi")
    client.force_login(me)
    # Even a forged id in the form cannot reach another person's record.
    client.post(URL, {**VALID, "full_name": "Đã Sửa", "id": other.pk, "pk": other.pk})
    other.refresh_from_db()
    me.refresh_from_db()
    assert other.full_name == "Lê Thị Khác"
    assert me.full_name == "Đã Sửa"
