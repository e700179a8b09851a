"""Demo dossiers for ``seed_demo``: what the two demo citizens find in "Hồ sơ cá nhân",
and synthetic dossiers in bulk for benchmarks."""

import datetime
from urllib.parse import parse_qsl, urlsplit

import time_machine
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from payments.gateways import get_gateway
from payments.models import Payment, Refund
from payments.services import record_notification
from procedures.constants import AgencyLevel, FeeCondition
from procedures.models import AgencyPage

from . import services
from .constants import DossierStatus, ResultDelivery
from .demo_synthetic import seed_synthetic_dossiers
from .finance.services import confirm_refund
from .models import Dossier, OfficialGroup
from .selectors import draft_for, submittable_procedures
from .submission.uploads import clean_upload
from .working_days import is_working_day

# A one-page PDF: enough for an official to open.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# (citizen, procedure code, what the citizen does with it)
# Lý lịch tư pháp goes to Sở Tư pháp and the enterprise ones to Sở Kế hoạch và Đầu tư,
# so that the demo officials have dossiers to receive.
DEMO_DOSSIERS = [
    ("citizen@example.com", "2.000488", "submit"),
    ("citizen@example.com", "1.001193", "submit"),
    ("citizen@example.com", "2.002040", "withdraw"),
    ("citizen@example.com", "1.000894", "draft"),
    ("citizen2@example.com", "2.000488", "submit"),
    ("citizen2@example.com", "2.002041", "draft"),
]


def applicant_data(user):
    return {
        "full_name": user.full_name,
        "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else "",
        "cccd": user.cccd,
        "phone": user.phone,
        "email": user.email,
        "address": user.permanent_address,
        "applicant_type": "citizen",
        "on_behalf": False,
    }


def _attach_demo_files(draft, procedure):
    uploads = []
    for component in procedure.dossier_components.all():
        uploads.append((component, _demo_pdf(f"{component.name[:60]}.pdf")))
    services.save_draft_state(draft=draft, state={})
    services.attach_files(draft=draft, uploads=uploads)


def _submit(user, procedure, result_delivery=ResultDelivery.AT_AGENCY):
    """A demo dossier submitted the way the wizard submits one, with a PDF per
    component."""
    draft = draft_for(user, procedure)
    _attach_demo_files(draft, procedure)
    dossier, _created = services.submit_dossier(
        draft=draft,
        agency=draft.agency,
        applicant_data=applicant_data(user),
        form_data={},
        result_delivery=result_delivery,
        delivery_address="",
        actor=user,
    )
    return dossier


def seed_official_groups():
    """Each agency's "<agency> – Cán bộ" group (made by the catalogue's demo) becomes the
    officials of that agency; a district's officials also handle its communes."""
    for agency in AgencyPage.objects.all():
        group = Group.objects.filter(name=f"{agency.title} – Cán bộ").first()
        if group is not None:
            OfficialGroup.objects.update_or_create(
                agency=agency,
                group=group,
                defaults={"include_subordinates": agency.level == AgencyLevel.DISTRICT},
            )


def seed_dossiers():
    """The demo citizens' dossiers, through the same services as the wizard and the
    back office; nothing is mailed (the demo addresses are fictitious). Idempotent."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _seed_submitted() + _seed_every_status() + _seed_level4()


def _seed_submitted():
    procedures = {page.code: page for page in submittable_procedures()}
    created = 0
    for email, code, action in DEMO_DOSSIERS:
        user = User.objects.filter(email=email).first()
        procedure = procedures.get(code)
        if user is None or procedure is None:
            continue
        if Dossier.objects.filter(applicant=user, procedure=procedure).exists():
            continue
        created += 1
        if action == "draft":
            _attach_demo_files(draft_for(user, procedure), procedure)
            continue
        dossier = _submit(user, procedure)
        if action == "withdraw":
            services.withdraw_dossier(dossier=dossier, actor=user)
    return created


STATUS_PATHS = {
    DossierStatus.RECEIVED: ["receive"],
    DossierStatus.PROCESSING: ["receive", "assign"],
    DossierStatus.SUPPLEMENT_REQUESTED: ["receive", "assign", "request"],
    DossierStatus.SUPPLEMENTED: ["receive", "assign", "request", "supplement"],
    DossierStatus.RESULT_READY: ["receive", "assign", "result"],
    DossierStatus.COMPLETED: ["receive", "assign", "result", "complete"],
    DossierStatus.REJECTED: ["receive", "assign", "reject"],
}


def _seed_every_status():
    citizen = User.objects.filter(email="citizen@example.com").first()
    official = User.objects.filter(email="official.stp@example.com").first()
    procedure = submittable_procedures().filter(code="2.000488").first()
    if not (citizen and official and procedure):
        return 0
    created = 0
    for status, steps in STATUS_PATHS.items():
        if citizen.dossiers.filter(status=status).exists():
            continue
        _replay(citizen, official, procedure, steps)
        created += 1
    return created


def _replay(citizen, official, procedure, steps, result_delivery=ResultDelivery.AT_AGENCY):
    """Submit a demo dossier and take it through ``steps``, each on its own working
    day of the past fortnight, in office hours, so that everything the services stamp
    — the code's date, the history, the deadlines, the events, the payments — is what a
    real dossier handled on those days would carry."""
    moments = _past_office_moments(len(steps) + 1)
    with time_machine.travel(moments[0]):
        dossier = _submit(citizen, procedure, result_delivery=result_delivery)
    for step, moment in zip(steps, moments[1:], strict=True):
        with time_machine.travel(moment):
            dossier = _STEPS[step](dossier, official, citizen, procedure)
    return dossier


def _past_office_moments(count):
    """``count`` moments, one on each of the last ``count`` working days before today,
    in the morning (Hà Nội time) and a little later each day."""
    days, day = [], timezone.localdate()
    while len(days) < count:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            days.append(day)
    days.reverse()
    zone = timezone.get_default_timezone()
    return [
        datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=zone)
        + datetime.timedelta(minutes=40 * number)
        for number, day in enumerate(days)
    ]


def _demo_pdf(name):
    upload = SimpleUploadedFile(name, DEMO_PDF, "application/pdf")
    return clean_upload(upload, accepted_types=["pdf"], max_size=10**6)


def _supplement(dossier, official, citizen, procedure):
    component = procedure.dossier_components.first()
    return services.submit_supplement(
        dossier=dossier,
        actor=citizen,
        uploads=[(component.pk, _demo_pdf("ban-bo-sung.pdf"))],
        answers={},
    )


def _receive(dossier, official, citizen, procedure):
    """Received as an official would: of each group of alternatives (the full or the
    reduced rate) the first applies to an ordinary applicant, and no conditional line
    (extra copies) does; the amounts are the schedule's."""
    lines = list(dossier.fee_lines.all())
    firsts = {}
    for line in lines:
        if line.condition == FeeCondition.ALTERNATIVE:
            firsts.setdefault(line.alternative_group, line.pk)
    return services.receive_dossier(
        dossier=dossier,
        actor=official,
        fee_applies={
            line.pk: line.pk in firsts.values()
            for line in lines
            if line.condition != FeeCondition.ALWAYS
        },
        fee_reason="Công dân yêu cầu cấp 01 Phiếu, không thuộc đối tượng được giảm phí.",
    )


def _pay(dossier, official, citizen, procedure):
    """Paid through the sandbox bank, as the citizen's browser would: the bank's signed
    answer is handed to the IPN handler, which records it and the dossier's side."""
    _payment, url = services.start_dossier_payment(
        dossier=dossier,
        actor=citizen,
        client_ip="127.0.0.1",
        return_url="http://127.0.0.1:8000/thanh-toan/ket-qua/",
    )
    gateway = get_gateway("sandbox")
    params = dict(parse_qsl(urlsplit(url).query))
    with transaction.atomic():
        record_notification(gateway.decide(params, "pay"))
    return Dossier.objects.get(pk=dossier.pk)


def _refund_done(dossier, official, citizen, procedure):
    for refund in Refund.objects.filter(payment__dossier=dossier):
        confirm_refund(
            refund=refund, actor=official, note="Chuyển khoản hoàn trả số UNC 0125/2026"
        )
    return dossier


_STEPS = {
    "receive": _receive,
    "pay": _pay,
    "refund": _refund_done,
    "assign": lambda d, o, c, p: services.start_processing(dossier=d, actor=o, assignee=o),
    "request": lambda d, o, c, p: services.request_supplement(
        dossier=d,
        actor=o,
        items=[
            {
                "component_id": p.dossier_components.first().pk,
                "guidance": "Bản chụp chưa rõ số CCCD; vui lòng chụp lại rõ nét cả hai mặt.",
            }
        ],
        note="Hồ sơ cần bổ sung trước khi xử lý tiếp.",
        reply_by=timezone.localdate() + datetime.timedelta(days=15),
    ),
    "supplement": _supplement,
    "result": lambda d, o, c, p: services.mark_result_ready(
        dossier=d, actor=o, result=_demo_pdf("phieu-ly-lich-tu-phap.pdf")
    ),
    "complete": lambda d, o, c, p: services.complete_dossier(
        dossier=d, actor=o, handover=d.result_delivery, note="Người nộp nhận trực tiếp."
    ),
    "reject": lambda d, o, c, p: services.reject_dossier(
        dossier=d, actor=o, reason="Người yêu cầu không thuộc đối tượng được cấp phiếu."
    ),
}


# Level 4 dossiers of citizen@example.com: (what the demo shows, steps, result delivery).
LEVEL4_PATHS = [
    ("awaiting payment", ["receive", "assign"], ResultDelivery.ONLINE),
    ("paid, result online", ["receive", "pay", "assign", "result"], ResultDelivery.ONLINE),
    (
        "paid then rejected, refunded",
        ["receive", "pay", "assign", "reject", "refund"],
        ResultDelivery.AT_AGENCY,
    ),
]


def _seed_level4():
    """Level-4 dossiers with fees: one awaiting payment, one paid (its result online),
    one paid, rejected and refunded. Seeded once: skipped when the citizen has paid."""
    citizen = User.objects.filter(email="citizen@example.com").first()
    official = User.objects.filter(email="official.stp@example.com").first()
    procedure = submittable_procedures().filter(code="2.000488").first()
    if not (citizen and official and procedure) or Payment.objects.filter(payer=citizen).exists():
        return 0
    with override_settings(PAYMENT_GATEWAY="sandbox"):
        for _label, steps, delivery in LEVEL4_PATHS:
            _replay(citizen, official, procedure, steps, result_delivery=delivery)
    return len(LEVEL4_PATHS)


# Dossiers are made by the demo citizens for the catalogue's procedures.
AFTER = ("procedures", "accounts")


def seed(write, *, dossiers=0, **options):
    """``seed_demo``'s part: the officials' groups, the demo dossiers, and ``dossiers``
    synthetic ones."""
    seed_official_groups()
    write(f"Demo dossiers created: {seed_dossiers()}")
    if dossiers:
        seed_synthetic_dossiers(dossiers)
        write(f"Synthetic dossiers added: {dossiers}")
