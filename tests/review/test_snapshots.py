"""What was sent, sealed or published stays as it was (issue #18, property 4), tested as a class: each act
is performed, then users change what it rests on the ways they can (the county edits after a return, the
系统管理员 renames the units and retitles the call, later letters, decisions and scores, a new seal), and the
document its readers get is the same as at the act."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from applications.domain.certificates import certificate_of
from applications.models import Application, ApplicationPart, ApplicationVersion, Package
from applications.packages.build import build_certificate_pdf
from applications.status import Status
from portal.accounts.models import Unit
from portal.accounts.roles import Role
from portal.accounts.seals import draw_demo_seal, give_demo_seal
from portal.audit.models import AuditAction, AuditEvent
from review.domain.batches import BatchRefused
from review.domain.decisions import decide
from review.domain.forwarding import forwarding_letter, send_forwarding_letter
from review.domain.publicity import open_publicity

from ..applications.test_packages import page_texts
from ..applications.test_sent_letters import SUZHONG_CITY, SUZHONG_COUNTY, choose, filed, letter_card, send
from ..applications.test_transitions import reach
from ..audit.conftest import staff_sysadmin  # noqa: F401 — the 系统管理员 with the admin site
from ..conftest import PortalClient
from ..factories import ApplicationFactory, drive, make_ready, unit, user_with_role
from ..programmes.conftest import space_call  # noqa: F401 — seed 003's call, for the 推荐公函
from ..programmes.test_zyhzckj_chain import both_proposed, chain  # noqa: F401
from .conftest import expert_pool
from .scoring_helpers import give_scores


@dataclass
class Issued:
    call: object
    read: Callable  # () -> the document as its readers get it
    units: tuple  # the units it names
    later: Callable = field(default=lambda: None)  # what users do afterwards on the records it rests on


def reader(user):
    client = PortalClient()
    client.force_login(user)
    return client


def fragment(page, pattern):
    found = re.search(pattern, page, re.S)
    assert found, page
    return found.group(1)


def frozen(version):
    version = ApplicationVersion.objects.get(pk=version.pk)
    return version.parts, version.files, version.content_hash, version.frozen_at


def sealed_version(request):
    application, people = request.getfixturevalue("application"), request.getfixturevalue("people")
    drive(application, ("submit", people["head"]))
    first = application.versions.get(number=1)

    def edits_after_a_return():
        drive(application, ("return_to_applicant", people["city"], "请补充建设基础"))
        clerk = reader(people["clerk"])
        scheme = ApplicationPart.objects.get(application=application, key="scheme")
        clerk.post(
            reverse("applications:edit_scheme", args=[application.pk]),
            {"foundation": "退回后重写的建设基础", "revision": scheme.revision},
        )
        attachment = application.attachments.first()
        clerk.post(reverse("applications:delete_attachment", args=[application.pk, attachment.pk]))
        assert "退回后重写的建设基础" in str(ApplicationPart.objects.get(pk=scheme.pk).data)
        assert not application.attachments.filter(pk=attachment.pk).exists()

    return Issued(application.call, lambda: frozen(first), (application.filing_unit,), edits_after_a_return)


def _city_letters(request):
    call, province = request.getfixturevalue("call"), request.getfixturevalue("people")["province"]
    give_demo_seal(unit(SUZHONG_CITY))
    city = user_with_role(Role.RECOMMENDER, SUZHONG_CITY)
    first = choose(filed(call, SUZHONG_COUNTY, 2), city)
    send(call, city, first)
    late = choose(filed(call, SUZHONG_COUNTY, 1), city)
    return call, province, city, first, late


def city_letter(request):
    call, province, city, first, late = _city_letters(request)

    def what_follows():
        for application in first:
            drive(application, ("accept", province), ("start_expert_review", province))
        send(call, city, late)  # a 补充推荐函
        unit(SUZHONG_CITY).seal.save("replaced.png", ContentFile(draw_demo_seal("另一枚印章")), save=True)

    read = lambda: letter_card(reader(city), call, 1)  # noqa: E731
    return Issued(call, read, (unit(SUZHONG_COUNTY), unit(SUZHONG_CITY)), what_follows)


def supplementary_letter(request):
    call, province, city, first, late = _city_letters(request)
    send(call, city, late)

    def what_follows():
        for application in [*first, *late]:
            drive(application, ("accept", province))
        unit(SUZHONG_CITY).seal.save("replaced.png", ContentFile(draw_demo_seal("另一枚印章")), save=True)

    read = lambda: letter_card(reader(city), call, 2)  # noqa: E731
    return Issued(call, read, (unit(SUZHONG_COUNTY), unit(SUZHONG_CITY)), what_follows)


def province_forwarding_letter(request):
    """Seed 003: the province's 推荐公函 to 科技部, read on its page."""
    nano, software = request.getfixturevalue("both_proposed")
    department = request.getfixturevalue("chain")["department"]
    letter = forwarding_letter(nano.call)
    letter.contact_person, letter.contact_phone, letter.letter_date = "张迪", "025-83379768", timezone.localdate()
    letter.document_number = "苏科高函〔2026〕3号"
    letter.save()
    send_forwarding_letter(nano.call, [software.pk, nano.pk], user=department)

    def read():
        page = reader(department).get(reverse("province:forwarding", args=[nano.call_id])).content.decode()
        return fragment(page, r'class="card-body letter-preview">(.*?)</div>\s*</div>\s*</section>')

    return Issued(nano.call, read, (nano.filing_unit, software.filing_unit, letter.recommender_unit))


def published_publicity(request):
    call, people, accepted = (request.getfixturevalue(name) for name in ("call", "people", "accepted"))
    application, other = accepted
    give_scores(application, expert_pool(3), [80, 85, 90])
    decide(call, [application.pk], "propose_filing", user=people["province"])
    publicity = open_publicity(
        call, [application.pk], user=people["province"], starts_on=timezone.localdate(), objection_contact="省科技厅"
    )

    def later_scores_and_decisions():
        give_scores(other, expert_pool(3, "320200"), [70, 72, 75])
        decide(call, [other.pk], "reject", user=people["province"], reason="产业特色不鲜明")

    def read():
        page = PortalClient().get(reverse("publicity:detail", args=[publicity.pk])).content.decode()
        return fragment(page, r"(<article.*?</article>)")

    return Issued(call, read, (application.filing_unit, application.recommender_unit), later_scores_and_decisions)


def decision(request):
    call, people, accepted = (request.getfixturevalue(name) for name in ("call", "people", "accepted"))
    rejected, other = accepted
    experts = expert_pool(3)
    for application in accepted:
        give_scores(application, experts, [60, 62, 65])
    decide(call, [rejected.pk], "reject", user=people["province"], reason="产业特色不鲜明")

    def a_second_decision_on_it():
        with pytest.raises(BatchRefused, match=rejected.name):  # refused whole
            decide(call, [other.pk, rejected.pk], "propose_filing", user=people["province"], reason="")

    def read():
        row = Application.objects.get(pk=rejected.pk)
        logged = AuditEvent.objects.for_object(row).filter(action=AuditAction.TRANSITION, to_status=Status.REJECTED)
        return row.status, row.status_reason, list(logged.values_list("reason", flat=True))

    return Issued(call, read, (rejected.filing_unit,), a_second_decision_on_it)


def certificate(request):
    """The 认定证书 is rendered by the worker after the act, maybe after a rename: it shows the 认定 as made."""
    call, people = request.getfixturevalue("call"), request.getfixturevalue("people")
    pilot = reach(Status.UNDER_ACCEPTANCE, make_ready(ApplicationFactory(call=call)), people)
    give_demo_seal(call.receiver)
    recognised = drive(pilot, ("recognise", people["province"], "评估验收合格"))

    def read():  # as the worker renders it: the package read afresh
        package = Package.objects.get(pk=certificate_of(recognised).pk)
        (text,) = page_texts(build_certificate_pdf(package).pdf, layout=False)
        return "".join(text.split())

    return Issued(call, read, (recognised.filing_unit, call.receiver))


DOCUMENTS = {
    "报送版本": sealed_version,
    "推荐函": city_letter,
    "补充推荐函": supplementary_letter,
    "推荐公函": province_forwarding_letter,
    "公示": published_publicity,
    "备案决定": decision,
    "认定证书": certificate,
}


def renamed_by_the_sysadmin(client, sysadmin, unit_):
    """The unit's change page in the admin site, posted back with a new name and every other field as it was."""
    client.force_login(sysadmin)
    fields = {key: "" if value is None else value for key, value in model_to_dict(unit_, exclude=["seal"]).items()}
    fields["is_active"] = "on" if unit_.is_active else ""
    renamed = client.post(
        reverse("admin:accounts_unit_change", args=[unit_.pk]), {**fields, "name": f"{unit_.name}（更名）"}
    )
    assert renamed.status_code == 302, renamed.content.decode()[:3000]
    assert Unit.objects.get(pk=unit_.pk).name.endswith("（更名）")


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_what_was_sent_sealed_or_published_stays_as_it_was(request, client, staff_sysadmin, kind):  # noqa: F811
    issued = DOCUMENTS[kind](request)
    as_issued = issued.read()
    issued.later()
    for named in issued.units:
        renamed_by_the_sysadmin(client, staff_sysadmin, named)
    issued.call.title = "改写后的通知标题"
    issued.call.save()  # what an edit of the call in the admin site saves
    assert issued.read() == as_issued
