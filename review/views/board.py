"""The provincial ranking board and the decisions taken from it: 拟备案 / 不予备案, 公示, the
省级众创集聚区 flag. Thin: the rules live in review.domain.{ranking,decisions,publicity}."""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from applications.programmes import REGISTRY
from applications.status import Status, statuses_of
from portal.accounts.models import Zone
from portal.accounts.regions import jiangsu_cities
from portal.irreversible import Consequences, ask_once_more, confirmed, with_typed
from portal.row_paths import path_for_each

from ..domain import publicity as publicity_rules
from ..domain.aggregation import criterion_key
from ..domain.batches import BatchRefused
from ..domain.decisions import DECISIONS, decide, reason_problem, selected_applications
from ..domain.ranking import (
    FLAGS,
    ON_THE_BOARD,
    BoardQuery,
    BoardRows,
    confirm_cluster_pilot,
    priorities_of,
    priority_key,
)
from ..domain.rubric import rubric_for
from .province import application_for_province, managed_call, parse_date, parse_ids

PER_PAGE = 30


def figure(value, places):
    """A score as the board prints it; formatted here because floatformat on 30 × 8 cells costs more
    than the rest of the page."""
    return "—" if value is None else f"{value:.{places}f}"


class BoardPaginator(Paginator):
    """Pages of the board: the query that cuts a page's ids also counts the board (see BoardRows)."""

    def get_page(self, number):
        number = int(number) if str(number).isdecimal() and int(number) > 0 else 1
        ids, self.count = self.object_list.page_ids((number - 1) * self.per_page, number * self.per_page)
        if self.count is None:  # past the last page (a stale link) or an empty board: the last page
            self.count = self.object_list.count()
            number = self.num_pages
            ids, _ = self.object_list.page_ids((number - 1) * self.per_page, number * self.per_page)
        return self._get_page(self.object_list.rows(ids), number, self)


def board_query(params, priorities):
    known = {p.key for p in priorities}
    return BoardQuery(
        city=params.get("city", ""),
        zone=params.get("zone", "") if params.get("zone") in Zone.values else "",
        flag=params.get("flag", "") if params.get("flag") in FLAGS else "",
        status=params.get("status", "") if params.get("status") in Status.values else "",
        sort=params.get("sort") or "-score",
        priorities=tuple(key for key in params.getlist("priority") if key in known),
    )


def _headers(criteria, query, sort_query):
    """The sortable column headers, their links and which way they sort now."""
    columns = [("name", "名称", False), ("city", "设区市", False), ("zone", "区域", False)]
    columns += [("city_rank", "市级排序", False), ("score", "汇总得分", True)]
    columns += [(criterion_key(c), c.name, True) for c in criteria]
    columns += [("scored", "评分", False), ("spread", "分差", True)]
    prefix = f"?{sort_query}&" if sort_query else "?"
    headers = []
    for key, label, numeric in columns:
        descending = query.sort == f"-{key}"
        ascending = query.sort == key
        headers.append(
            {
                "label": label,
                "url": f"{prefix}sort={key if descending else '-' + key}",
                "arrow": "down" if descending else "up" if ascending else "",
                "numeric": numeric,
            }
        )
    return headers


def _columns(criteria, priorities):
    return {
        "criteria": [{"name": c.name, "key": criterion_key(c), "max": c.max_points} for c in criteria],
        "priorities": [{"key": p.key, "label": p.label, "field": priority_key(p), "kind": p.kind} for p in priorities],
    }


def board_columns(call, priorities):
    """What of the board belongs to the call's programme: the 实施意见 check, the province's confirmed flags
    (集聚区试点), the 公示."""
    programme = REGISTRY[call.programme.code]
    return {
        "thresholds": programme.checks_implementation_opinions,
        "cluster": any(p.kind == "flag" for p in priorities),
        "publicity": "publicity" in programme.steps,
    }


def _flags(shows):
    """The board's filters: 省级众创集聚区试点单位 only where the programme has that flag."""
    return [(key, label) for key, label in FLAGS.items() if key != "cluster_pilot" or shows["cluster"]]


@login_required
def ranking_board(request, call_pk):
    call = managed_call(request, call_pk)
    return _board(request, call, request.GET, typed_on_the_board(request.GET), request.get_full_path())


def _board(request, call, params, typed, board_url, errors=None):
    """The board filtered by `params`, with what was typed and ticked, and `errors` beside their fields."""
    criteria, priorities = rubric_for(call), priorities_of(call)
    query = board_query(params, priorities)
    page = BoardPaginator(BoardRows(call, query, criteria), PER_PAGE).get_page(params.get("page"))
    columns = _columns(criteria, priorities)
    shows = board_columns(call, priorities)
    # a criterion priority is a score, shown in its own column; the others are yes/no badges
    badges = [p for p in columns["priorities"] if p["kind"] != "criterion"]
    detail_path, cluster_path = path_for_each("applications:detail"), path_for_each("province:cluster_pilot")
    for position, row in enumerate(page.object_list, start=page.start_index()):
        row.position = position
        row.score_text = figure(row.score, 2)
        row.criterion_texts = [figure((row.criteria or {}).get(c["key"]), 1) for c in columns["criteria"]]
        row.spread_text = figure(row.spread, 1)
        row.url = detail_path(row.pk)
        row.cluster_url = cluster_path(row.pk)
        row.badges = [p for p in badges if getattr(row, p["field"])]
        row.checked = row.pk in typed["ids"]
    keep = {k: v for k, v in params.lists() if k != "page" and k not in TYPED_ON_THE_BOARD}
    sort_query = urlencode({k: v for k, v in keep.items() if k != "sort"}, doseq=True)
    return render(
        request,
        "province/ranking.html",
        {
            "call": call,
            "page": page,
            "columns": columns,
            "board": query,
            "board_url": board_url,
            "query": urlencode(keep, doseq=True),
            "headers": _headers(criteria, query, sort_query),
            "cities": jiangsu_cities(),
            "publicities": call.publicities.only("title", "starts_on")[:5],
            "zones": [(zone, zone) for zone in Zone.values],
            "flags": _flags(shows),
            "statuses": [(s, Status(s).label) for s in statuses_of(REGISTRY[call.programme.code], ON_THE_BOARD)],
            "decisions": DECISIONS,
            "today": timezone.localdate(),
            "shows": shows,
            "typed": typed,
            "errors": errors or {},
        },
    )


# what the officer typed on the board, brought back to it by 返回修改 of a confirmation
TYPED_ON_THE_BOARD = ("ids", "decision", "reason", "starts_on", "objection_contact")


def typed_on_the_board(data):
    return {
        **{name: data.get(name) for name in TYPED_ON_THE_BOARD},
        "ids": set(parse_ids(data.getlist("ids"))),
        "starts_on": parse_date(data.get("starts_on")),
    }


def _board_again(request, call, errors):
    """The board the officer came from, with what they typed and ticked and the message beside the field at
    fault; nothing has changed."""
    board_url = _board_url(request, call)
    params = QueryDict(urlsplit(board_url).query)
    return _board(request, call, params, typed_on_the_board(request.POST), board_url, errors)


def _board_url(request, call):
    """The board with its filters; only ever a page of this site."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("province:ranking", args=[call.pk])
    return target


def _back_to_board(request, call):
    """Back to the board, with what was typed and ticked still there."""
    return redirect(with_typed(_board_url(request, call), request))


def _selected_or_back(request, call, refused_by=None):
    """The selected rows, or the way back to the board when the act would be refused anyway."""
    try:
        if refused_by and (problem := refused_by()):
            raise BatchRefused(None, problem)
        return selected_applications(request.user, call, parse_ids(request.POST.getlist("ids"))), None
    except BatchRefused as refused:
        messages.error(request, f"未作任何更改：{refused.message}")
        return None, _back_to_board(request, call)


def decision_consequences(call, rows, decision, reason):
    label = DECISIONS[decision]
    if decision == "reject":
        happens = (
            f"对下列 {len(rows)} 份申报作出“不予备案”决定，申报单位和推荐单位将看到下面的理由；",
            "不予备案是最终决定，这些申报不再进入公示和备案。",
        )
    else:
        happens = (
            f"将下列 {len(rows)} 份申报列为“拟备案”，此后只能发布公示或随推荐公函上报；",
            "拟备案决定不能在平台上撤回。",
        )
    return Consequences(
        act=label,
        recipient=f"各申报单位及其推荐单位（{call.title}）",
        happens=happens,
        listed=tuple(f"{row.name}（{row.filing_unit.official_name}）" for row in rows),
        typed=(("不予备案理由", reason),) if decision == "reject" else (),
        cannot_undo=f"“{label}”决定一经确认不能撤销。",
    )


@login_required
@require_POST
def decide_selected(request, call_pk):
    call = managed_call(request, call_pk)
    decision = request.POST.get("decision", "")
    if problem := reason_problem(decision, request.POST.get("reason", "")):
        return _board_again(request, call, {"reason": problem})
    if decision in DECISIONS and not confirmed(request):
        rows, back = _selected_or_back(request, call)
        if back:
            return back
        consequences = decision_consequences(call, rows, decision, request.POST.get("reason", "").strip())
        return ask_once_more(request, consequences, revise_to=_board_url(request, call))
    try:
        decided = decide(
            call,
            parse_ids(request.POST.getlist("ids")),
            request.POST.get("decision", ""),
            user=request.user,
            reason=request.POST.get("reason", "").strip(),
            request=request,
        )
    except BatchRefused as refused:
        messages.error(request, f"未作任何更改：{refused.message}")
    else:
        label = DECISIONS[request.POST["decision"]]
        messages.success(request, f"已将 {len(decided)} 份申报设为“{label}”。")
    return _back_to_board(request, call)


@login_required
@require_POST
def toggle_cluster_pilot(request, pk):
    """The province confirms (or withdraws) that the filing unit is a 省级众创集聚区试点单位."""
    application = application_for_province(request, pk)
    managed_call(request, application.call_id)
    verb = confirm_cluster_pilot(application, request.POST.get("confirmed") == "1", request.user, request=request)
    messages.success(request, f"“{application.name}”：已{verb}。")
    return _back_to_board(request, application.call)


def publicity_consequences(request, call, rows):
    starts_on = parse_date(request.POST.get("starts_on")) or timezone.localdate()
    return Consequences(
        act="发布公示",
        recipient="社会公众（公示页面无需登录即可查看）",
        happens=(
            f"自 {starts_on:%Y年%m月%d日} 起公示 {call.publicity_days} 个日历日（含首尾两日），"
            f"公示名单为下列 {len(rows)} 份申报；",
            f"异议受理方式：{request.POST.get('objection_contact') or call.objection_contact}；",
            "发布后公示名单和公示期不能修改或撤回；期满且异议核查完毕后方可确认备案试点。",
        ),
        listed=tuple(f"{row.name}（{row.filing_unit.official_name}）" for row in rows),
        cannot_undo="公示一经发布不能撤回。",
    )


@login_required
@require_POST
def open_publicity(request, call_pk):
    call = managed_call(request, call_pk)
    starts_on = parse_date(request.POST.get("starts_on")) if request.POST.get("starts_on") else timezone.localdate()
    if problem := publicity_rules.start_date_problem(starts_on):
        return _board_again(request, call, {"starts_on": problem})
    if not confirmed(request):
        rows, back = _selected_or_back(request, call)
        if back:
            return back
        return ask_once_more(request, publicity_consequences(request, call, rows), revise_to=_board_url(request, call))
    try:
        publicity = publicity_rules.open_publicity(
            call,
            parse_ids(request.POST.getlist("ids")),
            user=request.user,
            starts_on=starts_on,
            objection_contact=request.POST.get("objection_contact") or call.objection_contact,
            request=request,
        )
    except BatchRefused as refused:
        messages.error(request, f"未发布公示：{refused.message}")
        return _back_to_board(request, call)
    messages.success(
        request, f"已发布公示：{publicity.starts_on:%Y年%m月%d日}至{publicity.ends_on:%Y年%m月%d日}（含当日）。"
    )
    return redirect("province:publicity", publicity.pk)
