"""Real files, good and malicious, built in memory for the upload tests."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def _write(writer):
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    return _write(writer)


def encrypted_pdf():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    return _write(writer)


def javascript_pdf():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_open_action(
        DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
    )
    return _write(writer)


def disguised_javascript_pdf():
    """/JavaScript spelt with a #-escape, invisible to a plain byte search."""
    data = javascript_pdf()
    return data.replace(b"/JavaScript", b"/Java#53cript")


def launch_pdf():
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/A"): action,
        }
    )
    writer.add_annotation(page, annotation)
    return _write(writer)


def embedded_file_pdf():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    return _write(writer)


def png(size=(400, 300), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, 0).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(size=(400, 300)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(buffer, format="JPEG")
    return buffer.getvalue()


def huge_pixel_png():
    """48 megapixels of 1-bit image: a small file that would decompress to a huge bitmap."""
    return png(size=(8000, 6000), mode="1")


def zip_bomb_named_pdf():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * 10_000_000)
    return buffer.getvalue()
