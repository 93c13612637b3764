"""Recording conflicts of interest, declared by the expert or added by the province."""

from ..models import ConflictDeclaration


def declare_conflict(expert, declared_by, *, unit=None, application=None, city=None, reason=""):
    conflict, _ = ConflictDeclaration.objects.get_or_create(
        expert=expert,
        unit=unit,
        application=application,
        city=city,
        defaults={"declared_by": declared_by, "reason": reason[:200]},
    )
    return conflict
