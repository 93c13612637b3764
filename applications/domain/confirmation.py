"""A recommender's item-by-item confirmation of what the applicant answered (a programme's
`recommender_checklist`, e.g. the 推荐条件 of 苏科高发〔2018〕169号), recorded with who and when."""

from django.utils import timezone

from portal.accounts.roles import Role

from ..programmes import programme_for
from ..status import Status
from .content import ApplicationContent, save_part

YES = "yes"


def checklist_of(application):
    return programme_for(application).recommender_checklist


def may_confirm(user, application):
    """At 初审 only, by the application's own recommender, where its programme has a checklist."""
    return (
        checklist_of(application) is not None
        and application.status == Status.SUBMITTED
        and application.recommender_unit_id in user.unit_ids_for(Role.RECOMMENDER)
    )


def checklist_rows(application, content=None):
    """(item, the applicant's answer, confirmed?) for each item, or [] when the programme has no checklist."""
    checklist = checklist_of(application)
    if checklist is None:
        return []
    content = content or ApplicationContent(application)
    answers, confirmed = content.data(checklist.applicant_part), content.data(checklist.part)
    return [(item, answers.get(item.key), confirmed.get(item.key) == YES) for item in checklist.items]


def unconfirmed_items(application):
    """Items the applicant answered 是 that the recommender has not confirmed."""
    return [item for item, answer, confirmed in checklist_rows(application) if answer == YES and not confirmed]


def confirm_items(application, user, keys):
    """Record which items the recommender confirms (the others are recorded as not confirmed)."""
    checklist = checklist_of(application)
    content = ApplicationContent(application)
    values = {item.key: YES if item.key in keys else "no" for item in checklist.items}
    values.update(confirmed_by=user.get_username(), confirmed_at=timezone.now().isoformat())
    save_part(application, checklist.part, values, content.revision(checklist.part), user)
