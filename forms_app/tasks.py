"""Work that follows a request rather than holding it up (django-tasks).

With ``TASK_BACKEND=database`` (production) these run in ``manage.py db_worker``; with
``immediate`` (development, tests) in the request that queued them, after its commit.
Arguments are ids: a task is stored as JSON and may run on another server.
"""

from django_tasks import task

from .links import dossier_links
from .models import Dossier
from .notifications import send_acknowledgement


@task()
def acknowledge_dossier(dossier_id):
    """Mail the applicant the acknowledgement of a submitted dossier, with its PDF.

    Building the PDF (QR code, fonts) is most of the cost of a submission, which is why
    it is a task. A dossier deleted meanwhile is skipped.
    """
    dossier = (
        Dossier.objects.select_related("procedure", "agency", "applicant")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        return False
    detail_url, lookup_url = dossier_links(dossier)
    return send_acknowledgement(dossier, lookup_url=lookup_url, detail_url=detail_url)
