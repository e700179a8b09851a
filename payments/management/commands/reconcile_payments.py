"""``manage.py reconcile_payments``: settle payments whose notification never arrived.

Run it every few minutes (cron or a scheduled job). VNPAY retries its IPN, but a
payment can still be left "started" by a network failure or an outage on our side: the
gateway is asked (querydr) and its answer recorded the same way as a notification.
"""

import datetime

from django.core.management.base import BaseCommand

from payments.services import reconcile


class Command(BaseCommand):
    help = "Đối soát các giao dịch thanh toán còn treo với cổng thanh toán."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=30,
            metavar="N",
            help="Cũng hỏi về giao dịch chưa hết hạn nhưng đã tạo quá N phút (mặc định 30).",
        )

    def handle(self, *args, older_than, **options):
        summary = reconcile(older_than=datetime.timedelta(minutes=older_than))
        self.stdout.write(
            "Đã đối soát {checked} giao dịch: {completed} đã thanh toán, {failed} không "
            "thành công, {cancelled} đã hủy, {expired} hết hạn, {pending} chưa có kết quả, "
            "{errors} lỗi.".format(**summary)
        )
