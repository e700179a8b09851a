"""Admin registration of the catalogue: fields (lĩnh vực) as snippets, and the copy rule."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .models import AgencyPage, ProcedureField, ProcedurePage

register_snippet(ProcedureField)


@hooks.register("before_copy_page")
def refuse_copying_coded_pages(request, page):
    """Agencies and procedures carry unique codes: a copy (or an alias, or a published
    copy of a subtree) would break them half-way. Editors create a new page instead."""
    if isinstance(page.specific, AgencyPage | ProcedurePage):
        messages.error(
            request,
            _(
                "Không sao chép được cơ quan hoặc thủ tục vì mỗi trang có mã riêng; "
                "hãy tạo trang mới."
            ),
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None
