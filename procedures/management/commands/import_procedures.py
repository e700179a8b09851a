"""``manage.py import_procedures FILE [--agency CODE]``: see procedures.importing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procedures.importing import ImportFailed, import_procedures, read_rows


class Command(BaseCommand):
    help = (
        "Import procedures from a CSV or JSON file (columns in README.md). All or nothing: "
        "every bad row is reported with its line number and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--agency", help="Agency code for rows without an 'agency' column, e.g. STP."
        )

    def handle(self, *args, file, agency=None, **options):
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}")
        try:
            report = import_procedures(read_rows(file), default_agency=agency)
        except ImportFailed as failure:
            for line, message in failure.errors:
                self.stderr.write(f"{file}:{line}: {message}")
            raise CommandError(
                f"Không nhập gì: {len(failure.errors)} lỗi trong {file}."
            ) from failure
        except UnicodeDecodeError as error:
            raise CommandError(f"Tệp {file} không phải văn bản UTF-8.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {file}: {len(report.created)} thủ tục mới, "
                f"{len(report.updated)} cập nhật, {len(report.unchanged)} không đổi."
            )
        )
