"""Real files, good and malicious, built in memory for the upload tests."""

import io
import zlib

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


def truncated_pdf():
    """A good file cut short, as when an upload or an export is interrupted."""
    data = pdf(pages=3)
    return data[: len(data) * 2 // 3]


def assemble_pdf(objects, compressed=(), stream_padding=0):
    """Write a PDF by hand: `objects` maps numbers to dictionary bytes (1 is the catalogue); those in
    `compressed` go into one Flate object stream (PDF 1.5), followed by `stream_padding` zero bytes that
    make the stream decompress to that much more. Offsets live in an uncompressed xref stream."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(set(objects) - set(compressed)):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    stream_number = max(objects) + 1
    if compressed:
        header = (
            b" ".join(
                b"%d %d" % (number, sum(len(objects[n]) + 1 for n in compressed[:i]))
                for i, number in enumerate(compressed)
            )
            + b"\n"
        )
        packer = zlib.compressobj(9)
        packed = packer.compress(header + b"".join(objects[n] + b"\n" for n in compressed))
        for _ in range(stream_padding // 1_000_000):
            packed += packer.compress(bytes(1_000_000))
        packed += packer.flush()
        offsets[stream_number] = out.tell()
        out.write(
            b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (stream_number, len(compressed), len(header), len(packed))
        )
        out.write(packed + b"\nendstream\nendobj\n")
    xref_number = stream_number + 1
    offsets[xref_number] = out.tell()
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    for number in range(1, xref_number + 1):
        if number in compressed:
            rows.append(b"\x02" + stream_number.to_bytes(4, "big") + compressed.index(number).to_bytes(2, "big"))
        elif number in offsets:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x00\x00\x00\x00\x00\x00\x00")
    table = b"".join(rows)
    out.write(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, len(table))
    )
    out.write(table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_number])
    return out.getvalue()


BLANK_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def many_pages_pdf(pages=10_000, declared=None):
    """One blank page object referenced `pages` times (a viewer shows every reference as a page);
    `declared` puts another number in /Count, as a forger would to slip past a cheap count."""
    kids = b" ".join([b"3 0 R"] * pages)
    count = pages if declared is None else declared
    return assemble_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, kids),
            3: BLANK_PAGE,
        }
    )


def compressed_javascript_pdf(escaped=False):
    """An OpenAction running JavaScript, hidden in a compressed object stream where a byte search of
    the file cannot see it; `escaped` also spells the name /Java#53cript."""
    name = b"/Java#53cript" if escaped else b"/JavaScript"
    return assemble_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            2: b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            3: BLANK_PAGE,
            4: b"<< /S %s /JS (app.alert\\(1\\)) >>" % name,
        },
        compressed=(1, 4),
    )


def object_stream_bomb_pdf():
    """An object stream that inflates 64 MB of zeros out of some 64 KB."""
    return assemble_pdf(
        {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>", 3: BLANK_PAGE},
        compressed=(1, 2, 3),
        stream_padding=64_000_000,
    )


def opens_at_first_page_pdf():
    """An /OpenAction that only shows page 1 to fit the window, as LaTeX and Acrobat write: harmless."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.open_destination = writer.pages[0]
    return _write(writer)


def pdf_behind_html():
    """An HTML page, then a real PDF: readers skip up to 1 KB before %PDF-, browsers see the page."""
    return b"<html><script>alert(document.cookie)</script><!--\n" + pdf()


def zip_bomb_named_pdf():
    """Zips of zips (like 42.zip): 10 × 10 × 10 MB of zeros, 1 GB unpacked from a few dozen KB."""
    import zipfile

    def archive(entries):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as packed:
            for name, content in entries:
                packed.writestr(name, content)
        return buffer.getvalue()

    inner = archive([("zeros.bin", bytes(10_000_000))])
    middle = archive([(f"{i}.zip", inner) for i in range(10)])
    return archive([(f"{i}.zip", middle) for i in range(10)])


def _png_chunk(kind, body):
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def png_bomb(side=20_000):
    """A real decompression bomb: side × side black 1-bit pixels (400 megapixels, 50 MB of bitmap)
    squeezed into some 50 KB of PNG."""
    header = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])  # 1-bit greyscale, no interlace
    row = bytes(1 + (side + 7) // 8)  # filter byte + packed pixels
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row * 1000) for _ in range(side // 1000)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


def png_text_bomb():
    """A small, valid PNG whose zTXt chunk inflates to 4 MB (Pillow stops text at 1 MB)."""
    data = png(size=(10, 10))
    text = _png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(bytes(4_000_000), 9))
    return data[:33] + text + data[33:]  # after the 33 bytes of signature and IHDR


def jpeg_with_comment(comment):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 100, 50)).save(buffer, format="JPEG", comment=comment)
    return buffer.getvalue()


def polyglot_jpeg_html():
    """A JPEG whose comment segment is a web page: a browser told it is HTML runs the script."""
    return jpeg_with_comment(b"<html><body><script>alert(document.cookie)</script></body></html><!--")


def jpeg_with_html_after_the_end():
    return jpeg() + b"<svg/onload=alert(document.domain)>"


def png_with_script_text():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", '<img src=x onerror="alert(1)">')
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), 0).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def jpeg_with_xmp():
    """A camera-style JPEG: EXIF and XMP metadata (XML, but not a web page) must still pass."""
    xmp = (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>'
        + '<rdf:Alt><rdf:li xml:lang="x-default">江宁区众创社区空间布局</rdf:li></rdf:Alt></dc:title>'.encode()
        + b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 120, 50)).save(buffer, format="JPEG", xmp=xmp, exif=exif, comment=b"scan 1")
    return buffer.getvalue()
