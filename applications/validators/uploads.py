"""Upload checks: a file is what its content says, not what its name says.

Accept PDF, JPEG and PNG only; refuse encrypted PDFs, PDFs that carry scripts, launch actions or
embedded files, and images whose pixels would decompress to absurd sizes.
"""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject, IndirectObject

KIND_LABELS = {"pdf": "PDF", "jpeg": "JPEG 图片", "png": "PNG 图片"}
# Names whose presence in a PDF means it can run code or carry other files. Long names are also
# looked for in the raw bytes (a chance match inside compressed data is practically impossible);
# short ones like /JS only in the parsed objects, where they cannot be noise.
RAW_ACTIVE_NAMES = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z])")
ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia", "/OpenAction", "/AA"}
ACTIVE_VALUES = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/EmbeddedFile",
    "/FileAttachment",
    "/RichMedia",
    "/Movie",
    "/Sound",
    "/Screen",
}


@dataclass
class CheckedUpload:
    kind: str  # pdf, jpeg, png
    content_type: str
    size: int
    pages: int | None
    sha256: str
    original_name: str


def limits():
    return settings.UPLOAD_LIMITS


def clean_filename(name):
    """Keep a file name for display only: no folders, no control characters, bounded length."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:150] or "未命名文件"


def sniff(head):
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def _refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def _object_numbers(reader):
    for generation, objects in reader.xref.items():
        for number in objects:
            yield number, generation
    for number in reader.xref_objStm:
        yield number, 0


def _is_active(obj):
    if not isinstance(obj, DictionaryObject):
        return False
    if ACTIVE_KEYS & set(obj.keys()):
        return True
    return any(obj.get(key) in ACTIVE_VALUES for key in ("/S", "/Type", "/Subtype"))


def _pdf_active_content(reader):
    """Visit every object, including those inside compressed object streams, for actions and attachments."""
    for number, generation in _object_numbers(reader):
        if _is_active(reader.get_object(IndirectObject(number, generation, reader))):
            return True
    return _is_active(reader.trailer["/Root"].get_object())


def check_pdf(data):
    if RAW_ACTIVE_NAMES.search(data):
        _refuse("PDF 文件含有脚本、启动命令或嵌入文件，出于安全原因不予接收。", "pdf_active_content")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _refuse("PDF 文件已加密，请上传未加密的文件。", "pdf_encrypted")
        pages = len(reader.pages)
        active = _pdf_active_content(reader)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ValidationError("PDF 文件已损坏或无法读取。", code="pdf_broken") from exc
    if active:
        _refuse("PDF 文件含有脚本、启动命令或嵌入文件，出于安全原因不予接收。", "pdf_active_content")
    if pages == 0:
        _refuse("PDF 文件没有页面。", "pdf_empty")
    if pages > limits()["pdf_max_pages"]:
        _refuse(
            "PDF 文件共 %(pages)s 页，超过 %(max)s 页的上限。",
            "pdf_too_many_pages",
            pages=pages,
            max=limits()["pdf_max_pages"],
        )
    return pages


def check_image(data, kind):
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > limits()["image_max_pixels"]:
                _refuse(
                    "图片尺寸 %(w)s×%(h)s 像素过大（上限 %(max)s 万像素），请缩小后上传。",
                    "image_too_many_pixels",
                    w=width,
                    h=height,
                    max=limits()["image_max_pixels"] // 10000,
                )
            if image.format.lower() != kind:
                _refuse("图片内容与格式不符。", "image_mismatch")
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError("图片文件已损坏或无法识别。", code="image_broken") from exc


def check_upload(uploaded, accepts, already_stored=0):
    """Check one uploaded file for an attachment kind accepting `accepts`; return what was found."""
    max_bytes = limits()["file_max_bytes"]
    if uploaded.size > max_bytes:
        _refuse(
            "文件大小 %(size)s MB，超过单个文件 %(max)s MB 的上限。",
            "file_too_large",
            size=round(uploaded.size / 1048576, 1),
            max=max_bytes // 1048576,
        )
    if already_stored + uploaded.size > limits()["application_max_bytes"]:
        _refuse(
            "本申报附件总量将超过 %(max)s MB 的上限，请压缩或删除不需要的附件。",
            "application_too_large",
            max=limits()["application_max_bytes"] // 1048576,
        )
    uploaded.seek(0)
    data = uploaded.read()
    kind = sniff(data[:2048])
    if kind is None:
        _refuse("无法识别的文件类型：只接受 PDF、JPEG、PNG 文件（按文件内容识别，不看扩展名）。", "file_type_unknown")
    if kind not in accepts:
        _refuse(
            "此处只接受 %(accepts)s，上传的文件实际是 %(kind)s。",
            "file_type_not_accepted",
            accepts="、".join(KIND_LABELS[k] for k in accepts),
            kind=KIND_LABELS[kind],
        )
    pages = check_pdf(data) if kind == "pdf" else check_image(data, kind)
    content_type = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[kind]
    return CheckedUpload(
        kind, content_type, len(data), pages, hashlib.sha256(data).hexdigest(), clean_filename(uploaded.name)
    )
