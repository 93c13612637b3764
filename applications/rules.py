import rules

from .domain.access import can_view


@rules.predicate
def can_view_application(user, application):
    return application is not None and can_view(user, application)


rules.add_perm("applications.view_application", can_view_application)
