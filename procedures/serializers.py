"""How procedures and agencies appear in the content API (Wagtail API v2).

Plain serializers, not model serializers, so that the page models can name them in their
``api_fields`` without an import cycle.
"""

from rest_framework import serializers

from .fees import group_of


class ProcedureFieldSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class AgencyReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    code = serializers.CharField()
    level = serializers.CharField()


class DossierComponentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    originals = serializers.IntegerField()
    copies = serializers.IntegerField()
    required = serializers.BooleanField()
    guidance = serializers.CharField()
    accepted_types = serializers.ListField(child=serializers.CharField())
    max_size_mb = serializers.IntegerField()
    template = serializers.SerializerMethodField()

    def get_template(self, component):
        """The template document with an absolute download URL, or null."""
        document = component.template
        if document is None:
            return None
        request = self.context.get("request")
        url = document.url
        return {
            "id": document.id,
            "title": document.title,
            "filename": document.filename,
            "download_url": request.build_absolute_uri(url) if request else url,
        }


class FeeSerializer(serializers.Serializer):
    """A line of the fee schedule. ``condition`` says how it is owed: ``always``;
    ``alternative``, one of the lines sharing its ``group`` (only one of them applies);
    ``conditional``, only in the case its ``note`` describes. Add up only ``always``
    lines: the others are settled by the agency when it receives a dossier."""

    name = serializers.CharField()
    amount = serializers.IntegerField(help_text="VND")
    note = serializers.CharField()
    display = serializers.CharField(source="display_amount")
    condition = serializers.CharField(help_text="always | alternative | conditional")
    condition_display = serializers.CharField(source="get_condition_display")
    group = serializers.SerializerMethodField()

    def get_group(self, fee) -> int | None:
        """The number of the fee's group of alternatives; null for other lines."""
        return group_of(fee)


class LegalBasisSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    issuer = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
