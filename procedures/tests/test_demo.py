"""The whole demo province of ``seed_demo``, as the contract describes it, made once and
restored (not duplicated) by a second run."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Revision

from accounts.models import User
from home.models import HomePage, PortalDocument
from procedures.constants import AgencyLevel
from procedures.models import AgencyPage, ProcedurePage

pytestmark = pytest.mark.django_db

NAMED = {
    "Đăng ký khai sinh": (AgencyLevel.COMMUNE, 4),
    "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam": (
        AgencyLevel.PROVINCE,
        4,
    ),
    "Đăng ký thành lập hộ kinh doanh": (AgencyLevel.DISTRICT, 3),
}


def test_the_demo_province_is_complete_and_reseeding_changes_nothing(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())

    agencies = AgencyPage.objects.live()
    assert agencies.filter(level=AgencyLevel.PROVINCE).count() >= 8
    districts = agencies.filter(level=AgencyLevel.DISTRICT)
    assert districts.count() == 2
    for district in districts:
        assert AgencyPage.objects.child_of(district).filter(level=AgencyLevel.COMMUNE).count() == 2

    procedures = ProcedurePage.objects.live()
    assert procedures.count() >= 40
    assert set(procedures.values_list("level", flat=True)) == {1, 2, 3, 4}
    for title, (agency_level, level) in NAMED.items():
        procedure = procedures.get(title=title)
        assert procedure.level == level
        assert procedure.get_parent().specific.level == agency_level
    # Every procedure is filled in, not a stub.
    for procedure in procedures:
        assert procedure.steps and procedure.result and procedure.legal_basis.exists(), procedure
        if procedure.level >= 2:
            assert procedure.dossier_components.filter(template__isnull=False).exists(), procedure

    # Templates are real Word files with the form's text in them.
    document = PortalDocument.objects.get(title="Tờ khai đăng ký khai sinh")
    with document.file.open("rb") as handle, zipfile.ZipFile(handle) as docx:
        body = docx.read("word/document.xml").decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body

    # The tree answers: home, search, a procedure, the guides.
    assert client.get("/").status_code == 200
    response = client.get("/thu-tuc/", {"q": "dang ky khai sinh"})
    assert response.context["results_page"][0].title == "Đăng ký khai sinh"
    birth = procedures.get(title="Đăng ký khai sinh")
    # Settled within the day of receipt (Luật Hộ tịch 2014, Điều 16), not in one day.
    assert birth.processing_time_days == 0
    page = client.get(birth.url)
    assert page.status_code == 200
    assert "Trong ngày làm việc" in page.content.decode()
    assert client.get("/huong-dan/").status_code == 200
    assert HomePage.objects.get().featured_procedures.count() >= 3

    # The demo editor of the Department of Justice edits its procedures, not others'.
    client.force_login(User.objects.get(email="editor.stp@example.com"))
    justice = AgencyPage.objects.get(code="STP")
    planning = AgencyPage.objects.get(code="SKHDT")
    own = ProcedurePage.objects.child_of(justice).first()
    other = ProcedurePage.objects.child_of(planning).first()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    refused = client.get(reverse("wagtailadmin_pages:edit", args=[other.pk]))
    assert refused.status_code in (302, 403)
    if refused.status_code == 302:
        assert refused.url == reverse("wagtailadmin_home")
    client.logout()

    before = (
        AgencyPage.objects.count(),
        ProcedurePage.objects.count(),
        PortalDocument.objects.count(),
        Revision.objects.count(),
    )
    call_command("seed_demo", force=True, stdout=io.StringIO())
    after = (
        AgencyPage.objects.count(),
        ProcedurePage.objects.count(),
        PortalDocument.objects.count(),
        Revision.objects.count(),
    )
    assert after == before


def test_synthetic_procedures_spread_over_the_agencies():
    call_command("seed_demo", force=True, procedures=30, stdout=io.StringIO())
    synthetic = ProcedurePage.objects.filter(code__startswith="9.")
    assert synthetic.count() == 30
    assert len({page.get_parent().pk for page in synthetic}) == AgencyPage.objects.count()
