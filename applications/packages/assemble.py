"""Assemble a package: rendered sections and uploaded PDFs in order, a table of contents, then one
overlay per page with the 公文 page number, the verification QR code and, for drafts, a watermark."""

import io
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, NameObject

from .html import render_pdf

A4_WIDTH = 595.28


@dataclass
class Piece:
    """One stretch of pages: a template to render, or an uploaded PDF to merge."""

    template: str = ""
    context: dict = field(default_factory=dict)
    attachment: object = None


@dataclass
class Section:
    title: str
    pieces: list


@dataclass
class Assembled:
    pdf: bytes
    pages: int
    toc: list
    problems: list


def _pdf_of_attachment(attachment, kind_label, problems):
    """The uploaded PDF, or a placeholder page naming it when it cannot be read now."""
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PdfReadError("文件已加密")
        if len(reader.pages) == 0:
            raise PdfReadError("文件已损坏，读不到页面")
        return reader
    except (OSError, PdfReadError, ValueError, KeyError) as exc:
        reason = str(exc) or type(exc).__name__
        problems.append(f"附件“{attachment.original_name}”无法合并：{reason}")
        placeholder = render_pdf(
            "packages/placeholder.html",
            {
                "name": attachment.original_name,
                "kind": kind_label,
                "reason": reason,
                "sha256": attachment.sha256,
            },
        )
        return PdfReader(io.BytesIO(placeholder))


def _reader(piece, problems):
    if piece.attachment is not None:
        return _pdf_of_attachment(piece.attachment, piece.context.get("kind", piece.attachment.kind), problems)
    return PdfReader(io.BytesIO(render_pdf(piece.template, piece.context)))


def qr_png_uri(text, directory):
    image = qrcode.make(text, box_size=6, border=1)
    path = Path(directory) / "verify-qr.png"
    image.save(path)
    return path.as_uri()


def overlay(pages, *, numbered_from, code, verify_url, draft, workdir):
    context = {
        "pages": [{"number": n if n >= numbered_from else None} for n in range(1, pages + 1)],
        "code": code,
        "qr_uri": qr_png_uri(verify_url, workdir),
        "draft": draft,
    }
    return PdfReader(io.BytesIO(render_pdf("packages/overlay.html", context)))


def assemble(cover, sections, *, code, verify_url, draft, workdir, numbered_from=2, progress=None, toc=True):
    """Render and merge everything; pages are numbered from `numbered_from` (the cover has none)."""
    problems = []
    cover_reader = _reader(cover, problems)
    rendered = []
    for index, section in enumerate(sections):
        rendered.append([_reader(piece, problems) for piece in section.pieces])
        if progress:
            progress(10 + 60 * (index + 1) // max(len(sections), 1))
    page = len(cover_reader.pages) + (1 if toc else 0) + 1
    entries = []
    for section, readers in zip(sections, rendered, strict=True):
        entries.append({"title": section.title, "page": page})
        page += sum(len(r.pages) for r in readers)
    front = [cover_reader]
    if toc:
        front.append(_reader(Piece("packages/toc.html", {"entries": entries}), problems))

    writer = PdfWriter()
    for reader in [*front, *(r for readers in rendered for r in readers)]:
        for source in reader.pages:
            writer.add_page(source)
    total = len(writer.pages)
    stamps = overlay(total, numbered_from=numbered_from, code=code, verify_url=verify_url, draft=draft, workdir=workdir)
    for target, stamp in zip(writer.pages, stamps.pages, strict=True):
        width = float(target.mediabox.width)
        target.merge_translated_page(stamp, (width - A4_WIDTH) / 2, 0)
    if progress:
        progress(90)
    buffer = io.BytesIO()
    writer.compress_identical_objects()
    writer.write(buffer)
    return Assembled(buffer.getvalue(), total, entries, problems)


def _drop_signature_fields(writer):
    """Signed packages merged into a larger one lose their own signatures (the byte ranges no longer
    apply); the larger package is signed as a whole."""
    for page in writer.pages:
        annotations = page.get("/Annots")
        if annotations is None:
            continue
        kept = [a for a in annotations if a.get_object().get("/FT") != "/Sig"]
        if len(kept) != len(annotations):
            page[NameObject("/Annots")] = ArrayObject(kept)
    writer._root_object.pop(NameObject("/AcroForm"), None)


def merge_pdfs(documents):
    writer = PdfWriter()
    for data in documents:
        writer.append(PdfReader(io.BytesIO(data)))
    _drop_signature_fields(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
