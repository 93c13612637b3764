"""Every irreversible act asks once more (portal/irreversible.py): the first POST changes nothing and shows
what will happen; 返回修改 brings back everything typed; only the confirmed POST acts."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from freezegun import freeze_time

from applications.models import Application, Endorsement
from review.domain.decisions import decide
from review.domain.publicity import open_publicity
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment
from review.models import Assignment, Publicity

from ..clock import after_publicity
from ..confirming import confirmed
from ..factories import ApplicationFactory, drive, make_ready
from .conftest import expert_pool
from .scoring_helpers import give_scores, start_review

TYPED = "（经办人亲手写下的一段话：特色产业“AI芯片”&<IoT>）"


@dataclass
class Act:
    user: object
    url: str
    data: dict
    state: object  # () -> what the act would change
    shows: tuple  # what the confirmation must name
    when: object = None  # the moment the act happens (公示期满后)


def status_of(application):
    return Application.objects.get(pk=application.pk).status


def seal_and_submit(call, people):
    application = make_ready(ApplicationFactory(call=call, created_by=people["clerk"]))
    return Act(
        people["head"],
        reverse("applications:submit", args=[application.pk]),
        {"opinion": TYPED, "apply_seal": "on"},
        lambda: (status_of(application), application.versions.count()),
        ("盖章报送", application.recommender_unit.official_name, "第 1 版", application.name),
    )


def send_letter(call, people):
    application = drive(
        make_ready(ApplicationFactory(call=call)),
        ("submit", people["head"]),
        ("pass_initial_review", people["city"]),
        ("select_for_recommendation", people["city"]),
    )
    data = {
        "document_number": "宁政函〔2026〕12号",
        "contact_person": "王科长",
        "contact_phone": "025-83379768",
        "letter_date": timezone.localdate().isoformat(),
        f"opinion-{application.pk}": TYPED,
        "action": "submit",
    }
    return Act(
        people["city"],
        reverse("city:letter", args=[call.pk]),
        data,
        lambda: (status_of(application), Endorsement.objects.filter(sealed_at__isnull=False).count()),
        ("推荐函", call.receiver.official_name, application.name),
    )


def submit_scores(call, people, accepted):
    expert = expert_pool(1)[0]
    assignment = Assignment.objects.create(application=accepted[0], expert=expert)
    start_review(accepted[0])
    accept_commitment(expert, call)
    data = {f"criterion-{c.pk}": "15" for c in rubric_for(call)} | {"comment": TYPED, "action": "submit"}
    return Act(
        expert,
        reverse("review:score", args=[assignment.pk]),
        data,
        lambda: Assignment.objects.get(pk=assignment.pk).submitted_at,
        ("提交评分", "合计 75 分", accepted[0].name),
    )


def scored(accepted):
    give_scores(accepted[0], expert_pool(3), [80, 85, 90])
    return accepted[0]


def decide_on_board(decision):
    def act(call, people, accepted):
        application = scored(accepted)
        return Act(
            people["province"],
            reverse("province:decide", args=[call.pk]),
            {"ids": [application.pk], "decision": decision, "reason": TYPED, "next": board(call)},
            lambda: status_of(application),
            (application.name, "不能撤销"),
        )

    return act


def board(call):
    return reverse("province:ranking", args=[call.pk]) + "?zone=苏南"


def publish(call, people, accepted):
    application = scored(accepted)
    decide(call, [application.pk], "propose_filing", user=people["province"])
    data = {
        "ids": [application.pk],
        "starts_on": timezone.localdate().isoformat(),
        "objection_contact": TYPED,
        "next": board(call),
    }
    return Act(
        people["province"],
        reverse("province:open_publicity", args=[call.pk]),
        data,
        lambda: (status_of(application), Publicity.objects.count()),
        ("发布公示", "无需登录", "7 个日历日", application.name),
    )


def confirm_pilots(call, people, accepted):
    application = scored(accepted)
    decide(call, [application.pk], "propose_filing", user=people["province"])
    publicity = open_publicity(
        call,
        [application.pk],
        user=people["province"],
        starts_on=timezone.localdate(),
        objection_contact="省科技厅 025-1",
    )
    return Act(
        people["province"],
        reverse("province:confirm_pilots", args=[publicity.pk]),
        {"ids": [application.pk], "start_year": "2031"},
        lambda: (status_of(application), Application.objects.get(pk=application.pk).pilot_start_year),
        ("确认备案试点", "2031", application.name),
        when=after_publicity(publicity),
    )


def on_the_application_page(action, reach):
    """The same acts offered as buttons on the application's own page (applications:transition)."""

    def act(call, people, accepted):
        application, when = reach(call, people, accepted)
        return Act(
            people["province"],
            reverse("applications:transition", args=[application.pk, action]),
            {"reason": TYPED} if action == "reject" else {},
            lambda: status_of(application),
            (application.name, application.filing_unit.official_name),
            when=when,
        )

    return act


def reviewed(call, people, accepted):
    return drive(scored(accepted), ("complete_expert_review", people["province"])), None


def in_publicity(call, people, accepted):
    act = confirm_pilots(call, people, accepted)
    return Application.objects.get(status="in_publicity"), act.when


ACTS = {
    "盖章报送": lambda call, people, accepted: seal_and_submit(call, people),
    "发送推荐函": lambda call, people, accepted: send_letter(call, people),
    "提交评分": submit_scores,
    "拟备案": decide_on_board("propose_filing"),
    "不予备案": decide_on_board("reject"),
    "发布公示": publish,
    "确认备案试点": confirm_pilots,
    "不予备案（申报页面）": on_the_application_page("reject", reviewed),
    "确认备案试点（申报页面）": on_the_application_page("confirm_pilot", in_publicity),
}


@pytest.fixture(params=ACTS)
def act(request, call, people):
    needs_accepted = request.param not in ("盖章报送", "发送推荐函")
    accepted = request.getfixturevalue("accepted") if needs_accepted else None
    return ACTS[request.param](call, people, accepted)


def post(client, act, data):
    with freeze_time(act.when or timezone.now(), tick=True):
        client.force_login(act.user)
        return client.post(act.url, data, follow=True)


class Forms(HTMLParser):
    """The forms of a page: action, method and the fields (hidden ones and the buttons) each sends."""

    def __init__(self, html):
        super().__init__()
        self.forms = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "method": attrs.get("method", "get"), "fields": []})
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("value", ""), tag == "button"))

    def the_one_with(self, label_value):
        return next(f for f in self.forms if any(button and v == label_value for _, v, button in f["fields"]))


def test_the_first_post_changes_nothing_and_says_what_will_happen(client, act):
    before = act.state()
    response = post(client, act, act.data)
    page = response.content.decode()
    assert response.status_code == 200 and "请确认" in page
    for text in act.shows:
        assert text in page, text
    assert re.search(r'role="alert"><strong>[^<]*不能[^<]*</strong>', page)  # what cannot be undone
    assert act.state() == before


def test_the_confirmed_post_acts(client, act):
    before = act.state()
    response = post(client, act, confirmed(act.data))
    assert response.status_code == 200
    assert act.state() != before


def _submit(client, act, form, button_value):
    data = {}
    for name, value, button in form["fields"]:
        if not button or value == button_value:
            data.setdefault(name, []).append(value)
    with freeze_time(act.when or timezone.now(), tick=True):
        if form["method"].lower() == "get":
            return client.get(form["action"], data)
        return client.post(form["action"], data)


def test_returning_to_revise_brings_back_everything_typed_and_changes_nothing(client, act):
    before = act.state()
    forms = Forms(post(client, act, act.data).content.decode())
    back = next((f for f in forms.forms if f["method"].lower() == "get"), None) or forms.the_one_with("revise")
    page = _submit(client, act, back, "revise").content.decode()
    assert "请确认" not in page
    for name, value in act.data.items():
        if value == TYPED:
            assert escape(TYPED) in page, name
    for pk in act.data.get("ids", ()):
        assert re.search(rf'value="{pk}"[^>]*checked', page)
    assert act.state() == before


def test_the_confirmation_carries_the_typed_text_unaltered(client, act):
    asking = post(client, act, act.data).content.decode()
    confirm = Forms(asking).the_one_with("yes")
    carried = {name: value for name, value, button in confirm["fields"] if not button}
    for name, value in act.data.items():
        if isinstance(value, str):
            assert carried[name] == value, name
