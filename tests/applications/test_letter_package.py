"""The city's package: the 推荐函 in 信函格式, the ranked list, then each application's package."""

import io
import re
import subprocess
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.domain.transitions import perform
from applications.models import Package
from applications.packages.build import build_endorsement_pdf, request_endorsement_package, store
from portal.accounts.seals import give_demo_seal

from ..factories import ApplicationFactory, drive, make_ready, send_to_province

MM = 72 / 25.4


@pytest.fixture
def sent(call, people):
    give_demo_seal(people["city"].active_memberships[0].unit)
    applications = []
    for name in ("江宁一号众创社区", "江宁二号众创社区"):
        application = make_ready(ApplicationFactory(call=call, name=name))
        applications.append(drive(application, ("submit", people["head"]), ("pass_initial_review", people["city"])))
    perform(applications[1], "select_for_recommendation", people["city"])
    perform(applications[0], "select_for_recommendation", people["city"])
    from applications.domain.endorsement import move_in_ranking

    move_in_ranking(applications[1], -1)  # the city ranks 二号 first
    endorsement = send_to_province(call, applications[0].recommender_unit, people["city"])
    return endorsement, [applications[1], applications[0]]


@pytest.fixture
def package(sent):
    endorsement, _ = sent
    package, _ = request_endorsement_package(endorsement)
    store(package, *build_endorsement_pdf(package))
    package.refresh_from_db()
    return package


def pdf(package):
    with package.file.open("rb") as handle:
        return handle.read()


def text_of(data, page):
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def word_boxes(data, page):
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, html)]


def test_letter_page_is_a4_with_its_body_inside_the_type_area(package, sent):
    data = pdf(package)
    first = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(first.mediabox.width) / MM), round(float(first.mediabox.height) / MM)) == (210, 297)
    words = word_boxes(data, 1)
    issuer = [w for w in words if w[4] in ("南京市人民政府",)]
    assert issuer, "the issuing body heads the letter"
    body = [w for w in words if w[1] > 37 * MM - 1 and not w[4].startswith("核验码") and w[3] < 297 * MM - 20 * MM]
    assert body
    for x0, _y0, x1, y1, word in body:
        assert x0 >= 28 * MM - 1 and x1 <= (28 + 156) * MM + 1, word
        assert y1 <= (37 + 225) * MM + 1, word


def test_first_page_has_no_number_and_the_list_follows(package):
    data = pdf(package)
    first, second = text_of(data, 1), text_of(data, 2)
    assert "关于推荐江苏省众创社区备案试点对象的函" in "".join(first.split())
    assert not re.search(r"—\s*\d+\s*—", first)
    assert "推荐对象排序名单" in second and re.search(r"—\s*2\s*—", second)


def test_applications_follow_in_the_citys_order(package, sent):
    _, ranked = sent
    data = pdf(package)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    covers = [
        n
        for n in range(3, pages + 1)
        if "江苏省众创社区建设备案试点申报书" in text_of(data, n)
        and "众创社区名称" in text_of(data, n)
        and "运营管理机构：" in text_of(data, n)
    ]
    names = [next(a.name for a in ranked if a.name in text_of(data, n)) for n in covers]
    assert names == [a.name for a in ranked]
    list_page = text_of(data, 2)
    assert list_page.index(ranked[0].name) < list_page.index(ranked[1].name)


def test_the_zip_holds_the_letter_and_each_package(package, sent):
    _, ranked = sent
    with package.archive.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert names[0].startswith("00-南京市人民政府推荐函") and names[1:] == [
        f"01-{ranked[0].name}.pdf",
        f"02-{ranked[1].name}.pdf",
    ]


def test_same_letter_is_not_rendered_twice(package, sent):
    again, created = request_endorsement_package(sent[0])
    assert not created and again.pk == package.pk
    assert Package.objects.filter(kind=Package.Kind.ENDORSEMENT).count() == 1


def test_only_the_city_downloads_its_package(client, people, package):
    call_pk = package.endorsement.call_id
    url = reverse("city:package_file", args=[call_pk, package.pk, "zip"])
    client.force_login(people["city"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    for who in ("other_city", "head", "expert"):
        client.force_login(people[who])
        assert client.get(url).status_code == 404, who


def test_the_city_package_is_signed_as_a_whole(package):
    from applications.packages.signing import signature_status

    status = signature_status(pdf(package))
    assert status["intact"] and status["trusted"]


def test_every_pdf_in_the_zip_verifies_with_its_kind_version_and_a_chinese_signer(client, package, sent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with package.archive.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    for name in archive.namelist():
        upload = SimpleUploadedFile("x.pdf", archive.read(name), content_type="application/pdf")
        page = client.post(reverse("verify"), {"file": upload}).content.decode()
        assert 'data-verdict="current"' in page and 'data-signature="valid"' in page, name
        assert "名称：" in page and "Common Name" not in page and "Organization" not in page, name
        if name.startswith("00-"):
            assert 'data-kind="endorsement"' in page and "推荐函及推荐材料" in page
            assert "第 1 版" in page and "第 0 版" not in page
        else:
            assert 'data-kind="application"' in page and "第 1 版" in page


def test_a_foreign_code_in_an_unsigned_file_does_not_verify(client, package):
    """Copying a 核验码 onto a file of one's own proves nothing: only the portal's intact signature does."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.packages.build import build_endorsement_pdf

    unsigned, _ = build_endorsement_pdf(package)
    upload = SimpleUploadedFile("x.pdf", unsigned.pdf, content_type="application/pdf")
    assert 'data-verdict="mismatch"' in client.post(reverse("verify"), {"file": upload}).content.decode()
