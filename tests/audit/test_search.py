"""The 审计管理员's search: by user, unit, category, object and whole days in 北京时间, page by page."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from portal.audit.log import record
from portal.audit.models import AuditAction

from .conftest import clock_at

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def rows(people, application):
    """Four rows that differ in one thing each."""
    city_post = people["city"].memberships.get()
    record(AuditAction.EXPORT, user=people["province"], verb="甲-省级导出")
    record(AuditAction.TRANSITION, user=people["city"], membership=city_post, obj=application, verb="乙-市级初审")
    record(AuditAction.DOWNLOAD, user=people["head"], obj=application, verb="丙-县级下载")
    record(AuditAction.LOGIN_FAILED, username="stranger", verb="丁-登录失败")
    return application


def shown(client, **query):
    response = client.get(reverse("audit_log"), query)
    assert response.status_code == 200
    page = response.content.decode()
    return {verb for verb in ("甲-省级导出", "乙-市级初审", "丙-县级下载", "丁-登录失败") if verb in page}


def test_each_filter_narrows_the_rows(client, auditor, rows):
    client.force_login(auditor)
    assert shown(client) == {"甲-省级导出", "乙-市级初审", "丙-县级下载", "丁-登录失败"}
    assert shown(client, username="PROV") == {"甲-省级导出"}  # contains, any case
    assert shown(client, unit="南京") == {"乙-市级初审"}
    assert shown(client, action="download") == {"丙-县级下载"}
    assert shown(client, object_type="applications.application") == {"乙-市级初审", "丙-县级下载"}
    assert shown(client, object_id=str(rows.pk), action="transition") == {"乙-市级初审"}
    assert shown(client, object_repr=rows.name[-3:]) == {"乙-市级初审", "丙-县级下载"}
    assert shown(client, object_id="999999") == set()


def test_days_are_whole_days_in_beijing_time(client, auditor, monkeypatch):
    # 23:30 and 00:30 北京时间 either side of midnight: both 1 March in UTC.
    with clock_at(monkeypatch, datetime(2026, 3, 1, 23, 30, tzinfo=SHANGHAI)):
        record(AuditAction.EXPORT, user=auditor, verb="甲-省级导出")
    with clock_at(monkeypatch, datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI)):
        record(AuditAction.EXPORT, user=auditor, verb="乙-市级初审")
    client.force_login(auditor)
    assert shown(client, since="2026-03-01", until="2026-03-01") == {"甲-省级导出"}
    assert shown(client, since="2026-03-02", until="2026-03-02") == {"乙-市级初审"}
    assert shown(client, since="2026-03-01", until="2026-03-02") == {"甲-省级导出", "乙-市级初审"}
    assert shown(client, until="2026-02-28") == set()


def test_a_wrong_filter_says_why_and_shows_nothing(client, auditor, rows):
    client.force_login(auditor)
    response = client.get(reverse("audit_log"), {"since": "2026-02-01", "until": "2026-01-01", "action": "export"})
    page = response.content.decode()
    assert "截止日期不能早于起始日期" in page and "甲-省级导出" not in page
    page = client.get(reverse("audit_log"), {"object_type": "auth.user", "since": "昨天"}).content.decode()
    assert "选择一个有效的选项" in page and "输入一个有效的日期" in page


def test_pages_of_fifty_keep_the_filter(client, auditor):
    for number in range(53):
        record(AuditAction.EXPORT, user=auditor, verb=f"第{number:02d}次")
    record(AuditAction.DOWNLOAD, user=auditor, verb="不应出现")
    client.force_login(auditor)
    first = client.get(reverse("audit_log"), {"action": "export"}).content.decode()
    assert "第 1 / 2 页，共 53 条" in first and "第52次" in first and "第02次" not in first
    assert re.search(r'href="\?action=export&(amp;)?page=2"', first)
    second = client.get(reverse("audit_log"), {"action": "export", "page": 2}).content.decode()
    assert "第02次" in second and "第00次" in second and "第52次" not in second and "不应出现" not in second


@pytest.mark.parametrize("count", (3, 120))
def test_query_count_is_flat(client, people, auditor, application, django_assert_num_queries, count):
    post = people["city"].memberships.get()
    for number in range(count):
        record(AuditAction.TRANSITION, user=people["city"], membership=post, obj=application, verb=f"初审{number}")
    client.force_login(auditor)
    with django_assert_num_queries(9):
        response = client.get(reverse("audit_log"), {"unit": "南京", "object_type": "applications.application"})
    page = response.content.decode()
    assert page.count("初审") == min(count, 50)
    assert (f"共 {count} 条" in page) == (count > 50)
