"""A small province of pilot communities for the dashboard tests, every one taken through the real transition
tables, so that each chart's numbers can be counted by hand:

| community  | unit                  | city | call of      | from | now          | annual reports                |
|------------|-----------------------|------|--------------|------|--------------|-------------------------------|
| 江宁一号   | 江宁区 320115         | 南京 | the office   | 2017 | 试点中       | 2017 passed (FIGURES_2017);   |
|            |                       |      |              |      |              | 2018 draft (i1 = 99)          |
| 江宁二号   | 江宁区 320115         | 南京 | the office   | 2018 | 退出试点     | 2018, 2019 failed (i1 = 25)   |
| 昆山一号   | 昆山市 320583         | 苏州 | the office   | 2017 | 省级众创社区 | —                             |
| 崇川一号   | 崇川区 320613         | 南通 | the office   | 2019 | 试点中       | 2019 sent to the city         |
| 高新区一号 | 南通高新区 320600-G01 | 南通 | the office   | 2018 | 试点中       | 2019 draft                    |
| 通州一号   | 通州区 320612         | 南通 | another body | 2017 | 试点中       | —                             |

and the office's current call (opened last, later than the pilots' calls) with one application at each of
草稿 (玄武区), 已报送推荐单位 (江宁区), 推荐单位初审通过 (昆山市), 已推荐至省 (崇川区) and 已受理 (徐州市泉山区).
The 2019 reporting round, the newest, is the current one; `after_county_deadline` moves the clock past its county
deadline (the city's still ahead), as the days would."""

from datetime import date, timedelta

from applications.domain.transitions import perform as perform_on_application
from applications.status import Status
from portal.accounts.models import Unit
from portal.accounts.roles import Role
from review.pilots.models import ReportingRound
from review.pilots.workflow import perform as perform_on_report

from ..applications.test_transitions import confirm_after_publicity, reach
from ..clock import beijing_midnight, freeze_time
from ..factories import ApplicationFactory, CallFactory, make_ready, user_with_role
from .pilot_helpers import started_report

OTHER_OFFICE = "320000-FHQXH"  # 省孵化器协会: runs other calls, not the joint office's
NANTONG_ZONE = "320600-G01"  # 南通高新技术产业开发区 (国家级), under 南通市

# A year's figures of 江宁一号 against its 2017 plan (sample_plan, "strong": i1 25, i2 1300, i3 6, i4 3, i5 72,
# i6 63, i7 12.5, i8 12.5, i9 9, i10 23, i11 58). Met: 1, 3, 5, 8, 9, 11; below: 2, 4, 6, 7; missing: 10.
FIGURES_2017 = {
    "i1": "26",  # 104%
    "i2": "1200",  # 92.31%
    "i3": "6",  # 100%
    "i4": "2",  # 66.67%
    "i5": "75",  # 104.17%
    "i6": "60",  # 95.24%
    "i7_this": "110",  # growth 10% of a planned 12.5%: 80%
    "i7_last": "100",
    "i8_this": "2300",  # growth 15% of a planned 12.5%: 120%
    "i8_last": "2000",
    "i9": "9",  # 100%
    "i11": "60",  # 103.45%
}


class World:
    def __init__(self, people):
        self.people = people
        self.heads = {"320115": people["head"]}
        self.cities = {"320100": people["city"]}
        self.provinces = {}
        self.pilots = {}

    def city_user(self, code):
        if code not in self.cities:
            self.cities[code] = user_with_role(Role.RECOMMENDER, code)
        return self.cities[code]

    def head(self, code):
        if code not in self.heads:
            self.heads[code] = user_with_role(Role.APPLICANT_HEAD, code)
        return self.heads[code]

    def province(self, office):
        if office is None:
            return self.people["province"]
        if office not in self.provinces:
            self.provinces[office] = user_with_role(Role.PROVINCE, office)
        return self.provinces[office]

    def actors(self, code, office=None):
        unit = Unit.objects.get(code=code)
        return {"head": self.head(code), "city": self.city_user(unit.city.code), "province": self.province(office)}

    def application(self, code, name, call):
        return make_ready(ApplicationFactory(call=call, filing_unit=Unit.objects.get(code=code), name=name))

    def pilot(self, code, name, start, office=None):
        """A community of `code` taken to 备案试点 from `start`, in its own call of `office` (default: the joint
        office), whose 分年度计划表 covers its pilot years."""
        office_unit = Unit.objects.get(code=office) if office else None
        extra = {"receiver": office_unit, "issuing_body": office_unit} if office_unit else {}
        with freeze_time(beijing_midnight(date(start, 5, 2))):  # filed and confirmed in its first year
            call = CallFactory(plan_first_year=start, **extra)
            actors = self.actors(code, office)
            pilot = reach(Status.IN_PUBLICITY, self.application(code, name, call), actors)
            self.pilots[name] = confirm_after_publicity(pilot, actors["province"], start)
        return self.pilots[name]

    def report(self, pilot, year, actuals, until="submit", office=None):
        """An annual report with `actuals`, taken through its table up to `until` (one of REPORT_PATHS)."""
        actors = self.actors(pilot.filing_unit.code, office)
        report = started_report(pilot, year, actors["head"], actuals)
        for action, who in REPORT_PATHS[until]:
            report = perform_on_report(report, action, actors[who], reason="按年度考核要点评定")
        return report


SUBMIT, FORWARD = ("submit", "head"), ("forward", "city")
REPORT_PATHS = {
    "draft": [],
    "submit": [SUBMIT],
    "forward": [SUBMIT, FORWARD],
    "pass": [SUBMIT, FORWARD, ("pass_assessment", "province")],
    "fail": [SUBMIT, FORWARD, ("fail_assessment", "province")],
}


def build(people):
    world = World(people)
    province = people["province"]
    a = world.pilot("320115", "江宁一号", 2017)
    world.report(a, 2017, FIGURES_2017, until="pass")
    world.report(a, 2018, {"i1": "99"}, until="draft")

    b = world.pilot("320115", "江宁二号", 2018)
    world.report(b, 2018, {"i1": "25"}, until="fail")
    world.report(b, 2019, {"i1": "25"}, until="fail")  # the second failure in a row: off the list
    b.refresh_from_db()
    assert b.status == Status.EXITED

    c = world.pilot("320583", "昆山一号", 2017)
    c = perform_on_application(c, "start_acceptance", province)
    perform_on_application(c, "recognise", province, reason="评估验收通过")

    d = world.pilot("320613", "崇川一号", 2019)
    world.report(d, 2019, {"i1": "21"}, until="submit")
    e = world.pilot(NANTONG_ZONE, "高新区一号", 2018)
    world.report(e, 2019, {"i1": "22"}, until="draft")
    world.pilot("320612", "通州一号", 2017, office=OTHER_OFFICE)

    world.current_call = CallFactory(title="2027年度众创社区备案试点通知")  # opened last: the newest
    world.application("320102", "玄武草稿", world.current_call)
    for status, code in (
        (Status.SUBMITTED, "320115"),
        (Status.CITY_PASSED, "320583"),
        (Status.RECOMMENDED, "320613"),
        (Status.ACCEPTED, "320311"),
    ):
        reach(status, world.application(code, f"当前{code}", world.current_call), world.actors(code))
    return world


def after_county_deadline(round_year=2019, **clock):
    """The clock a minute after the round's county deadline, while the city's is still ahead (log in under it:
    a session started before the jump has expired)."""
    round_ = ReportingRound.objects.get(year=round_year)
    assert round_.recommendation_deadline > round_.filing_deadline + timedelta(minutes=1)
    return freeze_time(round_.filing_deadline + timedelta(minutes=1), **clock)
