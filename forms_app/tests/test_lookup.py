"""Public lookup at /tra-cuu-ho-so/: code + lookup key → status and dates, a masked
name, nothing else; a wrong key looks exactly like an unknown code."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.helpers import without_csrf
from forms_app.constants import DossierStatus
from forms_app.models import Dossier
from forms_app.selectors import masked_name
from procedures.tests.factories import make_agency, make_procedure

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]

URL = reverse("dossiers:lookup")


@pytest.fixture
def dossier():
    agency = make_agency()
    citizen = UserFactory(full_name="Nguyễn Văn An", cccd="001090012345", phone="+84912345678")
    received = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0))
    return Dossier.objects.create(
        code="STP-261130-0001",
        lookup_key="K7M2P9QX3A",
        procedure=make_procedure(agency),
        agency=agency,
        applicant=citizen,
        status=DossierStatus.RECEIVED,
        submitted_at=received,
        received_at=received,
        due_at=received + datetime.timedelta(days=3),
        applicant_data={"full_name": "Nguyễn Văn An"},
    )


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_code_and_key_show_status_dates_and_a_masked_name(client, dossier):
    html = page(client, code="stp-261130-0001", key="k7m2p9qx3a")
    assert "Đã tiếp nhận" in html
    assert "Đăng ký khai sinh" in html
    assert "Sở Tư pháp" in html
    assert "03/12/2026" in html
    assert "Nguyễn V** A*" in html
    for private in (
        "Nguyễn Văn An",
        "001090012345",
        "0912345678",
        "+84912345678",
        dossier.applicant.email,
    ):
        assert private not in html


def test_a_wrong_key_and_an_unknown_code_answer_alike(client, dossier):
    wrong_key = page(client, code="STP-261130-0001", key="AAAAAAAAAA")
    unknown = page(client, code="STP-261130-0777", key="AAAAAAAAAA")
    assert "Không tìm thấy hồ sơ" in wrong_key
    # Alike but for the code typed (in the field and in the language switcher's link).
    typed = re.sub(r"STP-261130-0001(?!</div>)", "STP-261130-0777", without_csrf(wrong_key))
    assert typed == without_csrf(unknown)


def test_drafts_are_never_found(client, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.DRAFT)
    assert "Không tìm thấy hồ sơ" in page(client, code=dossier.code, key=dossier.lookup_key)


def test_missing_values_are_asked_for_at_their_fields(client):
    html = page(client, code="", key="")
    assert html.count("Trường này là bắt buộc.") == 2


def test_guessing_keys_is_stopped_per_address(client, dossier):
    for attempt in range(30):
        assert (
            client.get(URL, {"code": dossier.code, "key": f"GUESS{attempt:05d}"}).status_code
            == 200
        )
    refused = client.get(URL, {"code": dossier.code, "key": dossier.lookup_key})
    assert refused.status_code == 429
    assert "Quá nhiều yêu cầu" in refused.content.decode()
    other = client.get(
        URL, {"code": dossier.code, "key": dossier.lookup_key}, REMOTE_ADDR="10.9.9.9"
    )
    assert "Đã tiếp nhận" in other.content.decode()


def test_the_home_page_and_the_menu_link_to_the_lookup(client):
    home = client.get("/").content.decode()
    assert home.count(f'href="{URL}"') >= 2


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V** A*"),
        ("Trần Thị Bình", "Trần T** B***"),
        ("Lê", "Lê"),
        ("", ""),
    ],
)
def test_names_are_masked_after_the_family_name(name, masked):
    assert masked_name(name) == masked
