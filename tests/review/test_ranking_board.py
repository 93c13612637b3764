"""The ranking board: aggregated scores, the notice's priorities as sort keys, filters, flags, pages."""

import pytest
from django.urls import reverse

from applications.models import Application
from portal.accounts.models import User
from portal.accounts.roles import Role
from review.domain.ranking import BoardQuery, BoardRows, board, confirm_cluster_pilot
from review.domain.rounds import assign_by_hand
from review.domain.rubric import rubric_for

from ..conftest import people_around_jiangning
from ..demo_world import kept_for_the_module
from ..factories import CallFactory
from .conftest import board_of, expert_pool
from .scoring_helpers import give_scores


def by_criterion(call, industry, others):
    """Points per criterion: 产业特色 gets `industry`, the four others `others` each."""
    return {c.pk: industry if c.name == "产业特色" else others for c in rubric_for(call)}


@pytest.fixture(scope="module")
def scored_board(django_db_setup, django_db_blocker, module_files, _signing_dir):
    """The officials and the four scored applications of every test here, built once (tests/demo_world.py)."""
    with kept_for_the_module(django_db_blocker, module_files, _signing_dir):
        people = people_around_jiangning()
        board_rows = board_of(CallFactory(), people)
        experts = expert_pool(3)
        call = board_rows["pizhou"].call
        # totals: 邳州 90, 江宁A 80, 江宁B 70, 昆山 60 — 产业特色: 江宁B 20, 昆山 18, 江宁A 16, 邳州 10
        plan = {"pizhou": (10, 20), "jiangning_a": (16, 16), "jiangning_b": (20, 12.5), "kunshan": (18, 10.5)}
        for key, (industry, others) in plan.items():
            points = by_criterion(call, industry, others)
            give_scores(board_rows[key], experts, [None] * 3, points=points)
        yield people, {key: application.pk for key, application in board_rows.items()}


@pytest.fixture
def people(scored_board):
    return {who: User.objects.get(pk=user.pk) for who, user in scored_board[0].items()}


@pytest.fixture
def scored(scored_board):
    """Read afresh for each test: what an earlier test changed was rolled back in the database, not in memory."""
    return {key: Application.objects.get(pk=pk) for key, pk in scored_board[1].items()}


def names(rows, query):
    """The board's order, as the exports read it (`board`) and as the page reads it (`BoardRows`):
    the two must agree, and the page's count is the board's size."""
    call = rows["pizhou"].call
    key_of = {a.pk: k for k, a in rows.items()}
    exported = [key_of[a.pk] for a in board(call, query)]
    ids, size = BoardRows(call, query, rubric_for(call)).page_ids(0, 30)
    assert [key_of[pk] for pk in ids] == exported
    assert size == (len(ids) or None)
    return exported


def test_default_order_is_the_aggregated_score(scored):
    assert names(scored, BoardQuery()) == ["pizhou", "jiangning_a", "jiangning_b", "kunshan"]
    assert names(scored, BoardQuery(sort="score")) == ["kunshan", "jiangning_b", "jiangning_a", "pizhou"]


def test_sunan_priority_puts_the_demonstration_zone_cities_first(scored):
    query = BoardQuery(priorities=("sunan",))
    assert names(scored, query) == ["jiangning_a", "jiangning_b", "kunshan", "pizhou"]


def test_industry_priority_sorts_by_the_industry_criterion(scored):
    query = BoardQuery(priorities=("industry",))
    assert names(scored, query) == ["jiangning_b", "kunshan", "jiangning_a", "pizhou"]


def confirmed_cluster_pilot(application):
    """The province confirms the 省级众创集聚区试点单位 as it does on the board."""
    officer = User.objects.filter(memberships__role=Role.PROVINCE, memberships__unit=application.call.receiver).first()
    confirm_cluster_pilot(application, True, officer)


def test_priorities_combine_in_the_notices_order(scored):
    kunshan = scored["kunshan"]
    confirmed_cluster_pilot(kunshan)
    assert names(scored, BoardQuery(priorities=("cluster",)))[0] == "kunshan"
    # 苏南 first, then within 苏南 the 产业特色 score, 邳州 last
    query = BoardQuery(priorities=("sunan", "industry", "cluster"))
    assert names(scored, query) == ["jiangning_b", "kunshan", "jiangning_a", "pizhou"]


def test_filters_by_city_zone_and_flag(scored):
    assert names(scored, BoardQuery(city="320100")) == ["jiangning_a", "jiangning_b"]
    assert names(scored, BoardQuery(zone="苏北")) == ["pizhou"]
    assert names(scored, BoardQuery(flag="missing_scores")) == []
    assign_by_hand(scored["kunshan"], expert_pool(1, city_code=None)[0], "补充一位专家", request=None)
    assert names(scored, BoardQuery(flag="missing_scores")) == ["kunshan"]


def test_board_page_shows_badges_flags_and_thresholds(client, people, scored):
    kunshan = scored["kunshan"]
    confirmed_cluster_pilot(kunshan)
    client.force_login(people["province"])
    url = reverse("province:ranking", args=[kunshan.call_id])
    page = client.get(url, {"priority": ["sunan"], "sort": "-score"}).content.decode()
    assert page.index(scored["jiangning_a"].name) < page.index(scored["pizhou"].name)
    assert "苏南国家自主创新示范区" in page and "省级众创集聚区试点单位" in page
    assert "90.00" in page  # 邳州's aggregate, two decimals
    assert "/8<" in page or "/7<" in page or "/6<" in page  # the 实施意见 threshold summary "met/total"


def test_board_is_the_managing_offices_only(client, people, scored):
    url = reverse("province:ranking", args=[scored["pizhou"].call_id])
    for who in ("clerk", "head", "city", "other_city", "expert", "sysadmin"):
        client.force_login(people[who])
        assert client.get(url).status_code == 404, who


def test_board_paginates_thirty_rows(client, people, scored, monkeypatch):
    monkeypatch.setattr("review.views.board.PER_PAGE", 3)
    client.force_login(people["province"])
    url = reverse("province:ranking", args=[scored["pizhou"].call_id])
    first, second = client.get(url).content.decode(), client.get(url, {"page": 2}).content.decode()
    assert scored["pizhou"].name in first and scored["kunshan"].name not in first
    assert scored["kunshan"].name in second and "第 2 / 2 页" in second


@pytest.mark.parametrize("sort", ["-spread", "criterion_3", "scored", "-city_rank", "zone", "-name", "city"])
def test_every_sort_key_orders_the_page_as_the_exports(scored, sort):
    kunshan = scored["kunshan"]
    confirmed_cluster_pilot(kunshan)
    names(scored, BoardQuery(sort=sort))
    names(scored, BoardQuery(sort=sort, priorities=("cluster", "sunan"), flag="disagreement"))


def test_column_headers_sort_keep_the_filters_and_mark_the_order(client, people, scored):
    client.force_login(people["province"])
    url = reverse("province:ranking", args=[scored["pizhou"].call_id])
    page = client.get(url, {"zone": "苏南", "sort": "-spread"}).content.decode()
    head = page.split("<thead")[1].split("</thead>")[0]
    # the current column links to the other direction and carries the 降序 mark; the others sort descending
    assert 'href="?zone=%E8%8B%8F%E5%8D%97&amp;sort=spread">分差 <i class="bi bi-caret-down-fill"' in head
    assert 'href="?zone=%E8%8B%8F%E5%8D%97&amp;sort=-score">汇总得分</a>' in head
    ascending = client.get(url, {"zone": "苏南", "sort": "spread"}).content.decode().split("</thead>")[0]
    assert 'sort=-spread">分差 <i class="bi bi-caret-up-fill" aria-label="升序">' in ascending


def test_a_page_past_the_end_shows_the_last_page(client, people, scored, monkeypatch):
    monkeypatch.setattr("review.views.board.PER_PAGE", 3)
    client.force_login(people["province"])
    url = reverse("province:ranking", args=[scored["pizhou"].call_id])
    for page in ("9", "0", "x", "²"):
        content = client.get(url, {"page": page}).content.decode()
        expected = "第 2 / 2 页" if page == "9" else "第 1 / 2 页"
        assert expected in content and "共 4 条" in content, page
    assert scored["kunshan"].name in client.get(url, {"page": "9"}).content.decode()


def test_an_empty_board_says_so(client, people, scored):
    client.force_login(people["province"])
    url = reverse("province:ranking", args=[scored["pizhou"].call_id])
    content = client.get(url, {"city": "320200", "page": "3"}).content.decode()
    assert "暂无受理的申报。" in content and scored["pizhou"].name not in content


def test_the_city_filter_lists_the_thirteen_cities(client, people, scored):
    client.force_login(people["province"])
    content = client.get(reverse("province:ranking", args=[scored["pizhou"].call_id]), {"city": "320500"})
    select = content.content.decode().split('id="f-city"')[1].split("</select>")[0]
    assert select.count("<option") == 14 and '<option value="320500" selected>苏州市</option>' in select


def test_board_rows_escape_what_the_county_typed(client, people, scored):
    """The rows are assembled in Python (templatetags/ranking_board.py): markup in a name stays text."""
    pizhou = scored["pizhou"]
    type(pizhou).objects.filter(pk=pizhou.pk).update(name='<img src=x onerror="alert(1)">邳州&众创社区')
    client.force_login(people["province"])
    page = client.get(reverse("province:ranking", args=[pizhou.call_id])).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;邳州&amp;众创社区" in page
    assert f'href="/applications/{pizhou.pk}/"' in page and f'value="{pizhou.pk}" id="row-{pizhou.pk}"' in page
