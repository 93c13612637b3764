"""The paper the provincial office files, read back from the issued PDFs of a hostile application: every
text field at its maximum length, unbroken strings, angle brackets, CJK Extension B+ characters, emoji."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.submission import seal_and_submit
from applications.domain.transitions import perform
from applications.packages.build import (
    build_application_pdf,
    build_endorsement_pdf,
    request_application_package,
    request_endorsement_package,
    store,
    verify_url,
)
from applications.programmes.zcsq.declaration import GROUPS
from applications.programmes.zcsq.scheme import SECTIONS
from portal.accounts.seals import SIZE as SEAL_PIXELS
from portal.accounts.seals import give_demo_seal

from ..factories import letter_ready
from .fidelity import Paper

RARE = "𠮷𪚥𰻞🚀✅"
PATTERN = RARE + "<b>张&amp;三</b>" + "W" * 70 + "江苏省南京市江宁区"
SEAL_SIZE = (SEAL_PIXELS, SEAL_PIXELS)


def hostile(length):
    return (PATTERN * (length // len(PATTERN) + 1))[:length]


EMAIL = "zhangsan.chuangxin.shequ.yunying.guanli@jiangning-chuangxin-shequ-yunying.gov.cn"
TEXT_KINDS = ("text", "textarea")


def declaration_values():
    values = {}
    for group in GROUPS:
        for spec in group.fields:
            if spec.kind in TEXT_KINDS:
                values[spec.key] = hostile(spec.max_length)
    values["email"] = EMAIL
    return values


def scheme_values():
    """One section at its maximum length, the others with a 3,000-character paragraph each."""
    values = {section.key: hostile(3000) for section in SECTIONS}
    values[SECTIONS[0].key] = hostile(20000)
    return values


def post_part(client, application, part, values):
    url = reverse(f"applications:edit_{part}", args=[application.pk])
    form = client.get(url).context["form"]
    data = {**{k: v for k, v in form.initial.items() if v is not None}, **values}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


# 23:30 UTC is 07:30 the next morning in Beijing: the paper must print the Beijing day.
def early_morning_beijing():
    yesterday = timezone.now() - datetime.timedelta(days=1)
    return yesterday.replace(hour=23, minute=30, second=0, microsecond=0, tzinfo=datetime.UTC)


@pytest.fixture
def hostile_application(client, application, people):
    """Typed through the edit pages by the clerk, sealed by the head before 08:00 Beijing time."""
    client.force_login(people["clerk"])
    post_part(client, application, "declaration", declaration_values())
    post_part(client, application, "scheme", scheme_values())
    application.refresh_from_db()
    return seal_and_submit(application, people["head"], hostile(2000), now=early_morning_beijing(), render=False)


@pytest.fixture
def sent_hostile(hostile_application, people):
    city_unit = hostile_application.recommender_unit
    give_demo_seal(city_unit)
    perform(hostile_application, "pass_initial_review", people["city"])
    perform(hostile_application, "select_for_recommendation", people["city"])
    endorsement = letter_ready(hostile_application.call, city_unit)
    # the letter's own text, told apart from the opinions (the same hostile pattern) by its first character
    endorsement.letter_note, endorsement.contact_person = "函" + hostile(1999), "联" + hostile(49)
    endorsement.save()
    from applications.domain.endorsement import submit_to_province

    submit_to_province(
        endorsement, people["city"], opinions={hostile_application.pk: hostile(2000)}, now=early_morning_beijing()
    )
    hostile_application.refresh_from_db()
    endorsement.refresh_from_db()
    return hostile_application, endorsement


@pytest.fixture
def application_paper(sent_hostile):
    application, _ = sent_hostile
    package, _ = request_application_package(application)
    store(package, build_application_pdf(package))
    package.refresh_from_db()
    with package.file.open("rb") as handle:
        paper = Paper(handle.read())
    paper.package = package
    yield paper
    paper.close()


def typed_values(application):
    from applications.domain.content import ApplicationContent

    content = ApplicationContent(application)
    declaration = content.data("declaration")
    values = [declaration[spec.key] for group in GROUPS for spec in group.fields if spec.kind in TEXT_KINDS]
    values.append(declaration["email"])
    values += list(content.data("scheme").values())
    values += [content.data("filing_opinion")["text"], content.data("recommender_opinion")["text"]]
    return values


def test_every_typed_value_is_printed_whole(application_paper, sent_hostile):
    application, _ = sent_hostile
    values = typed_values(application)
    assert len(values) > 20
    assert application_paper.missing_values(values) == []


def test_no_character_sticks_out_of_its_cell_or_the_page(application_paper):
    assert application_paper.chars_out_of_place() == []


def test_every_character_has_a_real_glyph_rare_ones_and_emoji_included(application_paper):
    drawn = "".join(c["text"] for page in application_paper.pages for c in page.chars)
    assert all(ch in drawn for ch in RARE)
    assert application_paper.missing_glyphs() == []


def test_the_cover_is_one_page_and_the_opinion_seals_cover_only_their_signature(application_paper, sent_hostile):
    application, _ = sent_hostile
    first, second = (page.extract_text() for page in application_paper.pages[:2])
    assert "江苏省推进大众创新创业联席会议办公室" in first and "申报日期" in first.replace(" ", "")
    assert "目" in second and "录" in second
    day = early_morning_beijing() + datetime.timedelta(hours=8)
    printed_day = f"{day.year}年{day.month}月{day.day}日"
    assert printed_day in first.replace(" ", "")
    problems, seals = application_paper.seal_problems(SEAL_SIZE, ["单位（签章）：", printed_day])
    assert seals == 2  # county and city; the cover's 运营管理机构 is another organisation: no seal there
    assert problems == []


def test_every_page_qr_decodes_to_the_public_verify_address(application_paper, settings, tmp_path):
    expected = verify_url(application_paper.package.verify_code)
    assert expected.startswith(settings.PORTAL_BASE_URL)
    assert application_paper.qr_payloads(tmp_path) == [expected] * len(application_paper.pages)


def test_the_city_package_prints_the_letter_and_everything_whole(sent_hostile):
    application, endorsement = sent_hostile
    package, _ = request_endorsement_package(endorsement)
    assembled, _ = build_endorsement_pdf(package)
    paper = Paper(assembled.pdf)
    try:
        letter = [endorsement.letter_note, endorsement.contact_person, endorsement.document_number]
        assert paper.missing_values(typed_values(application) + letter) == []
        assert paper.chars_out_of_place() == []
        assert paper.missing_glyphs() == []
    finally:
        paper.close()
