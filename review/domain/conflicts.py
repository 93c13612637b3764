"""Conflict of interest: who may not review an application, and why. The one place this rule lives.

An expert never reviews an application from the city of their own work unit, nor one they (or the
province) declared a conflict with: the application itself, its filing unit, or its city.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExpertFacts:
    id: int
    city_id: int | None  # None: a work unit outside Jiangsu
    fields: frozenset = frozenset()
    conflict_applications: frozenset = frozenset()
    conflict_units: frozenset = frozenset()
    conflict_cities: frozenset = frozenset()


@dataclass(frozen=True)
class ApplicationFacts:
    id: int
    city_id: int
    unit_id: int
    fields: frozenset = field(default_factory=frozenset)


def conflict_reason(expert, application):
    """Why the expert may not review the application, or None when they may."""
    if expert.city_id is not None and expert.city_id == application.city_id:
        return "专家工作单位与申报单位在同一设区市"
    if application.id in expert.conflict_applications:
        return "专家申报了与该申报的利益冲突"
    if application.unit_id in expert.conflict_units:
        return "专家申报了与申报单位的利益冲突"
    if application.city_id in expert.conflict_cities:
        return "专家申报了与该设区市的利益冲突"
    return None


def may_review(expert, application):
    return conflict_reason(expert, application) is None
