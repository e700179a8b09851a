"""``manage.py import_procedures FILE [--agency CODE]``: CSV and JSON files, all or nothing,
every bad row reported with its line number, and a second import that changes nothing."""

import copy
import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from procedures.constants import AgencyLevel
from procedures.importing import JSON_COLUMNS
from procedures.models import ProcedureField, ProcedurePage

from .factories import make_agency, make_document, make_field, make_procedure

pytestmark = pytest.mark.django_db

TEMPLATE_TITLE = "Tờ khai đăng ký khai sinh"

BIRTH = {
    "agency": "STP",
    "code": "1.001193",
    "title": "Đăng ký khai sinh",
    "level": 4,
    "field_code": "HO_TICH",
    "field_name": "Hộ tịch",
    "applicant_types": ["citizen"],
    "summary": "Đăng ký sự kiện sinh cho trẻ em sinh ra tại Việt Nam.",
    "steps": [
        {
            "title": "Bước 1: Nộp hồ sơ",
            "description": "Nộp Tờ khai và Giấy chứng sinh tại Bộ phận Một cửa.",
        },
        {"title": "Bước 2: Trả kết quả", "description": "Nhận Giấy khai sinh bản chính."},
    ],
    "submission_methods": [
        {
            "method": "direct",
            "processing_time": "Ngay trong ngày tiếp nhận hồ sơ",
            "fee": "Miễn lệ phí đối với đăng ký khai sinh đúng hạn",
            "description": "Nộp hồ sơ trực tiếp tại Bộ phận Một cửa.",
        },
        {
            "method": "online",
            "processing_time": "Ngay trong ngày tiếp nhận hồ sơ",
            "fee": "Miễn lệ phí",
            "description": "Nộp trực tuyến qua Cổng Dịch vụ công.",
        },
    ],
    "dossier_components": [
        {
            "name": "Tờ khai đăng ký khai sinh theo mẫu",
            "originals": 1,
            "copies": 0,
            "required": True,
            "guidance": "Sử dụng mẫu ban hành kèm theo Thông tư số 04/2020/TT-BTP.",
            "template": TEMPLATE_TITLE,
            "accepted_types": ["pdf", "docx"],
            "max_size_mb": 5,
        },
        {
            "name": "Giấy chứng sinh",
            "originals": 1,
            "copies": 1,
            "required": False,
            "guidance": "",
            "template": None,
            "accepted_types": ["pdf", "jpeg", "png"],
            "max_size_mb": 10,
        },
    ],
    # Settled within the day of receipt (Luật Hộ tịch 2014, Điều 16): 0 working days.
    "processing_time_days": 0,
    "processing_time_note": "Ngay trong ngày nếu nhận hồ sơ trước 15 giờ.",
    "fees": [
        {"name": "Lệ phí đăng ký khai sinh đúng hạn", "amount": 0, "note": "Miễn lệ phí."},
        {"name": "Lệ phí đăng ký khai sinh quá hạn", "amount": 5000, "note": ""},
    ],
    "result": "Giấy khai sinh (bản chính).",
    "legal_basis": [
        {
            "number": "60/2014/QH13",
            "title": "Luật Hộ tịch",
            "issuer": "Quốc hội",
            "issued_on": "2014-11-20",
        }
    ],
    "requirements": "Trong thời hạn 60 ngày kể từ ngày sinh.\n\nCha hoặc mẹ có trách nhiệm "
    "đăng ký khai sinh cho con & người thân.",
}

MARRIAGE = {
    "agency": "STP",
    "executing_agencies": ["STP", "HPH.HA"],
    "code": "1.000894",
    "title": "Đăng ký kết hôn",
    "level": 2,
    "field_code": "HO_TICH",
    "field_name": "Hộ tịch",
    "applicant_types": ["organisation", "citizen"],
    "summary": "Đăng ký việc kết hôn giữa công dân Việt Nam.",
    "steps": [{"title": "Bước 1: Nộp hồ sơ", "description": "Hai bên nam, nữ nộp tờ khai."}],
    "submission_methods": [
        {
            "method": "postal",
            "processing_time": "05 ngày làm việc",
            "fee": "",
            "description": "Gửi qua bưu chính công ích.",
        }
    ],
    "dossier_components": [
        {
            "name": "Tờ khai đăng ký kết hôn",
            "originals": 1,
            "copies": 0,
            "required": True,
            "guidance": "",
            "template": None,
        }
    ],
    "processing_time_days": 5,
    "processing_time_note": "",
    "fees": [{"name": "Lệ phí đăng ký kết hôn", "amount": 30000, "note": ""}],
    "result": "Giấy chứng nhận kết hôn.",
    "legal_basis": [
        {"number": "123/2015/NĐ-CP", "title": "Nghị định về hộ tịch", "issuer": "Chính phủ"}
    ],
    "requirements": "Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi.",
}

CSV_COLUMNS = [
    "code",
    "title",
    "level",
    "field_code",
    "field_name",
    "applicant_types",
    "summary",
    "steps",
    "submission_methods",
    "dossier_components",
    "processing_time_days",
    "processing_time_note",
    "fees",
    "result",
    "legal_basis",
    "requirements",
    "executing_agencies",
    "form_fields",
    "pay_on_submission",
]


@pytest.fixture
def setup():
    """The agencies the rows name, and the template document they point at."""
    return {
        "STP": make_agency("STP", "Sở Tư pháp"),
        "HPH.HA": make_agency("HPH.HA", "UBND xã Hòa An", AgencyLevel.PROVINCE),
        "template": make_document(TEMPLATE_TITLE),
    }


def rows(*changes):
    """Fresh copies of the two good rows, with ``changes`` (dicts) merged in by index."""
    result = [copy.deepcopy(BIRTH), copy.deepcopy(MARRIAGE)]
    for index, change in enumerate(changes):
        result[index].update(change)
    return result


def write_json(tmp_path, data, name="thu-tuc.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def json_start_lines(path):
    """Where each top-level object of an indent=2 file starts, counted independently."""
    return [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "  {"]


def csv_cell(row, column):
    value = row.get(column)
    if column in ("applicant_types", "executing_agencies"):
        return ";".join(value or [])
    if column in JSON_COLUMNS:
        # A string is written as it is: the tests use it for cells that are not JSON.
        return value if isinstance(value, str) else json.dumps(value or [], ensure_ascii=False)
    return "" if value is None else str(value)


def write_csv(tmp_path, data, columns=CSV_COLUMNS, name="thu-tuc.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in data:
        writer.writerow([csv_cell(row, column) for column in columns])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def run(path, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_procedures", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refused(path, **options):
    """Runs an import that must fail; returns (CommandError text, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_procedures", str(path), stdout=out, stderr=err, **options)
    return str(failure.value), err.getvalue()


def nothing_written():
    return not ProcedurePage.objects.exists() and not ProcedureField.objects.exists()


def assert_imported(setup):
    """Both rows are live procedures under Sở Tư pháp, every field set."""
    justice = setup["STP"]
    assert ProcedurePage.objects.count() == 2
    birth = ProcedurePage.objects.get(code="1.001193")
    assert birth.live and not birth.has_unpublished_changes
    assert birth.get_parent().specific == justice
    assert birth.title == "Đăng ký khai sinh"
    assert birth.level == 4
    field = ProcedureField.objects.get()
    assert (field.code, field.name) == ("HO_TICH", "Hộ tịch")
    assert birth.field == field
    assert birth.applicant_types == ["citizen"]
    assert birth.summary == BIRTH["summary"]
    assert [dict(block.value) for block in birth.steps] == BIRTH["steps"]
    assert [block.block_type for block in birth.steps] == ["step", "step"]
    assert [
        {key: block.value[key] for key in ("method", "processing_time", "fee", "description")}
        for block in birth.submission_methods
    ] == BIRTH["submission_methods"]
    components = list(birth.dossier_components.all())
    assert [c.name for c in components] == [
        "Tờ khai đăng ký khai sinh theo mẫu",
        "Giấy chứng sinh",
    ]
    assert components[0].template == setup["template"]
    assert components[1].template is None
    assert (components[0].originals, components[0].copies, components[0].required) == (1, 0, True)
    assert (components[1].originals, components[1].copies, components[1].required) == (
        1,
        1,
        False,
    )
    assert components[0].accepted_types == ["pdf", "docx"]
    assert components[0].max_size_mb == 5
    assert components[0].guidance == BIRTH["dossier_components"][0]["guidance"]
    assert birth.processing_time_days == 0
    assert birth.processing_time_note == BIRTH["processing_time_note"]
    assert [(f.name, f.amount, f.note) for f in birth.fees.all()] == [
        ("Lệ phí đăng ký khai sinh đúng hạn", 0, "Miễn lệ phí."),
        ("Lệ phí đăng ký khai sinh quá hạn", 5000, ""),
    ]
    assert birth.result == "Giấy khai sinh (bản chính)."
    [law] = birth.legal_basis.all()
    assert (law.number, law.title, law.issuer) == ("60/2014/QH13", "Luật Hộ tịch", "Quốc hội")
    assert law.issued_on == datetime.date(2014, 11, 20)
    assert birth.requirements == (
        "<p>Trong thời hạn 60 ngày kể từ ngày sinh.</p>"
        "<p>Cha hoặc mẹ có trách nhiệm đăng ký khai sinh cho con &amp; người thân.</p>"
    )
    # No executing_agencies in the row: the agency it is filed under.
    assert list(birth.executing_agencies.all()) == [justice]

    marriage = ProcedurePage.objects.get(code="1.000894")
    assert marriage.live and marriage.get_parent().specific == justice
    assert marriage.level == 2 and marriage.field == field
    assert sorted(marriage.applicant_types) == ["citizen", "organisation"]
    assert sorted(a.code for a in marriage.executing_agencies.all()) == ["HPH.HA", "STP"]
    assert [c.template for c in marriage.dossier_components.all()] == [None]
    assert marriage.legal_basis.get().issued_on is None
    assert marriage.requirements == "<p>Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi.</p>"
    assert [(f.name, f.amount) for f in marriage.fees.all()] == [("Lệ phí đăng ký kết hôn", 30000)]
    assert Revision.objects.filter(object_id__in=[str(birth.pk), str(marriage.pk)]).count() == 2


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("20/11/2014", datetime.date(2014, 11, 20)),
        ("05/11/2014", datetime.date(2014, 11, 5)),
        ("5/11/2014", datetime.date(2014, 11, 5)),
        ("05-11-2014", datetime.date(2014, 11, 5)),
        ("2014-11-05", datetime.date(2014, 11, 5)),
    ],
)
def test_issue_dates_are_read_day_first_as_vietnamese_documents_write_them(
    setup, tmp_path, typed, day
):
    """Luật Hộ tịch was issued on 20/11/2014: a file that says so imports it as 20
    November, and "05/11/2014" is 5 November, never 11 May."""
    law = {"number": "60/2014/QH13", "title": "Luật Hộ tịch", "issued_on": typed}
    _out, err = run(write_json(tmp_path, rows({"legal_basis": [law]})))

    assert err == ""
    assert ProcedurePage.objects.get(code="1.001193").legal_basis.get().issued_on == day


# Files that import -----------------------------------------------------------------------
def test_a_json_file_creates_live_procedures_with_every_field(setup, tmp_path, client):
    out, err = run(write_json(tmp_path, rows()))
    assert "2 thủ tục mới, 0 cập nhật, 0 không đổi" in out
    assert err == ""
    assert_imported(setup)
    page = ProcedurePage.objects.get(code="1.001193")
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Tờ khai đăng ký khai sinh theo mẫu" in response.content.decode()


def test_the_online_form_questions_are_imported_and_reimporting_changes_nothing(setup, tmp_path):
    questions = [
        {"label": "Họ tên người được khai sinh", "field_type": "singleline"},
        {"label": "Giới tính", "field_type": "radio", "choices": "Nam\nNữ", "required": False},
    ]
    path = write_json(tmp_path, rows({"form_fields": questions}))
    run(path)

    out, _err = run(path)

    page = ProcedurePage.objects.get(code="1.001193")
    fields = list(page.form_fields.values_list("clean_name", "field_type", "required"))
    assert fields == [
        ("ho_ten_nguoi_duoc_khai_sinh", "singleline", True),
        ("gioi_tinh", "radio", False),
    ]
    assert "0 cập nhật, 2 không đổi" in out


def test_a_csv_file_imports_the_same_way_with_the_default_agency(setup, tmp_path):
    data = rows()
    for row in data:
        del row["agency"]
    out, _err = run(write_csv(tmp_path, data), agency="STP")
    assert "2 thủ tục mới, 0 cập nhật, 0 không đổi" in out
    assert_imported(setup)


def test_a_csv_agency_column_wins_over_the_default(setup, tmp_path):
    data = rows({"agency": "HPH.HA"}, {"agency": ""})
    run(write_csv(tmp_path, data, ["agency", *CSV_COLUMNS]), agency="STP")
    assert ProcedurePage.objects.get(code="1.001193").get_parent().specific == setup["HPH.HA"]
    assert ProcedurePage.objects.get(code="1.000894").get_parent().specific == setup["STP"]


def test_csv_rows_without_an_agency_and_no_default_are_refused(setup, tmp_path):
    data = rows()
    for row in data:
        del row["agency"]
    _message, err = refused(write_csv(tmp_path, data))
    assert "thiếu “agency”" in err
    assert nothing_written()


# All or nothing --------------------------------------------------------------------------
BAD_ROWS = {
    "negative fee": ({"fees": [{"name": "Lệ phí", "amount": -1000}]}, "“fees.amount” phải từ 0"),
    "too many days": ({"processing_time_days": 366}, "“processing_time_days” phải từ 0 đến 365"),
    "negative days": ({"processing_time_days": -1}, "“processing_time_days” phải từ 0 đến 365"),
    "bad code": ({"code": "1.23"}, "Mã thủ tục có dạng 1.001193"),
    "unknown agency": ({"agency": "SXX"}, "không có cơ quan mã “SXX”"),
    "unknown executing agency": (
        {"executing_agencies": ["STP", "SYT"]},
        "không có cơ quan thực hiện mã SYT",
    ),
    "unknown applicant": ({"applicant_types": ["robot"]}, "đối tượng không hợp lệ: robot"),
    "online at level 2": (
        {
            "level": 2,
            "submission_methods": [
                {"method": "online", "processing_time": "01 ngày", "fee": "", "description": ""}
            ],
        },
        "thủ tục mức độ 1, 2 không có hình thức nộp trực tuyến",
    ),
    "duplicate code": ({"code": "1.001193"}, "mã 1.001193 trùng với dòng {first}"),
    "unknown template": (
        {"dossier_components": [{"name": "Tờ khai", "template": "Mẫu không có"}]},
        "không có mẫu đơn (tài liệu) tên “Mẫu không có”",
    ),
    "bad date": (
        {"legal_basis": [{"number": "1/2020", "title": "Luật", "issued_on": "31/02/2014"}]},
        "ngày ban hành không hợp lệ: 31/02/2014",
    ),
    "level 5": ({"level": 5}, "“level” phải từ 1 đến 4"),
    "missing title": ({"title": ""}, "thiếu cột title"),
    "unknown form field type": (
        {"form_fields": [{"label": "Ảnh", "field_type": "file"}]},
        "loại trường không hợp lệ: file",
    ),
    "duplicate form field": (
        {"form_fields": [{"label": "Nơi sinh"}, {"label": "Nơi  sinh"}]},
        "trường “Nơi  sinh” bị trùng",
    ),
    "unknown method": (
        {"submission_methods": [{"method": "fax", "processing_time": "01 ngày"}]},
        "hình thức nộp không hợp lệ: fax",
    ),
    "unknown fee condition": (
        {"fees": [{"name": "Lệ phí", "amount": 1000, "condition": "sometimes"}]},
        "“fees.condition” của “Lệ phí” phải là một trong always, alternative, conditional",
    ),
    "lone alternative": (
        {
            "fees": [
                {"name": "Mức 1", "amount": 1000, "condition": "alternative"},
                {"name": "Mức 2", "amount": 2000, "condition": "alternative", "group": 2},
            ]
        },
        "fees: “Mức 1” là mức thay thế duy nhất của nhóm 1",
    ),
    "conditional without a case": (
        {"fees": [{"name": "Phí bản sao", "amount": 1000, "condition": "conditional"}]},
        "“Phí bản sao”: khoản phí tùy trường hợp (conditional) cần “note”",
    ),
    "group of an always fee": (
        {"fees": [{"name": "Lệ phí", "amount": 1000, "group": 1}]},
        "“Lệ phí”: chỉ các mức thay thế nhau (alternative) mới có “group”",
    ),
    "paid with the submission, amount not determinate": (
        {
            "pay_on_submission": True,
            "fees": [
                {"name": "Đúng hạn", "amount": 0, "condition": "alternative"},
                {"name": "Quá hạn", "amount": 5000, "condition": "alternative"},
            ],
        },
        "không thể đặt “pay_on_submission”: biểu phí có các mức thay thế nhau",
    ),
}


def three_rows_with_bad_middle(change):
    """Good, bad, good: the bad one is a copy of the first with a new code and ``change``."""
    bad = {**copy.deepcopy(BIRTH), "code": "2.000635", "title": "Cấp bản sao trích lục"}
    bad.update(change)
    first, last = rows()
    return [first, bad, last]


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_one_bad_json_row_imports_nothing_and_names_its_line(setup, tmp_path, case):
    change, reason = BAD_ROWS[case]
    path = write_json(tmp_path, three_rows_with_bad_middle(change))
    starts = json_start_lines(path)
    revisions = Revision.objects.count()

    message, err = refused(path)

    assert f"{path}:{starts[1]}: {reason.format(first=starts[0])}" in err, err
    assert str(path) in message and "Không nhập gì" in message
    # Only the bad row is reported.
    assert f"{path}:{starts[0]}:" not in err and f"{path}:{starts[2]}:" not in err
    assert nothing_written()
    assert Revision.objects.count() == revisions


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_one_bad_csv_row_imports_nothing_and_names_its_line(setup, tmp_path, case):
    change, reason = BAD_ROWS[case]
    data = three_rows_with_bad_middle(change)
    for row in data:  # one physical line per row
        row["requirements"] = "Không có yêu cầu."
    path = write_csv(tmp_path, data, ["agency", *CSV_COLUMNS])

    message, err = refused(path)

    # Header on line 1, then one physical line per row.
    assert f"{path}:3: {reason.format(first=2)}" in err, err
    assert f"{path}:2:" not in err and f"{path}:4:" not in err
    assert "Không nhập gì" in message
    assert nothing_written()


def test_every_bad_row_is_reported_at_once(setup, tmp_path):
    good = rows()
    data = [
        good[0],
        {**copy.deepcopy(MARRIAGE), "code": "1.23"},
        good[1],
        {**copy.deepcopy(MARRIAGE), "code": "2.000635", "processing_time_days": 366},
        {
            **copy.deepcopy(MARRIAGE),
            "code": "2.000636",
            "agency": "SXX",
            "fees": [{"name": "Phí", "amount": -5}],
        },
    ]
    path = write_json(tmp_path, data)
    starts = json_start_lines(path)

    message, err = refused(path)

    assert f"{path}:{starts[1]}: Mã thủ tục có dạng" in err
    assert f"{path}:{starts[3]}: “processing_time_days” phải từ 0" in err
    assert f"{path}:{starts[4]}: không có cơ quan mã “SXX”" in err
    assert f"{path}:{starts[4]}: “fees.amount” phải từ 0" in err
    assert "4 lỗi" in message
    assert nothing_written()


def test_a_bad_row_after_multiline_cells_is_reported_on_its_own_line(setup, tmp_path):
    """Paragraphs of "requirements" span several physical lines of the CSV file."""
    first, second = rows({}, {"processing_time_days": 366})
    path = write_csv(tmp_path, [first, second], ["agency", *CSV_COLUMNS])
    text = path.read_text()
    # The first row's requirements hold a blank line: it spans lines 2-4.
    assert text.count("\n") == 5
    _message, err = refused(path)
    assert f"{path}:5: “processing_time_days” phải từ 0" in err, err


def test_a_multiline_bad_csv_row_is_reported_where_it_starts(setup, tmp_path):
    first, second = rows({"processing_time_days": 366})
    path = write_csv(tmp_path, [first, second], ["agency", *CSV_COLUMNS])
    # The bad row starts on line 2 and ends on line 4 (its requirements hold a blank line).
    _message, err = refused(path)
    assert f"{path}:2: “processing_time_days” phải từ 0" in err, err


def test_json_lines_are_counted_past_an_escaped_quote(setup, tmp_path):
    """A lone \\" inside a string must not throw the line count of later rows off."""
    path = write_json(
        tmp_path,
        rows(
            {"summary": 'Dùng dấu " để trích dẫn; mẫu {A} và [B].'},
            {"processing_time_days": 366},
        ),
    )
    starts = json_start_lines(path)
    _message, err = refused(path)
    assert f"{path}:{starts[1]}: “processing_time_days” phải từ 0" in err, err


def test_the_same_field_name_under_another_code_is_refused_not_a_crash(setup, tmp_path):
    make_field("HT", "Hộ tịch")
    path = write_json(tmp_path, rows())
    _message, err = refused(path)
    assert f"{path}:{json_start_lines(path)[0]}:" in err
    assert not ProcedurePage.objects.exists()


def test_a_field_code_is_checked_like_in_the_admin(setup, tmp_path):
    path = write_json(tmp_path, rows({"field_code": "hộ tịch"}, {"field_code": "hộ tịch"}))
    _message, err = refused(path)
    assert f"{path}:{json_start_lines(path)[0]}:" in err
    assert nothing_written()


# Importing again -------------------------------------------------------------------------
def test_importing_the_same_file_again_changes_nothing(setup, tmp_path):
    path = write_json(tmp_path, rows())
    run(path)
    revisions = Revision.objects.count()
    pages = list(ProcedurePage.objects.values_list("pk", "latest_revision_id"))

    out, _err = run(path)

    assert "0 thủ tục mới, 0 cập nhật, 2 không đổi" in out
    assert Revision.objects.count() == revisions
    assert list(ProcedurePage.objects.values_list("pk", "latest_revision_id")) == pages
    assert_imported(setup)


def test_importing_the_same_csv_file_again_changes_nothing(setup, tmp_path):
    path = write_csv(tmp_path, rows(), ["agency", *CSV_COLUMNS])
    run(path)
    revisions = Revision.objects.count()
    out, _err = run(path)
    assert "0 thủ tục mới, 0 cập nhật, 2 không đổi" in out
    assert Revision.objects.count() == revisions


def test_changing_one_value_updates_exactly_that_procedure(setup, tmp_path, client):
    path = write_json(tmp_path, rows())
    run(path)
    birth = ProcedurePage.objects.get(code="1.001193")
    marriage = ProcedurePage.objects.get(code="1.000894")
    revisions = Revision.objects.count()
    marriage_revision = marriage.latest_revision_id

    changed = rows()
    changed[0]["fees"][1]["amount"] = 8000
    write_json(tmp_path, changed)
    out, _err = run(path)

    assert "0 thủ tục mới, 1 cập nhật, 1 không đổi" in out
    assert Revision.objects.count() == revisions + 1
    birth = ProcedurePage.objects.get(pk=birth.pk)
    assert birth.live and not birth.has_unpublished_changes
    assert Revision.objects.filter(object_id=str(birth.pk)).count() == 2
    assert [f.amount for f in birth.fees.all()] == [0, 8000]
    assert ProcedurePage.objects.get(pk=marriage.pk).latest_revision_id == marriage_revision
    assert ProcedurePage.objects.count() == 2
    page = client.get(birth.url).content.decode()
    assert "8.000" in page and "5.000" not in page


def test_a_code_of_another_agency_is_refused_with_its_line(setup, tmp_path):
    other = make_agency("SXD", "Sở Xây dựng")
    make_procedure(other, "Đăng ký khai sinh", "1.001193")
    path = write_json(tmp_path, rows())

    _message, err = refused(path)

    assert f"{path}:{json_start_lines(path)[0]}: mã 1.001193 đã thuộc cơ quan khác" in err
    assert "Sở Xây dựng" in err
    assert ProcedurePage.objects.count() == 1
    assert not ProcedurePage.objects.filter(code="1.000894").exists()


# Malformed files -------------------------------------------------------------------------
def test_invalid_json_is_refused_with_its_line(setup, tmp_path):
    path = tmp_path / "hong.json"
    path.write_text('[\n  {"code": "1.001193",\n  "title": }\n]\n', encoding="utf-8")
    message, err = refused(path)
    assert f"{path}:3: JSON không hợp lệ" in err
    assert "Không nhập gì" in message
    assert nothing_written()


def test_a_json_object_instead_of_a_list_is_refused(setup, tmp_path):
    path = tmp_path / "mot.json"
    path.write_text(json.dumps(BIRTH, ensure_ascii=False), encoding="utf-8")
    _message, err = refused(path)
    assert "Tệp JSON phải là một danh sách thủ tục" in err
    assert nothing_written()


def test_a_json_list_of_non_objects_is_refused(setup, tmp_path):
    path = tmp_path / "so.json"
    path.write_text("[1, 2]", encoding="utf-8")
    _message, err = refused(path)
    assert "Mỗi phần tử phải là một đối tượng JSON" in err
    assert nothing_written()


def test_a_csv_row_with_more_cells_than_headers_is_refused(setup, tmp_path):
    path = write_csv(tmp_path, rows(), ["agency", *CSV_COLUMNS])
    lines = path.read_text().split("\n")
    # Line 5 is the second row (the first spans lines 2-4): one cell too many.
    lines[4] += ",thừa"
    path.write_text("\n".join(lines), encoding="utf-8")
    message, err = refused(path)
    assert f"{path}:5: có nhiều ô hơn số cột" in err
    assert "Không nhập gì" in message
    assert nothing_written()


def test_a_csv_cell_that_is_not_json_is_refused(setup, tmp_path):
    data = rows({}, {"fees": '[{"name": "Lệ phí", amount: 1}]'})
    path = write_csv(tmp_path, data, ["agency", *CSV_COLUMNS])
    _message, err = refused(path)
    # The first row spans lines 2-4 (paragraphs in its requirements), the bad one is line 5.
    assert f"{path}:5: cột “fees” không phải JSON hợp lệ" in err
    assert nothing_written()


def test_a_non_utf8_file_is_refused(setup, tmp_path):
    path = tmp_path / "cp1258.csv"
    path.write_bytes(
        "code,title\n1.001193,Đăng ký kết hôn tại xã Hòa An\n".encode("cp1258", "replace")
    )
    message, _err = refused(path)
    assert "không phải văn bản UTF-8" in message
    assert nothing_written()


def test_an_unknown_extension_is_refused(setup, tmp_path):
    path = tmp_path / "thu-tuc.txt"
    path.write_text(json.dumps(rows(), ensure_ascii=False), encoding="utf-8")
    _message, err = refused(path)
    assert "Tệp phải có đuôi .csv hoặc .json" in err
    assert nothing_written()


def test_a_missing_file_is_refused(setup, tmp_path):
    message, _err = refused(tmp_path / "khong-co.json")
    assert "Không tìm thấy tệp" in message
    assert nothing_written()


@pytest.mark.parametrize(
    "change",
    [
        {"applicant_types": 5},
        {"executing_agencies": 5},
        {"processing_time_days": "1e400"},
        {"dossier_components": [{"name": "Tờ khai", "accepted_types": 5}]},
        {"fees": {"name": "Lệ phí", "amount": 1}},
        {"steps": ["Bước 1"]},
        {"level": [4]},
        {"code": None},
    ],
    ids=repr,
)
def test_values_of_the_wrong_type_are_refused_not_a_crash(setup, tmp_path, change):
    path = write_json(tmp_path, rows(change))
    if change.get("processing_time_days") == "1e400":  # a JSON number too big for a float
        path.write_text(path.read_text().replace('"1e400"', "1e400"))
    _message, err = refused(path)
    assert f"{path}:{json_start_lines(path)[0]}:" in err
    assert nothing_written()


def test_a_huge_csv_cell_is_refused_not_a_crash(setup, tmp_path):
    path = write_csv(tmp_path, rows({"requirements": "x" * 200_000}), ["agency", *CSV_COLUMNS])
    refused(path)
    assert nothing_written()


def test_lists_keep_the_files_order_on_every_database(setup, tmp_path, client):
    names = [f"Giấy tờ số {n}" for n in (5, 1, 4, 2, 3)]
    row = rows()[0]
    row["dossier_components"] = [{"name": name, "template": None} for name in names]
    row["fees"] = [{"name": f"Lệ phí {n}", "amount": n * 1000} for n in (3, 1, 2)]
    path = write_json(tmp_path, [row])
    run(path)
    page = ProcedurePage.objects.get(code=row["code"])
    assert [c.name for c in page.dossier_components.all()] == names
    assert [f.name for f in page.fees.all()] == ["Lệ phí 3", "Lệ phí 1", "Lệ phí 2"]
    html = client.get(page.url).content.decode()
    assert [html.index(name) for name in names] == sorted(html.index(name) for name in names)
    out, _err = run(path)
    assert "1 không đổi" in out


def test_paying_with_the_submission_is_imported_and_reimporting_changes_nothing(setup, tmp_path):
    path = write_json(tmp_path, rows({"pay_on_submission": True}, {"pay_on_submission": "có"}))
    run(path)

    out, _err = run(path)

    assert ProcedurePage.objects.get(code="1.001193").pay_on_submission is True
    assert "0 cập nhật, 2 không đổi" in out
    run(write_json(tmp_path, rows({}, {}), name="lan-hai.json"))
    assert ProcedurePage.objects.get(code="1.001193").pay_on_submission is False


def test_fee_conditions_are_imported_and_reimporting_changes_nothing(setup, tmp_path, client):
    fees = [
        {"name": "Lệ phí đúng hạn", "amount": 0, "condition": "alternative", "note": ""},
        {"name": "Lệ phí quá hạn", "amount": 5000, "condition": "alternative", "group": 1},
        {
            "name": "Phí bản sao trích lục",
            "amount": 8000,
            "condition": "conditional",
            "note": "Khi đề nghị cấp bản sao.",
        },
        {"name": "Lệ phí cấp giấy", "amount": 10000},
    ]
    path = write_json(tmp_path, rows({"fees": fees}))
    run(path)
    birth = ProcedurePage.objects.get(code="1.001193")
    assert [(f.name, f.condition, f.alternative_group) for f in birth.fees.all()] == [
        ("Lệ phí đúng hạn", "alternative", 1),
        ("Lệ phí quá hạn", "alternative", 1),
        ("Phí bản sao trích lục", "conditional", None),
        ("Lệ phí cấp giấy", "always", None),
    ]
    out, _err = run(path)
    assert "0 cập nhật, 2 không đổi" in out
    html = client.get(birth.url).content.decode()
    assert "Lệ phí đúng hạn: Không thu phí hoặc Lệ phí quá hạn: 5.000 đồng" in html

    fees[2]["condition"] = "always"
    out, _err = run(write_json(tmp_path, rows({"fees": fees}), name="lan-hai.json"))
    assert "1 cập nhật" in out
    assert ProcedurePage.objects.get(code="1.001193").fees.all()[2].condition == "always"


def test_the_demo_birth_registration_lists_alternatives_not_a_sum():
    from procedures.demo import DATA

    rows = {row["code"]: row for row in json.loads(DATA.read_text(encoding="utf-8"))}
    assert [(fee["name"], fee["condition"]) for fee in rows["1.001193"]["fees"]] == [
        ("Lệ phí đăng ký khai sinh đúng hạn", "alternative"),
        ("Lệ phí đăng ký khai sinh quá hạn", "alternative"),
    ]
    # No demo procedure collects with the submission a fee whose amount is not fixed.
    for row in rows.values():
        if row.get("pay_on_submission"):
            assert all(fee.get("condition", "always") == "always" for fee in row["fees"])
