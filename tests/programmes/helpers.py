"""Posting to programme forms the way a browser does: every value a string, ticks as repeated keys."""

from django.http import QueryDict


def posted(**fields):
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def errors_of(form):
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


class Content:
    """The two things a programme's missing() reads from an ApplicationContent."""

    def __init__(self, parts=None, kinds=()):
        self.parts, self.kinds = parts or {}, set(kinds)

    def data(self, key):
        return self.parts.get(key, {})

    def attachment_kinds_present(self):
        return self.kinds
