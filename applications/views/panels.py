"""What every page of an application shows beside the form: parts, what is missing, thresholds."""

from ..domain.access import can_edit, can_seal_and_submit
from ..domain.content import ApplicationContent
from ..programmes import programme_for


def application_context(application, user, content=None):
    content = content or ApplicationContent(application)
    programme = programme_for(application)
    missing = programme.missing(content)
    missing_by_part = {}
    for item in missing:
        missing_by_part.setdefault(item.part, []).append(item)
    return {
        "application": application,
        "content": content,
        "programme": programme,
        "part_nav": [
            {
                "part": part,
                "url": part.url(application.pk),
                "missing": len(missing_by_part.get(part.key, [])),
                "first_missing": missing_by_part.get(part.key, [])[:8],
            }
            for part in programme.parts
        ],
        "missing": missing,
        "missing_by_part": missing_by_part,
        "thresholds": programme.thresholds(content),
        "editable": can_edit(user, application),
        "may_submit": can_seal_and_submit(user, application),
    }
