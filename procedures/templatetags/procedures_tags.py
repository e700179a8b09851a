"""Template helpers for procedure pages."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..constants import AgencyLevel, ServiceLevel
from ..text import processing_time_text

register = template.Library()

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def processing_time(days):
    """{{ page.processing_time_days|processing_time }} → "15 ngày làm việc", or "Trong
    ngày làm việc" for a procedure settled within the day of receipt."""
    return processing_time_text(days)


@register.simple_tag
def level_badge(level):
    """The "Mức độ 3" badge. A tag rather than an included template: a search page shows
    twenty, and an include with {% blocktranslate %} each was a tenth of its time."""
    return format_html(
        '<span class="badge badge--level badge--level-{}">{}</span>',
        level,
        ServiceLevel(level).label if level in ServiceLevel.values else level,
    )


@register.simple_tag(takes_context=True)
def structured_data(context, page):
    """schema.org GovernmentService JSON-LD, so search engines show the procedure as a
    public service. Emitted as a data block: it is never executed, whatever the CSP."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": page.title,
        "identifier": page.code,
        "url": page.get_full_url(request),
        "description": page.search_description or page.summary or page.title,
        "serviceType": page.field.name if page.field else None,
        "provider": [
            {"@type": "GovernmentOrganization", "name": agency.title, "identifier": agency.code}
            for agency in context.get("agencies", [])
        ],
        "audience": [
            {"@type": "Audience", "audienceType": str(label)}
            for label in page.applicant_type_labels()
        ],
    }
    payload = json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False)
    # The same escaping as json_script: nothing in the data can close the element.
    escaped = payload.translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{escaped}</script>')  # noqa: S308


@register.simple_tag
def procedure_search_url():
    """The URL of /thu-tuc/ (the procedure index page), wherever editors moved it."""
    from ..models import ProcedureIndexPage

    index = ProcedureIndexPage.objects.live().first()
    return index.url if index else ""


@register.inclusion_tag("procedures/includes/agency_directory.html")
def agency_directory():
    """Every agency for the home page, communes under their district, so that any
    procedure is two clicks from home: its agency, then the procedure."""
    from ..models import AgencyPage

    # Ordered by title in SQL (ordering by path makes SQLite walk the page table), and
    # arranged here: a province has a few dozen agencies.
    agencies = list(AgencyPage.objects.live().public().order_by("title"))
    communes = {}
    for agency in agencies:
        if agency.level == AgencyLevel.COMMUNE:
            communes.setdefault(agency.path[: -AgencyPage.steplen], []).append(agency)
    top = sorted(
        (agency for agency in agencies if agency.level != AgencyLevel.COMMUNE),
        key=lambda agency: agency.level != AgencyLevel.PROVINCE,
    )
    return {"agencies": [(agency, communes.get(agency.path, [])) for agency in top]}
