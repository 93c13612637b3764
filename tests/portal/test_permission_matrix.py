"""The permission matrix: every named URL of the URLconf × every caller, against the one table in
permission_matrix.py. A named URL the table does not decide, or a decision for a URL that is gone, fails."""

import itertools
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.domain.quota import endorsement_for
from applications.domain.submission import seal_and_submit
from applications.models import Application, ApplicationPart, Attachment, Endorsement, Package
from applications.status import Status
from demo.content import fill_application
from portal.accounts.roles import Role
from portal.accounts.seals import give_demo_seal
from portal.audit.models import AuditAction, AuditEvent
from portal.notifications.models import Notification
from review.domain.decisions import decide
from review.domain.publicity import open_publicity, record_objection
from review.models import Assignment, Commitment, ConflictDeclaration, ExportJob, Objection, Publicity
from review.pilots.models import AnnualReport, ReportEvidence

from ..applications.test_transitions import confirm_after_publicity, publish
from ..clock import beijing_midnight, freeze_time
from ..conftest import PortalClient
from ..factories import ApplicationFactory, drive, make_ready, user_with_role
from ..programmes.conftest import new_space_call, operator_under
from ..review.pilot_helpers import reporting_round, started_report
from ..review.scoring_helpers import give_scores
from .permission_matrix import CALLERS, EXPECTED, LOGIN, NOT_FOUND, OK, SIGNED_OUT

# Django's own admin site answers with its own login page and 403s; it is not ours to declare URL by URL.
# Its index is tested below; what a 系统管理员 may do inside is tests/audit/test_separation_of_duties.py.
SKIPPED_NAMESPACES = ("admin",)


def url_patterns(resolver=None, namespace="", prefix="", params=()):
    """(namespaced name, route, parameter names) of every URL pattern; the name is None for an unnamed one."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = f"{prefix}{pattern.pattern}"
        names = (*params, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner, route, names)
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else None), route, names


def named_urls():
    return {name: params for name, _, params in url_patterns() if name}


def test_every_url_has_a_name():
    unnamed = [route for name, route, _ in url_patterns() if name is None]
    assert unnamed == [], f"URL patterns without a name cannot be in the permission matrix: {unnamed}"


def test_the_table_decides_every_named_url_and_only_those():
    urls = set(named_urls())
    undecided = sorted(urls - set(EXPECTED))
    gone = sorted(set(EXPECTED) - urls)
    assert undecided == [], f"URLs without a line in tests/portal/permission_matrix.py: {undecided}"
    assert gone == [], f"lines in tests/portal/permission_matrix.py for URLs that no longer exist: {gone}"


def test_every_caller_is_decided_and_every_url_serves_someone():
    for name, rule in EXPECTED.items():
        assert set(rule.answers) == set(CALLERS), name
        served = {OK, SIGNED_OUT} & set(rule.answers.values())
        assert served, f"{name}: nobody may use it — remove the URL or allow someone"


@pytest.fixture
def world(call, people):
    """The application of 江宁区 in 公示 (with everything made on the way) and a draft of 江宁区."""
    province, city = people["province"], people["city"]
    experts = [people["expert"], user_with_role(Role.EXPERT, "320200"), user_with_role(Role.EXPERT, "320200")]
    pilot_start = timezone.localdate().year - 2
    with freeze_time(beijing_midnight(date(pilot_start, 5, 2))):  # a pilot in its third year: filed then
        sent = make_ready(ApplicationFactory(call=call, created_by=people["clerk"]))
        pilot = make_ready(ApplicationFactory(call=call, created_by=people["clerk"]))
        give_demo_seal(sent.recommender_unit)  # the sent letter bears it (city:letter_seal)
        # one letter sends both
        drive(pilot, ("submit", people["head"]), ("pass_initial_review", city), ("select_for_recommendation", city))
        drive(
            sent,
            ("submit", people["head"]),
            ("pass_initial_review", city),
            ("select_for_recommendation", city),
            ("send", city),
            ("accept", province),
        )
        pilot = drive(pilot, ("accept", province))
        give_scores(sent, experts, [80, 85, 90])
        give_scores(pilot, experts, [88, 90, 92])
        decide(call, [sent.pk, pilot.pk], "propose_filing", user=province)
        pilot = confirm_after_publicity(publish(pilot, people), province, pilot_start)
    publicity = open_publicity(
        call, [sent.pk], user=province, starts_on=timezone.localdate(), objection_contact="025-83232116"
    )
    objection = record_objection(publicity, sent, province, received_on=timezone.localdate(), summary="材料不实")
    sent.refresh_from_db()
    assert sent.status == Status.IN_PUBLICITY

    pdf = Package.objects.create(
        kind=Package.Kind.APPLICATION,
        application=sent,
        version_number=1,
        input_hash="matrix-application",
        verify_code="MATRIXAPP",
        state=Package.State.READY,
    )
    pdf.file.save("application.pdf", ContentFile(b"%PDF-1.7 application"))
    letter = Package.objects.create(
        kind=Package.Kind.ENDORSEMENT,
        endorsement=endorsement_for(call, sent.recommender_unit),
        letter=endorsement_for(call, sent.recommender_unit).letters.get(),
        input_hash="matrix-letter",
        verify_code="MATRIXLET",
        state=Package.State.READY,
    )
    letter.file.save("letter.pdf", ContentFile(b"%PDF-1.7 letter"))
    letter.archive.save("letter.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    export = ExportJob.objects.create(
        call=call, kind=ExportJob.Kind.WORKBOOK, state=ExportJob.State.READY, created_by=province
    )
    export.file.save("export.xlsx", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    notice = Notification.objects.create(
        user=people["clerk"], message="您的申报已进入公示", link=sent.get_absolute_url()
    )

    draft = make_ready(ApplicationFactory(call=call, created_by=people["clerk"]))
    open_round = reporting_round(pilot, pilot.pilot_start_year + 1)
    report = started_report(pilot, open_round.year, people["head"], {"i1": "20"})
    evidence = ReportEvidence.objects.create(
        report=report,
        stored_name="matrix-evidence.pdf",
        original_name="统计报表.pdf",
        content_type="application/pdf",
        size=20,
        sha256="0" * 64,
        uploaded_by=people["clerk"],
    )
    evidence.file.save("matrix-evidence.pdf", ContentFile(b"%PDF-1.7 evidence"))

    # The 系统管理员 as seed_demo sets him up: the admin site, with the account and call permissions.
    sysadmin = people["sysadmin"]
    sysadmin.is_staff = True
    sysadmin.save()
    sysadmin.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["accounts", "calls"]))

    callers = {
        "anonymous": None,
        **{who: people[who] for who in ("clerk", "head", "other_head", "city", "other_city", "province", "expert")},
        "other_clerk": user_with_role(Role.APPLICANT_CLERK, "320583", username="ks_clerk"),
        "other_province": user_with_role(Role.PROVINCE, "320000-FHQXH", username="fhq_province"),
        "other_expert": user_with_role(Role.EXPERT, "320500", username="other_expert"),
        "sysadmin": sysadmin,
        "auditor": user_with_role(Role.AUDITOR, "320000-KJT", username="auditor"),
        "bureau": user_with_role(Role.RECOMMENDER, "320100-KJJ", username="nj_bureau"),
    }
    space_call = new_space_call()
    space_sent = submitted_space(space_call)
    return SimpleNamespace(
        call=call,
        space_call=space_call,
        space_sent=space_sent,
        sent=sent,
        draft=draft,
        pdf=pdf,
        letter=letter,
        export=export,
        publicity=publicity,
        objection=objection,
        assignment=Assignment.objects.get(application=sent, expert=people["expert"]),
        notice=notice,
        pilot=pilot,
        report=report,
        open_round=open_round,
        evidence=evidence,
        callers=callers,
    )


def submitted_space(call, operator=("OP-MATRIX-JN", "南京某科技有限公司"), name="网络通信专业化众创空间"):
    """A 专业化众创空间 of an operator in 江宁区, filed complete and awaiting 南京市科学技术局's 初审."""
    operator = operator_under("320115", *operator)
    head = user_with_role(Role.APPLICANT_HEAD, operator)
    application = ApplicationFactory(call=call, filing_unit=operator, name=name, created_by=head)
    fill_application(application, head)
    give_demo_seal(operator)
    operator.refresh_from_db()
    return seal_and_submit(application, head, render=False)


def url_parameters(world):
    """What each URL's parameters stand for in the world. A tuple is several values, each called.
    `call_pk` is always the call; every other parameter is stated per URL, since `pk` means many things."""
    sent, draft = world.sent, world.draft
    on_sent = {"pk": sent.pk}
    on_draft = {"pk": draft.pk}
    return {
        **dict.fromkeys(
            ("applications:edit_declaration", "applications:edit_scheme", "applications:edit_plan"), on_draft
        ),
        **dict.fromkeys(("applications:edit_spatial", "applications:attachments", "applications:submit"), on_draft),
        "applications:edit_part": {**on_draft, "part": ("scheme", "declaration")},
        "province:forwarding": {"call_pk": world.space_call.pk},
        "applications:delete_attachment": {**on_draft, "attachment_pk": draft.attachments.first().pk},
        "applications:detail": on_sent,
        "applications:transition": {**on_sent, "action": "confirm_pilot"},
        "applications:download_attachment": {**on_sent, "attachment_pk": sent.attachments.first().pk},
        "applications:request_package": on_sent,
        "applications:package": {**on_sent, "package_pk": world.pdf.pk},
        "applications:download_package": {**on_sent, "package_pk": world.pdf.pk},
        "city:package": {"package_pk": world.letter.pk},
        "city:letter_seal": {"pk": world.letter.letter_id},
        "city:package_file": {"package_pk": world.letter.pk, "fmt": ("pdf", "zip")},
        "province:package_file": {"package_pk": world.letter.pk, "fmt": ("pdf", "zip")},
        "city:move": {**on_sent, "direction": "up"},
        "city:choose": {**on_sent, "action": "deselect"},
        "city:diff": on_sent,
        "city:confirm_checklist": {"pk": world.space_sent.pk},
        "review:score": {"pk": world.assignment.pk},
        "province:formal_review": on_sent,
        "province:assign": on_sent,
        "province:cluster_pilot": on_sent,
        "province:reopen": {"pk": world.assignment.pk},
        "province:unassign": {"pk": world.assignment.pk},
        "province:conflict_ruling": {"pk": world.assignment.pk},
        "province:publicity": {"pk": world.publicity.pk},
        "province:record_objection": {"pk": world.publicity.pk},
        "province:confirm_pilots": {"pk": world.publicity.pk},
        "province:decide_objection": {"pk": world.objection.pk},
        "province:export": {"pk": world.export.pk},
        "province:download_export": {"pk": world.export.pk},
        "publicity:detail": {"pk": world.publicity.pk},
        "notifications:open": {"pk": world.notice.pk},
        "unit_seal": {"pk": sent.filing_unit_id},
        "audit_export": {"fmt": ("csv", "xlsx")},
        "pilots:report": {"pk": world.report.pk},
        "pilots:act": {"pk": world.report.pk, "action": "submit"},
        "pilots:upload_evidence": {"pk": world.report.pk},
        "pilots:evidence_file": {"pk": world.evidence.pk},
        "pilots:delete_evidence": {"pk": world.evidence.pk},
    }


def post_bodies(world):
    """What a POST carries: the real act each form would send, so that a refused caller is seen to try it."""
    sent, call, county = world.sent, world.call, world.sent.filing_unit
    other_expert = world.callers["other_expert"]
    return {
        "applications:new": {"call": call.pk, "unit": county.pk, "name": "越权新建"},
        "applications:edit_declaration": {"leader": "越权"},
        "applications:edit_scheme": {"revision": "1"},
        "applications:edit_plan": {"revision": "1"},
        "applications:edit_spatial": {"started": "yes"},
        "applications:submit": {"opinion": "同意报送。"},
        "applications:transition": {"reason": "越权"},
        "city:letter": {"action": "submit", "contact_person": "越权"},
        "city:withdraw": {"reason": "越权撤回"},
        "province:formal_review": {"action": "accept"},
        "province:assignment": {"per_application": "3"},
        "province:assign": {"expert": other_expert.pk, "reason": "越权分配"},
        "province:reopen": {"reason": "越权重开"},
        "province:unassign": {"reason": "越权撤销"},
        "province:conflict_ruling": {"ruling": "discarded", "reason": "越权作废"},
        "province:experts": {"expert": other_expert.pk, "unit": county.pk, "reason": "越权登记"},
        "province:decide": {"ids": [sent.pk], "decision": "reject", "reason": "越权"},
        "province:cluster_pilot": {"confirmed": "1"},
        "province:open_publicity": {"ids": [sent.pk], "objection_contact": "越权"},
        "province:record_objection": {"application": sent.pk, "summary": "越权异议"},
        "province:decide_objection": {"outcome": Objection.Outcome.UPHELD, "note": "越权"},
        "province:confirm_pilots": {"ids": [sent.pk], "start_year": "2027"},
        "province:start_export": {"kind": ExportJob.Kind.WORKBOOK},
        "review:commitment": {"agree": "on"},
        "review:score": {"action": "submit"},
        "review:conflicts": {"unit": county.pk, "reason": "越权"},
        "pilots:start": {"pilot": world.pilot.pk, "round": world.open_round.pk},
        "pilots:fail_overdue": {"pilot": world.pilot.pk, "round": world.open_round.pk, "reason": "越权"},
        "pilots:report": {"i1": "99", "narrative": "越权"},
        "pilots:act": {"reason": "越权"},
    }


def observable():
    """What a refused POST must leave exactly as it was."""
    return (
        list(Application.objects.order_by("pk").values_list("status", "version", "cluster_pilot", "updated_at")),
        list(ApplicationPart.objects.order_by("pk").values_list("pk", "revision")),
        list(Attachment.objects.order_by("pk").values_list("pk", flat=True)),
        AuditEvent.objects.filter(action=AuditAction.TRANSITION).count(),
        list(Assignment.objects.order_by("pk").values_list("pk", "submitted_at")),
        list(Endorsement.objects.order_by("pk").values_list("pk", "submitted_at")),
        list(Objection.objects.order_by("pk").values_list("pk", "outcome")),
        [model.objects.count() for model in (Commitment, ConflictDeclaration, ExportJob, Package, Publicity)],
        Notification.objects.filter(read_at__isnull=True).count(),
        TOTPDevice.objects.count(),
        list(AnnualReport.objects.order_by("pk").values_list("pk", "status", "actuals", "narrative")),
        list(ReportEvidence.objects.order_by("pk").values_list("pk", flat=True)),
    )


def calls_of(name, params, values):
    """Every URL to call for a name: one per combination of the parameters' values."""
    given = {"call_pk": values.get("call_pk"), **values.get(name, {})}
    missing = [p for p in params if p not in given or given[p] is None]
    if missing:
        raise AssertionError(f"{name}: no value for {missing}; add one to url_parameters()")
    choices = [given[p] if isinstance(given[p], tuple) else (given[p],) for p in params]
    return [
        reverse(name, kwargs=dict(zip(params, combination, strict=True))) for combination in itertools.product(*choices)
    ]


@dataclass(frozen=True)
class Answer:
    status: int
    location: str  # where a redirect goes (path only)
    back_to: list  # the login page's `next`
    denied: bool  # a PERMISSION_DENIED audit row was written
    changed: bool  # a POST changed something observable
    signed_in: bool  # the client is still signed in afterwards


def answer(client, method, url, body):
    """One request, observed inside a savepoint that is then rolled back, so every cell sees the same world."""
    with transaction.atomic():
        before = observable() if method == "POST" else None
        denied_before = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count()
        response = client.post(url, body) if method == "POST" else client.get(url)
        if response.streaming:  # read to the end: a file is only served once it is read (and closed)
            b"".join(response.streaming_content)
        target = urlparse(response.get("Location", ""))
        result = Answer(
            status=response.status_code,
            location=target.path,
            back_to=parse_qs(target.query).get("next", []),
            denied=AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() > denied_before,
            changed=method == "POST" and observable() != before,
            signed_in=session_of(client) is not None and "_auth_user_id" in client.session,
        )
        transaction.set_rollback(True)
    return result


def mismatch(expected, got, url, logged=True):
    """Why the answer is not the expected one, or None."""
    login = reverse("login")
    if expected == OK:
        right = got.status in (200, 204) or (got.status == 302 and got.location != login)
    elif expected == NOT_FOUND:
        if got.status == 404 and logged and not got.denied:
            return "404 without a PERMISSION_DENIED audit row"
        right = got.status == 404
    elif expected == LOGIN:
        right = got.status == 302 and got.location == login and got.back_to == [url]
    else:
        assert expected == SIGNED_OUT, expected
        right = got.status == 302 and got.location == login and not got.signed_in
    if right and expected != OK and got.changed:
        return "refused, yet the world changed"
    return None if right else f"got {got.status}{' → ' + got.location if got.location else ''}"


def signed_in_client(user):
    client = PortalClient()
    if user is not None:
        client.force_login(user)
    return client


def session_of(client):
    cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


def test_permission_matrix(world, settings):
    """Every named URL × every caller. A refused caller also POSTs to pages (forms included) and must get the
    same refusal and change nothing. Every wrong cell is listed, not just the first."""
    settings.VERIFY_RATE_LIMIT = settings.LOGIN_RATE_LIMIT = "100000/m"
    values = {"call_pk": world.call.pk, **url_parameters(world)}
    bodies = post_bodies(world)
    urls = {name: calls_of(name, params, values) for name, params in named_urls().items()}
    problems = []
    for who in CALLERS:
        client = signed_in_client(world.callers[who])
        for name, rule in EXPECTED.items():
            if name not in urls:
                continue  # test_the_table_decides_every_named_url_and_only_those says so
            expected = rule.answers[who]
            methods = [rule.method]
            if rule.method == "GET" and expected in (NOT_FOUND, LOGIN):
                methods.append("POST")  # a forged form post is refused like the page
            for url, method in itertools.product(urls[name], methods):
                session = session_of(client)
                try:
                    problem = mismatch(expected, answer(client, method, url, bodies.get(name, {})), url, rule.logged)
                except Exception as error:  # a 500: listed with the rest
                    problem = f"raised {error!r}"
                if problem:
                    problems.append(f"{who:>12} {method:4} {name} ({url}): expected {expected}, {problem}")
                if session_of(client) != session:  # signed out (or in) by the call
                    client = signed_in_client(world.callers[who])
    assert problems == [], "\n".join(["permission matrix mismatches:", *problems])


def test_admin_site_is_the_sysadmins_alone(world):
    """Skipped in the matrix: its index opens for the 系统管理员 (staff), everybody else gets its login page."""
    url = reverse("admin:index")
    for who in CALLERS:
        response = signed_in_client(world.callers[who]).get(url)
        if who == "sysadmin":
            assert response.status_code == 200, who
        else:
            assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), who
