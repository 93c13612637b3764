"""申报材料 5 空间规划, read back from the issued PDF: the figures in the seed's order (空间布局图、功能布局图、
项目示意图, then 实景图) whatever order they were uploaded in, captioned by what they are, never by file name."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from applications.domain.content import add_attachment, remove_attachment
from applications.packages.build import build_application_pdf, request_application_package, store
from applications.programmes import programme_for
from applications.programmes.sample_documents import layout_png
from applications.validators.uploads import check_upload

from ..factories import drive
from .fidelity import Paper

CAPTION = re.compile(r"(空间布局图|功能布局图|项目示意图|实景图)(（\d+）)?")


def photo_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (90, 120, 150)).save(buffer, "JPEG")
    return buffer.getvalue()


def upload(application, kind, filename, data):
    spec = next(k for k in programme_for(application).attachment_kinds if k.key == kind)
    file = SimpleUploadedFile(filename, data)
    add_attachment(application, kind, file, check_upload(file, spec.accepts), application.created_by)


def test_figures_print_in_the_seeds_order_captioned_by_kind_not_file_name(application, people):
    # the applicant adds a 实景图 and a second 功能布局图, then replaces the 空间布局图: it is now uploaded last
    upload(application, "site_photos", "现场照片.jpg", photo_jpeg())
    upload(application, "functional_layout", "功能布局图-乙稿.png", layout_png("乙稿功能布局图"))
    remove_attachment(application.attachments.get(kind="spatial_layout"))
    upload(application, "spatial_layout", "空间布局图-修改版.png", layout_png("空间布局图（修改）"))
    application = drive(application, ("submit", people["head"]))
    package, _ = request_application_package(application)
    store(package, build_application_pdf(package))
    package.refresh_from_db()
    with package.file.open("rb") as handle:
        paper = Paper(handle.read())
    try:
        lines = [line.strip() for page in paper.pages for line in (page.extract_text() or "").splitlines()]
    finally:
        paper.close()
    captions = [line for line in lines if CAPTION.fullmatch(line)]
    assert captions == ["空间布局图", "功能布局图（1）", "功能布局图（2）", "项目示意图", "实景图"]
    printed = "\n".join(lines).lower()
    assert not re.search(r"\.(png|jpe?g)", printed)
    assert "修改版" not in printed and "现场照片" not in printed and "乙稿" not in printed
