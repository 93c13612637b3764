"""Seed 003's chain on the shared machinery: a 运营主体 files; a 设区市科技局 and a 国家高新区管委会 each
recommend with the 主管部门信用承诺书; the 孵化器协会 accepts; experts score on the programme's rubric; the
province chooses and sends its 推荐公函 to 科技部. Nothing here is specific code: the same transition
table, letters, assignment, scoring and PDF pipeline as the first programme."""

import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.confirmation import confirm_items, unconfirmed_items
from applications.domain.content import save_part
from applications.domain.submission import seal_and_submit
from applications.domain.transitions import FILING_OPINION, RECOMMENDER_OPINION, perform
from applications.forms.endorsement import LetterForm
from applications.models import Application, ApplicationPart, Endorsement, Package, SentLetter
from applications.packages.build import sent_applications, verify_url
from applications.programmes.zyhzckj import PROGRAMME
from applications.programmes.zyhzckj.eligibility import ITEMS
from applications.programmes.zyhzckj.rubric import DEFAULT_RUBRIC
from applications.status import Status
from demo.content import fill_application
from portal.accounts.models import Unit
from portal.accounts.regions import INCUBATOR_ASSOCIATION_CODE, STI_DEPARTMENT_CODE
from portal.accounts.roles import Role
from portal.accounts.seals import SIZE as SEAL_PIXELS
from portal.audit.models import AuditAction, AuditEvent
from portal.workflow import TransitionRefused
from review.domain.batches import BatchRefused
from review.domain.decisions import decide
from review.domain.forwarding import forwarding_letter, send_forwarding_letter
from review.domain.rounds import run_automatic_assignment
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment, save_scores

from ..applications.fidelity import MM, Paper
from ..applications.test_packages import page_texts, pdf_bytes
from ..factories import give_demo_seal, send_to_province, user_with_role
from ..review.conftest import expert_pool
from .conftest import operator_under


def file_space(call, operator, name):
    head = user_with_role(Role.APPLICANT_HEAD, operator)
    application = Application.objects.create(
        call=call, filing_unit=operator, recommender_unit=_recommender(call, operator), name=name, created_by=head
    )
    fill_application(application, head)
    give_demo_seal(operator)
    operator.refresh_from_db()
    return seal_and_submit(application, head, render=False)


def _recommender(call, operator):
    from portal.calls.recommenders import recommender_for

    return recommender_for(call, operator)


def recommend(application):
    recommender = user_with_role(Role.RECOMMENDER, application.recommender_unit)
    give_demo_seal(application.recommender_unit)
    confirm_items(application, recommender, {item.key for item in ITEMS})
    for action in ("pass_initial_review", "select_for_recommendation"):
        application = perform(application, action, recommender)
    send_to_province(application.call, application.recommender_unit, recommender, render=False)
    return Application.objects.get(pk=application.pk)


def scored(application, province, points=8):
    for assignment in application.assignments.select_related("expert", "application__call"):
        accept_commitment(assignment.expert, application.call)
        values = {c.pk: str(min(points, c.max_points)) for c in rubric_for(application.call)}
        assert save_scores(assignment, assignment.expert, values, "符合验收要求。", submit=True) == {}
    return perform(Application.objects.get(pk=application.pk), "complete_expert_review", province)


@pytest.fixture
def chain(space_call):
    kunshan = operator_under("320583", "OP-CHAIN-KS", "苏州纳米创新研究院")
    nanjing_zone = Unit.objects.get(code="320100-G01")  # 南京高新技术产业开发区, 国家级
    zone_operator = operator_under("320100-G01", "OP-CHAIN-NJ", "南京紫金智谷科技有限公司")
    nano = file_space(space_call, kunshan, "纳米新材料专业化众创空间")
    software = file_space(space_call, zone_operator, "工业软件专业化众创空间")
    return {
        "nano": nano,
        "software": software,
        "zone": nanjing_zone,
        "association": user_with_role(Role.PROVINCE, INCUBATOR_ASSOCIATION_CODE),
        "department": user_with_role(Role.PROVINCE, STI_DEPARTMENT_CODE),
    }


def test_the_operator_signs_the_applicants_pledge_instead_of_an_opinion(chain, space_call):
    opinion = ApplicationPart.objects.get(application=chain["nano"], key=FILING_OPINION).data
    assert opinion["text"] == PROGRAMME.chain.filing_pledge and opinion["sealed_at"]
    # a text forged into the act changes nothing: the programme's pledge is what is sealed
    head = user_with_role(Role.APPLICANT_HEAD, chain["software"].filing_unit)
    third = Application.objects.create(
        call=space_call,
        filing_unit=chain["software"].filing_unit,
        recommender_unit=chain["software"].recommender_unit,
        name="第三专业化众创空间",
        created_by=head,
    )
    fill_application(third, head)
    seal_and_submit(third, head, "自拟的意见", render=False)
    assert (
        ApplicationPart.objects.get(application=third, key=FILING_OPINION).data["text"] == PROGRAMME.chain.filing_pledge
    )


def test_a_science_bureau_and_a_national_zone_each_recommend_with_the_supervisors_pledge(chain):
    nano, software = chain["nano"], chain["software"]
    assert nano.recommender_unit.code == "320500-KJJ" and software.recommender_unit == chain["zone"]
    assert nano.status == software.status == Status.SUBMITTED
    for application in (nano, software):
        recommended = recommend(application)
        assert recommended.status == Status.RECOMMENDED
        opinion = ApplicationPart.objects.get(application=application, key=RECOMMENDER_OPINION).data
        assert opinion["text"] == PROGRAMME.chain.recommender_pledge and opinion["sealed_at"]
        assert "本主管部门在审查推荐过程中，无违规推荐" in opinion["text"]
    letters = Endorsement.objects.filter(call=nano.call, level=Endorsement.Level.RECOMMENDATION)
    assert {letter.recommender_unit.code for letter in letters} == {"320500-KJJ", "320100-G01"}


def test_the_association_accepts_experts_score_and_the_department_forwards_the_best(
    chain, space_call, django_capture_on_commit_callbacks, tmp_path
):
    nano, software = (recommend(chain[key]) for key in ("nano", "software"))
    association, department = chain["association"], chain["department"]
    for application in (nano, software):
        perform(application, "accept", association)
    expert_pool(4)
    run_automatic_assignment(space_call, department, seed=3)
    assert [c.name for c in rubric_for(space_call)] == [name for name, _, _ in DEFAULT_RUBRIC]
    nano, software = scored(nano, department, 9), scored(software, department, 6)
    decide(space_call, [nano.pk], "propose_filing", user=department)
    decide(space_call, [software.pk], "reject", user=department, reason="专业化服务能力不足")
    proposed = Application.objects.get(pk=nano.pk)
    with pytest.raises(TransitionRefused) as no_publicity:
        perform(proposed, "publicize", department)
    assert no_publicity.value.code == "not_in_programme"
    with pytest.raises(TransitionRefused) as alone:
        perform(proposed, "forward", department)
    assert alone.value.code == "letter_required"  # only with the 推荐公函

    letter = Endorsement.objects.get_or_create(
        call=space_call, recommender_unit=space_call.issuing_body, defaults={"level": Endorsement.Level.FORWARDING}
    )[0]
    with pytest.raises(BatchRefused, match="推荐公函尚缺：发文字号、联系人"):
        send_forwarding_letter(space_call, [nano.pk], user=department)
    letter.contact_person, letter.contact_phone, letter.letter_date = "张迪", "025-83379768", timezone.localdate()
    letter.document_number = "苏科高函〔2026〕3号"
    letter.save()
    with pytest.raises(BatchRefused, match="不在“拟推荐”之列"):
        send_forwarding_letter(space_call, [nano.pk, software.pk], user=department)
    assert Application.objects.get(pk=nano.pk).status == Status.PROPOSED  # nothing moved
    give_demo_seal(space_call.issuing_body)
    with django_capture_on_commit_callbacks(execute=True):  # the PDF is rendered after commit (in-process here)
        send_forwarding_letter(space_call, [nano.pk], user=department)
    assert Application.objects.get(pk=nano.pk).status == Status.FORWARDED
    letter.refresh_from_db()
    assert letter.is_submitted and [a.pk for a in sent_applications(letter)] == [nano.pk]
    package = Package.objects.get(endorsement=letter, kind=Package.Kind.ENDORSEMENT)
    assert package.state == Package.State.READY, package.error
    first, *rest = page_texts(pdf_bytes(package), layout=False)
    flat = "".join(first.split())
    assert "中华人民共和国科学技术部：" in flat and "江苏省科学技术厅关于推荐" in flat
    assert "择优推荐以下1家专业化众创空间" in flat and "纳米新材料专业化众创空间" in flat
    assert any("国家专业化众创空间基础信息表" in text for text in rest)  # the application's own package follows
    with zipfile.ZipFile(package.archive.open("rb")) as archive:  # the letter travels as the 推荐公函 it is
        assert archive.namelist()[0] == "00-江苏省科学技术厅推荐公函及排序名单.pdf"
    assert package.letter.entries[0]["name"] == nano.name  # rendered from what was sent
    assert_forwarding_letter_on_paper(package, letter, tmp_path)
    with pytest.raises(BatchRefused, match="已报送"):
        send_forwarding_letter(space_call, [nano.pk], user=department)


def test_the_forwarding_page_is_the_managing_offices_and_only_for_such_programmes(client, chain, people, call):
    url = reverse("province:forwarding", args=[chain["nano"].call_id])
    client.force_login(chain["department"])
    page = client.get(url).content.decode()
    assert "推荐公函" in page and "中华人民共和国科学技术部" in page
    board = client.get(reverse("province:ranking", args=[chain["nano"].call_id])).content.decode()
    assert '">已推荐上报</option>' in board and '">备案试点</option>' not in board  # its own steps' statuses
    client.force_login(people["province"])  # the 众创社区 office: not this call's
    assert client.get(url).status_code == 404
    assert client.get(reverse("province:forwarding", args=[call.pk])).status_code == 404  # 众创社区 sends none


def test_only_the_managing_office_forwards_and_only_with_the_letter(chain, space_call, people):
    """The table's `forward` row: everybody but the call's provincial office is refused as not allowed."""
    nano = recommend(chain["nano"])
    department = chain["department"]
    perform(nano, "accept", chain["association"])
    expert_pool(3)
    run_automatic_assignment(space_call, department, seed=5)
    nano = scored(nano, department)
    proposed = perform(nano, "propose_filing", department)
    operator_head = proposed.filing_unit.memberships.get(role=Role.APPLICANT_HEAD).user
    bureau = user_with_role(Role.RECOMMENDER, proposed.recommender_unit)
    for who in (operator_head, bureau, people["province"], people["city"], people["expert"], people["sysadmin"]):
        with pytest.raises(TransitionRefused) as refused:
            perform(proposed, "forward", who)
        assert refused.value.code == "not_allowed"
    assert Application.objects.get(pk=proposed.pk).status == Status.PROPOSED


def test_the_recommender_confirms_each_condition_before_its_first_review_passes(client, chain):
    nano = chain["nano"]
    bureau = user_with_role(Role.RECOMMENDER, nano.recommender_unit)
    with pytest.raises(TransitionRefused) as waiting:
        perform(nano, "pass_initial_review", bureau)
    assert waiting.value.code == "checklist_unconfirmed" and "尚未完成推荐条件核实" in waiting.value.message
    client.force_login(bureau)
    page = client.get(nano.get_absolute_url()).content.decode()
    assert "推荐条件核实" in page and "（申报单位：是）" in page
    url = reverse("city:confirm_checklist", args=[nano.pk])
    all_but_one = [item.key for item in ITEMS[1:]]
    assert "尚有 1 项未确认" in client.post(url, {"confirmed": all_but_one}, follow=True).content.decode()
    with pytest.raises(TransitionRefused):
        perform(nano, "pass_initial_review", bureau)
    client.post(url, {"confirmed": [item.key for item in ITEMS]})
    record = ApplicationPart.objects.get(application=nano, key="eligibility_review").data
    assert record["confirmed_by"] == bureau.username and record[ITEMS[0].key] == "yes"
    assert perform(nano, "pass_initial_review", bureau).status == Status.CITY_PASSED
    assert client.post(url, {"confirmed": []}).status_code == 404  # after 初审 the record stands


def test_the_recommender_confirms_each_yes_and_only_the_yeses(chain):
    """unconfirmed_items (the guard's rule): every 是 of the applicant needs the recommender's 是; a 否 needs none."""
    nano = chain["nano"]
    bureau = user_with_role(Role.RECOMMENDER, nano.recommender_unit)
    confirm_items(nano, bureau, {item.key for item in ITEMS})
    assert unconfirmed_items(nano) == []
    confirm_items(nano, bureau, {item.key for item in ITEMS if item.key != "investment"})
    assert [item.key for item in unconfirmed_items(nano)] == ["investment"]
    answers = ApplicationPart.objects.get(application=nano, key="eligibility")
    head = user_with_role(Role.APPLICANT_HEAD, nano.filing_unit)
    save_part(nano, "eligibility", {**answers.data, "investment": "no"}, answers.revision, head)
    assert unconfirmed_items(nano) == []


def test_the_province_exports_the_space_call_as_it_does_the_first_programmes(
    client, chain, space_call, django_capture_on_commit_callbacks
):
    from io import BytesIO

    from openpyxl import load_workbook

    from review.models import ExportJob

    nano = recommend(chain["nano"])
    department = chain["department"]
    perform(nano, "accept", chain["association"])
    expert_pool(3)
    run_automatic_assignment(space_call, department, seed=9)
    scored(nano, department, 7)
    client.force_login(department)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("province:start_export", args=[space_call.pk]), {"kind": ExportJob.Kind.WORKBOOK})
    job = ExportJob.objects.get(call=space_call)
    assert job.state == ExportJob.State.READY, job.error
    response = client.get(reverse("province:download_export", args=[job.pk]))
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, *rows = list(workbook["申报信息"].iter_rows(values_only=True))
    assert "省级众创集聚区试点单位" not in header  # the first programme's flag is not this one's column
    assert any("众创空间名称" in h for h in header) and any("入驻企业数" in h for h in header)
    assert [row[1] for row in rows] == ["纳米新材料专业化众创空间"]
    enterprises = next(i for i, h in enumerate(header) if "入驻企业数" in h)
    assert isinstance(rows[0][enterprises], int | float)
    scores_header, *score_rows = list(workbook["专家评分"].iter_rows(values_only=True))
    assert any(DEFAULT_RUBRIC[0][0] in h for h in scores_header) and len(score_rows) == 3


def test_after_the_notices_one_deadline_an_operator_can_no_longer_submit(space_call):
    """三、3 sets one date (the recommenders'); with no filing deadline of its own, filing closes with it."""
    from datetime import timedelta

    operator = operator_under("320583", "OP-LATE-KS", "昆山迟到科技有限公司")
    head = user_with_role(Role.APPLICANT_HEAD, operator)
    application = Application.objects.create(
        call=space_call,
        filing_unit=operator,
        recommender_unit=_recommender(space_call, operator),
        name="迟",
        created_by=head,
    )
    fill_application(application, head)
    give_demo_seal(operator)
    operator.refresh_from_db()
    late = space_call.recommendation_deadline + timedelta(seconds=1)
    with pytest.raises(TransitionRefused) as refused:
        seal_and_submit(application, head, now=late, render=False)
    assert "逾期" in refused.value.message
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


@pytest.fixture
def both_proposed(chain, space_call):
    """Both spaces accepted, scored (纳米 6, 软件 9 a criterion) and proposed."""
    nano, software = (recommend(chain[key]) for key in ("nano", "software"))
    for application in (nano, software):
        perform(application, "accept", chain["association"])
    expert_pool(4)
    run_automatic_assignment(space_call, chain["department"], seed=3)
    nano, software = scored(nano, chain["department"], 6), scored(software, chain["department"], 9)
    # decided in this order, the weaker last: the letter must not list the latest touched first
    decide(space_call, [software.pk, nano.pk], "propose_filing", user=chain["department"])
    return nano, software


def test_the_forwarding_letter_lists_the_chosen_best_first(client, chain, both_proposed):
    nano, software = both_proposed
    client.force_login(chain["department"])
    page = client.get(reverse("province:forwarding", args=[nano.call_id])).content.decode()
    assert page.index(software.name) < page.index(nano.name)


def test_only_the_issuing_department_writes_and_sends_the_letter(client, chain, both_proposed):
    """The letter bears 省科技厅's seal: the association reads the page, its POST is refused and logged."""
    nano, software = both_proposed
    url = reverse("province:forwarding", args=[nano.call_id])
    client.force_login(chain["association"])
    page = client.get(url).content.decode()
    assert "本页仅供查看" in page and "加盖公章并报送" not in page
    form = {
        "contact_person": "李",
        "contact_phone": "025-83379768",
        "letter_date": timezone.localdate().isoformat(),
        "action": "submit",
    }
    assert client.post(url, {**form, "ids": [software.pk]}).status_code == 404
    letter = Endorsement.objects.get(call=nano.call, level=Endorsement.Level.FORWARDING)
    assert not letter.is_submitted and letter.contact_person == ""
    assert AuditEvent.objects.filter(user=chain["association"], action=AuditAction.PERMISSION_DENIED).exists()


def test_a_letter_saved_meanwhile_by_a_colleague_is_not_overwritten(client, chain, both_proposed):
    nano, _ = both_proposed
    url = reverse("province:forwarding", args=[nano.call_id])
    client.force_login(chain["department"])
    client.get(url)
    letter = Endorsement.objects.get(call=nano.call, level=Endorsement.Level.FORWARDING)
    stale = letter.revision
    Endorsement.objects.filter(pk=letter.pk).update(contact_person="王", revision=stale + 1)
    form = {
        "contact_person": "李",
        "contact_phone": "025-83379768",
        "letter_date": timezone.localdate().isoformat(),
        "action": "save",
    }
    page = client.post(url, {**form, "revision": stale}).content.decode()
    assert "已被他人修改并保存" in page and 'value="李"' in page  # what was typed stays in the form
    letter.refresh_from_db()
    assert letter.contact_person == "王"


def test_a_sent_forwarding_letter_refuses_a_later_save_and_keeps_what_was_sent(client, chain, both_proposed):
    """A 推荐公函 is sealed once: a 保存草稿 posted afterwards (an old tab, a hand-made request) changes nothing."""
    nano, software = both_proposed
    give_demo_seal(nano.call.issuing_body)
    url = reverse("province:forwarding", args=[nano.call_id])
    client.force_login(chain["department"])
    form = {
        "contact_person": "张迪",
        "contact_phone": "025-83379768",
        "letter_date": timezone.localdate().isoformat(),
        "document_number": "苏科高函〔2026〕3号",
        "revision": forwarding_letter(nano.call).revision,
        "action": "save",
    }
    client.post(url, form)
    send_forwarding_letter(nano.call, [software.pk, nano.pk], user=chain["department"])
    letter = forwarding_letter(nano.call)
    answer = client.post(url, {**form, "contact_person": "李", "revision": letter.revision}, follow=True)
    assert "推荐公函已盖章报送，不能修改。" in answer.content.decode()
    assert forwarding_letter(nano.call).contact_person == "张迪"


def test_a_colleague_saving_between_check_and_save_leaves_a_message_not_an_error(chain, both_proposed):
    nano, _ = both_proposed
    letter = forwarding_letter(nano.call)
    data = {"contact_person": "李", "contact_phone": "025-83379768", "letter_date": timezone.localdate().isoformat()}
    data["revision"] = letter.revision
    form = LetterForm(data, instance=letter)
    assert form.is_valid()
    Endorsement.objects.filter(pk=letter.pk).update(contact_person="王", revision=letter.revision + 1)
    assert form.saved(chain["department"]) is False
    assert "已被他人修改并保存" in str(form.non_field_errors())
    assert Endorsement.objects.get(pk=letter.pk).contact_person == "王"


def assert_forwarding_letter_on_paper(package, letter, tmp_path):
    """The 推荐公函 read back as the fidelity suite reads every document: its 发文字号 flush with the 版心's right
    edge in 仿宋, the seal over the 署名 and date only, real glyphs and nothing outside its cell or the page, and
    the QR code of its page leading to the public /verify/ address of its 核验码."""
    paper = Paper(pdf_bytes(package))
    try:
        first = paper.pages[0]
        number = [c for c in first.chars if c["top"] < 60 * MM and abs(c["size"] - 16) < 0.6]
        assert "".join(c["text"] for c in number) == letter.document_number == "苏科高函〔2026〕3号"
        assert abs(number[-1]["x1"] - 184 * MM) < 1 * MM and all("PortalFangSong" in c["fontname"] for c in number)
        day = letter.letter_date
        signature = [letter.recommender_unit.official_name, f"{day.year}年{day.month}月{day.day}日"]
        assert paper.seal_problems((SEAL_PIXELS, SEAL_PIXELS), signature, pages=[1]) == ([], 1)
        assert paper.chars_out_of_place() == [] and paper.missing_glyphs() == []
        assert paper.qr_payloads(tmp_path, pages=[1, 2]) == [verify_url(package.verify_code)] * 2
    finally:
        paper.close()


def test_forwarding_letters_sent_before_snapshots_are_recorded_as_they_read(chain, both_proposed):
    """The data migration writes what the snapshot of the same 推荐公函 holds, once."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("applications.migrations.0017_snapshot_forwarding_letters_already_sent")
    nano, software = both_proposed
    give_demo_seal(nano.call.issuing_body)
    letter = forwarding_letter(nano.call)
    letter.contact_person, letter.contact_phone, letter.letter_date = "张迪", "025-83379768", timezone.localdate()
    letter.document_number, letter.letter_note = "苏科高函〔2026〕3号", "请予审核。"
    letter.save()
    send_forwarding_letter(nano.call, [software.pk, nano.pk], user=chain["department"])
    snapshot = SentLetter.objects.get(endorsement=letter)
    Package.objects.filter(letter=snapshot).delete()
    snapshot.delete()  # as a letter sent before snapshots existed
    migration.snapshot_forwarding_letters_already_sent(apps, None)
    recorded = SentLetter.objects.get(endorsement=letter)
    fields = ("number", "supplementary", "content", "entries", "closed", "seal", "seal_sha256", "sent_at", "sent_by_id")
    assert [getattr(recorded, f) for f in fields] == [getattr(snapshot, f) for f in fields]
    migration.snapshot_forwarding_letters_already_sent(apps, None)  # once only
    assert SentLetter.objects.filter(endorsement=letter).count() == 1
