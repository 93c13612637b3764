"""Upload checks: a file is what its content says, not what its name says.

Accept PDF, JPEG and PNG only. Refuse PDFs that are truncated, encrypted, longer than the page limit
or that carry scripts, launch actions or embedded files; images whose pixels would decompress to
absurd sizes or whose bytes carry web-page markup. Every check reads a bounded amount: page trees are
counted only up to the limit, images are never decoded, and only a PDF's object streams are
decompressed, each to a few megabytes — so a 10,000-page file or a bomb is refused in milliseconds.
"""

import hashlib
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from portal.polyglots import contains_markup

KIND_LABELS = {"pdf": "PDF", "jpeg": "JPEG 图片", "png": "PNG 图片"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": (".pdf",), "jpeg": (".jpg", ".jpeg"), "png": (".png",)}

# Names whose presence in a PDF means it can run code, start programs or open other files, or carry
# files and media, grouped by what the refusal tells the user. They are looked for in the raw bytes
# and in the decoded object streams (where PDF 1.5 writers compress dictionaries), with #-escapes
# undone (/Java#53cript is /JavaScript). Only names long enough not to occur by chance in compressed
# data are used: /JS runs only under /S /JavaScript; /OpenAction and /AA merely point at actions,
# judged by their /S (an /OpenAction that opens page 1 at "fit width" is harmless and common).
PDF_ACTIVE_NAMES = {
    b"JavaScript": "script",
    b"Launch": "launch",
    b"GoToR": "launch",
    b"ImportData": "launch",
    b"EmbeddedFile": "embedded",
    b"EmbeddedFiles": "embedded",
    b"FileAttachment": "embedded",
    b"GoToE": "embedded",
    b"RichMedia": "embedded",
    b"Movie": "embedded",
    b"Sound": "embedded",
    b"Screen": "embedded",
}
PDF_ACTIVE_REFUSALS = {  # in the order they are reported when a file has several
    "script": ("PDF 文件含有 JavaScript 脚本或脚本表单，出于安全原因不予接收。", "pdf_javascript"),
    "launch": ("PDF 文件含有启动外部程序或打开外部文件的动作，出于安全原因不予接收。", "pdf_launch_action"),
    "embedded": ("PDF 文件内嵌了其他文件或多媒体内容，出于安全原因不予接收。", "pdf_embedded_file"),
}
PDF_REGENERATE_HINT = "请用“打印为 PDF”重新生成后上传，附件请单独上传。"
_NAME_CHAR = rb"[^\x00\t\n\x0c\r /<>\[\](){}%]"
_PLAIN_ACTIVE_NAME = re.compile(rb"/(%s)(?!%s)" % (b"|".join(PDF_ACTIVE_NAMES), _NAME_CHAR))
_ESCAPED_NAME = re.compile(rb"/(%s*#[0-9A-Fa-f]{2}%s*)" % (_NAME_CHAR, _NAME_CHAR))
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Acrobat requires %%EOF within the last 1024 bytes; a file cut short in transfer loses it.
PDF_EOF_WINDOW = 1024
# Object streams of real files decode to well under a megabyte each; a "bomb" stops at these caps.
PDF_STREAM_MAX_BYTES = 8 * 1024 * 1024
PDF_STREAMS_MAX_BYTES = 48 * 1024 * 1024


@dataclass
class CheckedUpload:
    kind: str  # pdf, jpeg, png
    content_type: str
    size: int
    pages: int | None
    sha256: str
    original_name: str

    def stored_fields(self):
        """What a stored file's row keeps of it, with a fresh random name to store it under."""
        return {
            "stored_name": f"{secrets.token_hex(16)}{EXTENSIONS[self.kind][0]}",
            "original_name": self.original_name,
            "content_type": self.content_type,
            "size": self.size,
            "pages": self.pages,
            "sha256": self.sha256,
        }


def store_checked(row, uploaded):
    """Save a checked upload under the row's random name, then the row."""
    uploaded.seek(0)
    row.file.save(row.stored_name, uploaded, save=False)
    row.save()
    return row


def limits():
    return settings.UPLOAD_LIMITS


def clean_filename(name, kind=None):
    """Keep a file name for display only: no folders, no control or direction characters, bounded
    length; with `kind`, the extension says what the content is (a JPEG named map.html is map.jpg)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if kind and not name.lower().endswith(EXTENSIONS[kind]):
        stem = name.rsplit(".", 1)[0] if "." in name else name
        name = f"{stem.strip(' .')[:140] or '未命名文件'}{EXTENSIONS[kind][0]}"
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


def _active_kinds(data):
    """Which kinds of active content the names in these PDF bytes announce."""
    kinds = {PDF_ACTIVE_NAMES[match[1]] for match in _PLAIN_ACTIVE_NAME.finditer(data)}
    for match in _ESCAPED_NAME.finditer(data):
        name = _NAME_ESCAPE.sub(lambda escape: bytes([int(escape[1], 16)]), match[1])
        if name in PDF_ACTIVE_NAMES:
            kinds.add(PDF_ACTIVE_NAMES[name])
    return kinds


def _object_streams(reader):
    """The decoded object streams, within a total budget so that compressed bombs stop early."""
    budget = PDF_STREAMS_MAX_BYTES
    for number in sorted({stream for stream, _ in reader.xref_objStm.values()}):
        data = reader.get_object(number).get_data()
        budget -= len(data)
        if budget < 0:
            raise LimitReachedError("object streams too large")
        yield data


def _refuse_active_content(reader, data):
    kinds = _active_kinds(data)
    for stream in _object_streams(reader):
        kinds |= _active_kinds(stream)
    acroform = reader.trailer["/Root"].get_object().get("/AcroForm")
    if isinstance(acroform, (DictionaryObject, IndirectObject)) and "/XFA" in acroform.get_object():
        kinds.add("script")  # XFA forms carry their scripts inside compressed XML
    for kind, (message, code) in PDF_ACTIVE_REFUSALS.items():
        if kind in kinds:
            _refuse(message + PDF_REGENERATE_HINT, code)


def _count_pages(reader, stop_after):
    """Leaves of the page tree, counted up to stop_after + 1: a 10,000-page file is not walked to its end.
    A page referenced twice is shown twice, so it counts twice; a tree node seen twice is a loop."""
    pending, nodes, count = [reader.trailer["/Root"].get_object()["/Pages"]], set(), 0
    while pending and count <= stop_after:
        reference = pending.pop()
        node = reference.get_object()
        if not isinstance(node, DictionaryObject):
            raise ValueError("page tree entry is not a dictionary")
        kids = node.get("/Kids")
        if kids is None:
            count += 1
            continue
        key = reference.idnum if isinstance(reference, IndirectObject) else id(node)
        if key in nodes or len(nodes) > stop_after:
            raise ValueError("page tree loops or has more branches than pages")
        nodes.add(key)
        kids = kids.get_object()
        if not isinstance(kids, ArrayObject):
            raise ValueError("page tree kids are not an array")
        pending.extend(reversed(kids))
    return count


def _declared_pages(reader):
    declared = reader.trailer["/Root"].get_object()["/Pages"].get_object().get("/Count")
    return declared if isinstance(declared, int) else 0


def _refuse_markup_around_pdf(data):
    """Readers skip up to 1 KB before %PDF- and after %%EOF; a web page hidden there makes a polyglot."""
    start, end = max(data.find(b"%PDF-"), 0), data.rfind(b"%%EOF")
    if contains_markup(data[:start]) or contains_markup(data[end:]):
        _refuse("PDF 文件的开头或结尾夹带网页代码，出于安全原因不予接收。" + PDF_REGENERATE_HINT, "pdf_markup")


def check_pdf(data, max_pages=None):
    """Check a PDF's bytes; return its page count (None when `max_pages` is None: pages not counted)."""
    if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
        _refuse("PDF 文件不完整（缺少文件结尾），可能在传输或导出时被截断，请重新导出后上传。", "pdf_truncated")
    _refuse_markup_around_pdf(data)
    try:
        with apply_configuration(zlib_maximum_output_length=PDF_STREAM_MAX_BYTES):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _refuse("PDF 文件已加密或设有密码，请上传未加密的文件。", "pdf_encrypted")
            _refuse_active_content(reader, data)
            if max_pages is None:
                return None
            pages = _count_pages(reader, stop_after=max_pages)
            declared = _declared_pages(reader)
    except ValidationError:
        raise
    except LimitReachedError as exc:
        raise ValidationError(
            "PDF 文件内部的压缩数据或对象超出安全上限，可能是恶意构造的文件。" + PDF_REGENERATE_HINT,
            code="pdf_too_complex",
        ) from exc
    except Exception as exc:  # a parser meeting crafted bytes may raise anything: all mean "cannot be read"
        raise ValidationError("PDF 文件已损坏或无法读取，请重新导出后上传。", code="pdf_broken") from exc
    if pages == 0:
        _refuse("PDF 文件没有页面。", "pdf_empty")
    if pages > max_pages:
        # counting stopped at the limit; the file's own /Count tells the user how far over it is
        message = "PDF 文件共 %(pages)s 页，" if declared >= pages else "PDF 文件页数"
        _refuse(
            message + "超过 %(max)s 页的上限，请拆分或精简后上传。", "pdf_too_many_pages", pages=declared, max=max_pages
        )
    return pages


def check_pdf_to_verify(data):
    """A file brought to /verify/: a PDF read with the same guards, but of any length (a city's
    package binds many applications), so its pages are not counted."""
    if sniff(data[:2048]) != "pdf":
        _refuse("只能核验本平台生成的 PDF 文件，上传的文件不是 PDF。", "verify_not_pdf")
    check_pdf(data, max_pages=None)


def _refuse_too_many_pixels(max_pixels, width=None, height=None):
    if width is None:
        _refuse("图片像素数超过 %(max)s 万像素的上限，请缩小后上传。", "image_too_many_pixels", max=max_pixels // 10000)
    _refuse(
        "图片尺寸 %(w)s×%(h)s 像素过大（上限 %(max)s 万像素），请缩小后上传。",
        "image_too_many_pixels",
        w=width,
        h=height,
        max=max_pixels // 10000,
    )


def check_image(data, kind):
    """Read the header only (never the pixels): size, format, chunk checksums; then look for markup."""
    max_pixels = limits()["image_max_pixels"]
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > max_pixels:
                _refuse_too_many_pixels(max_pixels, width, height)
            if image.format.lower() != kind:
                _refuse("图片内容与格式不符。", "image_mismatch")
            image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError:  # dimensions beyond Pillow's own guard, refused before decoding
        _refuse_too_many_pixels(max_pixels)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        # ValueError: a text or ICC chunk that decompresses beyond Pillow's limits
        raise ValidationError("图片文件已损坏或无法识别。", code="image_broken") from exc
    if contains_markup(data):
        _refuse(
            "图片文件中夹带网页代码（HTML 或脚本），出于安全原因不予接收。请用看图软件另存为新文件后上传。",
            "image_markup",
        )


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
    pages = check_pdf(data, limits()["pdf_max_pages"]) if kind == "pdf" else check_image(data, kind)
    return CheckedUpload(
        kind,
        CONTENT_TYPES[kind],
        len(data),
        pages,
        hashlib.sha256(data).hexdigest(),
        clean_filename(uploaded.name, kind),
    )
