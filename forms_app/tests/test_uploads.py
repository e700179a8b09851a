"""Uploads of dossier components: the type comes from the bytes, images are re-encoded without
metadata or trailing payloads, and oversized images or zips are refused before decoding."""

import io
import unicodedata
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from forms_app.submission.uploads import CleanedUpload, clean_upload, safe_display_name, sniff_type
from procedures.constants import DEFAULT_FILE_TYPES

MEGABYTE = 1024 * 1024
MAX_SIZE = 10 * MEGABYTE

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
MZ = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
ORIENTATION = 0x0112
MAKE = 0x010F
GPS_INFO = 0x8825


def image_bytes(fmt, size=(40, 20), mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 0).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def clean(file, accepted_types=DEFAULT_FILE_TYPES, max_size=MAX_SIZE):
    return clean_upload(file, accepted_types=accepted_types, max_size=max_size)


def refusal(file, **options):
    with pytest.raises(ValidationError) as caught:
        clean(file, **options)
    return caught.value.code, caught.value.messages[0]


def stored_bytes(cleaned: CleanedUpload):
    assert cleaned.content.tell() == 0
    data = cleaned.content.read()
    assert len(data) == cleaned.size
    return data


def stored_image(cleaned):
    return Image.open(io.BytesIO(stored_bytes(cleaned)))


@pytest.fixture
def no_decoding(monkeypatch):
    """Make any pixel decoding fail the test: the refusal must come from the header."""

    def load(self):
        pytest.fail("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


@pytest.fixture(scope="module")
def huge_png():
    """20,000 × 20,000 pixels (400 million), yet about 50 KB on disk."""
    return image_bytes("PNG", size=(20_000, 20_000), mode="1")


# Accepted types


@pytest.mark.parametrize(
    ("name", "content", "file_type", "content_type"),
    [
        ("to-khai.pdf", PDF, "pdf", "application/pdf"),
        ("anh.jpg", image_bytes("JPEG"), "jpeg", "image/jpeg"),
        ("anh.png", image_bytes("PNG"), "png", "image/png"),
        ("don.doc", OLE2, "doc", "application/msword"),
        (
            "don.docx",
            docx_bytes(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_each_default_type_is_accepted(name, content, file_type, content_type):
    cleaned = clean(upload(name, content))

    assert cleaned.file_type == file_type
    assert cleaned.content_type == content_type
    assert cleaned.name == name
    assert stored_bytes(cleaned)


def test_documents_are_stored_unchanged():
    content = docx_bytes()
    cleaned = clean(upload("don.docx", content))

    assert stored_bytes(cleaned) == content
    assert cleaned.size == len(content)


def test_component_narrowed_to_pdf_refuses_a_png():
    code, message = refusal(upload("anh.png", image_bytes("PNG")), accepted_types=["pdf"])

    assert code == "type"
    assert message == (
        "Tệp “anh.png” không phải là PDF (loại tệp được xác định theo nội dung tệp)."
    )


# Lying names and content types


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("to-khai.pdf", ELF, "application/pdf"),
        ("to-khai.pdf", MZ, "application/pdf"),
        ("anh.png", HTML, "image/png"),
        ("anh.png", SVG, "image/png"),
    ],
)
def test_type_is_decided_by_the_bytes_not_the_name(name, content, content_type):
    code, message = refusal(upload(name, content, content_type))

    assert code == "type"
    assert message == (
        f"Tệp “{name}” không phải là PDF, JPEG, PNG, DOC hoặc DOCX "
        "(loại tệp được xác định theo nội dung tệp)."
    )


def test_jpeg_named_png_gets_the_right_extension_appended():
    cleaned = clean(upload("anh.png", image_bytes("JPEG"), "image/png"))

    assert cleaned.name == "anh.png.jpg"
    assert cleaned.content_type == "image/jpeg"
    assert stored_image(cleaned).format == "JPEG"


def test_sniff_type_rewinds_the_file():
    file = upload("x.bin", image_bytes("PNG"))
    file.seek(10)

    assert sniff_type(file) == "png"
    assert file.tell() == 0


# Images are re-encoded


def test_polyglot_png_loses_what_follows_the_image():
    content = image_bytes("PNG") + b"<html><script>alert(1)</script></html>"
    cleaned = clean(upload("anh.png", content, "image/png"))

    data = stored_bytes(cleaned)
    assert b"<script" not in data
    assert Image.open(io.BytesIO(data)).size == (40, 20)


def test_jpeg_loses_exif_and_comment():
    exif = Image.Exif()
    exif[MAKE] = "Canon"
    exif[GPS_INFO] = {1: "N", 2: (21.0, 2.0, 3.0)}
    content = image_bytes("JPEG", exif=exif, comment=b"ghi chu rieng tu")
    assert Image.open(io.BytesIO(content)).getexif()  # the fixture really carries EXIF

    cleaned = clean(upload("anh.jpg", content))

    data = stored_bytes(cleaned)
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert "comment" not in image.info
    assert b"Canon" not in data
    assert b"ghi chu" not in data


def test_png_loses_text_chunks():
    info = PngInfo()
    info.add_text("Author", "Nguyen Van A")
    cleaned = clean(upload("anh.png", image_bytes("PNG", pnginfo=info)))

    data = stored_bytes(cleaned)
    assert b"Nguyen" not in data
    assert "Author" not in Image.open(io.BytesIO(data)).info


def test_jpeg_orientation_is_applied_to_the_pixels():
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    cleaned = clean(upload("anh.jpg", image_bytes("JPEG", size=(40, 20), exif=exif)))

    image = stored_image(cleaned)
    assert image.size == (20, 40)
    assert ORIENTATION not in image.getexif()


def test_palette_png_keeps_its_mode_and_transparency():
    cleaned = clean(upload("anh.png", image_bytes("PNG", mode="P", transparency=0)))

    image = stored_image(cleaned)
    assert image.mode == "P"
    assert image.info["transparency"] == 0


# Image bounds and damage


@pytest.mark.usefixtures("no_decoding")
def test_huge_image_is_refused_from_its_header_without_decoding(huge_png):
    code, message = refusal(upload("ban-do.png", huge_png, "image/png"))

    assert code == "image_too_large"
    assert message == "Ảnh “ban-do.png” quá lớn (tối đa 40 triệu điểm ảnh)."


@pytest.mark.usefixtures("no_decoding")
def test_pixel_bound_comes_from_settings(settings):
    settings.DOSSIER_MAX_IMAGE_PIXELS = 40 * 20 - 1

    code, message = refusal(upload("anh.png", image_bytes("PNG")))

    assert code == "image_too_large"
    assert "“anh.png”" in message


def test_pillow_decompression_warning_is_a_refusal_without_changing_pillow(settings):
    settings.DOSSIER_MAX_IMAGE_PIXELS = 10**9  # leave it to Pillow's own guard
    limit_before = Image.MAX_IMAGE_PIXELS
    content = image_bytes("PNG", size=(10_000, 10_000), mode="1")  # over Pillow's warning

    code, _ = refusal(upload("anh.png", content))

    assert code == "image_too_large"
    assert limit_before == Image.MAX_IMAGE_PIXELS


def test_truncated_png_is_refused():
    content = image_bytes("PNG")[:40]
    code, message = refusal(upload("anh.png", content))

    assert code == "image"
    assert "“anh.png”" in message


# Zip bombs posing as docx


def write_zip(entries):
    """A zip of `entries` (name → bytes or a number of zeros, written in 1 MB chunks)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            with archive.open(name, "w") as entry:
                if isinstance(content, bytes):
                    entry.write(content)
                    continue
                chunk = bytes(MEGABYTE)
                for _ in range(content // MEGABYTE):
                    entry.write(chunk)
    return buffer.getvalue()


DOCX_SKELETON = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


@pytest.mark.parametrize(
    "extra_entries",
    [
        pytest.param({"word/media/zeros.bin": 200 * MEGABYTE}, id="200 MB unpacked"),
        pytest.param({"word/media/zeros.bin": MEGABYTE}, id="ratio over 100"),
        pytest.param({f"word/p{i}.xml": b"x" for i in range(1001)}, id="over 1000 entries"),
    ],
)
def test_zip_bomb_docx_is_refused(extra_entries):
    content = write_zip({**DOCX_SKELETON, **extra_entries})
    assert len(content) < MAX_SIZE

    code, message = refusal(upload("to-khai.docx", content))

    assert code == "zip_bomb"
    assert "“to-khai.docx”" in message


def test_zip_without_word_document_is_not_a_docx():
    content = write_zip({"[Content_Types].xml": b"<Types/>", "readme.txt": b"hello"})

    code, message = refusal(upload("to-khai.docx", content))

    assert code == "type"
    assert "“to-khai.docx”" in message


# Size


def test_empty_file_is_refused():
    code, message = refusal(upload("to-khai.pdf", b""))

    assert code == "empty"
    assert "“to-khai.pdf”" in message


def test_file_over_the_limit_is_refused_with_the_limit_in_mb():
    content = PDF + bytes(MEGABYTE)

    code, message = refusal(upload("to-khai.pdf", content), max_size=MEGABYTE)

    assert code == "too_large"
    assert message == "Tệp “to-khai.pdf” lớn hơn 1 MB cho phép."


# Display names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\to khai.pdf", "to khai.pdf"),
        ("to\udcff\x00khai\x1b\x7f.pdf", "tokhai.pdf"),
        ("to\r\nkhai\t.pdf", "to khai .pdf"),
        ("to\ufffdkhai\u202e.pdf", "tokhai.pdf"),
        ("  to   khai\t.pdf", "to khai .pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("", "tep-dinh-kem"),
        ("../", "tep-dinh-kem"),
    ],
)
def test_safe_display_name(raw, expected):
    assert safe_display_name(raw) == expected


def test_long_name_is_capped_keeping_the_extension():
    name = safe_display_name("a" * 400 + ".pdf")

    assert len(name) == 255
    assert name.endswith("a.pdf")


def test_vietnamese_name_comes_out_nfc():
    nfc = "Tờ khai đăng ký hộ kinh doanh.pdf"

    name = safe_display_name(unicodedata.normalize("NFD", nfc))

    assert name == nfc
    assert unicodedata.is_normalized("NFC", name)


def test_refusal_names_the_file_by_its_safe_name():
    code, message = refusal(upload("to-khai\x1b.pdf", ELF))

    assert code == "type"
    assert "“to-khai.pdf”" in message


# Uploads Django spooled to disk


def temporary_upload(name, content):
    file = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    file.write(content)
    return file


def test_document_on_disk_is_passed_through_not_copied():
    content = docx_bytes()
    with temporary_upload("don.docx", content) as file:
        cleaned = clean(file)

        assert cleaned.content is file
        assert stored_bytes(cleaned) == content


def test_image_on_disk_is_re_encoded():
    with temporary_upload("anh.jpg", image_bytes("JPEG")) as file:
        cleaned = clean(file)

    assert cleaned.content is not file
    assert stored_image(cleaned).size == (40, 20)


def test_a_zip_python_cannot_read_is_refused_not_a_crash():
    """A central directory asking for "version 6.4" makes zipfile raise
    NotImplementedError; the citizen gets the type message, not a server error."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("[Content_Types].xml", "word/document.xml"):
            info = zipfile.ZipInfo(name)
            info.extract_version = 64
            archive.writestr(info, "<x/>")

    code, message = refusal(upload("to-khai.docx", buffer.getvalue(), "application/msword"))

    assert code == "type"
    assert "to-khai.docx" in message
