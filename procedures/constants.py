"""Choices of the procedure catalogue, with the labels of the national procedure record."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class ServiceLevel(models.IntegerChoices):
    INFORMATION = 1, _("Mức độ 1")
    TEMPLATES = 2, _("Mức độ 2")
    ONLINE = 3, _("Mức độ 3")
    PAYMENT = 4, _("Mức độ 4")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    ORGANISATION = "organisation", _("Tổ chức")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")


class SubmissionMethod(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    POSTAL = "postal", _("Qua bưu chính")
    ONLINE = "online", _("Trực tuyến")


class FileType(models.TextChoices):
    """File types a citizen may upload for a dossier component."""

    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    DOC = "doc", "DOC"
    DOCX = "docx", "DOCX"


DEFAULT_FILE_TYPES = [choice.value for choice in FileType]


class FeeCondition(models.TextChoices):
    """How a line of a procedure's fee schedule is owed.

    A schedule often lists rates of which only one applies to a given dossier (on time
    or late, urban or rural, a reduced rate for some applicants) and charges owed only
    in some cases (extra copies): adding them up would tell the citizen a sum nobody
    owes, so only a schedule of lines that are always owed has a total before the
    agency has seen the dossier.
    """

    ALWAYS = "always", _("Luôn phải nộp")
    ALTERNATIVE = "alternative", _("Một trong các mức thay thế nhau")
    CONDITIONAL = "conditional", _("Tùy trường hợp (nêu trong ghi chú)")


# A dossier received after this time of day counts as received on the next working day,
# unless its agency sets another cut-off (AgencyPage.receipt_cutoff).
DEFAULT_RECEIPT_CUTOFF = datetime.time(15, 0)
# The cut-off an agency may choose lies within office hours.
EARLIEST_RECEIPT_CUTOFF = datetime.time(7, 0)
LATEST_RECEIPT_CUTOFF = datetime.time(17, 0)
