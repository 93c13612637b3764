"""Property 2: every date a user enters that the rules constrain is checked on the server, with a Chinese
message next to the field. The test finds every date field of the portal — in its forms, in the parts'
forms built from field specs, in its own models' admin forms (the calls' and reporting rounds' dates) and
the date inputs its templates post by hand — and holds each to a rule below. A new date field the table
does not know fails the test until its rule is written here (and enforced)."""

import pathlib
import re
from datetime import timedelta

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from applications.forms.endorsement import LetterForm
from applications.models import Endorsement
from applications.programmes import REGISTRY
from portal.audit.forms import AuditFilterForm
from portal.workflow import TransitionRefused
from review.domain.batches import BatchRefused
from review.domain.formal_review import return_for_correction
from review.domain.publicity import open_publicity, record_objection
from review.models import Publicity, ReportingRound

from ..factories import CallFactory

PORTAL_APPS = ("applications", "review", "portal")
DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)  # the admin splits datetimes
DATE_INPUT = re.compile(r'<input[^>]*\btype="(?:date|datetime-local)"[^>]*>')


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def declared_form_fields():
    """form:<module>.<Form>.<field> for the date fields of the portal's form classes."""
    import applications.forms.endorsement  # noqa: F401  the forms that pages build
    import portal.accounts.forms  # noqa: F401
    import portal.audit.forms  # noqa: F401
    import review.pilots.forms  # noqa: F401

    return {
        f"form:{cls.__module__}.{cls.__name__}.{name}"
        for cls in set(_subclasses(forms.BaseForm))
        if cls.__module__.startswith(PORTAL_APPS)
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, DATE_FIELDS)
    }


def part_form_fields(call):
    """part:<programme>.<part>.<field> for the date fields of each programme's part forms (built from specs)."""
    found = set()
    for code, programme in REGISTRY.items():
        for part in programme.parts:
            try:
                form_class = programme.form_class(part.key, call)
            except KeyError:
                continue
            for name, field in form_class().fields.items():
                if isinstance(field, DATE_FIELDS):
                    found.add(f"part:{code}.{part.key}.{name}")
    return found


def admin_form_fields():
    """admin:<model>.<field> for the date fields of the portal's own models in the admin site."""
    request = RequestFactory().get("/admin/")
    request.user = type("Superuser", (), {"is_superuser": True, "is_active": True, "is_staff": True})()
    request.user.has_perm = lambda *args, **kwargs: True
    found = set()
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith(PORTAL_APPS):
            continue  # third parties' admin (one-time-password devices, sessions) holds no rule of ours
        for name, field in model_admin.get_form(request).base_fields.items():
            if isinstance(field, DATE_FIELDS):
                found.add(f"admin:{model._meta.label_lower}.{name}")
    return found


def template_inputs():
    """template:<path>:<name> for the date inputs that templates write by hand (the view parses them)."""
    found = set()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in pathlib.Path(folder).rglob("*.html"):
            for tag in DATE_INPUT.findall(path.read_text(encoding="utf-8")):
                name = re.search(r'\bname="([^"]+)"', tag).group(1)
                found.add(f"template:{path.relative_to(folder)}:{name}")
    return found


def every_date_field(call):
    return declared_form_fields() | part_form_fields(call) | admin_form_fields() | template_inputs()


# --- the rules, one check each: a rule-breaking value is refused with a Chinese message on that field ---


def refused_on(field, problem):
    messages = problem.message_dict[field] if hasattr(problem, "message_dict") else [str(problem)]
    assert messages and all(re.search(r"[\u4e00-\u9fff]", m) for m in messages), messages
    return messages


def form_error(form, field):
    assert not form.is_valid()
    assert field in form.errors, form.errors
    return refused_on(field, ValidationError({field: form.errors[field]}))


def day(offset=0):
    return timezone.localdate() + timedelta(days=offset)


def letter_date_outside_the_call(call):
    letter = Endorsement(call=call, recommender_unit=call.receiver)
    late = timezone.localtime(call.recommendation_deadline).date() + timedelta(days=1)
    for wrong in (late, call.issue_date - timedelta(days=1)):
        data = {"contact_person": "王", "contact_phone": "025-83232116", "letter_date": wrong.isoformat()}
        assert "落款日期" in form_error(LetterForm(data, instance=letter), "letter_date")[0]


def audit_range_inverted(call):
    form = AuditFilterForm({"since": day(0).isoformat(), "until": day(-1).isoformat()})
    assert "截止日期不能早于起始日期" in form_error(form, "until")[0]


def founded_in_the_future(code, part):
    def check(call):
        form = REGISTRY[code].form_class(part, call)({"founded_on": day(1).isoformat()})
        assert "不能晚于今天" in form_error(form, "founded_on")[0]

    return check


def schedule_rule(model, field):
    """A call's or a round's dates: opens before its deadlines, filing no later than recommending, a deadline
    entered in a form not already past, the notice issued no later than it opens."""

    def check(call):
        if model is ReportingRound:
            schedule = ReportingRound(
                programme=call.programme,
                year=day().year,
                title="年度考核",
                opens_at=call.opens_at,
                filing_deadline=call.filing_deadline,
                recommendation_deadline=call.recommendation_deadline,
                receiver=call.receiver,
            )
        else:
            schedule = CallFactory.build(programme=call.programme, issuing_body=call.receiver, receiver=call.receiver)
        breaking = {
            "opens_at": {"opens_at": schedule.recommendation_deadline + timedelta(hours=1)},
            "filing_deadline": {"filing_deadline": schedule.recommendation_deadline + timedelta(hours=1)},
            "recommendation_deadline": {
                "recommendation_deadline": timezone.now() - timedelta(hours=1),
                "filing_deadline": None,
                "opens_at": timezone.now() - timedelta(days=3),
            },
            "issue_date": {"issue_date": timezone.localdate(schedule.opens_at) + timedelta(days=1)},
        }[field]
        for name, value in breaking.items():
            setattr(schedule, name, value)
        with pytest.raises(ValidationError) as refused:
            schedule.clean()
        refused_on(field, refused.value)

    return check


def publicity_backdated(call, people):
    with pytest.raises(BatchRefused) as refused:
        open_publicity(call, [], user=people["province"], starts_on=day(-1), objection_contact="025-1")
    assert "公示开始日期不能早于今天" in refused_on("starts_on", refused.value.message)[0]


def correction_deadline_past(call, people):
    with pytest.raises(TransitionRefused) as refused:
        return_for_correction(None, people["province"], "请补充", day(-1))
    assert "不早于今天" in refused_on("fix_by", refused.value.message)[0]


def objection_received_outside_the_publicity(call, people):
    publicity = Publicity(call=call, starts_on=day(0), ends_on=day(6))
    for wrong in (day(-1), day(1)):
        with pytest.raises(TransitionRefused) as refused:
            record_objection(publicity, None, people["province"], received_on=wrong, summary="来信")
        assert "收到日期" in refused_on("received_on", refused.value.message)[0]


RULES = {
    "form:applications.forms.endorsement.LetterForm.letter_date": letter_date_outside_the_call,
    "form:portal.audit.forms.AuditFilterForm.since": audit_range_inverted,
    "form:portal.audit.forms.AuditFilterForm.until": audit_range_inverted,
    "part:zyhzckj.basic_info.founded_on": founded_in_the_future("zyhzckj", "basic_info"),
    **{
        f"admin:{model._meta.label_lower}.{field}": schedule_rule(model, field)
        for model, fields in (
            (apps.get_model("calls", "Call"), ("opens_at", "filing_deadline", "recommendation_deadline", "issue_date")),
            (ReportingRound, ("opens_at", "filing_deadline", "recommendation_deadline")),
        )
        for field in fields
    },
    "template:province/ranking.html:starts_on": publicity_backdated,
    "template:province/formal_review.html:fix_by": correction_deadline_past,
    "template:province/publicity.html:received_on": objection_received_outside_the_publicity,
}
NEEDS_PEOPLE = {publicity_backdated, correction_deadline_past, objection_received_outside_the_publicity}


def test_every_date_field_of_the_portal_has_a_rule_here(call):
    found = every_date_field(call)
    assert found - set(RULES) == set(), "date fields without a rule in RULES (write the rule, then the check)"
    assert set(RULES) - found == set(), "RULES names fields that no longer exist"


@pytest.mark.parametrize("key", sorted(RULES))
def test_a_date_that_breaks_its_rule_is_refused_with_a_chinese_message(key, call, people):
    check = RULES[key]
    check(call, people) if check in NEEDS_PEOPLE else check(call)
