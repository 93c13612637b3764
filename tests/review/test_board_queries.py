"""The ranking board, the publicity pages and the export list cost the same queries at any size."""

import pytest
from django.urls import reverse
from django.utils import timezone

from review.domain.decisions import decide
from review.domain.publicity import open_publicity
from review.models import ExportJob

from .conftest import accept_from, expert_pool
from .scoring_helpers import give_scores


@pytest.fixture(params=(1, 4), ids=("one", "four"))
def scored(request, call, people):
    applications = accept_from(call, people, "320115", "320100", count=request.param)
    experts = expert_pool(3)
    for application in applications:
        give_scores(application, experts, [70, 80, 90])
    return applications


def test_board_query_count_is_flat(client, people, scored, django_assert_num_queries):
    client.force_login(people["province"])
    url = reverse("province:ranking", args=[scored[0].call_id])
    # the call, its rubric; the page's ids, sorted, cut and counted; those rows, wide; the 公示 links
    with django_assert_num_queries(12):
        response = client.get(url, {"priority": ["sunan", "industry", "cluster"], "flag": "", "sort": "-spread"})
    assert response.status_code == 200
    assert all(a.name in response.content.decode() for a in scored)


@pytest.fixture
def published(scored, people):
    call = scored[0].call
    decide(call, [a.pk for a in scored], "propose_filing", user=people["province"])
    return open_publicity(
        call, [a.pk for a in scored], user=people["province"], starts_on=timezone.localdate(), objection_contact="025-1"
    )


def test_publicity_pages_query_count_is_flat(client, people, published, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert client.get(reverse("publicity:detail", args=[published.pk])).status_code == 200
    client.force_login(people["province"])
    with django_assert_num_queries(11):
        assert client.get(reverse("province:publicity", args=[published.pk])).status_code == 200


def test_export_list_query_count_is_flat(client, people, scored, django_assert_num_queries):
    for _ in range(len(scored)):
        ExportJob.objects.create(call=scored[0].call, kind=ExportJob.Kind.WORKBOOK, created_by=people["province"])
    client.force_login(people["province"])
    with django_assert_num_queries(9):
        assert client.get(reverse("province:exports", args=[scored[0].call_id])).status_code == 200
