"""Building a small catalogue for tests: the tree, agencies and procedures, all live."""

from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from procedures.constants import AgencyLevel
from procedures.models import (
    AgencyIndexPage,
    AgencyPage,
    ProcedureField,
    ProcedureIndexPage,
    ProcedurePage,
)
from procedures.models.procedures import DossierComponent, LegalBasis, ProcedureFee

# Titles that share words with "Đăng ký khai sinh", for ranking tests.
SIMILAR_TITLES = [
    ("Đăng ký lại khai sinh", "1.004884"),
    ("Đăng ký khai sinh có yếu tố nước ngoài", "1.001695"),
    ("Cấp bản sao Trích lục khai sinh", "2.000635"),
    ("Đăng ký kết hôn", "1.000894"),
    ("Đăng ký khai tử", "1.000656"),
]


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def home_page():
    """The home page the migrations create; a transactional test starts from a flushed
    database (no page tree at all), so there it is built again."""
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="Trang chủ", slug="trang-chu"))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home


def catalogue_root():
    """Home's "Cơ quan thực hiện" and "/thu-tuc/" pages, created once per test."""
    home = home_page()
    index = AgencyIndexPage.objects.first() or publish(
        home, AgencyIndexPage(title="Cơ quan thực hiện", slug="co-quan-thuc-hien")
    )
    search = ProcedureIndexPage.objects.first() or publish(
        home, ProcedureIndexPage(title="Thủ tục hành chính", slug="thu-tuc")
    )
    return index, search


def make_agency(code="STP", title="Sở Tư pháp", level=AgencyLevel.PROVINCE, parent=None):
    parent = parent or catalogue_root()[0]
    return publish(
        parent,
        AgencyPage(title=title, slug=code.lower().replace(".", "-"), code=code, level=level),
    )


def make_field(code="HO_TICH", name="Hộ tịch"):
    return ProcedureField.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_document(title="Tờ khai đăng ký khai sinh", filename="to-khai-dang-ky-khai-sinh.docx"):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"PK\x03\x04 demo form", name=filename)
    )


def make_procedure(
    agency,
    title="Đăng ký khai sinh",
    code="1.001193",
    level=4,
    field=None,
    components=1,
    fees=1,
    template=None,
    **extra,
):
    page = ProcedurePage(
        title=title,
        slug=f"tt-{code.replace('.', '-')}",
        code=code,
        level=level,
        field=field or make_field(),
        applicant_types=extra.pop("applicant_types", ["citizen"]),
        processing_time_days=extra.pop("processing_time_days", 3),
        result=extra.pop("result", "Giấy khai sinh"),
        steps=[
            ("step", {"title": "Bước 1: Nộp hồ sơ", "description": "Nộp tại bộ phận một cửa."})
        ],
        submission_methods=[
            (
                "method",
                {
                    "method": "direct",
                    "processing_time": "01 ngày",
                    "fee": "Miễn",
                    "description": "",
                },
            )
        ],
        **extra,
    )
    page.dossier_components = [
        DossierComponent(
            sort_order=n,
            name=f"Giấy tờ số {n + 1}",
            originals=1,
            copies=0,
            template=template if n == 0 else None,
        )
        for n in range(components)
    ]
    # ``fees``: how many lines, always owed, of 50.000, 100.000… đồng; or the lines
    # themselves, as ProcedureFee keyword arguments (name, amount, condition…).
    page.fees = (
        [ProcedureFee(sort_order=n, **fee) for n, fee in enumerate(fees)]
        if isinstance(fees, list)
        else [
            ProcedureFee(sort_order=n, name=f"Lệ phí {n + 1}", amount=50000 * (n + 1))
            for n in range(fees)
        ]
    )
    page.legal_basis = [LegalBasis(number="60/2014/QH13", title="Luật Hộ tịch", issuer="Quốc hội")]
    page.executing_agencies = [agency]
    return publish(agency, page)


# "Đăng ký khai sinh": free on time, charged when late (Luật Hộ tịch 2014, Điều 11): two
# alternatives, of which a dossier owes one.
BIRTH_FEES = [
    {
        "name": "Lệ phí đăng ký khai sinh đúng hạn",
        "amount": 0,
        "condition": "alternative",
        "note": "Miễn lệ phí khi đăng ký trong 60 ngày kể từ ngày sinh.",
    },
    {
        "name": "Lệ phí đăng ký khai sinh quá hạn",
        "amount": 5000,
        "condition": "alternative",
        "note": "Áp dụng khi đăng ký sau 60 ngày kể từ ngày sinh.",
    },
]

# "Cấp Phiếu lý lịch tư pháp": a full or a reduced rate, and extra copies in some cases.
RECORD_FEES = [
    {
        "name": "Phí cung cấp thông tin lý lịch tư pháp",
        "amount": 200000,
        "condition": "alternative",
    },
    {
        "name": "Phí cung cấp thông tin lý lịch tư pháp (sinh viên, người có công)",
        "amount": 100000,
        "condition": "alternative",
    },
    {
        "name": "Phí cấp từ Phiếu thứ 3 trở đi",
        "amount": 5000,
        "condition": "conditional",
        "note": "Khi đề nghị cấp trên 02 Phiếu trong một lần yêu cầu.",
    },
]
