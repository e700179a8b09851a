"""How procedures and agencies appear in the content API (Wagtail API v2).

Plain serializers, not model serializers, so that the page models can name them in their
``api_fields`` without an import cycle.
"""

from rest_framework import serializers


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
    name = serializers.CharField()
    amount = serializers.IntegerField(help_text="VND")
    note = serializers.CharField()
    display = serializers.CharField(source="display_amount")


class LegalBasisSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    issuer = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
