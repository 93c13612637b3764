"""Programme 2's pages show its own panels, not programme 1's (对照《实施意见》, 集聚区试点, 实施意见指标, the
公示 form); its recommender's dashboard counts the units that filed. Both programmes of the demo world side by
side: the same page of programme 1 shows each panel, so a check that cannot fail is caught."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.status import Status
from demo.spaces import CALL_TITLE
from portal.accounts.models import User

PROGRAMME_1_PANELS = ("集聚区试点", "实施意见指标", "发布公示")  # the column, the check, the 公示 form; a filter too


@pytest.fixture
def demo(demo_world):
    users, call = demo_world
    return {
        "users": users,
        "pilot_call": call,
        "space_call": Application.objects.get(call__title=CALL_TITLE, status=Status.DRAFT).call,
    }


def page_as(client, username, url):
    client.force_login(User.objects.get(username=username))
    response = client.get(url, follow=True)  # home leads each post to its dashboard
    assert response.status_code == 200
    return response.content.decode()


def test_a_space_draft_has_no_implementation_opinion_panel(client, demo):
    space = Application.objects.get(call=demo["space_call"], status=Status.DRAFT)
    pilot = Application.objects.filter(
        call=demo["pilot_call"], status=Status.DRAFT, created_by__username="pizhou_clerk"
    ).first()
    assert "对照《实施意见》" in page_as(
        client, pilot.created_by.username, reverse("applications:detail", args=[pilot.pk])
    )
    assert "对照《实施意见》" not in page_as(client, "zijin_clerk", reverse("applications:detail", args=[space.pk]))


def test_the_space_ranking_board_has_no_cluster_threshold_or_publicity_panel(client, demo):
    pilot_board = page_as(client, "province_admin", reverse("province:ranking", args=[demo["pilot_call"].pk]))
    assert all(panel in pilot_board for panel in PROGRAMME_1_PANELS)
    space_board = page_as(client, "fhq_admin", reverse("province:ranking", args=[demo["space_call"].pk]))
    assert [panel for panel in PROGRAMME_1_PANELS if panel in space_board] == []


def test_the_space_recommender_dashboard_counts_the_unit_that_filed(client, demo):
    dashboard = page_as(client, "suzhou_kjj", reverse("home"))
    assert "已申报单位（1）：苏州纳米创新研究院" in dashboard
