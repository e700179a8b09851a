"""Bulk import of procedures from CSV or JSON (``manage.py import_procedures``).

All or nothing: every row is checked first and every problem reported with its line
number; only a file without errors is written, in one transaction. Procedures are
matched by code, so importing a file again updates them instead of duplicating them, and
a row that matches what is published already changes nothing (no new revision).
The columns are listed in README.md ("Importing procedures").
"""

import csv
import io
import json
from dataclasses import dataclass, field

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.documents import get_document_model

from core.formatting import parse_date

from .constants import ApplicantType, FeeCondition, FileType, ServiceLevel, SubmissionMethod
from .fees import ScheduledFee, schedule_problems
from .models import AgencyPage, ProcedureField, ProcedurePage
from .models.procedures import (
    MAX_FEE,
    MAX_FEE_GROUP,
    DossierComponent,
    FormFieldType,
    LegalBasis,
    ProcedureFee,
    ProcedureFormField,
)

LIST_COLUMNS = ("applicant_types", "executing_agencies")
JSON_COLUMNS = (
    "steps",
    "submission_methods",
    "dossier_components",
    "fees",
    "legal_basis",
    "form_fields",
)
REQUIRED = (
    "code",
    "title",
    "level",
    "field_code",
    "field_name",
    "applicant_types",
    "processing_time_days",
)
TRUE_WORDS = {"true", "1", "yes", "có", "x"}


class ImportFailed(Exception):
    """The file was refused; ``errors`` lists ``(line, message)`` for every bad row."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(f"dòng {line}: {message}" for line, message in errors))


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


# Reading --------------------------------------------------------------------------------
def read_rows(path):
    """``[(line number, row dict)]`` from a .csv or .json file."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        return _json_rows(text)
    if path.suffix.lower() == ".csv":
        return _csv_rows(text)
    raise ImportFailed([(0, "Tệp phải có đuôi .csv hoặc .json.")])


def _json_rows(text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed([(error.lineno, f"JSON không hợp lệ: {error.msg}")]) from error
    if not isinstance(data, list):
        raise ImportFailed([(1, "Tệp JSON phải là một danh sách thủ tục.")])
    # Report JSON rows by the line their object starts on, as an editor sees the file.
    starts = _object_start_lines(text)
    rows = []
    for index, item in enumerate(data):
        line = starts[index] if index < len(starts) else index + 1
        if not isinstance(item, dict):
            raise ImportFailed([(line, "Mỗi phần tử phải là một đối tượng JSON.")])
        rows.append((line, item))
    return rows


def _object_start_lines(text):
    lines, depth, line = [], 0, 1
    in_string = escaped = False
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string, escaped = True, False
        elif char in "[{":
            depth += 1
            if char == "{" and depth == 2:
                lines.append(line)
        elif char in "]}":
            depth -= 1
    return lines


def _csv_rows(text):
    reader = csv.DictReader(io.StringIO(text))
    try:
        reader.fieldnames  # reads the header now, so line_num counts from it  # noqa: B018
    except csv.Error as error:
        raise ImportFailed([(1, f"dòng tiêu đề CSV không đọc được: {error}")]) from error
    rows = []
    while True:
        # A row may span several lines (quoted paragraphs): report where it starts.
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFailed([(start, f"dòng CSV không đọc được: {error}")]) from error
        parsed, problems = {}, []
        for key, value in row.items():
            if key is None:
                problems.append("có nhiều ô hơn số cột")
                continue
            value = (value or "").strip()
            if key in LIST_COLUMNS:
                parsed[key] = [item.strip() for item in value.split(";") if item.strip()]
            elif key in JSON_COLUMNS:
                try:
                    parsed[key] = json.loads(value) if value else []
                except json.JSONDecodeError:
                    problems.append(f"cột “{key}” không phải JSON hợp lệ")
            else:
                parsed[key] = value
        if problems:
            raise ImportFailed([(start, "; ".join(problems))])
        rows.append((start, parsed))
    return rows


# Checking -------------------------------------------------------------------------------
def _int(value, name, errors, minimum=0, maximum=None):
    try:
        number = int(value)
        if isinstance(value, float) and value != number:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        errors.append(f"“{name}” phải là số nguyên")
        return None
    if number < minimum or (maximum is not None and number > maximum):
        bound = f"từ {minimum} đến {maximum}" if maximum is not None else f"từ {minimum} trở lên"
        errors.append(f"“{name}” phải {bound} (đang là {number})")
        return None
    return number


def _text(value, name, errors, max_length, required=True):
    text = str(value if value is not None else "").strip()
    if required and not text:
        errors.append(f"thiếu “{name}”")
    elif len(text) > max_length:
        errors.append(f"“{name}” dài quá {max_length} ký tự")
    elif "\x00" in text:
        errors.append(f"“{name}” chứa ký tự không hợp lệ")
    return text


def _codes(value, name, errors):
    """A list of codes: a JSON list, or a ``;``-separated string as in CSV."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(";") if item.strip()]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value]
    errors.append(f"“{name}” phải là danh sách mã")
    return []


def _bool(value):
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def _paragraphs(text):
    """Plain text with blank lines between paragraphs, as the rich-text field stores it."""
    if not text or text.lstrip().startswith("<"):
        return text
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    return "".join(f"<p>{escape(part)}</p>" for part in parts)


def _list_of_dicts(value, name, errors):
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        errors.append(f"“{name}” phải là danh sách các đối tượng")
        return []
    return value


def _clean_row(row, *, agencies, documents, default_agency):
    """One row, checked and normalised into the values a page is given, or errors."""
    errors = []
    missing = [name for name in REQUIRED if row.get(name) in (None, "", [])]
    if missing:
        return None, [f"thiếu cột {', '.join(missing)}"]
    clean = {}
    code = _text(row["code"], "code", errors, 20)
    try:
        ProcedurePage._meta.get_field("code").run_validators(code)
    except ValidationError as error:
        errors.extend(error.messages)
    clean["code"] = code
    clean["title"] = _text(row["title"], "title", errors, 255)
    clean["level"] = _int(row["level"], "level", errors, 1, 4)
    clean["field_code"] = _text(row["field_code"], "field_code", errors, 30).upper()
    try:
        ProcedureField._meta.get_field("code").run_validators(clean["field_code"])
    except ValidationError as error:
        errors.extend(f"field_code: {message}" for message in error.messages)
    clean["field_name"] = _text(row["field_name"], "field_name", errors, 150)

    agency_code = str(row.get("agency") or default_agency or "").strip().upper()
    clean["agency"] = agencies.get(agency_code)
    if clean["agency"] is None:
        errors.append(f"không có cơ quan mã “{agency_code}”" if agency_code else "thiếu “agency”")
    executing = [
        code.upper()
        for code in _codes(row.get("executing_agencies") or [], "executing_agencies", errors)
    ]
    unknown = [code for code in executing if code not in agencies]
    if unknown:
        errors.append(f"không có cơ quan thực hiện mã {', '.join(unknown)}")
    clean["executing_agencies"] = [agencies[code] for code in executing if code in agencies] or (
        [clean["agency"]] if clean["agency"] else []
    )

    applicant_types = _codes(row["applicant_types"], "applicant_types", errors)
    bad = [item for item in applicant_types if item not in ApplicantType.values]
    if bad:
        errors.append(f"đối tượng không hợp lệ: {', '.join(map(str, bad))}")
    clean["applicant_types"] = [item for item in ApplicantType.values if item in applicant_types]

    clean["summary"] = _text(row.get("summary"), "summary", errors, 2000, required=False)
    clean["result"] = _text(row.get("result"), "result", errors, 2000, required=False)
    clean["requirements"] = _paragraphs(
        _text(row.get("requirements"), "requirements", errors, 20000, required=False)
    )
    clean["processing_time_days"] = _int(
        row.get("processing_time_days"), "processing_time_days", errors, 0, 365
    )
    clean["processing_time_note"] = _text(
        row.get("processing_time_note"), "processing_time_note", errors, 255, required=False
    )
    clean["pay_on_submission"] = _bool(row.get("pay_on_submission") or False)

    clean["steps"] = [
        {
            "title": _text(step.get("title"), "steps.title", errors, 200),
            "description": _text(
                step.get("description"), "steps.description", errors, 5000, False
            ),
        }
        for step in _list_of_dicts(row.get("steps") or [], "steps", errors)
    ]
    methods = []
    for method in _list_of_dicts(
        row.get("submission_methods") or [], "submission_methods", errors
    ):
        if method.get("method") not in SubmissionMethod.values:
            errors.append(f"hình thức nộp không hợp lệ: {method.get('method')}")
        methods.append(
            {
                "method": method.get("method"),
                "processing_time": _text(
                    method.get("processing_time"), "processing_time", errors, 200
                ),
                "fee": _text(method.get("fee"), "fee", errors, 200, required=False),
                "description": _text(
                    method.get("description"), "description", errors, 5000, False
                ),
            }
        )
    clean["submission_methods"] = methods
    if (
        clean["level"]
        and clean["level"] < ServiceLevel.ONLINE
        and any(method["method"] == SubmissionMethod.ONLINE for method in methods)
    ):
        errors.append("thủ tục mức độ 1, 2 không có hình thức nộp trực tuyến")

    clean["fees"] = _fees(row.get("fees") or [], errors)
    for index, _field, message in schedule_problems(
        [ScheduledFee(**fee) for fee in clean["fees"]],
        pay_on_submission=clean["pay_on_submission"],
    ):
        if index is None:
            errors.append(
                "không thể đặt “pay_on_submission”: biểu phí có các mức thay thế nhau hoặc "
                "khoản phí tùy trường hợp, nên số tiền phải nộp chỉ được xác định khi cơ quan "
                "tiếp nhận hồ sơ"
            )
        else:
            errors.append(f"fees: {message}")
    clean["legal_basis"] = []
    for document in _list_of_dicts(row.get("legal_basis") or [], "legal_basis", errors):
        typed = document.get("issued_on") or None
        issued_on = parse_date(str(typed)) if typed else None
        if typed and issued_on is None:
            errors.append(
                f"ngày ban hành không hợp lệ: {typed} (ngày/tháng/năm như 20/11/2014, "
                "hoặc 2014-11-20)"
            )
        clean["legal_basis"].append(
            {
                "number": _text(document.get("number"), "legal_basis.number", errors, 100),
                "title": _text(document.get("title"), "legal_basis.title", errors, 500),
                "issuer": _text(document.get("issuer"), "legal_basis.issuer", errors, 255, False),
                "issued_on": issued_on,
            }
        )
    components = []
    for component in _list_of_dicts(
        row.get("dossier_components") or [], "dossier_components", errors
    ):
        accepted = _codes(component.get("accepted_types") or [], "accepted_types", errors) or list(
            FileType.values
        )
        bad_types = [item for item in accepted if item not in FileType.values]
        if bad_types:
            errors.append(f"loại tệp không hợp lệ: {', '.join(map(str, bad_types))}")
        template_title = component.get("template")
        template = None
        if template_title:
            template = documents.get(str(template_title).strip())
            if template is None:
                errors.append(f"không có mẫu đơn (tài liệu) tên “{template_title}”")
        components.append(
            {
                "name": _text(component.get("name"), "dossier_components.name", errors, 500),
                "originals": _int(component.get("originals", 1), "originals", errors, 0, 100),
                "copies": _int(component.get("copies", 0), "copies", errors, 0, 100),
                "required": _bool(component.get("required", True)),
                "guidance": _text(component.get("guidance"), "guidance", errors, 5000, False),
                "template": template,
                "accepted_types": [item for item in FileType.values if item in accepted],
                "max_size_mb": _int(
                    component.get("max_size_mb", 10), "max_size_mb", errors, 1, 50
                ),
            }
        )
    clean["dossier_components"] = components
    clean["form_fields"] = _form_fields(row.get("form_fields") or [], errors)
    return clean, errors


def _fees(value, errors):
    """The fee schedule: each line with how it is owed (``condition``: always,
    alternative or conditional; ``group`` numbers the alternatives that replace each
    other, 1 when omitted). The rules are the page editor's (``ProcedureFee.clean``)."""
    fees = []
    for fee in _list_of_dicts(value, "fees", errors):
        name = _text(fee.get("name"), "fees.name", errors, 255)
        note = _text(fee.get("note"), "fees.note", errors, 500, required=False)
        condition = str(fee.get("condition") or FeeCondition.ALWAYS).strip()
        if condition not in FeeCondition.values:
            errors.append(
                f"“fees.condition” của “{name}” phải là một trong "
                f"{', '.join(FeeCondition.values)} (đang là “{condition}”)"
            )
            condition = FeeCondition.ALWAYS
        group = fee.get("group")
        if group in (None, ""):
            group = None
        elif condition != FeeCondition.ALTERNATIVE:
            errors.append(f"“{name}”: chỉ các mức thay thế nhau (alternative) mới có “group”")
            group = None
        else:
            group = _int(group, "fees.group", errors, 1, MAX_FEE_GROUP)
        if condition == FeeCondition.ALTERNATIVE:
            group = group or 1
        if condition == FeeCondition.CONDITIONAL and not note:
            errors.append(
                f"“{name}”: khoản phí tùy trường hợp (conditional) cần “note” nêu rõ "
                "trường hợp phải nộp"
            )
        fees.append(
            {
                "name": name,
                "amount": _int(fee.get("amount", 0), "fees.amount", errors, 0, MAX_FEE),
                "note": note,
                "condition": condition,
                "alternative_group": group,
            }
        )
    return fees


def _form_fields(value, errors):
    """The questions of the online form ("Tờ khai trực tuyến"), as editors build them."""
    fields, names = [], set()
    for question in _list_of_dicts(value, "form_fields", errors):
        field_type = str(question.get("field_type") or FormFieldType.SINGLELINE)
        if field_type not in FormFieldType.values:
            errors.append(f"loại trường không hợp lệ: {field_type}")
        clean = {
            "label": _text(question.get("label"), "form_fields.label", errors, 255),
            "field_type": field_type,
            "required": _bool(question.get("required", True)),
            "choices": _text(question.get("choices"), "form_fields.choices", errors, 5000, False),
            "default_value": _text(
                question.get("default_value"), "form_fields.default_value", errors, 5000, False
            ),
            "help_text": _text(
                question.get("help_text"), "form_fields.help_text", errors, 255, False
            ),
        }
        name = ProcedureFormField(label=clean["label"]).get_field_clean_name()
        if name in names:
            errors.append(f"trường “{clean['label']}” bị trùng")
        names.add(name)
        fields.append(clean)
    return fields


def check_rows(rows, *, default_agency=None):
    """Every row checked; raises ImportFailed listing all problems, or returns clean rows."""
    agencies = {agency.code: agency for agency in AgencyPage.objects.all()}
    documents = {document.title: document for document in get_document_model().objects.all()}
    # A field's name and code go together: one name may not arrive under two codes.
    field_codes = dict(ProcedureField.objects.values_list("name", "code"))
    errors, cleaned, seen = [], [], {}
    for line, row in rows:
        clean, problems = _clean_row(
            row, agencies=agencies, documents=documents, default_agency=default_agency
        )
        if clean and clean["code"] in seen:
            problems.append(f"mã {clean['code']} trùng với dòng {seen[clean['code']]}")
        if clean:
            known_code = field_codes.setdefault(clean["field_name"], clean["field_code"])
            if known_code != clean["field_code"]:
                problems.append(
                    f"lĩnh vực “{clean['field_name']}” đã có mã {known_code}, "
                    f"không thể mang mã {clean['field_code']}"
                )
            seen.setdefault(clean["code"], line)
            existing = ProcedurePage.objects.filter(code=clean["code"]).first()
            if existing and clean["agency"] and existing.get_parent().pk != clean["agency"].pk:
                problems.append(
                    f"mã {clean['code']} đã thuộc cơ quan khác ({existing.get_parent().title})"
                )
        errors.extend((line, problem) for problem in problems)
        cleaned.append(clean)
    if errors:
        raise ImportFailed(errors)
    return cleaned


# Writing --------------------------------------------------------------------------------
def snapshot(page):
    """What an import row sets on a page, read back from the page: equal means unchanged."""
    return {
        "code": page.code,
        "title": page.title,
        "level": page.level,
        "field_code": page.field.code if page.field_id else None,
        "field_name": page.field.name if page.field_id else None,
        "agency": page.get_parent().specific,
        "executing_agencies": sorted(agency.pk for agency in page.executing_agencies.all()),
        "applicant_types": list(page.applicant_types),
        "summary": page.summary,
        "result": page.result,
        "requirements": page.requirements,
        "processing_time_days": page.processing_time_days,
        "processing_time_note": page.processing_time_note,
        "pay_on_submission": page.pay_on_submission,
        "steps": [dict(block.value) for block in page.steps],
        "submission_methods": [
            {key: block.value[key] for key in ("method", "processing_time", "fee", "description")}
            for block in page.submission_methods
        ],
        "fees": [
            {
                "name": f.name,
                "amount": f.amount,
                "note": f.note,
                "condition": f.condition,
                "alternative_group": f.alternative_group,
            }
            for f in page.fees.all()
        ],
        "legal_basis": [
            {"number": d.number, "title": d.title, "issuer": d.issuer, "issued_on": d.issued_on}
            for d in page.legal_basis.all()
        ],
        "dossier_components": [
            {
                "name": c.name,
                "originals": c.originals,
                "copies": c.copies,
                "required": c.required,
                "guidance": c.guidance,
                "template": c.template,
                "accepted_types": list(c.accepted_types),
                "max_size_mb": c.max_size_mb,
            }
            for c in page.dossier_components.all()
        ],
        "form_fields": [
            {
                "label": f.label,
                "field_type": f.field_type,
                "required": f.required,
                "choices": f.choices,
                "default_value": f.default_value,
                "help_text": f.help_text,
            }
            for f in page.form_fields.all()
        ],
    }


def _comparable(clean):
    return {
        **clean,
        "executing_agencies": sorted(agency.pk for agency in clean["executing_agencies"]),
    }


def _apply(page, clean, field_):
    page.title = clean["title"]
    page.code = clean["code"]
    page.level = clean["level"]
    page.field = field_
    page.applicant_types = clean["applicant_types"]
    page.summary = clean["summary"]
    page.result = clean["result"]
    page.requirements = clean["requirements"]
    page.processing_time_days = clean["processing_time_days"]
    page.processing_time_note = clean["processing_time_note"]
    page.pay_on_submission = clean["pay_on_submission"]
    page.steps = [("step", step) for step in clean["steps"]]
    page.submission_methods = [("method", method) for method in clean["submission_methods"]]
    # sort_order spelled out: without it the order is the database's whim (PostgreSQL
    # returns NULL-ordered rows in any order), and the file's order is the record's.
    page.fees = [ProcedureFee(sort_order=n, **fee) for n, fee in enumerate(clean["fees"])]
    page.legal_basis = [
        LegalBasis(sort_order=n, **document) for n, document in enumerate(clean["legal_basis"])
    ]
    page.dossier_components = [
        DossierComponent(sort_order=n, **component)
        for n, component in enumerate(clean["dossier_components"])
    ]
    page.form_fields = [
        ProcedureFormField(sort_order=n, **question)
        for n, question in enumerate(clean["form_fields"])
    ]
    page.executing_agencies = clean["executing_agencies"]


@transaction.atomic
def import_procedures(rows, *, default_agency=None, user=None):
    """Create or update the procedures of ``rows`` (``[(line, dict)]``) and publish them."""
    report = ImportReport()
    for clean in check_rows(rows, default_agency=default_agency):
        field_, _created = ProcedureField.objects.update_or_create(
            code=clean["field_code"], defaults={"name": clean["field_name"]}
        )
        page = ProcedurePage.objects.filter(code=clean["code"]).first()
        if page is not None and snapshot(page) == _comparable(clean):
            report.unchanged.append(page)
            continue
        if page is None:
            page = ProcedurePage(slug=_free_slug(clean["agency"], clean["title"]))
            _apply(page, clean, field_)
            clean["agency"].add_child(instance=page)
            report.created.append(page)
        else:
            _apply(page, clean, field_)
            report.updated.append(page)
        page.save_revision(user=user, log_action=True).publish(user=user)
    return report


def _free_slug(parent, title):
    base = slugify(anyascii(title))[:70] or "thu-tuc"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
