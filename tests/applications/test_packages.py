"""Real rendered PDFs, read back with pdftotext, pypdf and a QR decoder."""

import hashlib
import io
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from applications.models import Package
from applications.packages.build import build_application_pdf, request_application_package, store
from applications.programmes.zcsq.declaration import GROUPS
from applications.programmes.zcsq.plan import INDICATORS
from applications.status import Status

from ..confirming import confirmed
from ..factories import drive
from .fidelity import Paper
from .test_preview_watermark import marked_as_draft


def render(application):
    package, _ = request_application_package(application)
    store(package, build_application_pdf(package))
    package.refresh_from_db()
    return package


def pdf_bytes(package):
    with package.file.open("rb") as handle:
        return handle.read()


def page_texts(data, layout=True):
    texts = []
    for number in range(1, len(PdfReader(io.BytesIO(data)).pages) + 1):
        options = ["-layout"] if layout else []
        result = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), *options, "-", "-"],
            input=data,
            capture_output=True,
            check=True,
        )
        texts.append(result.stdout.decode())
    return texts


def page_image(data, number, tmp_path):
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-f",
            str(number),
            "-l",
            str(number),
            "-png",
            "-singlefile",
            "-",
            str(tmp_path / "page"),
        ],
        input=data,
        check=True,
    )
    return Image.open(tmp_path / "page.png")


@pytest.fixture
def submitted(application, people):
    return drive(application, ("submit", people["head"]))


@pytest.fixture
def final(submitted):
    return render(submitted)


TITLES = ("江苏省众创社区建设备案试点申报书", "江苏省众创社区建设方案", "江苏省众创社区建设分年度计划表", "空间规划")


def test_parts_come_in_the_notices_order_and_the_toc_points_at_them(final):
    texts = page_texts(pdf_bytes(final))
    assert "江苏省众创社区建设备案试点申报书" in texts[0] and "江苏省推进大众创新创业联席会议办公室 制" in texts[0]
    assert "目" in texts[1] and "录" in texts[1]
    starts = {}
    for title in (
        "江苏省众创社区建设备案试点申报书",
        "江苏省众创社区建设方案",
        "江苏省众创社区建设分年度计划表",
        "空间规划",
        "关于支持众创社区建设的若干政策",
    ):
        starts[title] = next(i + 1 for i, text in enumerate(texts) if i > 1 and title in text)
    assert list(starts.values()) == sorted(starts.values())
    toc = texts[1]
    for title in (
        "江苏省众创社区建设备案试点申报书",
        "江苏省众创社区建设方案",
        "江苏省众创社区建设分年度计划表",
        "空间规划",
    ):
        line = next(line for line in toc.splitlines() if title in line)
        assert line.split()[-1] == str(starts[title]), title


def flat(text):
    """Text without white space or figures: a label wrapped in a grid cell may have its value in between."""
    return re.sub(r"[\s0-9.]", "", text)


def test_every_form_label_and_plan_indicator_is_printed(final):
    text = flat("".join(page_texts(pdf_bytes(final), layout=False)))
    for group in GROUPS:
        for spec in group.fields:
            assert flat(spec.label) in text, spec.label
    for indicator in INDICATORS:
        assert flat(indicator.label) in text, indicator.label
    assert "县（市、区）人民政府意见" in text and "设区市人民政府意见" in text


def test_page_count_is_the_sum_of_the_parts_and_pages_are_numbered(final, submitted):
    data = pdf_bytes(final)
    reader = PdfReader(io.BytesIO(data))
    merged = sum(a.pages or 0 for a in submitted.attachments.all() if a.content_type == "application/pdf")
    images = sum(1 for a in submitted.attachments.all() if a.content_type != "application/pdf")
    texts = page_texts(data)
    rendered = len(reader.pages) - merged
    assert final.pages == len(reader.pages)
    assert rendered >= 2 + 3 + images  # cover, toc, grid, outline, plan, one page per image
    assert "—1—" not in texts[0].replace(" ", "")
    for number, text in enumerate(texts[1:], start=2):
        assert f"—{number}—" in text.replace(" ", ""), number


def watermarked(text):
    """The diagonal 草稿 comes out of pdftotext as its two characters on separate lines."""
    return "草" in text and "稿" in text


def test_final_version_has_seals_and_no_watermark(final):
    texts = page_texts(pdf_bytes(final), layout=False)
    assert not any(watermarked(text) for text in texts)
    assert final.version_number == 1 and final.sha256 == hashlib.sha256(pdf_bytes(final)).hexdigest()


def test_draft_has_a_watermark_on_every_page(application):
    package = render(application)
    texts = page_texts(pdf_bytes(package), layout=False)
    assert package.is_draft and all(watermarked(text) for text in texts)


def seal_count(package, unit):
    """How many images of the unit's seal the package's pages show (pdfplumber, by the seal's pixel size)."""
    with unit.seal.open("rb") as handle:
        size = Image.open(handle).size
    paper = Paper(pdf_bytes(package))
    try:
        return sum(len(paper.seal_images(page, size)) for page in paper.pages)
    finally:
        paper.close()


def assert_printed_as_draft(package, application):
    texts = page_texts(pdf_bytes(package), layout=False)
    assert package.is_draft and package.document_label == "草稿"
    assert all(watermarked(text) for text in texts)
    assert application.filing_unit.seal and seal_count(package, application.filing_unit) == 0


def test_the_draft_carries_no_seal(client, people, application, django_capture_on_commit_callbacks):
    """Never submitted, or taken back by 撤回报送 after a sealed version: a draft prints watermarked and unsealed."""
    assert_printed_as_draft(render(application), application)
    client.force_login(people["head"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("applications:submit", args=[application.pk]),
            confirmed({"opinion": "同意推荐。", "apply_seal": "on"}),
        )
    application.refresh_from_db()
    sealed = Package.objects.get(application=application, version_number=1)
    assert sealed.state == Package.State.READY and seal_count(sealed, application.filing_unit) > 0
    client.post(reverse("applications:transition", args=[application.pk, "withdraw"]), {"reason": "补充材料"})
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.version == 1
    assert marked_as_draft(client, application)  # the preview, like the PDF
    preview = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'alt="申报单位印章"' not in preview
    assert "第 1 版已撤回，正在修改" in preview and "第 1 版已报送" not in preview
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:request_package", args=[application.pk]))
    draft = Package.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])
    assert draft != sealed and draft.state == Package.State.READY
    assert_printed_as_draft(draft, application)
    sealed.refresh_from_db()
    assert seal_count(sealed, application.filing_unit) > 0  # the version handed in keeps its seal


def test_every_page_carries_the_verification_code_and_a_qr_to_the_verify_page(final, tmp_path):
    data = pdf_bytes(final)
    texts = page_texts(data)
    assert all(f"核验码 {final.verify_code}" in text for text in texts)
    decoded = [code.text for code in zxingcpp.read_barcodes(page_image(data, 3, tmp_path))]
    assert decoded == [f"http://127.0.0.1:8000/verify/?code={final.verify_code}"]


def test_identical_content_is_not_rendered_twice(final, submitted):
    again, created = request_application_package(submitted)
    assert not created and again.pk == final.pk
    assert Package.objects.count() == 1


def test_a_broken_upload_gets_a_placeholder_page_and_a_note(submitted):
    attachment = submitted.attachments.get(kind="governance_documents")
    with open(attachment.file.path, "wb") as handle:
        handle.write(b"%PDF-1.4 this file was damaged on disk")
    package = render(submitted)
    text = flat("".join(page_texts(pdf_bytes(package), layout=False)))
    assert "附件无法合并" in text and flat(attachment.original_name) in text and "管理体制设立文件" in text
    assert any(attachment.original_name in problem for problem in package.problems)


def test_verify_by_code_and_by_file_without_showing_content(client, final):
    response = client.get(reverse("verify"), {"code": final.verify_code})
    page = response.content.decode()
    assert 'data-verdict="current"' in page and final.application.name in page and "第 1 版" in page
    assert "张建国" not in page  # no content of the application
    upload = SimpleUploadedFile("copy.pdf", pdf_bytes(final), content_type="application/pdf")
    assert 'data-verdict="current"' in client.post(reverse("verify"), {"file": upload}).content.decode()


def test_verify_says_mismatch_for_a_changed_file_or_wrong_code(client, final):
    data = bytearray(pdf_bytes(final))
    data[len(data) // 2] ^= 0x01
    upload = SimpleUploadedFile("changed.pdf", bytes(data), content_type="application/pdf")
    assert 'data-verdict="mismatch"' in client.post(reverse("verify"), {"file": upload}).content.decode()
    assert "不一致" in client.get(reverse("verify"), {"code": "WRONGCODE1"}).content.decode()


def test_package_pages_follow_the_application_permissions(client, people, final):
    application = final.application
    urls = [
        reverse("applications:package", args=[application.pk, final.pk]),
        reverse("applications:download_package", args=[application.pk, final.pk]),
    ]
    for who in ("other_head", "other_city", "province", "expert"):
        client.force_login(people[who])
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
    client.force_login(people["city"])
    response = client.get(urls[1])
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_asking_for_a_package_renders_it_in_the_background(
    client, people, submitted, django_capture_on_commit_callbacks
):
    client.force_login(people["head"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:request_package", args=[submitted.pk]))
    package = Package.objects.get()
    assert response.url == reverse("applications:package", args=[submitted.pk, package.pk])
    assert package.state == Package.State.READY and package.progress == 100
    status = client.get(response.url, HTTP_X_REQUESTED_WITH="fetch").json()
    assert status == {"state": "ready", "progress": 100, "label": "已生成"}


def test_final_pdf_carries_a_valid_integrity_signature_that_breaks_when_a_byte_changes(final):
    from applications.packages.signing import signature_status

    data = pdf_bytes(final)
    status = signature_status(data)
    assert status["intact"] and status["trusted"] and "众创社区申报评审平台完整性签名" in status["signer"]
    changed = bytearray(data)
    changed[len(changed) // 3] ^= 0x01
    assert signature_status(bytes(changed))["intact"] is False


def test_verify_page_reports_the_signature(client, final):
    upload = SimpleUploadedFile("copy.pdf", pdf_bytes(final), content_type="application/pdf")
    page = client.post(reverse("verify"), {"file": upload}).content.decode()
    assert 'data-signature="valid"' in page and "不是 GB/T 38540 电子印章" in page


def test_signing_key_command_creates_and_rotates(settings, tmp_path, capsys):
    from django.core.management import call_command

    settings.SIGNING_DIR = tmp_path / "keys"
    call_command("create_signing_key")
    first = (tmp_path / "keys" / "platform-cert.pem").read_bytes()
    call_command("create_signing_key")
    assert (tmp_path / "keys" / "platform-cert.pem").read_bytes() == first
    call_command("create_signing_key", "--rotate")
    assert (tmp_path / "keys" / "platform-cert.pem").read_bytes() != first
    assert "已更换" in capsys.readouterr().out


def test_submission_works_while_the_broker_is_down_and_the_package_waits(
    client, people, application, django_capture_on_commit_callbacks
):
    from applications.tasks import requeue_packages

    from ..broker import broker

    with broker("redis://127.0.0.1:1/0"):  # nothing listens there
        client.force_login(people["head"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("applications:submit", args=[application.pk]),
                confirmed({"opinion": "同意推荐。", "apply_seal": "on"}),
                follow=True,
            )
    assert "已盖章并报送设区市" in response.content.decode()
    package = Package.objects.get(application=application)
    assert package.state == Package.State.QUEUED
    assert requeue_packages() == 0  # the request's own publish is given its grace period
    # a minute on, the dispatcher (beat) publishes it: the broker is back (in-process here), so it is rendered
    assert requeue_packages(now=timezone.now() + timedelta(minutes=1)) == 1
    package.refresh_from_db()
    assert package.state == Package.State.READY


def test_documents_signed_before_a_rotation_stay_trusted(settings, tmp_path):
    from django.core.management import call_command

    from applications.packages.signing import sign_pdf, signature_status

    from .crafted_files import pdf

    settings.SIGNING_DIR = tmp_path / "keys"
    call_command("create_signing_key")
    before = sign_pdf(pdf())
    call_command("create_signing_key", "--rotate")
    after = sign_pdf(pdf())
    assert signature_status(before) == {**signature_status(before), "intact": True, "trusted": True}
    assert signature_status(after)["trusted"] is True
    (tmp_path / "keys" / "retired").rename(tmp_path / "keys" / "lost")  # without the retired certificate
    assert signature_status(before)["trusted"] is False


def test_a_render_delivered_twice_is_rendered_once(final):
    """Redis may deliver a task again (acks_late): a finished package is left as it is."""
    from applications.tasks import render_package

    written = Path(final.file.path).stat().st_mtime_ns
    assert render_package.apply(args=[final.pk]).get() == final.sha256
    assert Path(final.file.path).stat().st_mtime_ns == written
