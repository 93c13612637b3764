"""The 推荐函 against GB/T 9704-2012 信函格式, point by point, measured on the PDF's first pages."""

import re
from collections import Counter

import pytest

from applications.packages.build import verify_url
from applications.templatetags.paper import title_runs
from portal.accounts.seals import SIZE as SEAL_PIXELS

from .fidelity import MM, Paper
from .test_letter_package import package, pdf, sent  # noqa: F401  (fixtures)

LEFT, RIGHT = 28 * MM, 184 * MM  # 版心 156 mm wide, 28 mm from the left edge
CHAR = 156 * MM / 28  # 28 characters a line


def is_red(color):
    color = tuple(color or ()) if isinstance(color, (tuple, list)) else ()
    return len(color) == 3 and color[0] > 0.8 and color[1] < 0.1 and color[2] < 0.1


@pytest.fixture
def letter(package):  # noqa: F811
    paper = Paper(pdf(package))
    yield paper
    paper.close()


def lines_of(page, size):
    chars = [c for c in page.chars if abs(c["size"] - size) < 0.6]
    rows = {}
    for char in chars:
        rows.setdefault(round(char["top"]), []).append(char)
    return [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]


def text(line):
    return "".join(c["text"] for c in line)


def centre(line):
    return (line[0]["x0"] + line[-1]["x1"]) / 2


def test_body_is_a_real_fangsong_28_characters_a_line_inside_the_type_area(letter):
    page = letter.pages[0]
    body = lines_of(page, 16)
    assert body and all("PortalFangSong" in c["fontname"] for line in body for c in line)  # test_fonts: FandolFang
    assert all(c["x0"] >= LEFT - 1 and c["x1"] <= RIGHT + 1 for line in body for c in line)
    full = [line for line in body if line[0]["x0"] < LEFT + 1 and line[-1]["x1"] > RIGHT - CHAR / 2]
    assert full and all(len(line) == 28 for line in full), [text(line) for line in full]
    pitches = Counter(round(b[0]["top"] - a[0]["top"], 1) for a, b in zip(body, body[1:], strict=False))
    assert abs(pitches.most_common(1)[0][0] - 225 * MM / 22) < 0.3, pitches  # 22 lines fill the 225 mm 版心


def test_each_red_rule_is_a_double_line_thick_over_thin_at_the_top_thin_over_thick_at_the_bottom(letter):
    """A rule is painted as the red band between an outer and an inner rectangle: the band above the inner one
    is the upper line, the band below it the lower line, and the inner rectangle the white gap between them."""
    page = letter.pages[0]
    red = [r for r in page.rects if r["width"] > 100 * MM and is_red(r.get("non_stroking_color"))]
    for near, thick_first in ((44 * MM, True), (277 * MM, False)):
        rule = [r for r in red if abs(r["top"] - near) < 3 * MM]
        outer, inner = max(rule, key=lambda r: r["height"]), min(rule, key=lambda r: r["height"])
        upper, lower = inner["top"] - outer["top"], outer["bottom"] - inner["bottom"]
        assert inner["height"] > 0.5 * MM and min(upper, lower) > 0.2 * MM, rule  # two lines with a gap
        assert (upper > lower) == thick_first and max(upper, lower) > 2 * min(upper, lower), (upper / MM, lower / MM)


def test_issuer_rules_title_and_addressee_sit_where_the_standard_puts_them(letter):
    page = letter.pages[0]
    (issuer,) = lines_of(page, 30)
    assert abs(issuer[0]["top"] - 30 * MM) < 2 * MM and abs(centre(issuer) - 105 * MM) < 1 * MM
    red = [
        r
        for r in page.rects + page.lines
        if r["width"] > 100 * MM
        and (
            (r.get("stroke") and is_red(r.get("stroking_color")))
            or (r.get("fill") and is_red(r.get("non_stroking_color")))
        )
    ]
    tops = sorted({round(r["top"] / MM) for r in red})
    assert any(41 <= t <= 47 for t in tops), tops  # 4 mm under the 发文机关标志
    assert any(275 <= t <= 278 for t in tops), tops  # 20 mm above the bottom edge
    assert all(abs(r["x0"] - 20 * MM) < 1 * MM and abs(r["x1"] - 190 * MM) < 1 * MM for r in red)
    title = lines_of(page, 22)
    assert all(abs(centre(line) - 105 * MM) < 1.5 * MM for line in title)
    runs = title_runs("".join(text(line) for line in title))
    word_ends = {sum(len(run) for run in runs[: n + 1]) for n in range(len(runs))}
    line_ends = {sum(len(text(line)) for line in title[: n + 1]) for n in range(len(title))}
    assert len(title) > 1 and line_ends <= word_ends  # broken between words only (社/区 is wrong)
    addressee = next(line for line in lines_of(page, 16) if text(line).endswith("："))
    assert abs(addressee[0]["x0"] - LEFT) < 1


def test_date_four_characters_from_the_right_signature_over_it_and_the_seal_over_both(letter, sent):  # noqa: F811
    page = letter.pages[0]
    endorsement, _ = sent
    body = lines_of(page, 16)
    (date,) = [line for line in body if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", text(line))]
    (signer,) = [line for line in body if text(line) == endorsement.recommender_unit.official_name]
    assert abs(date[-1]["x1"] - (RIGHT - 4 * CHAR)) < 1.5 * MM
    assert abs(centre(signer) - centre(date)) < 1 * MM
    problems, seals = letter.seal_problems((SEAL_PIXELS, SEAL_PIXELS), [text(signer), text(date)], pages=[1])
    assert (problems, seals) == ([], 1)
    (seal,) = letter.seal_images(page, (SEAL_PIXELS, SEAL_PIXELS))
    assert abs((seal["x0"] + seal["x1"]) / 2 - centre(date)) < 1 * MM
    assert "附件：推荐对象排序名单" in "".join(text(line) for line in body)


def test_the_list_is_the_attachment_and_pages_are_numbered_odd_right_even_left(letter):
    assert letter.pages[1].extract_text().lstrip().startswith("附件")
    assert "—" not in "".join(c["text"] for c in letter.pages[0].chars if c["size"] > 13 and c["size"] < 15)
    seen = set()
    for page in letter.pages[1:6]:  # the list, then the first application's own numbered pages
        footer = [c for c in page.chars if 13 < c["size"] < 15 and c["top"] > page.height - 30 * MM]
        printed = re.search(r"—(\d+)—", "".join(c["text"] for c in footer).replace(" ", ""))
        if not printed:
            continue
        number = int(printed.group(1))
        seen.add(number % 2)
        if number % 2:
            assert abs(footer[-1]["x1"] - (RIGHT - 14)) < 2 * MM, number  # 右空一字 (4号, 14 pt)
        else:
            assert abs(footer[0]["x0"] - (LEFT + 14)) < 2 * MM, number  # 左空一字
    assert seen == {0, 1}


def test_document_number_sits_under_the_red_line_flush_right_and_the_title_two_lines_below(letter, sent):  # noqa: F811
    """GB/T 9704-2012 10.1: 发文字号顶格居版心右边缘编排在第一条红色双线下，与该线的距离为3号汉字高度的7/8；
    标题与其上最后一个要素相距二行."""
    page = letter.pages[0]
    endorsement, _ = sent
    number_text = endorsement.letters.get().content["number"]
    assert number_text == endorsement.document_number and number_text
    (number,) = [line for line in lines_of(page, 16) if text(line) == number_text]
    rule = max(
        r["bottom"]
        for r in page.rects + page.lines
        if r["width"] > 100 * MM
        and r["top"] < 60 * MM
        and is_red(r.get("non_stroking_color") or r.get("stroking_color"))
    )
    assert abs(number[-1]["x1"] - RIGHT) < 1 * MM
    assert abs(number[0]["top"] - rule - 16 * 7 / 8) < 1 * MM
    title = lines_of(page, 22)[0]
    assert abs(title[0]["top"] - number[0]["top"] - 2 * 28.9) < 2.5 * MM


def test_the_letter_and_its_list_carry_the_qr_code_of_the_letters_own_verify_address(letter, package, tmp_path):  # noqa: F811
    assert letter.qr_payloads(tmp_path, pages=[1, 2]) == [verify_url(package.verify_code)] * 2
