"""The cover's 运营管理机构（盖章）: the organisation's own seal when the portal has it on file, never another unit's,
and blank for the paper copy when there is none."""

import pytest

from applications.domain.content import ApplicationContent
from portal.accounts.seals import SIZE as SEAL_PIXELS

from ..factories import drive
from .fidelity import Paper
from .test_packages import pdf_bytes, render
from .test_pdf_fidelity import post_part

SEAL = (SEAL_PIXELS, SEAL_PIXELS)


def cover_of(application):
    paper = Paper(pdf_bytes(render(application)))
    words = "".join(paper.pages[0].extract_text().split())
    return paper, words


def operated_by(client, application, operator):
    """The clerk names the 运营管理机构 on the 申报书 page."""
    client.force_login(application.created_by)
    post_part(client, application, "declaration", {"operator_name": operator})
    application.refresh_from_db()
    assert ApplicationContent(application).data("declaration")["operator_name"] == operator
    return application


@pytest.fixture
def self_operated(client, application):
    """A 管委会 that runs its community itself: the 运营管理机构 is the filing unit, whose seal is on file."""
    return operated_by(client, application, application.filing_unit.official_name)


def test_the_operators_own_seal_is_printed_over_its_row_and_nothing_else(self_operated, people):
    paper, words = cover_of(drive(self_operated, ("submit", people["head"])))
    try:
        operator = self_operated.filing_unit.official_name
        problems, seals = paper.seal_problems(SEAL, [operator, "（盖章）"], pages=[1])
        assert (problems, seals) == ([], 1)  # over the name and its （盖章）, not the rows above or below
        assert f"运营管理机构：{operator}（盖章）" in words
    finally:
        paper.close()


def test_another_organisations_row_is_left_blank_for_its_own_stamp(client, application, people):
    operated_by(client, application, "南京江宁众创运营管理有限公司")
    paper, words = cover_of(drive(application, ("submit", people["head"])))
    try:
        assert application.filing_unit.seal  # the county's seal is on file, and goes on its opinion only
        assert paper.seal_images(paper.pages[0], SEAL) == []
        assert "运营管理机构：" in words and "南京江宁众创运营管理有限公司（盖章）" in words
    finally:
        paper.close()


def test_a_draft_prints_no_seal_even_of_the_operator_itself(self_operated):
    paper, words = cover_of(self_operated)
    try:
        assert paper.seal_images(paper.pages[0], SEAL) == []
        assert "（盖章）" in words
    finally:
        paper.close()
