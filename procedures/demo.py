"""The demo province for ``seed_demo``: the page tree, agencies, their editor and moderator
groups, document collections and workflows, the real procedures of
``demo_data/procedures.json`` with generated form templates, and optional synthetic
procedures for benchmarks. Every step looks up before it creates, so it can run again.

The demo follows the contract's three tiers (departments, districts, communes), the
structure the province had before the 2025 reform of local government.
"""

import io
import json
import random
from pathlib import Path

from anyascii import anyascii
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import HomePage
from home.pages import ensure_child

from .constants import AgencyLevel, ApplicantType
from .importing import import_procedures
from .models import AgencyIndexPage, AgencyPage, ProcedureField, ProcedureIndexPage, ProcedurePage

DATA = Path(__file__).resolve().parent / "demo_data" / "procedures.json"
WORKING_HOURS = "Sáng 7h00 – 11h30, chiều 13h30 – 17h00, từ thứ Hai đến thứ Sáu (trừ ngày lễ)"

DEPARTMENTS = [
    ("STP", "Sở Tư pháp", "Số 02 Trần Phú, phường 1, thành phố Tuy Hòa", "0257 3823 124"),
    (
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        "Số 08 Trần Hưng Đạo, phường 1, thành phố Tuy Hòa",
        "0257 3842 427",
    ),
    ("SXD", "Sở Xây dựng", "Số 04 Trần Phú, phường 1, thành phố Tuy Hòa", "0257 3823 575"),
    (
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        "Số 08 Lê Duẩn, phường 5, thành phố Tuy Hòa",
        "0257 3812 168",
    ),
    (
        "SLDTBXH",
        "Sở Lao động – Thương binh và Xã hội",
        "Số 56 Nguyễn Huệ, phường 5, thành phố Tuy Hòa",
        "0257 3823 542",
    ),
    (
        "SGTVT",
        "Sở Giao thông vận tải",
        "Số 27 Trần Phú, phường 7, thành phố Tuy Hòa",
        "0257 3823 282",
    ),
    ("SYT", "Sở Y tế", "Số 02 Lê Duẩn, phường 7, thành phố Tuy Hòa", "0257 3842 211"),
    (
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        "Số 67 Nguyễn Huệ, phường 5, thành phố Tuy Hòa",
        "0257 3843 302",
    ),
    (
        "SCT",
        "Sở Công Thương",
        "Số 157 Trần Hưng Đạo, phường 4, thành phố Tuy Hòa",
        "0257 3822 590",
    ),
    (
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Số 43 Nguyễn Tất Thành, phường 2, thành phố Tuy Hòa",
        "0257 3823 260",
    ),
]
DISTRICTS = [
    (
        (
            "TPTH",
            "UBND thành phố Tuy Hòa",
            "Số 01 Lê Thánh Tôn, phường 7, thành phố Tuy Hòa",
            "0257 3823 241",
        ),
        [
            (
                "TPTH.P1",
                "UBND Phường 1",
                "Số 40 Lê Lợi, phường 1, thành phố Tuy Hòa",
                "0257 3824 118",
            ),
            (
                "TPTH.BK",
                "UBND xã Bình Kiến",
                "Thôn Phú Vang, xã Bình Kiến, thành phố Tuy Hòa",
                "0257 3825 336",
            ),
        ],
    ),
    (
        (
            "HPH",
            "UBND huyện Phú Hòa",
            "Khu phố Phong Niên, thị trấn Phú Hòa, huyện Phú Hòa",
            "0257 3888 147",
        ),
        [
            (
                "HPH.HA",
                "UBND xã Hòa An",
                "Thôn Phú Lộc, xã Hòa An, huyện Phú Hòa",
                "0257 3888 260",
            ),
            (
                "HPH.HT",
                "UBND xã Hòa Thắng",
                "Thôn Phong Niên, xã Hòa Thắng, huyện Phú Hòa",
                "0257 3888 311",
            ),
        ],
    ),
]


def _agency(parent, code, title, address, phone, level):
    existing = AgencyPage.objects.filter(code=code).first()
    if existing:
        return existing
    return ensure_child(
        parent,
        AgencyPage,
        slugify(anyascii(title)),
        title=title,
        code=code,
        level=level,
        address=address,
        phone=phone,
        email=f"{code.lower().replace('.', '-')}@dichvucong.example.vn",
        working_hours=WORKING_HOURS,
        introduction=(
            f"<p>{title} tiếp nhận và giải quyết thủ tục hành chính thuộc thẩm quyền "
            "theo quy định.</p>"
        ),
    )


def seed_tree():
    home = HomePage.objects.get()
    agencies_index = ensure_child(
        home,
        AgencyIndexPage,
        "co-quan-thuc-hien",
        title="Cơ quan thực hiện",
        show_in_menus=True,
        intro=(
            "<p>Các sở, ban, ngành, Ủy ban nhân dân cấp huyện và cấp xã tiếp nhận hồ sơ "
            "trên cổng.</p>"
        ),
    )
    ensure_child(
        home, ProcedureIndexPage, "thu-tuc", title="Thủ tục hành chính", show_in_menus=True
    )
    agencies = [
        _agency(agencies_index, code, title, address, phone, AgencyLevel.PROVINCE)
        for code, title, address, phone in DEPARTMENTS
    ]
    for (code, title, address, phone), communes in DISTRICTS:
        district = _agency(agencies_index, code, title, address, phone, AgencyLevel.DISTRICT)
        agencies.append(district)
        agencies.extend(_agency(district, *commune, AgencyLevel.COMMUNE) for commune in communes)
    return agencies


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def seed_agency_permissions(agency):
    """Editors and moderators of one agency: its page subtree, its document collection,
    and a moderation workflow in which its moderators approve what its editors submit."""
    access_admin = _permission("wagtailadmin", "access_admin")
    root_collection = Collection.get_first_root_node()
    collection = root_collection.get_children().filter(name=agency.title).first()
    if collection is None:
        collection = root_collection.add_child(name=agency.title)

    editors, _ = Group.objects.get_or_create(name=f"{agency.title} – Biên tập viên")
    moderators, _ = Group.objects.get_or_create(name=f"{agency.title} – Kiểm duyệt")
    officials, _ = Group.objects.get_or_create(name=f"{agency.title} – Cán bộ")
    for group in (editors, moderators, officials):
        group.permissions.add(access_admin)
    for group, page_permissions in (
        (editors, ("add", "change")),
        (moderators, ("add", "change", "publish")),
    ):
        for permission_type in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=agency,
                permission=_permission("wagtailcore", f"{permission_type}_page"),
            )
        for codename in ("add_document", "change_document", "choose_document"):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission("wagtaildocs", codename)
            )

    workflow, _ = Workflow.objects.get_or_create(name=f"Duyệt thủ tục – {agency.title}")
    task = GroupApprovalTask.objects.filter(name=f"Kiểm duyệt – {agency.title}").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"Kiểm duyệt – {agency.title}")
    task.groups.set([moderators])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=agency, defaults={"workflow": workflow})
    return collection


def _docx(lines):
    """A real Word form: the national motto centred, the title in bold, then the lines."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    for index, line in enumerate(lines):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        if index < 3 or line.isupper():
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_templates(rows, collections):
    """One Word document per distinct template, in the collection of the first agency that
    uses it; rows then refer to it by title, as an import file would."""
    documents = get_document_model()
    for _line, row in rows:
        for component in row.get("dossier_components", []):
            template = component.get("template")
            if not isinstance(template, dict):
                continue
            title = template["title"]
            if not documents.objects.filter(title=title).exists():
                filename = f"{slugify(anyascii(title))}.docx"
                documents.objects.create(
                    title=title,
                    file=ContentFile(_docx(template["lines"]), name=filename),
                    collection=collections[row["agency"]],
                )
            component["template"] = title


@transaction.atomic
def seed_catalogue():
    """The demo tree, permissions and the real procedures; returns the import report."""
    agencies = seed_tree()
    collections = {agency.code: seed_agency_permissions(agency) for agency in agencies}
    rows = list(enumerate(json.loads(DATA.read_text(encoding="utf-8")), start=1))
    seed_templates(rows, collections)
    return import_procedures(rows)


def seed_synthetic_procedures(count, seed=2026):
    """``count`` extra live procedures spread over every agency, for benchmarks.

    They are added straight to the tree (no revision history) so that 10,000 take minutes,
    not hours; their titles mix real words so that search has realistic work to do.
    """
    rng = random.Random(seed)  # noqa: S311 - repeatable filler, not a secret
    agencies = list(AgencyPage.objects.order_by("path"))
    existing = ProcedurePage.objects.filter(code__startswith="9.").count()
    field, _ = ProcedureField.objects.get_or_create(code="TONG_HOP", defaults={"name": "Tổng hợp"})
    verbs = [
        "Cấp",
        "Cấp lại",
        "Đăng ký",
        "Điều chỉnh",
        "Gia hạn",
        "Xác nhận",
        "Thu hồi",
        "Thẩm định",
    ]
    objects = ["giấy phép", "chứng chỉ", "giấy chứng nhận", "hồ sơ", "thông báo", "quyết định"]
    topics = [
        "hoạt động xây dựng",
        "kinh doanh vận tải",
        "hành nghề y",
        "khai sinh cho trẻ em",
        "đất đai",
        "môi trường",
        "an toàn thực phẩm",
        "du lịch lữ hành",
        "dạy nghề",
        "kết hôn",
        "hộ kinh doanh",
        "lý lịch tư pháp",
        "khai thác khoáng sản",
        "quảng cáo",
    ]
    numbers = range(existing, existing + count)
    for start in range(0, count, 500):
        # One transaction per 500 pages: a commit per page is most of the time on SQLite.
        with transaction.atomic():
            for number in numbers[start : start + 500]:
                agency = agencies[number % len(agencies)]
                verb, thing, topic = rng.choice(verbs), rng.choice(objects), rng.choice(topics)
                page = ProcedurePage(
                    title=f"{verb} {thing} {topic} (mẫu {number + 1})",
                    slug=f"thu-tuc-mau-{number + 1}",
                    code=f"9.{number + 1:06d}",
                    level=rng.randint(1, 4),
                    field=field,
                    applicant_types=[rng.choice(ApplicantType.values)],
                    processing_time_days=rng.randint(1, 30),
                    summary="Thủ tục mẫu tạo tự động để đo hiệu năng.",
                )
                agency.add_child(instance=page)
    return count


def seed(write, *, procedures=0, **options):
    """``seed_demo``'s part: the catalogue, and ``procedures`` synthetic ones."""
    report = seed_catalogue()
    write(
        f"Procedures: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged"
    )
    if procedures:
        seed_synthetic_procedures(procedures)
        write(f"Synthetic procedures added: {procedures}")
