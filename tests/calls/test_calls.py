from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from portal.accounts.models import Unit, UnitKind
from portal.calls.deadlines import DeadlinePassed, assert_before_deadline, is_before_deadline, stage_deadline
from portal.calls.models import Call, Stage
from portal.calls.recommenders import NoRecommender, recommender_for

from ..factories import CallFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_CALL = "关于开展首批江苏省众创社区备案试点工作的通知"
SPACE_CALL = "省科技厅关于组织开展2018年国家专业化众创空间备案推荐工作的通知"


def test_seed_000_call_has_the_notices_numbers():
    call = Call.objects.get(title=FIRST_CALL)
    assert call.recommendation_deadline == datetime(2017, 4, 30, 23, 59, 59, tzinfo=SHANGHAI)
    assert call.quota_for_zone("苏南") == 5
    assert call.quota_for_zone("苏中") == 3
    assert call.quota_for_zone("苏北") == 3
    assert call.paper_copies == 2
    assert call.plan_year_range == [2017, 2018, 2019]
    assert call.receiver.name == "江苏省推进大众创新创业联席会议办公室"
    assert sorted(call.filing_unit_kinds) == ["county", "hightech_zone"]


def test_seed_003_call_has_the_notices_numbers():
    call = Call.objects.get(title=SPACE_CALL)
    assert call.document_number == "苏科高发〔2018〕169号"
    assert call.recommendation_deadline == datetime(2018, 7, 15, 23, 59, 59, tzinfo=SHANGHAI)
    assert call.quota_for_zone("苏南") is None
    assert call.receiver.name == "江苏省科技企业孵化器协会"
    assert call.issuing_body.name == "江苏省科学技术厅"


def test_seed_calls_are_closed_history():
    assert not Call.objects.open_for_filing().filter(title__in=[FIRST_CALL, SPACE_CALL]).exists()


def test_deadline_is_inclusive_to_the_second_in_shanghai_time():
    call = Call.objects.get(title=FIRST_CALL)
    deadline = datetime(2017, 4, 30, 23, 59, 59, tzinfo=SHANGHAI)
    assert is_before_deadline(call, Stage.RECOMMENDATION, deadline - timedelta(seconds=1))
    assert is_before_deadline(call, Stage.RECOMMENDATION, deadline)
    with pytest.raises(DeadlinePassed) as late:
        assert_before_deadline(call, Stage.RECOMMENDATION, deadline + timedelta(seconds=1))
    assert "2017年4月30日 23:59:59" in str(late.value) and "逾期不予受理" in str(late.value)


def test_filing_stage_falls_back_to_the_recommendation_deadline():
    call = Call.objects.get(title=FIRST_CALL)
    assert stage_deadline(call, Stage.FILING) == call.recommendation_deadline
    own = CallFactory()
    assert stage_deadline(own, Stage.FILING) == own.filing_deadline


def test_call_validation_messages():
    call = CallFactory.build(quota_by_zone={"苏南": -1})
    with pytest.raises(ValidationError) as bad:
        call.clean()
    assert "quota_by_zone" in bad.value.message_dict
    call = CallFactory.build(filing_unit_kinds=["nonsense"])
    with pytest.raises(ValidationError):
        call.clean()


def test_county_recommended_by_its_city_government():
    call = Call.objects.get(title=FIRST_CALL)
    assert recommender_for(call, Unit.objects.get(code="320115")).name == "南京市"
    zone = Unit.objects.get(name="南通高新技术产业开发区")
    assert recommender_for(call, zone).name == "南通市"


def _operator(parent):
    return Unit.objects.create(
        code=f"OP-{parent.code}",
        name="某某科技有限公司",
        kind=UnitKind.OPERATOR,
        parent=parent,
        city=parent.city,
        zone=parent.zone,
    )


def test_space_operator_recommended_by_national_zone_or_city_bureau():
    call = Call.objects.get(title=SPACE_CALL)
    national = Unit.objects.get(name="南京高新技术产业开发区")
    assert recommender_for(call, _operator(national)) == national
    provincial = Unit.objects.get(name="江苏省高淳高新技术产业开发区")
    assert recommender_for(call, _operator(provincial)).name == "南京市科学技术局"
    assert recommender_for(call, _operator(Unit.objects.get(code="320115"))).name == "南京市科学技术局"


def test_unit_without_recommender_is_told_so():
    call = Call.objects.get(title=FIRST_CALL)
    with pytest.raises(NoRecommender):
        recommender_for(call, Unit.objects.get(code="320000-FHQXH"))


def test_days_left_counts_beijing_calendar_days_to_the_stage_deadline():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from portal.calls.deadlines import days_left
    from portal.calls.models import Stage

    from ..factories import CallFactory

    shanghai = ZoneInfo("Asia/Shanghai")
    call = CallFactory(
        filing_deadline=datetime(2026, 12, 1, 0, 30, tzinfo=shanghai),  # 2026-11-30 16:30 UTC
        recommendation_deadline=datetime(2026, 12, 15, 17, 0, tzinfo=shanghai),
    )
    assert days_left(call, Stage.FILING, date(2026, 11, 30)) == 1
    assert days_left(call, Stage.RECOMMENDATION, date(2026, 11, 30)) == 15
    call.filing_deadline = None  # the notice sets none: the recommendation deadline stands
    assert days_left(call, Stage.FILING, date(2026, 11, 30)) == 15
