"""A model field for "several of a few fixed choices" that works on SQLite and PostgreSQL."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class MultipleChoiceField(models.CharField):
    """Several codes of ``choices``, stored as ``",citizen,enterprise,"``.

    A JSON list cannot be filtered for one member on SQLite; with the codes between commas
    ``field__contains=",citizen,"`` selects the same rows on both databases, and the value
    reads back as a Python list.
    """

    def __init__(self, *args, member_choices=(), **kwargs):
        self.member_choices = list(member_choices)
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["member_choices"] = self.member_choices
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        return [code for code in (value or "").split(",") if code]

    def get_prep_value(self, value):
        codes = self.to_python(value)
        return f",{','.join(codes)}," if codes else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        known = {code for code, _label in self.member_choices}
        unknown = [code for code in self.to_python(value) if code not in known]
        if unknown:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": unknown[0]},
            )
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.MultipleChoiceField,
            "choices": self.member_choices,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for key in ("max_length", "empty_value", "coerce"):
            defaults.pop(key, None)
        return form_class(**defaults)

    @staticmethod
    def contains(code):
        """The lookup value that selects rows holding ``code``."""
        return f",{code},"
