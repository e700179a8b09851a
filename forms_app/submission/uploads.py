"""Checking one file a citizen uploads for a dossier component, and cleaning what we store.

Officials open these files on their own machines, so nothing the browser claims is trusted:

* The type is decided from the bytes (magic numbers), never from the file name or the
  browser's content type, which the uploader controls. A program renamed "to-khai.pdf" or a
  web page renamed "anh.png" is refused.
* Images are decoded and re-encoded. The stored file then holds only pixels: no EXIF (phone
  photos carry GPS position and device), no comments or text chunks, and nothing appended
  after the image data, so an image/HTML polyglot loses its script.
* Images are bounded in pixels, read from the header before decoding, because a few
  kilobytes of PNG can decode into gigabytes of memory.
* A .docx is a zip: its directory is checked for sizes that would explode when an office
  suite or a previewer unpacks it. It is never extracted here.

Non-images are passed through unchanged and never read whole into memory.
"""

import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from procedures.constants import FileType

MEGABYTE = 1024 * 1024
MAX_NAME_LENGTH = 255
DEFAULT_NAME = "tep-dinh-kem"

MAGIC_NUMBERS = {
    b"%PDF-": FileType.PDF,
    b"\xff\xd8\xff": FileType.JPEG,
    b"\x89PNG\r\n\x1a\n": FileType.PNG,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": FileType.DOC,  # OLE2 compound file
}
ZIP_MAGIC = b"PK\x03\x04"
HEAD_LENGTH = max(len(magic) for magic in [*MAGIC_NUMBERS, ZIP_MAGIC])
DOCX_PARTS = {"[Content_Types].xml", "word/document.xml"}

# Bounds of a docx's zip directory; real documents are far below them.
ZIP_MAX_TOTAL_SIZE = 100 * MEGABYTE
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_RATIO = 100

CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
    FileType.DOC: "application/msword",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The first extension is the one appended when the citizen's name does not match the bytes.
EXTENSIONS = {
    FileType.PDF: (".pdf",),
    FileType.JPEG: (".jpg", ".jpeg", ".jpe"),
    FileType.PNG: (".png",),
    FileType.DOC: (".doc",),
    FileType.DOCX: (".docx",),
}
PIL_FORMATS = {FileType.JPEG: "JPEG", FileType.PNG: "PNG"}
JPEG_MODES = {"L", "RGB"}
JPEG_QUALITY = 90
# The only image info kept when re-encoding: it is part of the picture, not metadata.
KEPT_IMAGE_INFO = {"transparency"}

# Characters that would garble or spoof a displayed name: C0/C1 controls, format characters
# (bidi overrides can show "exe.pdf" for "fdp.exe"), lone surrogates (undecodable bytes
# become surrogate escapes) and the replacement character.
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs"}
REPLACEMENT_CHARACTER = "\ufffd"


@dataclass(frozen=True)
class CleanedUpload:
    """What to store for one accepted upload; `content` is rewound, ready for storage.save()."""

    name: str
    content: File
    content_type: str
    size: int
    file_type: str


def check_dossier_size(total):
    """Refuse a dossier whose files add up to more than ``DOSSIER_MAX_TOTAL_SIZE`` bytes
    (at "Gửi đi" and at a supplement alike)."""
    if total > settings.DOSSIER_MAX_TOTAL_SIZE:
        raise ValidationError(
            _("Tổng dung lượng các tệp của hồ sơ vượt quá %(limit)s."),
            code="dossier_too_large",
            params={"limit": filesizeformat(settings.DOSSIER_MAX_TOTAL_SIZE)},
        )


def clean_upload(uploaded_file, *, accepted_types, max_size):
    """Accept `uploaded_file` for a component allowing `accepted_types`, or raise ValidationError.

    The cheap checks (size, magic numbers) come first so that a refused file costs no
    decoding. Images come back re-encoded, other files as the upload itself.
    """
    accepted_types = set(accepted_types)
    name = safe_display_name(uploaded_file.name or "")
    if not uploaded_file.size:
        raise ValidationError(
            _("Tệp “%(name)s” không có nội dung."), code="empty", params={"name": name}
        )
    if uploaded_file.size > max_size:
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(limit)s MB cho phép."),
            code="too_large",
            params={"name": name, "limit": _format_amount(max_size / MEGABYTE)},
        )
    file_type = sniff_type(uploaded_file)
    if file_type not in accepted_types:
        raise _type_error(name, accepted_types)

    if file_type in PIL_FORMATS:
        content = _reencode_image(uploaded_file, file_type, name)
        size = content.size
    else:
        if file_type == FileType.DOCX:
            _check_zip_bounds(uploaded_file, name)
        uploaded_file.seek(0)
        content, size = uploaded_file, uploaded_file.size
    return CleanedUpload(
        name=_with_extension_of(name, file_type),
        content=content,
        content_type=CONTENT_TYPES[file_type],
        size=size,
        file_type=file_type,
    )


def sniff_type(fileobj):
    """The FileType value that the first bytes of `fileobj` prove, or None; rewinds the file.

    Only the head is read, plus the zip directory for a docx (zipfile seeks to the end
    rather than reading everything).
    """
    fileobj.seek(0)
    try:
        head = fileobj.read(HEAD_LENGTH)
        for magic, file_type in MAGIC_NUMBERS.items():
            if head.startswith(magic):
                return file_type.value
        if head.startswith(ZIP_MAGIC) and _is_docx(fileobj):
            return FileType.DOCX.value
        return None
    finally:
        fileobj.seek(0)


def safe_display_name(name):
    """The citizen's file name, made safe to display and to offer as a download name.

    Storage names are made by the server; this one only has to be readable and harmless
    in a page or a Content-Disposition header.
    """
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(char for char in name if not _is_unsafe_character(char))
    name = unicodedata.normalize("NFC", name)
    name = " ".join(name.split())
    name = name.lstrip(". ")
    return _cap_length(name) or DEFAULT_NAME


def _is_unsafe_character(char):
    """Whitespace controls (tab, newline) are left for the collapsing step to make spaces."""
    if char.isspace():
        return False
    return char == REPLACEMENT_CHARACTER or unicodedata.category(char) in UNSAFE_CATEGORIES


def _cap_length(name):
    """`name` cut to MAX_NAME_LENGTH characters, cutting the stem so the extension survives."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension) >= MAX_NAME_LENGTH:
        return name[:MAX_NAME_LENGTH]
    return stem[: MAX_NAME_LENGTH - len(extension)].rstrip() + extension


def _with_extension_of(name, file_type):
    """`name`, with the type's extension appended if its own does not match the bytes.

    The citizen's name stays recognisable ("anh.png.jpg"), and whoever downloads the file
    gets an extension that opens it with the right program.
    """
    extensions = EXTENSIONS[file_type]
    if name.lower().endswith(extensions):
        return name
    return _cap_length(name + extensions[0])


def _type_error(name, accepted_types):
    labels = [choice.label for choice in FileType if choice in accepted_types]
    return ValidationError(
        _("Tệp “%(name)s” không phải là %(types)s (loại tệp được xác định theo nội dung tệp)."),
        code="type",
        params={"name": name, "types": get_text_list(labels, _("hoặc"))},
    )


def _format_amount(value):
    """`value` without decimals when whole ("10"), else with one ("2,5" in Vietnamese)."""
    value = round(value, 1)
    return number_format(value, decimal_pos=0 if value == int(value) else 1)


def _is_docx(fileobj):
    """Whether `fileobj` is a zip holding the two parts every WordprocessingML package has."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return DOCX_PARTS.issubset(archive.namelist())
    # NotImplementedError: a directory asking for a zip feature Python lacks (a crafted
    # "version needed to extract"); such a file is no Word document either.
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return False


def _check_zip_bounds(fileobj, name):
    """Refuse a docx whose zip directory promises too much data when unpacked.

    Only the directory's declared sizes are read; nothing is decompressed. The file is
    stored as uploaded, so these bounds protect whoever opens or previews it later.
    """
    with zipfile.ZipFile(fileobj) as archive:
        entries = archive.infolist()
    if (
        len(entries) > ZIP_MAX_ENTRIES
        or sum(entry.file_size for entry in entries) > ZIP_MAX_TOTAL_SIZE
        or any(entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1) for entry in entries)
    ):
        raise ValidationError(
            _("Tệp “%(name)s” có cấu trúc nén bất thường nên không được chấp nhận."),
            code="zip_bomb",
            params={"name": name},
        )


def _reencode_image(uploaded_file, file_type, name):
    """The image's pixels, upright, saved anew with no metadata, in a spooled temporary file.

    The pixel bound is checked on the header's size before anything is decoded. Pillow's own
    decompression-bomb guard is caught as well (its warning turned into an error locally),
    without touching the process-wide Image.MAX_IMAGE_PIXELS.
    """
    too_large = ValidationError(
        _("Ảnh “%(name)s” quá lớn (tối đa %(limit)s triệu điểm ảnh)."),
        code="image_too_large",
        params={
            "name": name,
            "limit": _format_amount(settings.DOSSIER_MAX_IMAGE_PIXELS / 1_000_000),
        },
    )
    uploaded_file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded_file, formats=[PIL_FORMATS[file_type]]) as image:
                if image.width * image.height > settings.DOSSIER_MAX_IMAGE_PIXELS:
                    raise too_large
                clean = _pixels_only(image, file_type)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_large from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _("Ảnh “%(name)s” bị hỏng hoặc không đọc được."),
            code="image",
            params={"name": name},
        ) from error
    return _save_image(clean, file_type)


def _pixels_only(image, file_type):
    """A decoded, upright copy of `image` whose info holds no metadata for save() to write.

    Pillow's savers copy some of `info` into the output by default (JPEG comment, PNG ICC
    profile), so the info is emptied rather than relying on what save() omits.
    """
    clean = ImageOps.exif_transpose(image)
    if file_type == FileType.JPEG and clean.mode not in JPEG_MODES:
        clean = clean.convert("RGB")
    clean.info = {key: value for key, value in clean.info.items() if key in KEPT_IMAGE_INFO}
    return clean


def _save_image(image, file_type):
    output = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    if file_type == FileType.JPEG:
        image.save(output, format="JPEG", quality=JPEG_QUALITY)
    else:
        image.save(output, format="PNG")
    content = File(output)
    content.size = output.tell()
    output.seek(0)
    return content
