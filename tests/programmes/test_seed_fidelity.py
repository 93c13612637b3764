"""The seeds read against the code: what they ask an applicant to hand in has a place, and the letters read
as a government office writes them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.domain.content import ApplicationContent
from applications.domain.letters import letter_content, letter_title, self_reference
from applications.domain.quota import endorsement_for
from applications.models import Attachment
from applications.programmes import programme_for
from applications.programmes.zcsq import package
from portal.accounts.models import CountyType, Unit, UnitKind
from portal.calls.models import Call

from ..applications import crafted_files as files
from ..factories import ApplicationFactory, make_ready, unit

EVIDENCE = "foundation_evidence"


def _post(client, application, kind, data, name):
    return client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, data)},
    )


# --- 附件2 一、建设基础及特色定位：需提供相关证明文件 ------------------------------------------------


def test_the_foundation_evidence_has_an_upload_slot_through_the_same_checks(client, people, bare_application):
    missing = [item.label for item in programme_for(bare_application).missing(ApplicationContent(bare_application))]
    assert "附件：建设基础证明文件" in missing
    client.force_login(people["clerk"])
    page = client.get(reverse("applications:attachments", args=[bare_application.pk])).content.decode()
    assert "建设基础证明文件" in page
    refused = _post(client, bare_application, EVIDENCE, files.javascript_pdf(), "证明.pdf").content.decode()
    assert "出于安全原因不予接收" in refused and not Attachment.objects.exists()
    _post(client, bare_application, EVIDENCE, files.pdf(), "土地证明.pdf")
    assert Attachment.objects.get().kind == EVIDENCE
    missing = [item.label for item in programme_for(bare_application).missing(ApplicationContent(bare_application))]
    assert "附件：建设基础证明文件" not in missing


def test_the_evidence_is_bound_after_the_scheme(application):
    content = ApplicationContent(application)
    programme = programme_for(application)
    paper = programme.paper_layout(application.call, {k: p.data for k, p in content.parts.items()})
    seals = {"county_seal": None, "city_seal": None, "county_date": "", "city_date": ""}
    sections = package.sections(application, paper, content.attachments, programme.attachment_kinds, seals)
    scheme = next(section for section in sections if section.title == "江苏省众创社区建设方案")
    assert [piece.attachment.kind for piece in scheme.pieces if piece.attachment] == [EVIDENCE]


# --- 实施意见三（二）：申报材料包括…投资规模 ---------------------------------------------------------------


def test_the_investment_scale_is_asked_checked_and_exported(call, bare_application):
    programme = programme_for(bare_application)
    form = programme.form_class("declaration", call)()
    assert form.fields["investment_scale"].label.startswith("投资规模")
    missing = [item.label for item in programme.missing(ApplicationContent(bare_application))]
    assert "场地情况：投资规模（计划总投资）" in missing
    headers = [column.header for column in programme.export_columns(call)]
    assert "场地情况：投资规模（计划总投资）（亿元）" in headers
    ready = make_ready(ApplicationFactory(call=call))
    assert ApplicationContent(ready).data("declaration")["investment_scale"]


# --- the letters' wording ----------------------------------------------------------------------------


def test_programme_two_letter_does_not_say_recommend_twice(db):
    space_call = Call.objects.filter(programme__code="zyhzckj").first()
    bureau = Unit.objects.filter(kind=UnitKind.CITY_STI_BUREAU).first()
    title = letter_title(endorsement_for(space_call, bureau))
    assert title == f"{bureau.official_name}关于推荐国家专业化众创空间备案对象的函"
    assert title.count("推荐") == 1
    assert "补充推荐" in letter_title(endorsement_for(space_call, bureau), supplementary=True)


@pytest.mark.parametrize(
    "kind, county_type, name, says",
    [
        (UnitKind.CITY, "", "南京市", "我市"),
        (UnitKind.COUNTY, CountyType.DISTRICT, "江宁区", "我区"),
        (UnitKind.COUNTY, CountyType.COUNTY_CITY, "昆山市", "我市"),
        (UnitKind.COUNTY, CountyType.COUNTY, "沛县", "我县"),
        (UnitKind.CITY_STI_BUREAU, "", "苏州市科学技术局", "我局"),
        (UnitKind.HIGHTECH_ZONE, "", "南京高新技术产业开发区", "我区"),
        (UnitKind.PROVINCIAL_OFFICE, "", "江苏省科学技术厅", "我厅"),
        (UnitKind.ASSOCIATION, "", "江苏省科技企业孵化器协会", "我单位"),
    ],
)
def test_the_issuing_body_calls_itself_by_its_kind(kind, county_type, name, says):
    assert self_reference(Unit(kind=kind, county_type=county_type, name=name)) == says


def test_a_city_governments_letter_says_wo_shi(call, people):
    city = unit("320100")
    body = letter_content(endorsement_for(call, city), [])["body"]
    assert "我市组织开展了" in body and "我单位" not in body
