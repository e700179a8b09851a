"""``manage.py purge_drafts``: drafts nobody touched for a month, and their files, go.

Run it daily (cron or a scheduled job). Drafts hold citizens' personal data and
documents; keeping abandoned ones forever is neither useful nor lawful.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from forms_app.services import purge_drafts


class Command(BaseCommand):
    help = "Xóa bản nháp hồ sơ và tệp tạm không còn dùng, cũ hơn số ngày cho trước."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.DRAFT_MAX_AGE_DAYS,
            help="Tuổi tối thiểu (ngày) của bản nháp bị xóa; mặc định DRAFT_MAX_AGE_DAYS.",
        )

    def handle(self, *args, days, **options):
        drafts, files = purge_drafts(max_age_days=days)
        self.stdout.write(f"Đã xóa {drafts} bản nháp và {files} tệp (cũ hơn {days} ngày).")
