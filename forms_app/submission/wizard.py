"""The online submission wizard ("Nộp hồ sơ trực tuyến"), on django-formtools.

Two things differ from a stock formtools wizard, both because of what citizens do:

- Progress lives in the database, on the citizen's draft of this procedure (one per
  citizen and procedure), not in the session: a draft resumes after logging out or on
  another device, and two tabs of the same procedure continue the same draft.
- Files are stored on the draft as soon as their step is valid (formtools' temporary
  file storage cannot hold several files per input and is never swept), so "Bản nháp"
  resumes with its files too.
"""

import copy
import json

from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from formtools.wizard.forms import ManagementForm
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from accounts.selectors import can_submit_dossiers
from procedures.fees import fee_groups, is_determinate

from .. import services
from ..checkout import start_payment
from ..finance.summary import fee_summary
from ..selectors import draft_for, submittable_procedures, submitted_by_key
from .forms import (
    AgencyForm,
    ApplicantForm,
    ComponentsForm,
    ProcedureDataForm,
    ResultDeliveryForm,
    ReviewForm,
)
from .review import attachment_rows, display_value
from .snapshot import json_value

AGENCY, APPLICANT, PROCEDURE_DATA, COMPONENTS, DELIVERY, REVIEW = (
    "co-quan",
    "tiep-nhan-ho-so",
    "to-khai",
    "thanh-phan-ho-so",
    "nhan-ket-qua",
    "xac-nhan",
)

STEP_TITLES = {
    AGENCY: gettext_lazy("Cơ quan tiếp nhận"),
    APPLICANT: gettext_lazy("Tiếp nhận hồ sơ"),
    PROCEDURE_DATA: gettext_lazy("Thông tin tờ khai"),
    COMPONENTS: gettext_lazy("Thành phần hồ sơ"),
    DELIVERY: gettext_lazy("Nhận kết quả"),
    REVIEW: gettext_lazy("Xem lại và gửi"),
}


class SubmissionRefused(Exception):
    """``done()`` could not submit: carries the answer, and keeps formtools from
    resetting the draft."""

    def __init__(self, response):
        super().__init__("submission refused")
        self.response = response


class DraftStorage(BaseStorage):
    """formtools storage kept in ``Dossier.wizard_state`` of the citizen's draft.

    Written back once per request, and only when something changed.
    """

    def __init__(self, prefix, request, draft):
        super().__init__(prefix, request)
        self.draft = draft
        if draft.wizard_state:
            self.data = copy.deepcopy(draft.wizard_state)
        else:
            self.init_data()
        self._loaded = json.dumps(self.data, sort_keys=True)

    def update_response(self, response):
        super().update_response(response)
        if json.dumps(self.data, sort_keys=True) != self._loaded:
            services.save_draft_state(draft=self.draft, state=self.data)


def has_several_agencies(wizard):
    return wizard.procedure.executing_agencies.live().count() > 1


def has_form_fields(wizard):
    return wizard.procedure.form_fields.exists()


def has_components(wizard):
    return wizard.procedure.dossier_components.exists()


@method_decorator(never_cache, name="dispatch")
class SubmissionWizard(LoginRequiredMixin, NamedUrlWizardView):
    """ "Nộp hồ sơ trực tuyến" for one procedure: a URL per step, "Bước 2/6"."""

    form_list = [
        (AGENCY, AgencyForm),
        (APPLICANT, ApplicantForm),
        (PROCEDURE_DATA, ProcedureDataForm),
        (COMPONENTS, ComponentsForm),
        (DELIVERY, ResultDeliveryForm),
        (REVIEW, ReviewForm),
    ]
    condition_dict = {
        AGENCY: has_several_agencies,
        PROCEDURE_DATA: has_form_fields,
        COMPONENTS: has_components,
    }
    template_name = "forms_app/wizard/step.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.procedure = get_object_or_404(submittable_procedures(), pk=kwargs["page_id"])
        if not can_submit_dossiers(request.user):
            send_verification_email_for_user(request, request.user)
            return render(request, "account/verified_email_required.html", status=403)
        if request.method == "POST":
            submitted = submitted_by_key(request.user, request.POST.get("submission_key"))
            if submitted is not None:
                messages.info(request, _("Hồ sơ này đã được gửi đi trước đó."))
                return redirect("dossiers:detail", submitted.code)
        # formtools' own dispatch builds its storage from a dotted path, with no way to
        # hand it the draft; this is that method with the storage made here.
        self.draft = draft_for(request.user, self.procedure)
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = DraftStorage(self.prefix, request, self.draft)
        self.steps = StepsHelper(self)
        response = TemplateView.dispatch(self, request, *args, **kwargs)
        self.storage.update_response(response)
        return response

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"page_id": self.procedure.pk, "step": step})

    def get(self, request, *args, **kwargs):
        # "done" is reached only by posting the last step: a GET must never submit.
        if kwargs.get("step") == self.done_step_name:
            return redirect(self.get_step_url(self.steps.current))
        return super().get(request, *args, **kwargs)

    def post(self, *args, **kwargs):
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        if (
            not management.is_valid()
            or management.cleaned_data["current_step"] not in self.get_form_list()
        ):
            messages.error(
                self.request,
                _("Biểu mẫu đã cũ hoặc không hợp lệ. Vui lòng kiểm tra và gửi lại bước này."),
            )
            return redirect(self.get_step_url(self.steps.current or self.steps.first))
        # The page posted is the step it showed, whatever the draft last saved (another
        # tab, or a page the browser's Back button showed again).
        self.storage.current_step = management.cleaned_data["current_step"]
        goto = self.request.POST.get("wizard_goto_step")
        if goto and goto in self.get_form_list():
            return self.keep_and_go(goto)
        return super().post(*args, **kwargs)

    def keep_and_go(self, step):
        """ "Quay lại" keeps what was entered on the current step, valid or not (files
        only when valid); everything is validated again before submission."""
        form = self.get_form(data=self.request.POST, files=self.request.FILES)
        data = self.process_step(form) if form.is_valid() else self.get_form_step_data(form)
        self.storage.set_step_data(self.steps.current, data)
        return self.render_goto_step(step)

    def get_form_kwargs(self, step=None):
        kwargs = {"procedure": self.procedure}
        if step == COMPONENTS:
            kwargs["draft"] = self.draft
        return kwargs

    def get_form_initial(self, step):
        if step != APPLICANT:
            return {}
        user = self.request.user
        return {
            "full_name": user.full_name,
            "date_of_birth": user.date_of_birth,
            "cccd": user.cccd,
            "phone": user.phone,
            "email": user.email,
            "address": user.permanent_address,
        }

    def process_step(self, form):
        if isinstance(form, ComponentsForm) and form.uploads:
            self.store_uploads(form)
        return self.get_form_step_data(form)

    def render(self, form=None, **kwargs):
        """An incomplete "Thành phần hồ sơ" still keeps the good files it brought, and
        is shown again with them listed."""
        if isinstance(form, ComponentsForm) and form.is_bound and form.storable_uploads():
            self.store_uploads(form)
            form = self.get_form(data=self.request.POST)
        return super().render(form, **kwargs)

    def store_uploads(self, form):
        services.save_draft_state(draft=self.draft, state=self.storage.data)
        services.attach_files(draft=self.draft, uploads=form.uploads)

    def get_form_step_data(self, form):
        """Only the step's own inputs are kept in the draft (not the CSRF token or the
        management form)."""
        mine = f"{form.prefix}-"
        return {key: form.data.getlist(key) for key in form.data if key.startswith(mine)}

    def process_step_files(self, form):
        # Files are already on the draft (see process_step): nothing for formtools.
        return {}

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        messages.warning(self.request, _("Vui lòng hoàn thành bước này trước khi gửi hồ sơ."))
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    def render_done(self, form, **kwargs):
        """Submit on the POST of the last step itself, then redirect: no GET submits.
        formtools resets the wizard after ``done()``; a refused submission raises
        instead, so the draft keeps everything the citizen entered."""
        try:
            return super(NamedUrlWizardView, self).render_done(form, **kwargs)
        except SubmissionRefused as refusal:
            return refusal.response

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        steps = self.get_form_list()
        context.update(
            procedure=self.procedure,
            draft=self.draft,
            step_title=STEP_TITLES[self.steps.current],
            step_titles=[(step, STEP_TITLES[step]) for step in steps],
        )
        if isinstance(form, ComponentsForm):
            context.update(
                max_file_size=settings.DOSSIER_MAX_FILE_SIZE,
                max_total_size=settings.DOSSIER_MAX_TOTAL_SIZE,
            )
            attached = form.attached()
            context["components"] = [
                (component, form[form.field_name(component)], attached.get(component.pk, []))
                for component in form.components
            ]
        if self.steps.current == REVIEW:
            context["review"] = self.review()
            fees = list(self.procedure.fees.all())
            # No total, and no payment with the submission, while the schedule has
            # alternatives or conditional lines: the agency decides them at receipt.
            determinate = is_determinate(fees)
            context.update(
                fee_schedule=fees,
                fee_groups=fee_groups(fees),
                fee_total=sum(fee.amount for fee in fees) if determinate else None,
                pays_now=self.procedure.allows_online_result
                and self.procedure.pay_on_submission
                and determinate
                and any(fee.amount for fee in fees),
            )
        return context

    def review(self):
        """Everything entered so far, as the review step shows it."""
        sections = []
        for step in self.get_form_list():
            if step == REVIEW:
                continue
            form = self.get_form(
                step=step,
                data=self.storage.get_step_data(step),
                files=self.storage.get_step_files(step),
            )
            if step == COMPONENTS:
                sections.append((step, STEP_TITLES[step], attachment_rows(form)))
                continue
            rows = []
            if form.is_bound and form.is_valid():
                for name, field in form.fields.items():
                    value = form.cleaned_data.get(name)
                    if value in (None, "", [], False) and name != "on_behalf":
                        continue
                    bound = form[name]
                    rows.append((field.label, display_value(bound, value)))
            sections.append((step, STEP_TITLES[step], rows))
        return sections

    def done(self, form_list, form_dict, **kwargs):
        applicant = form_dict[APPLICANT].cleaned_data
        agency = (
            form_dict[AGENCY].cleaned_data["agency"] if AGENCY in form_dict else self.draft.agency
        )
        answers = form_dict[PROCEDURE_DATA].cleaned_data if PROCEDURE_DATA in form_dict else {}
        form_data = {name: json_value(value) for name, value in answers.items()}
        delivery = form_dict[DELIVERY].cleaned_data
        try:
            dossier, created = services.submit_dossier(
                draft=self.draft,
                agency=agency,
                applicant_data={name: json_value(value) for name, value in applicant.items()},
                form_data=form_data,
                result_delivery=delivery["result_delivery"],
                delivery_address=delivery["delivery_address"],
                actor=self.request.user,
            )
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            raise SubmissionRefused(redirect(self.get_step_url(COMPONENTS))) from error
        if created:
            messages.success(
                self.request,
                _("Đã gửi hồ sơ. Mã hồ sơ của bạn là %(code)s.") % {"code": dossier.code},
            )
        if dossier.as_submitted.pays_on_submission and fee_summary(dossier).payable:
            # The procedure collects its fee with the submission: on to the bank's page.
            try:
                return redirect(start_payment(self.request, dossier))
            except ValidationError as error:
                messages.error(self.request, " ".join(error.messages))
        return redirect("dossiers:detail", dossier.code)
