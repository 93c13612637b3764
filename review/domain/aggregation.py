"""How the experts' scores of an application become one figure, per the call's chosen method.

Everything here is a query expression: the board, its filters and sorting, the exports and the
decisions all read the same annotations, computed by the database.

- An assignment's total is Σ points × criterion weight, stored on the assignment when it is submitted.
- Mean: the average of the submitted totals.
- Trimmed mean: with at least 5 submitted totals, drop one highest and one lowest and average the rest
  (ties: only one copy of the highest and of the lowest is dropped); with fewer, the mean.
- Median: the middle total, or the average of the two middle ones.

Each figure counts the assignments of one purpose only (备案评审 unless asked): an acceptance review's
scores never enter the filing ranking. An assignment with a conflict of interest found after it was made
counts only once the province has kept its score.
"""

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast

from portal.calls.models import Aggregation
from portal.statistics import Median

from ..models import Assignment, Purpose, Score, counting_assignments

TRIM_FROM = 5


def applied_method(method, scored):
    """The method an application's figure was actually computed with: the trimmed mean falls back to the mean
    below TRIM_FROM submitted scores (a header saying "trimmed" over three experts' mean would mislead)."""
    if method == Aggregation.TRIMMED_MEAN and (scored or 0) < TRIM_FROM:
        return Aggregation.MEAN
    return method


def of_purpose(purpose):
    """The assignments of one purpose that count (see models.counting_assignments)."""
    return Q(assignments__purpose=purpose) & counting_assignments("assignments__")


def submitted(purpose):
    return Q(assignments__submitted_at__isnull=False) & of_purpose(purpose)


def weighted_total():
    """Σ points × weight of one assignment's scores, as a subquery on Assignment."""
    scores = (
        Score.objects.filter(assignment=OuterRef("pk"))
        .values("assignment")
        .annotate(total=Sum(F("points") * F("criterion__weight")))
        .values("total")
    )
    return Subquery(scores)


def record_total(assignment):
    Assignment.objects.filter(pk=assignment.pk).update(total=weighted_total())


def _float(expression):
    return Cast(expression, FloatField())


def mean_expression(purpose=Purpose.FILING):
    return Avg(_float("assignments__total"), filter=submitted(purpose))


def trimmed_mean_expression(purpose=Purpose.FILING):
    """Needs the `scored` annotation (the number of submitted totals)."""
    done = submitted(purpose)
    count = Count("assignments", filter=done)
    total = _float(Sum("assignments__total", filter=done))
    highest = _float(Max("assignments__total", filter=done))
    lowest = _float(Min("assignments__total", filter=done))
    trimmed = ExpressionWrapper((total - highest - lowest) / _float(count - 2), output_field=FloatField())
    return Case(
        When(Q(scored__gte=TRIM_FROM), then=trimmed), default=mean_expression(purpose), output_field=FloatField()
    )


def median_expression(purpose=Purpose.FILING):
    return Median("assignments__total", filter=submitted(purpose))


EXPRESSIONS = {
    Aggregation.MEAN: mean_expression,
    Aggregation.TRIMMED_MEAN: trimmed_mean_expression,
    Aggregation.MEDIAN: median_expression,
}


def method_of(call):
    """The call's aggregation method; the mean when none valid is set."""
    return call.aggregation if call.aggregation in EXPRESSIONS else Aggregation.MEAN


def aggregate_expression(call, purpose=Purpose.FILING):
    return EXPRESSIONS[method_of(call)](purpose)


def criterion_average(criterion):
    """The criterion belongs to one purpose's rubric, so its scores are of that purpose alone."""
    scores = (
        Score.objects.filter(
            counting_assignments("assignment__"),
            assignment__application=OuterRef("pk"),
            assignment__submitted_at__isnull=False,
            criterion=criterion,
        )
        .values("criterion")
        .annotate(average=Avg(_float("points")))
        .values("average")
    )
    return Subquery(scores, output_field=FloatField())


def criterion_key(criterion):
    return f"criterion_{criterion.order}"


def counted(applications, purpose=Purpose.FILING):
    done = submitted(purpose)
    return applications.annotate(
        assigned=Count("assignments", filter=of_purpose(purpose)),
        scored=Count("assignments", filter=done),
        highest=_float(Max("assignments__total", filter=done)),
        lowest=_float(Min("assignments__total", filter=done)),
    )


def with_scores(applications, call, criteria=(), purpose=Purpose.FILING):
    """Annotate applications of one call with: assigned, scored, score (per the call's method),
    highest, lowest, spread, disagreement, missing_scores and one average per criterion."""
    applications = counted(applications, purpose).annotate(
        score=aggregate_expression(call, purpose),
        spread=ExpressionWrapper(F("highest") - F("lowest"), output_field=FloatField()),
    )
    applications = applications.annotate(**flags(call))
    return applications.annotate(**{criterion_key(c): criterion_average(c) for c in criteria})


def flags(call):
    """The board's warnings, from the `spread`, `scored` and `assigned` annotations: the experts disagree
    by more than the call's limit; some assigned expert has not submitted (or nobody has)."""
    return {
        "disagreement": Case(
            When(spread__gt=Value(float(call.disagreement_limit), output_field=FloatField()), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        "missing_scores": Case(
            When(Q(scored=0) | Q(scored__lt=F("assigned")), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    }
