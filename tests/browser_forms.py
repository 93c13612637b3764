"""Read a page's forms the way a browser submits them (lxml's form_values: what is shown is what is sent)."""

import lxml.html


def forms_of(page, method="post"):
    """The page's forms with that method, parsed."""
    document = lxml.html.fromstring(page)
    return [form for form in document.forms if (form.method or "get").lower() == method]


def submitted_values(form):
    """The (name, value) pairs a browser would send for this form as it is shown."""
    return [(name, value) for name, value in form.form_values() if name != "csrfmiddlewaretoken"]


def shown_form(page, field_name):
    """The POST form on the page that carries `field_name`."""
    for form in forms_of(page):
        if field_name in form.fields:
            return form
    raise AssertionError(f"no form with {field_name!r} on the page")


def as_post_data(pairs):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data
