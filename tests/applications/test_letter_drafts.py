"""推荐函与报送: what the city types beside the letter is saved with the draft and is what gets sealed;
a county is told the reason the city wrote, never "限于推荐名额" while places were free."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from applications.domain.endorsement import QUOTA_REASON
from applications.domain.transitions import perform
from applications.models import Application, Endorsement, SentLetter
from applications.status import Status
from portal.accounts.roles import Role

from ..browser_forms import as_post_data, shown_form, submitted_values
from ..confirming import confirmed
from ..factories import ApplicationFactory, CallFactory, drive, make_ready, unit, user_with_role

LETTER = {
    "document_number": "宁政函〔2026〕12号",
    "contact_person": "王科长",
    "contact_phone": "025-83232116",
    "letter_date": timezone.localdate().isoformat(),
    "letter_note": "",
}


def passed(call, people, count):
    head = user_with_role(Role.APPLICANT_HEAD, unit("320115"))
    return [
        drive(
            make_ready(ApplicationFactory(call=call, filing_unit=unit("320115"))),
            ("submit", head),
            ("pass_initial_review", people["city"]),
        )
        for _ in range(count)
    ]


def letter_page(client, call):
    return client.get(reverse("city:letter", args=[call.pk])).content.decode()


def press(client, call, page, action, *, once=False, **typed):
    """Post the letter form as the browser shows it, with `typed` changed, pressing `action` (`once`: the
    first press of 报送, before the page that asks once more)."""
    data = as_post_data(submitted_values(shown_form(page, "contact_person")))
    data.update({name: [value] for name, value in typed.items()}, action=[action])
    if action == "submit" and not once:  # and 确认 on the page that asks once more
        data.update(confirmed())
    return client.post(reverse("city:letter", args=[call.pk]), data)


def test_a_saved_draft_keeps_the_typed_opinions_and_reasons_and_they_are_what_is_sealed(client, people, call):
    chosen, left_out = passed(call, people, 2)
    perform(chosen, "select_for_recommendation", people["city"])
    client.force_login(people["city"])
    opinion, reason = "经初审，该社区产业特色鲜明，同意推荐。", "建设方案中的产业定位与本市规划不符。"
    response = press(
        client,
        call,
        letter_page(client, call),
        "save",
        **LETTER,
        **{f"opinion-{chosen.pk}": opinion, f"reason-{left_out.pk}": reason},
    )
    assert response.status_code == 302
    page = letter_page(client, call)
    assert opinion in page and reason in page
    press(client, call, page, "submit")  # the official reopens the page and sends what it shows
    assert Application.objects.get(pk=chosen.pk).status == Status.RECOMMENDED
    assert chosen.parts.get(key="recommender_opinion").data["text"] == opinion
    closed = Application.objects.get(pk=left_out.pk)
    assert closed.status == Status.NOT_RECOMMENDED and closed.reason_for_applicant == reason


@pytest.mark.parametrize("once", [True, False], ids=["before the confirmation", "confirmed"])
def test_with_places_free_the_city_must_write_the_reason_next_to_the_application(client, people, call, once):
    """Refused before the page that asks once more, as well as by the act itself."""
    chosen, left_out = passed(call, people, 2)  # seed 000's 苏南 quota is 5: places are free
    perform(chosen, "select_for_recommendation", people["city"])
    client.force_login(people["city"])
    page = letter_page(client, call)
    assert QUOTA_REASON not in page
    response = press(client, call, page, "submit", once=once, **LETTER, **{f"reason-{left_out.pk}": "  "})
    page = response.content.decode()
    assert response.status_code == 200 and 'name="confirm_act" value="yes"' not in page
    assert f'id="reason-{left_out.pk}-error"' in page and "请写明不予推荐的理由" in page
    assert Application.objects.get(pk=left_out.pk).status == Status.CITY_PASSED
    assert Application.objects.get(pk=chosen.pk).status == Status.CITY_SELECTED
    assert "王科长" in page  # nothing typed is lost


def test_the_quota_reason_is_given_only_when_every_place_is_taken(client, people):
    call = CallFactory(quota_by_zone={"苏南": 1, "苏中": 1, "苏北": 1})
    chosen, left_out = passed(call, people, 2)
    perform(chosen, "select_for_recommendation", people["city"])
    client.force_login(people["city"])
    page = letter_page(client, call)
    assert QUOTA_REASON in page
    press(client, call, page, "submit", **LETTER)
    assert Application.objects.get(pk=left_out.pk).reason_for_applicant == QUOTA_REASON


@pytest.mark.parametrize("field", ["contact_phone", "letter_date"])
def test_a_letter_field_error_keeps_the_opinions_and_reasons_typed(client, people, call, field):
    chosen, left_out = passed(call, people, 2)
    perform(chosen, "select_for_recommendation", people["city"])
    client.force_login(people["city"])
    typed = {**LETTER, field: "", f"opinion-{chosen.pk}": "意见甲乙丙", f"reason-{left_out.pk}": "理由丁戊己"}
    page = press(client, call, letter_page(client, call), "save", **typed).content.decode()
    assert "意见甲乙丙" in page and "理由丁戊己" in page


@pytest.mark.parametrize(
    "number", ["宁科函[2026]12号", "宁科函〔26〕12号", "宁科函〔2026〕012号", "〔2026〕12号", "宁" * 35 + "〔2026〕1号"]
)
def test_a_malformed_document_number_is_refused_beside_the_field_and_nothing_typed_is_lost(
    client, people, call, number
):
    (chosen,) = passed(call, people, 1)
    perform(chosen, "select_for_recommendation", people["city"])
    client.force_login(people["city"])
    typed = {**LETTER, "document_number": number, f"opinion-{chosen.pk}": "意见甲乙丙"}
    response = press(client, call, letter_page(client, call), "save", **typed)
    page = response.content.decode()
    (field,) = re.findall(r"<input[^>]*name=\"document_number\"[^>]*>", page)
    assert response.status_code == 200 and "is-invalid" in field and escape(number) in field
    assert "六角括号" in page or "发文字号不超过 40 个字" in page
    assert "意见甲乙丙" in page and "王科长" in page
    assert not Endorsement.objects.filter(call=call, document_number=number).exists()


def test_the_document_number_typed_is_what_the_sent_letter_keeps(client, people, call):
    (chosen,) = passed(call, people, 1)
    perform(chosen, "select_for_recommendation", people["city"])
    client.force_login(people["city"])
    press(client, call, letter_page(client, call), "save", **{**LETTER, "document_number": "宁科函〔2026〕7号"})
    page = letter_page(client, call)
    press(client, call, page, "submit")
    letter = SentLetter.objects.get(endorsement__call=call)
    assert letter.content["number"] == "宁科函〔2026〕7号"


@pytest.mark.parametrize("once", [True, False], ids=["before the confirmation", "confirmed"])
def test_a_letter_goes_out_only_under_its_document_number_and_a_draft_may_wait_for_it(client, people, call, once):
    """GB/T 9704 10.1 prints the 发文字号 under the red rule: the office allots it before the letter is sealed."""
    (chosen,) = passed(call, people, 1)
    perform(chosen, "select_for_recommendation", people["city"])
    client.force_login(people["city"])
    unnumbered = {**LETTER, "document_number": "", f"opinion-{chosen.pk}": "意见甲乙丙"}
    assert press(client, call, letter_page(client, call), "save", **unnumbered).status_code == 302  # a draft
    response = press(client, call, letter_page(client, call), "submit", once=once, **unnumbered)
    page = response.content.decode()
    (field,) = re.findall(r"<input[^>]*name=\"document_number\"[^>]*>", page)
    assert response.status_code == 200 and "is-invalid" in field and 'name="confirm_act" value="yes"' not in page
    assert "报送前请填写发文字号" in page and "意见甲乙丙" in page and "王科长" in page
    assert Application.objects.get(pk=chosen.pk).status == Status.CITY_SELECTED
    assert not SentLetter.objects.filter(endorsement__call=call).exists()
