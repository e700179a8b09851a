"""Model fields whose forms read what Vietnamese users type."""

from django.db import models

from . import forms


class DongField(models.PositiveIntegerField):
    """An amount in whole đồng. Its form field reads "50.000" as fifty thousand: a plain
    integer field in the page editor reads it as 50."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.AmountField, **kwargs})
