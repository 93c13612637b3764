"""The 专业化众创空间 package through the real pipeline: 通知二、申报材料 1–4 in order, 附件2's every label,
the signed scan merged after the rendered pledge, seals on the sealed copy and none on the draft."""

import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from applications.domain.content import ApplicationContent
from applications.models import Package
from applications.programmes.zyhzckj import PROGRAMME
from applications.programmes.zyhzckj.materials import PACKAGE_ORDER
from applications.programmes.zyhzckj.samples import sample_parts
from demo.content import fill_application
from portal.accounts.seals import SIZE as SEAL_PIXELS

from ..applications.fidelity import Paper
from ..applications.test_packages import page_texts, pdf_bytes, render, watermarked
from ..factories import ApplicationFactory, drive, make_ready
from .helpers import errors_of, posted
from .test_zyhzckj_basic_info import SEED_LABELS
from .test_zyhzckj_chain import recommend

NAME = "纳米新材料专业化众创空间"
# the page titles of 申报材料 1–4; the 基础信息表 is headed as the notice names it
PAGE_TITLES = [m.title for m in PACKAGE_ORDER if m.source != "letter"]
SCAN_TITLE = "申报单位信用承诺书（签字盖章扫描件）"


def flat(text):
    return re.sub(r"\s", "", text)


def seals_per_page(data, *units):
    """How many images of the units' seals each page shows (every page also carries its QR code)."""
    sizes = set()
    for unit in units:
        with unit.seal.open("rb") as handle:
            sizes.add(Image.open(handle).size)
    pages = PdfReader(io.BytesIO(data)).pages
    return [sum(1 for image in page.images if image.image.size in sizes) for page in pages]


@pytest.fixture
def space(space_call, operator, operator_people):
    application = ApplicationFactory(
        call=space_call, filing_unit=operator, name=NAME, created_by=operator_people["clerk"]
    )
    return make_ready(application, operator_people["clerk"])  # fill_application, the unit's seal


def first_page_with(texts, title, after=1):
    """1-based number of the first page past the cover and the contents that shows `title`."""
    return next(i + 1 for i, text in enumerate(texts) if i > after and title in flat(text))


def test_sample_content_is_complete_and_passes_the_forms(space):
    assert PROGRAMME.missing(ApplicationContent(space)) == []
    parts = sample_parts(space)
    for part in ("basic_info", "eligibility", "outline"):
        form = PROGRAMME.form_class(part, space.call)(posted(**parts[part]))
        assert form.is_valid(), errors_of(form)
    assert space.name == NAME and parts["basic_info"]["operator_name"] == space.filing_unit.official_name
    weak = sample_parts(space, "weak")
    assert len(weak["cases"]["cases"]) == 3 and len(parts["cases"]["cases"]) == 5


def test_a_name_outside_the_rule_is_made_into_one(space_call, operator, operator_people):
    application = ApplicationFactory(call=space_call, filing_unit=operator, name="纳米众创空间")
    fill_application(application, operator_people["clerk"], with_files=False)
    application.refresh_from_db()
    assert application.name == "纳米专业化众创空间"


def test_the_sealed_package_holds_the_four_materials_in_order_with_seals(space, operator_people):
    # the recommender signs and seals its 主管部门信用承诺书 in the act of sending its letter
    submitted = recommend(drive(space, ("submit", operator_people["head"])))
    package = render(submitted)
    data = pdf_bytes(package)
    texts = page_texts(data, layout=False)
    assert package.version_number == 1 and package.pages == len(texts) and not package.problems

    # cover and contents
    assert "国家专业化众创空间备案申报书" in flat(texts[0]) and NAME in flat(texts[0])
    assert all(title in flat(texts[1]) for title in PAGE_TITLES)
    assert "推荐函" not in "".join(texts)  # 申报材料 5 leads the recommender's letter package, not this one

    # 申报材料 1–4 in the notice's order, the signed scan right after the rendered 申报单位信用承诺书
    starts = [first_page_with(texts, title) for title in PAGE_TITLES]
    assert starts == sorted(starts) and len(set(starts)) == 4
    scan = first_page_with(texts, SCAN_TITLE)
    attachment = submitted.attachments.get(kind="applicant_pledge")
    assert attachment.pages >= 1 and starts[2] < scan < starts[3]
    assert starts[3] - starts[2] == 1 + attachment.pages  # one rendered page, then the scan's pages

    # 附件2: every label, the ticked boxes and the values
    table = flat("".join(texts[starts[0] - 1 : starts[1] - 1]))
    for label in SEED_LABELS:
        assert flat(label) in table, label
    assert "（盖章）" in table and "（填写详细名称）" in table and "苏州纳米创新研究院" in table and "√" in table
    # 附件3: the outline's headings, the cases numbered
    declaration = flat("".join(texts[starts[1] - 1 : starts[2] - 1]))
    headings = ["一、专业化众创空间介绍", "1.建设主体基本情况", "二、取得成效", "2.3-5个成功案例"]
    headings += ["案例一", "案例五", "三、发展目标和重点任务", "四、组织与保障"]
    positions = [declaration.index(h) for h in headings]
    assert positions == sorted(positions)

    # seals: the 运营主体's on the cover, the 基础信息表 and its pledge; the 主管部门's on its pledge
    seals = seals_per_page(data, submitted.filing_unit, submitted.recommender_unit)
    sealed_pages = [i + 1 for i, count in enumerate(seals) if count]
    assert sealed_pages == [1, starts[0], starts[2], starts[3]] and max(seals) == 1
    # the 基础信息表's seal sits on its own 署名 (运营主体名称, （盖章）) and covers no other word
    paper = Paper(data)
    signature = [submitted.filing_unit.official_name, "（盖章）"]
    assert paper.seal_problems((SEAL_PIXELS, SEAL_PIXELS), signature, pages=[starts[0]]) == ([], 1)
    paper.close()
    for moment, start in ((submitted.submitted_at, starts[2]), (timezone.now(), starts[3])):
        day = timezone.localtime(moment)  # the local day, whatever the hour in UTC
        assert f"{day.year}年{day.month}月{day.day}日" in flat(texts[start - 1]), start


def test_the_draft_carries_no_seal(space):
    package = render(space)
    data = pdf_bytes(package)
    texts = page_texts(data, layout=False)
    assert package.version_number == 0 and package.state == Package.State.READY
    assert space.filing_unit.seal  # the unit's seal is uploaded, but nobody has sealed this copy
    assert seals_per_page(data, space.filing_unit) == [0] * len(texts)
    assert all(watermarked(text) for text in texts)
    starts = [first_page_with(texts, title) for title in PAGE_TITLES]
    assert starts == sorted(starts)
    assert "_____年____月____日" in texts[starts[2] - 1]  # the pledge's own blank date
