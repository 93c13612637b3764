"""Text is stored exactly as typed and escaped wherever it is shown: `<AI芯片>` is words, not markup.
The class: every free-text field of every part of every programme, through its edit page, the read-only
page and the PDF package's HTML."""

import pytest
from django import forms
from django.utils.html import escape

from applications.domain.content import ApplicationContent
from applications.packages import html as package_html
from applications.programmes import programme_for
from portal.accounts.roles import Role

from ..browser_forms import as_post_data, shown_form, submitted_values
from ..factories import ApplicationFactory, make_ready, user_with_role
from ..programmes.conftest import new_space_call, operator_under
from .test_packages import render

TYPED = "重点发展<AI芯片>与<IoT>产业，a<b 且 c>d"
SHOWN = escape(TYPED)


def text_fields(application):
    """(part, field name) of every free-text field that accepts TYPED (phones, e-mails, names with a
    rule of their own do not)."""
    programme, content = programme_for(application), ApplicationContent(application)
    for part in programme.parts:
        try:
            form_class = programme.form_class(part.key, application.call)
        except KeyError:
            continue  # a page of uploads
        form = form_class(initial=content.data(part.key))
        for name, field in form.fields.items():
            if type(field) is not forms.CharField or isinstance(field.widget, forms.HiddenInput):
                continue
            if name not in form_class({name: TYPED}).errors:
                yield part, name


def stored(data, name):
    """A field's saved value; a repeated item's field (`cases-0-name`) is in its group's list."""
    group, _, rest = name.partition("-")
    if rest:
        index, _, key = rest.partition("-")
        return data[group][int(index)][key]
    return data[name]


@pytest.fixture(params=["zcsq", "zyhzckj"])
def filing(request, people):
    """A complete draft of each programme and its clerk."""
    if request.param == "zcsq":
        return make_ready(ApplicationFactory(created_by=people["clerk"])), people["clerk"]
    operator = operator_under("320583", "OP-TEXT", "苏州纳米创新研究院")
    clerk = user_with_role(Role.APPLICANT_CLERK, operator)
    application = make_ready(ApplicationFactory(call=new_space_call(), filing_unit=operator, created_by=clerk))
    return application, clerk


def test_every_text_field_keeps_angle_brackets_and_every_output_escapes_them(client, filing, monkeypatch):
    application, clerk = filing
    client.force_login(clerk)
    fields = list(text_fields(application))
    assert len(fields) > 3
    for part, name in fields:
        shown = submitted_values(shown_form(client.get(part.url(application.pk)).content.decode(), name))
        data = as_post_data(shown) | {name: [TYPED]}
        response = client.post(part.url(application.pk), data)
        assert response.status_code == 302, (part.key, name)
        assert stored(ApplicationContent(application).data(part.key), name) == TYPED, (part.key, name)
        edit_page = client.get(part.url(application.pk)).content.decode()
        assert SHOWN in edit_page and TYPED not in edit_page, (part.key, name)
    detail = client.get(application.get_absolute_url()).content.decode()
    assert SHOWN in detail and TYPED not in detail

    rendered = []
    real = package_html.render_to_string
    monkeypatch.setattr(
        package_html, "render_to_string", lambda *a, **k: rendered.append(real(*a, **k)) or rendered[-1]
    )
    render(application)
    package = "".join(rendered)
    assert package.count(SHOWN) >= 1 and TYPED not in package
