"""What a city sent stays as sent (its 推荐函 is a snapshot), and a city may send a 补充推荐函 for what passes
初审 after its letter, within the same quota and deadline."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications.domain.endorsement import submit_to_province, withdraw_submission
from applications.domain.quota import endorsement_for
from applications.domain.transitions import perform
from applications.models import Application, SentLetter
from applications.packages.build import build_endorsement_pdf, request_letter_package, store
from applications.status import Status
from portal.accounts.roles import Role
from portal.accounts.seals import draw_demo_seal, give_demo_seal
from portal.workflow import TransitionRefused

from ..concurrency import choose_at_once, needs_row_locks
from ..confirming import confirmed
from ..factories import ApplicationFactory, CallFactory, drive, letter_ready, make_ready, unit, user_with_role
from .test_letter_package import text_of

SUZHONG_COUNTY, SUZHONG_CITY = "320682", "320600"  # 苏中: at most 3 a city


def filed(call, county_code, count):
    """Applications the county has handed in to its city (not yet through 初审)."""
    head = user_with_role(Role.APPLICANT_HEAD, county_code)
    return [
        drive(make_ready(ApplicationFactory(call=call, filing_unit=unit(county_code)), head), ("submit", head))
        for _ in range(count)
    ]


def choose(applications, city_user):
    return [
        drive(a, ("pass_initial_review", city_user), ("select_for_recommendation", city_user)) for a in applications
    ]


def send(call, city_user, applications, **kwargs):
    endorsement = letter_ready(call, unit(SUZHONG_CITY))
    opinions = {a.pk: f"同意推荐{a.name}。" for a in applications}
    return submit_to_province(endorsement, city_user, opinions=opinions, render=False, **kwargs)


@pytest.fixture
def city():
    give_demo_seal(unit(SUZHONG_CITY))
    return user_with_role(Role.RECOMMENDER, SUZHONG_CITY)


@pytest.fixture
def province(people):
    return people["province"]


def letter_card(client, call, number):
    page = client.get(reverse("city:letter", args=[call.pk])).content.decode()
    found = re.search(rf'data-letter="{number}">(.*?)<!-- /letter {number} -->', page, re.S)
    assert found, page
    return found.group(1)


# --- the sent letter stays as sent ---------------------------------------------------------------


def test_the_sent_letter_reads_the_same_after_everything_that_follows(client, call, city, province):
    """Later acts (acceptance, review, a 补充推荐, a new seal) never change what the letter page shows."""
    first = choose(filed(call, SUZHONG_COUNTY, 2), city)
    late = filed(call, SUZHONG_COUNTY, 1)
    send(call, city, first)
    client.force_login(city)
    as_sent = letter_card(client, call, 1)
    assert all(a.name in as_sent for a in first) and "同意推荐" in as_sent and "尚未列出推荐对象" not in as_sent

    for application in first:
        drive(application, ("accept", province), ("start_expert_review", province))
    choose(late, city)
    send(call, city, late)
    city_unit = unit(SUZHONG_CITY)
    city_unit.seal.save("replaced.png", ContentFile(draw_demo_seal("另一枚印章")), save=True)

    page = client.get(reverse("city:letter", args=[call.pk])).content.decode()
    assert letter_card(client, call, 1) == as_sent
    assert "推荐 2 家" in page and "推荐 0 家" not in page and "尚未列出推荐对象" not in page


def test_the_snapshot_holds_ranks_opinions_wording_date_and_seal(call, city, province):
    first = choose(filed(call, SUZHONG_COUNTY, 2), city)
    send(call, city, first)
    letter = SentLetter.objects.get()
    assert [e["rank"] for e in letter.entries] == [1, 2]
    assert [e["opinion"] for e in letter.entries] == [f"同意推荐{a.name}。" for a in first]
    assert letter.content["title"] == "南通市人民政府关于推荐江苏省众创社区备案试点对象的函"
    assert letter.content["items"] == [f"{a.name}（{a.filing_unit.official_name}）" for a in first]
    assert letter.content["date"] and letter.seal and len(letter.seal_sha256) == 64
    endorsement = endorsement_for(call, unit(SUZHONG_CITY))
    endorsement.letter_note = "此后改写的说明"  # a later edit of the letter fields is not what was sent
    endorsement.save()
    for application in first:
        drive(application, ("accept", province))
    letter.refresh_from_db()
    assert letter.content["note"] == ""


def test_the_sent_letters_pdf_is_rendered_from_the_snapshot(call, city, province):
    first = choose(filed(call, SUZHONG_COUNTY, 2), city)
    send(call, city, first)
    for application in first:
        drive(application, ("accept", province), ("start_expert_review", province))
    package, _ = request_letter_package(SentLetter.objects.get())
    store(package, *build_endorsement_pdf(package))
    package.refresh_from_db()
    with package.file.open("rb") as handle:
        letter_page = "".join(text_of(handle.read(), 1).split())
    assert all(a.name in letter_page for a in first) and "以下2家" in letter_page


# --- 补充推荐 -----------------------------------------------------------------------------------------


def test_a_city_recommends_what_passes_later_in_a_supplementary_letter(client, call, city, province):
    first = choose(filed(call, SUZHONG_COUNTY, 2), city)
    late = filed(call, SUZHONG_COUNTY, 2)
    send(call, city, first)
    chosen = choose(late[:1], city)
    drive(late[1], ("pass_initial_review", city))
    client.force_login(city)
    page = client.get(reverse("city:letter", args=[call.pk])).content.decode()
    assert "补充推荐函" in page and f'name="opinion-{chosen[0].pk}"' in page

    sending = {
        "action": "submit",
        "document_number": "通政函〔2026〕15号",
        "contact_person": "李科长",
        "contact_phone": "0513-85098888",
        "letter_date": str(call.recommendation_deadline.date() - timedelta(days=1)),
        "revision": endorsement_for(call, unit(SUZHONG_CITY)).revision,
        f"opinion-{chosen[0].pk}": "经初审，同意补充推荐。",
        f"reason-{late[1].pk}": "名额已满。",
    }
    asking = client.post(reverse("city:letter", args=[call.pk]), sending).content.decode()
    assert "加盖公章并报送补充推荐函" in asking and f"第 3 名：{chosen[0].name}" in asking  # after the first 2
    assert "出具补充推荐函" in asking and not SentLetter.objects.filter(supplementary=True).exists()
    response = client.post(reverse("city:letter", args=[call.pk]), confirmed(sending))
    assert response.status_code == 302
    first_letter, supplement = SentLetter.objects.order_by("number")
    assert not first_letter.supplementary and supplement.supplementary
    assert supplement.content["title"] == "南通市人民政府关于补充推荐江苏省众创社区备案试点对象的函"
    assert "补充推荐以下1家" in supplement.content["body"]
    assert supplement.application_ids == [chosen[0].pk]
    assert supplement.entries[0]["rank"] == 3 and supplement.entries[0]["opinion"] == "经初审，同意补充推荐。"
    assert supplement.closed == [{"application": late[1].pk, "name": late[1].name, "reason": "名额已满。"}]
    assert Application.objects.get(pk=chosen[0].pk).status == Status.RECOMMENDED
    assert first_letter.application_ids == [a.pk for a in first]

    client.force_login(province)
    inbox = client.get(reverse("province:inbox", args=[call.pk])).content.decode()
    assert "补充推荐函（1 家）" in inbox and "推荐函（2 家）" in inbox


def test_the_quota_counts_every_letter_of_the_call(call, city):
    """苏中: 3 a city across the letter and its supplements."""
    send(call, city, choose(filed(call, SUZHONG_COUNTY, 2), city))
    late = filed(call, SUZHONG_COUNTY, 2)
    choose(late[:1], city)
    drive(late[1], ("pass_initial_review", city))
    with pytest.raises(TransitionRefused) as refused:
        perform(late[1], "select_for_recommendation", city)
    assert refused.value.code == "quota_exceeded" and "已推荐 3 家" in refused.value.message


@pytest.mark.parametrize("offset, allowed", [(-1, True), (1, False)])
def test_a_supplementary_letter_keeps_the_deadline(call, city, offset, allowed):
    send(call, city, choose(filed(call, SUZHONG_COUNTY, 1), city))
    late = choose(filed(call, SUZHONG_COUNTY, 1), city)
    now = call.recommendation_deadline + timedelta(seconds=offset)
    if allowed:
        send(call, city, late, now=now)
        assert SentLetter.objects.filter(supplementary=True).count() == 1
    else:
        with pytest.raises(TransitionRefused) as refused:
            send(call, city, late, now=now)
        assert refused.value.code == "deadline_passed"
        assert not SentLetter.objects.filter(supplementary=True).exists()


def test_with_nothing_new_chosen_a_second_send_is_refused(call, city):
    first = choose(filed(call, SUZHONG_COUNTY, 1), city)
    send(call, city, first)
    with pytest.raises(TransitionRefused) as refused:
        send(call, city, first)
    assert refused.value.code == "already_submitted" and SentLetter.objects.count() == 1


def test_withdrawal_takes_back_every_letter_and_keeps_them_on_record(call, city):
    send(call, city, choose(filed(call, SUZHONG_COUNTY, 1), city))
    send(call, city, choose(filed(call, SUZHONG_COUNTY, 1), city))
    withdraw_submission(endorsement_for(call, unit(SUZHONG_CITY)), city, "排序有误")
    assert SentLetter.objects.filter(withdrawn_at__isnull=False, withdraw_reason="排序有误").count() == 2
    chosen = Application.objects.filter(status=Status.CITY_SELECTED)
    resent = send(call, city, list(chosen))
    latest = resent.letters.latest("number")
    assert not latest.supplementary and len(latest.entries) == 2


@pytest.mark.django_db(transaction=True)
def test_the_quota_holds_for_a_supplement_chosen_at_the_same_moment():
    """With 2 of 3 places taken by the first letter, four officials choosing at once fill the last one only."""
    needs_row_locks()
    call = CallFactory()
    city_users = [user_with_role(Role.RECOMMENDER, SUZHONG_CITY) for _ in range(4)]
    send(call, city_users[0], choose(filed(call, SUZHONG_COUNTY, 2), city_users[0]))
    late = [drive(a, ("pass_initial_review", city_users[0])) for a in filed(call, SUZHONG_COUNTY, 4)]
    assert choose_at_once(late, city_users) == 1
    assert Application.objects.filter(status__in=(Status.CITY_SELECTED, Status.RECOMMENDED)).count() == 3


def test_letters_sent_before_snapshots_are_recorded_as_they_read(call, city):
    """The data migration writes what the snapshot of the same letter holds."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("applications.migrations.0013_snapshot_letters_already_sent")
    send(call, city, choose(filed(call, SUZHONG_COUNTY, 2), city))
    snapshot = SentLetter.objects.get()
    SentLetter.objects.all().delete()
    migration.snapshot_letters_already_sent(apps, None)
    recorded = SentLetter.objects.get()
    fields = ("number", "supplementary", "entries", "seal", "seal_sha256", "sent_at", "sent_by_id")
    assert [getattr(recorded, f) for f in fields] == [getattr(snapshot, f) for f in fields]
    # 发文字号 came later (0015): letters sent before it have none, and the letter prints none.
    assert recorded.content == {key: text for key, text in snapshot.content.items() if key != "number"}
    migration.snapshot_letters_already_sent(apps, None)  # once only
    assert SentLetter.objects.count() == 1
