"""Template filters over ``core.formatting``: ``{{ dossier.due_at|ngay }}``,
``{{ payment.completed_at|ngay_gio }}``, ``{{ day|ngay_dai }}``, ``{{ amount|vnd }}``."""

from django import template

from .. import formatting

register = template.Library()

register.filter("ngay", formatting.format_date)
register.filter("ngay_gio", formatting.format_datetime)
register.filter("ngay_dai", formatting.long_date)
register.filter("vnd", formatting.format_vnd)
