"""The provincial ranking board: every accepted application of a call with its aggregated score,
per-criterion averages, flags and the notice's 优先支持 rules, filtered and sorted by the database."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Value, When, Window
from django.db.models.functions import Coalesce

from applications.models import Application
from applications.programmes import REGISTRY
from applications.status import ACCEPTED_BY_PROVINCE
from portal.audit.log import record
from portal.audit.models import AuditAction

from .aggregation import criterion_key, flags
from .rubric import rubric_for
from .standings import criterion_figure, score_of

ON_THE_BOARD = ACCEPTED_BY_PROVINCE
FLAGS = {
    "disagreement": "专家分歧大",
    "missing_scores": "评分未齐",
    "cluster_pilot": "省级众创集聚区试点单位",
}
PLAIN_SORTS = {
    "score": "score",
    "name": "name",
    "city": "filing_unit__city__code",
    "zone": "filing_unit__city__zone",
    "city_rank": "city_rank",
    "spread": "spread",
    "scored": "scored",
    "status": "status",
}


@dataclass(frozen=True)
class BoardQuery:
    city: str = ""
    zone: str = ""
    flag: str = ""
    status: str = ""
    sort: str = "-score"
    priorities: tuple = ()


def priorities_of(call):
    return getattr(REGISTRY[call.programme.code], "ranking_priorities", ())


def priority_key(priority):
    return f"priority_{priority.key}"


def _priority_expression(priority, criteria):
    if priority.kind == "zone":
        return Case(
            When(filing_unit__city__zone=priority.value, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    if priority.kind == "criterion":
        criterion = next((c for c in criteria if c.name == priority.value), None)
        return criterion_figure(criterion) if criterion else Value(None, output_field=IntegerField())
    return Case(When(**{priority.value: True}, then=Value(1)), default=Value(0), output_field=IntegerField())


def sort_keys(criteria):
    keys = dict(PLAIN_SORTS)
    keys.update({criterion_key(c): criterion_key(c) for c in criteria})
    return keys


SCORE_FLAGS = ("disagreement", "missing_scores")


def _filtered(call, query):
    """The board's rows under the filters that need no score."""
    rows = Application.objects.filter(call=call, status__in=ON_THE_BOARD)
    if query.city:
        rows = rows.filter(filing_unit__city__code=query.city)
    if query.zone:
        rows = rows.filter(filing_unit__city__zone=query.zone)
    if query.status:
        rows = rows.filter(status=query.status)
    if query.flag in FLAGS and query.flag not in SCORE_FLAGS:
        rows = rows.filter(**{query.flag: True})
    return rows


def standing_figures(call, criteria):
    """The stored standing (see standings.py) under the names the aggregation module gives its figures."""
    return {
        "assigned": Coalesce("standing__assigned", 0),
        "scored": Coalesce("standing__scored", 0),
        "score": F(score_of(call)),
        "spread": F("standing__highest") - F("standing__lowest"),
        **{criterion_key(c): criterion_figure(c) for c in criteria},
    }


def with_standing(applications, call, criteria):
    return applications.annotate(**standing_figures(call, criteria)).annotate(**flags(call))


def board(call, query=BoardQuery(), criteria=None):
    criteria = rubric_for(call) if criteria is None else criteria
    priorities = priorities_of(call)
    rows = with_standing(_filtered(call, query).select_related("filing_unit__city"), call, criteria)
    rows = rows.annotate(**{priority_key(p): _priority_expression(p, criteria) for p in priorities})
    if query.flag in SCORE_FLAGS:
        rows = rows.filter(**{query.flag: True})
    return rows.order_by(*_ordering(query, criteria, priorities))


def board_size(call, query, criteria):
    """How many rows the board has under the query's filters."""
    return _ranked(call, query, criteria).count()


def _ranked(call, query, criteria):
    """The board's rows in the board's order, carrying only the figures that filter or sort them: the
    database then joins and sorts the least. Same order as `board`."""
    priorities = priorities_of(call)
    rows = _filtered(call, query)
    if query.flag in SCORE_FLAGS:
        rows = with_standing(rows, call, criteria).filter(**{query.flag: True})
    else:
        column = query.sort.lstrip("-")
        figures = standing_figures(call, [c for c in criteria if criterion_key(c) == column])
        sorted_by = {"score", column} & figures.keys()
        rows = rows.annotate(**{name: figures[name] for name in sorted_by})
    chosen = [p for p in priorities if p.key in query.priorities]
    rows = rows.annotate(**{priority_key(p): _priority_expression(p, criteria) for p in chosen})
    return rows.order_by(*_ordering(query, criteria, priorities))


def _ordering(query, criteria, priorities):
    chosen = [p for p in priorities if p.key in query.priorities]
    ordering = [F(priority_key(p)).desc(nulls_last=True) for p in chosen]
    column, descending = query.sort.lstrip("-"), query.sort.startswith("-")
    field = sort_keys(criteria).get(column, "score")
    ordering.append(F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True))
    ordering += [F("score").desc(nulls_last=True), F("city_rank").asc(nulls_last=True), "pk"]
    return ordering


class BoardRows:
    """One page of the board in two short queries: the database sorts and cuts the page's ids and counts
    the board in the same pass (a window), then reads the wide rows (figures, flags, names, cities) of
    those ids alone. One query doing both took longer to plan than to run."""

    SHOWN = ("name", "status", "city_rank", "cluster_pilot", "filed_thresholds")

    def __init__(self, call, query, criteria):
        self.call, self.query, self.criteria = call, query, criteria

    def page_ids(self, bottom, top):
        """The ids from `bottom` to `top` in the board's order, and how many rows the board has (None when
        the slice is past the end)."""
        rows = _ranked(self.call, self.query, self.criteria).annotate(board_size=Window(Count("*")))
        found = list(rows.values_list("pk", "board_size")[bottom:top])
        return [pk for pk, _ in found], (found[0][1] if found else None)

    def count(self):
        return board_size(self.call, self.query, self.criteria)

    def rows(self, ids):
        """The page's rows, each with its figures, its standing's criterion averages (`criteria`), the
        yes/no priorities for the badges and the city."""
        badges = [p for p in priorities_of(self.call) if p.kind != "criterion"]
        figures = standing_figures(self.call, ())
        rows = Application.objects.filter(pk__in=ids).only(*self.SHOWN).order_by()
        rows = rows.annotate(**figures, criteria=F("standing__criteria")).annotate(
            **flags(self.call),
            **{priority_key(p): _priority_expression(p, self.criteria) for p in badges},
            city_name=F("filing_unit__city__name"),
            city_zone=F("filing_unit__city__zone"),
        )
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids]


def confirm_cluster_pilot(application, confirmed, officer, request=None):
    """通知三、2: the province confirms (or withdraws) that the filing unit is a 省级众创集聚区试点单位."""
    Application.objects.filter(pk=application.pk).update(cluster_pilot=confirmed)
    verb = "确认" if confirmed else "取消"
    record(AuditAction.TRANSITION, request=request, user=officer, obj=application, verb=f"{verb}省级众创集聚区试点单位")
    return verb
