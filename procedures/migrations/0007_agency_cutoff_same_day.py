"""The agency's afternoon cut-off for counting receipt (default 15:00), and procedures
settled within the day of receipt (0 working days, e.g. "Đăng ký khai sinh")."""

import datetime
import django.core.validators
import procedures.models.agencies
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0006_fee_conditions'),
    ]

    operations = [
        migrations.AddField(
            model_name='agencypage',
            name='receipt_cutoff',
            field=models.TimeField(default=datetime.time(15, 0), help_text='Hồ sơ tiếp nhận sau giờ này, hoặc vào ngày nghỉ, được tính là tiếp nhận vào ngày làm việc tiếp theo khi tính thời hạn giải quyết. Mặc định 15:00.', validators=[procedures.models.agencies.validate_receipt_cutoff], verbose_name='giờ chốt tiếp nhận hồ sơ trong ngày'),
        ),
        migrations.AlterField(
            model_name='procedurepage',
            name='processing_time_days',
            field=models.PositiveSmallIntegerField(default=5, help_text='Số ngày làm việc kể từ ngày tiếp nhận hồ sơ; 0 nếu giải quyết trong ngày làm việc tiếp nhận hồ sơ.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(365)], verbose_name='thời hạn giải quyết (ngày làm việc)'),
        ),
    ]
