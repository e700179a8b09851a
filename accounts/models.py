"""The portal's user: one model for citizens and staff, identified by e-mail.

Citizens sign up themselves and carry the personal data that pre-fills their dossiers;
officials, editors and webmasters are staff users created in the Wagtail admin. Keeping
them in one table lets one login page and one brute-force rule serve everybody.
"""

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import Gender
from .managers import UserManager
from .validators import check_cccd_matches, validate_cccd, validate_phone

# The longest address that fits in an SMTP forward path; allauth's table stores as many.
EMAIL_MAX_LENGTH = 254


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a citizen, or a member of staff (``is_staff``)."""

    email = models.EmailField(_("email"), max_length=EMAIL_MAX_LENGTH, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    # Not unique: nothing here proves that the person typing a CCCD owns it, so a
    # uniqueness rule would let anyone block a citizen by registering their number first.
    cccd = models.CharField(
        _("số CCCD"),
        max_length=12,
        blank=True,
        validators=[validate_cccd],
        help_text=_("Số căn cước công dân, 12 chữ số."),
    )
    phone = models.CharField(
        _("số điện thoại"), max_length=12, blank=True, validators=[validate_phone]
    )
    permanent_address = models.CharField(_("nơi thường trú"), max_length=255, blank=True)

    is_staff = models.BooleanField(
        _("cán bộ"),
        default=False,
        help_text=_("Cán bộ, biên tập viên và quản trị viên làm việc trong trang quản trị."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    date_joined = models.DateTimeField(_("ngày đăng ký"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("Email này đã được dùng cho một tài khoản khác."),
            )
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.cccd:
            errors = check_cccd_matches(self.cccd, self.date_of_birth, self.gender)
            if errors:
                raise ValidationError(errors)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        # Vietnamese names end with the given name: "Nguyễn Văn An" is addressed as "An".
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.email
