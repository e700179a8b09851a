"""Choices used by the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import FEMALE, MALE


class Gender(models.TextChoices):
    MALE = MALE, _("Nam")
    FEMALE = FEMALE, _("Nữ")
    OTHER = "other", _("Khác")
