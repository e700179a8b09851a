"""Years whose calendar of days off and make-up working days an administrator has
confirmed against the government's decision."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('forms_app', '0009_extension_once'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='năm')),
                ('decision', models.CharField(help_text='Số, ký hiệu và trích yếu của văn bản công bố lịch nghỉ lễ, Tết của năm, ví dụ “Thông báo số …/TB-BNV về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2027”.', max_length=255, verbose_name='văn bản công bố lịch nghỉ')),
                ('confirmed_at', models.DateTimeField(verbose_name='ngày xác nhận')),
                ('confirmed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người xác nhận')),
            ],
            options={
                'verbose_name': 'lịch nghỉ đã xác nhận của năm',
                'verbose_name_plural': 'lịch nghỉ đã xác nhận theo năm',
                'ordering': ['-year'],
            },
        ),
    ]
