"""Each application's scores summed up and stored (`Standing`), so that the ranking board reads one row
per application instead of aggregating every score on every request.

The figures are computed by the database with the same expressions as `aggregation.with_scores`; they
are refreshed whenever what they depend on changes: an expert assigned or withdrawn, scores submitted or
reopened. All three methods are stored, so changing a call's method needs no refresh."""

from django.db.models import FloatField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from applications.models import Application
from portal.calls.models import Aggregation

from ..models import Standing
from .aggregation import EXPRESSIONS, counted, criterion_average, criterion_key, method_of
from .rubric import rubric_for

FIGURES = ("assigned", "scored", "highest", "lowest", *Aggregation.values)


def refresh_standings(applications):
    """Recompute and store the standing of every application in `applications` (a queryset)."""
    for call_id in applications.order_by().values_list("call_id", flat=True).distinct():
        _refresh_call(applications.filter(call_id=call_id))


def refresh_standing(application):
    refresh_standings(Application.objects.filter(pk=application.pk))


def _refresh_call(applications):
    first = applications.select_related("call__programme").first()
    criteria = rubric_for(first.call)
    averages = {criterion_key(c): criterion_average(c) for c in criteria}
    rows = counted(applications.order_by()).annotate(
        **{method: expression() for method, expression in EXPRESSIONS.items()}, **averages
    )
    standings = [
        Standing(
            application_id=row["pk"],
            criteria={key: row[key] for key in averages if row[key] is not None},
            **{figure: row[figure] for figure in FIGURES},
        )
        for row in rows.values("pk", *FIGURES, *averages)
    ]
    Standing.objects.bulk_create(
        standings,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["application"],
        update_fields=[*FIGURES, "criteria", "refreshed_at"],
    )


def score_of(call):
    """The stored figure the call's aggregation method ranks by."""
    method = method_of(call)
    return f"standing__{method}"


def criterion_figure(criterion):
    # keyed "criterion_<order>": a key of digits alone would be read as an array index
    return Cast(KeyTextTransform(criterion_key(criterion), "standing__criteria"), FloatField())
