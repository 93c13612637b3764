"""Every irreversible act asks once more (portal/irreversible.py): the first POST changes nothing and shows
what will happen; 返回修改 brings back everything typed; only the confirmed POST acts."""

import re
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from freezegun import freeze_time

from applications.domain.transitions import application_workflow
from applications.models import Application, Endorsement, SentLetter
from applications.status import Status
from portal.workflow import WORKFLOWS, TransitionRefused
from review.domain.decisions import decide
from review.domain.publicity import open_publicity, record_objection
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment
from review.models import Assignment, Objection, Publicity
from review.pilots.models import AnnualReport, ReportStatus
from review.pilots.reports import save_report, start_report
from review.pilots.workflow import perform as perform_on_report
from review.pilots.workflow import report_workflow

from ..applications.test_transitions import confirm_after_publicity, reach
from ..clock import after_publicity
from ..confirming import confirmed
from ..factories import ApplicationFactory, drive, make_ready
from .conftest import expert_pool
from .pilot_helpers import file_report, reporting_round
from .scoring_helpers import assigned, give_scores, start_review

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


def send_supplementary_letter(call, people):
    """A city that has sent its letter recommends one that passed 初审 since: the act is a 补充推荐函."""
    first = send_letter(call, people)
    drive(Application.objects.get(status="city_selected"), ("send", people["city"]))
    late = drive(
        make_ready(ApplicationFactory(call=call)),
        ("submit", people["head"]),
        ("pass_initial_review", people["city"]),
        ("select_for_recommendation", people["city"]),
    )
    data = {key: value for key, value in first.data.items() if not key.startswith("opinion-")}
    return Act(
        people["city"],
        first.url,
        {**data, f"opinion-{late.pk}": TYPED},
        lambda: (status_of(late), SentLetter.objects.count()),
        ("加盖公章并报送补充推荐函", "出具补充推荐函", f"第 2 名：{late.name}"),
    )


def submit_scores(call, people, accepted):
    expert = expert_pool(1)[0]
    assignment = assigned(accepted[0], expert)
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
    when = after_publicity(publicity)
    next_year = str(timezone.localtime(when).year + 1)  # the latest start the rule allows
    return Act(
        people["province"],
        reverse("province:confirm_pilots", args=[publicity.pk]),
        {"ids": [application.pk], "start_year": next_year},
        lambda: (status_of(application), Application.objects.get(pk=application.pk).pilot_start_year),
        ("确认备案试点", next_year, application.name),
        when=when,
    )


def a_pilot(call, people):
    """A 众创社区 confirmed as a pilot from this year, its year's round open."""
    application = reach(Status.IN_PUBLICITY, make_ready(ApplicationFactory(call=call)), people)
    pilot = confirm_after_publicity(application, people["province"])
    return pilot, reporting_round(pilot, pilot.pilot_start_year)


def fail_the_year(call, people, accepted):
    pilot, round_ = a_pilot(call, people)
    report = file_report(pilot, round_.year, people)
    return Act(
        people["province"],
        reverse("pilots:act", args=[report.pk, "fail_assessment"]),
        {"reason": TYPED},
        lambda: AnnualReport.objects.get(pk=report.pk).status,
        ("年度考核不通过", f"{pilot.name}（{round_.year}年度）", "连续两个年度不通过的，退出试点名单"),
    )


def fail_the_second_year_running(call, people, accepted):
    """The second failed year in a row: the confirmation says the pilot leaves the list."""
    pilot, round_ = a_pilot(call, people)
    perform_on_report(file_report(pilot, round_.year, people), "fail_assessment", people["province"], reason="未达标")
    report = file_report(pilot, round_.year + 1, people)
    return Act(
        people["province"],
        reverse("pilots:act", args=[report.pk, "fail_assessment"]),
        {"reason": TYPED},
        lambda: (AnnualReport.objects.get(pk=report.pk).status, status_of(pilot)),
        ("连续第二个年度不通过", f"“{pilot.name}”随即退出试点名单"),
    )


def fail_an_overdue_year(call, people, accepted):
    pilot, round_ = a_pilot(call, people)
    return Act(
        people["province"],
        reverse("pilots:fail_overdue"),
        {"pilot": pilot.pk, "round": round_.pk, "reason": TYPED},
        lambda: AnnualReport.objects.filter(pilot=pilot, status="failed").count(),
        ("逾期未报送，年度考核不通过", f"{pilot.name}（{round_.year}年度）"),
        when=round_.recommendation_deadline + timedelta(seconds=1),
    )


def uphold_an_objection(call, people, accepted):
    application = scored(accepted)
    decide(call, [application.pk], "propose_filing", user=people["province"])
    publicity = open_publicity(
        call, [application.pk], user=people["province"], starts_on=timezone.localdate(), objection_contact="025-1"
    )
    objection = record_objection(
        publicity, application, people["province"], received_on=timezone.localdate(), summary="反映场地面积不实"
    )
    return Act(
        people["province"],
        reverse("province:decide_objection", args=[objection.pk]),
        {"outcome": "upheld", "note": TYPED},
        lambda: (status_of(application), Objection.objects.get(pk=objection.pk).outcome),
        ("公示异议成立，不予备案", application.name, "不再确认为备案试点"),
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
    "公示异议成立": uphold_an_objection,
    "补充推荐函": lambda call, people, accepted: send_supplementary_letter(call, people),
    "年度考核不通过": fail_the_year,
    "连续第二年度考核不通过": fail_the_second_year_running,
    "逾期未报送，年度考核不通过": fail_an_overdue_year,
}
WITHOUT_ACCEPTED = (
    "盖章报送",
    "发送推荐函",
    "补充推荐函",
    "年度考核不通过",
    "连续第二年度考核不通过",
    "逾期未报送，年度考核不通过",
)


@pytest.fixture(params=ACTS)
def act(request, call, people):
    needs_accepted = request.param not in WITHOUT_ACCEPTED
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


# --- the class, from the transition tables ---------------------------------------------------------------
# Every row marked irreversible asks once more on the page that offers it, whichever table it is in: a new
# irreversible row is tried here without being listed, and a new table must say where its rows are taken.

REPORT_AT = {  # a report's status -> how the county and the city bring it there
    ReportStatus.DRAFT: (),
    ReportStatus.SUBMITTED: (("submit", "head"),),
    ReportStatus.RETURNED: (("submit", "head"), ("return_to_applicant", "city")),
    ReportStatus.FORWARDED: (("submit", "head"), ("forward", "city")),
}


def application_at(source, call, people):
    application = reach(source, make_ready(ApplicationFactory(call=call)), people)
    return application, "applications:transition", lambda: status_of(application)


def report_at(source, call, people):
    pilot, round_ = a_pilot(call, people)
    report = start_report(pilot, round_, people["head"])
    save_report(report, {"i1": "25"}, "年度总结")
    for action, who in REPORT_AT[source]:
        report = perform_on_report(report, action, people[who], reason="请补充统计报表")
    return report, "pilots:act", lambda: AnnualReport.objects.get(pk=report.pk).status


PAGES = {application_workflow: application_at, report_workflow: report_at}
IRREVERSIBLE = [(workflow, row) for workflow in PAGES for row in workflow.transitions if row.irreversible]
# The acts the notices name (issue #18, property 5) that are rows of a table.
NAMED_ROWS = {"submit": "盖章报送", "recommend": "发送推荐函", "reject": "不予备案", "publicize": "发布公示"}
NAMED_ROWS["confirm_pilot"] = "确认备案试点"


def test_every_table_says_where_its_irreversible_rows_ask_once_more():
    assert get_resolver().url_patterns  # every page's module, and so every table, is loaded
    assert {w for w in WORKFLOWS if any(row.irreversible for row in w.transitions)} <= set(PAGES)


def test_the_acts_the_notices_name_are_irreversible_and_asked_on_their_own_pages():
    assert {row.action for _, row in IRREVERSIBLE} >= set(NAMED_ROWS)
    assert set(NAMED_ROWS.values()) | {"提交评分"} <= set(ACTS)


@pytest.mark.parametrize(
    ("workflow", "row"), IRREVERSIBLE, ids=[f"{w.model.__name__}:{r.source}:{r.action}" for w, r in IRREVERSIBLE]
)
def test_every_irreversible_row_asks_once_more_naming_the_act(client, call, people, workflow, row):
    target, page, state = PAGES[workflow](row.source, call, people)
    user = next(
        people[who] for who in ("head", "city", "province") if workflow.acting_membership(row, people[who], target)
    )
    client.force_login(user)
    before = state()
    asking = client.post(reverse(page, args=[target.pk, row.action]), {"reason": TYPED}).content.decode()
    assert "请确认" in asking and escape(row.label) in asking and escape(TYPED) in asking
    assert state() == before
    # and whatever page takes the row, the table refuses it unless the request carries the confirmation
    unconfirmed = RequestFactory().post("/", {"reason": TYPED})
    unconfirmed.user = user
    with pytest.raises(TransitionRefused) as refused:
        workflow.perform(target, row.action, user, reason=TYPED, request=unconfirmed)
    assert refused.value.code == "not_confirmed" and state() == before
