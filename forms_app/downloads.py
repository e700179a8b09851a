"""Private files sent to the one who may have them (the caller has checked who): the
citizen's attachments and the agency's result, under their original names."""

from django.http import FileResponse


def file_response(stored):
    """A ``DossierFile`` or ``DossierResult`` as a download."""
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
