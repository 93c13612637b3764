"""Who gets what at every named URL: the one declared permission table, read by test_permission_matrix.py.

The world the table speaks of (built by that test): one application of 江宁区 (南京市) that went all the way
to 公示 — submitted by its county, endorsed by 南京 with a sealed 推荐函, accepted by the province, scored by
`expert` and two more experts, proposed for filing, published with an objection pending — plus a draft of
江宁区 for the editing pages, a ready PDF of the application, the city's letter package (PDF and ZIP), a
finished export, a notification for the clerk.

Callers: anonymous; 县级经办人 and 县级负责人 of 江宁区 (`clerk`, `head`) and of 昆山市 (`other_clerk`,
`other_head`); 市级审核人 of 南京 (`city`) and of 苏州 (`other_city`); 南京市科学技术局 (`bureau`), recommender
of a 专业化众创空间 (seed 003) the world also holds, filed and awaiting 初审; the 省级管理员 of the office that runs
the call
(`province`, 省联席会议办公室) and of a provincial body that does not (`other_province`, 省孵化器协会, which
receives another programme's calls); the expert assigned to the application (`expert`) and one who is not
(`other_expert`); 系统管理员 (`sysadmin`) and 审计管理员 (`auditor`).

Answers: OK is the page (200), a file, or an action's redirect anywhere but the login page; NOT_FOUND is a 404
(and, unless the rule says otherwise, a PERMISSION_DENIED audit row); LOGIN is the login page with a way back;
SIGNED_OUT is the login page with the session ended. A caller refused a page is also refused the same page's
POST, and a refused POST changes nothing. A new named URL without a line here fails the build; so does a line
for a URL that is gone.
"""

from dataclasses import dataclass

OK, NOT_FOUND, LOGIN, SIGNED_OUT = "OK", "404", "LOGIN", "SIGNED_OUT"

CALLERS = (
    "anonymous",
    "clerk",
    "other_clerk",
    "head",
    "other_head",
    "city",
    "other_city",
    "bureau",
    "province",
    "other_province",
    "expert",
    "other_expert",
    "sysadmin",
    "auditor",
)
SIGNED_IN = CALLERS[1:]

COUNTY = ("clerk", "head")  # the filing unit of both applications
APPLICANTS = ("clerk", "other_clerk", "head", "other_head")
CITIES = ("city", "other_city")
RECOMMENDERS = (*CITIES, "bureau")  # every 推荐单位: a post's own pages serve all of them
PROVINCE = ("province", "other_province")
EXPERTS = ("expert", "other_expert")
# Everybody on the application's own chain: its county, its city, the province, its expert.
CHAIN = (*COUNTY, "city", "province", "expert")


@dataclass(frozen=True)
class Rule:
    method: str  # GET for a page; POST for an action that answers nothing else (require_POST)
    answers: dict
    logged: bool = True  # a 404 here writes a PERMISSION_DENIED audit row


def allow(*callers):
    """These callers get OK; every other signed-in caller a 404; an anonymous one the login page."""
    unknown = set(callers) - set(SIGNED_IN)
    if unknown:
        raise ValueError(f"unknown callers {sorted(unknown)}")
    return {who: LOGIN if who == "anonymous" else OK if who in callers else NOT_FOUND for who in CALLERS}


def signed_in():
    return allow(*SIGNED_IN)


def everyone(answer=OK):
    return dict.fromkeys(CALLERS, answer)


def page(answers, **kwargs):
    return Rule("GET", answers, **kwargs)


def action(answers, **kwargs):
    return Rule("POST", answers, **kwargs)


EXPECTED = {
    # Public: no login, no content beyond what is published.
    "login": page(everyone()),  # a signed-in user is sent on to their dashboard
    "verify": page(everyone()),  # 材料核验: only whether a code or file is genuine
    "healthz": page(everyone()),  # probes: status words only
    "readyz": page(everyone()),
    "publicity:list": page(everyone()),
    "publicity:detail": page(everyone()),
    "logout": action(everyone(SIGNED_OUT)),
    # Any signed-in user, each about their own account, notices and landing page.
    "home": page(signed_in()),
    "no_post": page(signed_in()),
    "unit_seal": page(signed_in()),  # seals are printed on every document of the chain
    "account:overview": page(signed_in()),
    "account:password_change": page(signed_in()),
    "account:enrol": page(signed_in()),
    "account:verify": page(signed_in()),
    "account:recovery_codes": action(signed_in()),
    "account:remove": action(signed_in()),
    "account:keepalive": action(signed_in()),
    "notifications:inbox": page(signed_in()),
    "notifications:mark_all_read": action(signed_in()),
    # A notice is looked up among the user's own: another's is a 404, audited like every other refusal.
    "notifications:open": action(allow("clerk")),
    # Dashboards: by role, whatever the unit.
    "dashboards:county": page(allow(*APPLICANTS)),
    "dashboards:city": page(allow(*RECOMMENDERS)),
    "dashboards:province": page(allow(*PROVINCE)),
    # Each dashboard's charts as Excel: for the same posts as the dashboard (each sees its own numbers).
    # the workbooks of the pilot statistics: for the posts of a programme with pilot years, like the section
    "dashboards:county_excel": page(allow(*APPLICANTS)),
    "dashboards:city_excel": page(allow(*CITIES)),
    "dashboards:province_excel": page(allow("province")),
    "review:expert_dashboard": page(allow(*EXPERTS)),
    # The county: a new application; its draft (edit and submit: the head seals).
    "applications:new": page(allow(*APPLICANTS)),
    "applications:edit_declaration": page(allow(*COUNTY)),
    "applications:edit_scheme": page(allow(*COUNTY)),
    "applications:edit_part": page(allow(*COUNTY)),
    # the 专业化众创空间 call's office (孵化器协会/省科技厅) only; a 众创社区 call sends no 推荐公函 (404)
    "province:forwarding": page(allow("other_province")),
    "applications:edit_plan": page(allow(*COUNTY)),
    "applications:edit_spatial": page(allow(*COUNTY)),
    "applications:attachments": page(allow(*COUNTY)),
    "applications:delete_attachment": action(allow(*COUNTY)),
    "applications:submit": page(allow("head")),
    # The application in 公示: read, files and PDF by everybody on its chain. A transition posted by one
    # of them reaches the transition table, which refuses what their post may not do.
    "applications:detail": page(allow(*CHAIN)),
    "applications:download_attachment": page(allow(*CHAIN)),
    "applications:request_package": action(allow(*CHAIN)),
    "applications:package": page(allow(*CHAIN)),
    "applications:download_package": page(allow(*CHAIN)),
    "applications:transition": action(allow(*CHAIN)),
    "city:diff": page(allow(*CHAIN)),
    # The city: pages of a call are every recommender's own (another city sees its own inbox and letter);
    # the letter package and the ranking of an application belong to 南京 alone.
    "city:inbox": page(allow(*CITIES)),
    "city:ranking": page(allow(*CITIES)),
    "city:letter": page(allow(*CITIES)),
    "city:letter_seal": page(signed_in()),  # the seal a sent letter bears, as unit_seal
    "city:withdraw": action(allow(*CITIES)),
    "city:request_package": action(allow(*CITIES)),
    "city:package": page(allow("city")),
    "city:package_file": page(allow("city")),
    "city:move": action(allow("city")),
    "city:reorder": action(allow(*CITIES)),  # each city orders its own list
    "city:choose": action(allow("city")),
    # 初审 of a programme with a 推荐条件 checklist: its recommender confirms, item by item
    "city:confirm_checklist": action(allow("bureau")),
    # The expert: the commitment and scores of their own assignment; conflicts of their own.
    "review:commitment": page(allow("expert")),
    "review:score": page(allow("expert")),
    "review:conflicts": page(allow(*EXPERTS)),
    # The provincial office that runs the call; the expert pool is every provincial office's.
    "province:inbox": page(allow("province")),
    "province:package_file": page(allow("province")),
    "province:formal_review": page(allow("province")),
    "province:assignment": page(allow("province")),
    "province:assign": action(allow("province")),
    "province:progress": page(allow("province")),
    "province:reopen": action(allow("province")),
    "province:unassign": action(allow("province")),
    "province:conflict_ruling": action(allow("province")),
    "province:experts": page(allow(*PROVINCE)),
    "province:ranking": page(allow("province")),
    "province:decide": action(allow("province")),
    "province:cluster_pilot": action(allow("province")),
    "province:open_publicity": action(allow("province")),
    "province:publicity": page(allow("province")),
    "province:record_objection": action(allow("province")),
    "province:decide_objection": action(allow("province")),
    "province:confirm_pilots": action(allow("province")),
    "province:exports": page(allow("province")),
    "province:start_export": action(allow("province")),
    "province:export": page(allow("province")),
    "province:download_export": page(allow("province")),
    # 三权分立: the 审计管理员 reads and exports the log, the 省级管理员 reads it; the 系统管理员 watches the
    # system (the province too), manages accounts in the admin site, and sees no content.
    "audit_log": page(allow(*PROVINCE, "auditor")),
    "audit_export": page(allow("auditor")),
    "system_status": page(allow(*PROVINCE, "sysadmin")),
    # The pilot years: a pilot's annual reports are its county's, its city's and its provincial office's.
    # The county starts and fills them (an action refused by the report's own table still answers the page).
    # by post, like the dashboards, for the posts of a programme with pilot years (not seed 003's bureau or
    # association)
    "pilots:list": page(allow(*APPLICANTS, *CITIES, "province")),
    "pilots:start": action(allow(*COUNTY)),
    # 逾期未报送: the provincial office that assesses the pilot fails the year once the round has closed
    "pilots:fail_overdue": action(allow("province")),
    "pilots:report": page(allow(*COUNTY, "city", "province")),
    "pilots:act": action(allow(*COUNTY, "city", "province")),
    "pilots:upload_evidence": action(allow(*COUNTY)),
    "pilots:evidence_file": page(allow(*COUNTY, "city", "province")),
    "pilots:delete_evidence": action(allow(*COUNTY)),
}
