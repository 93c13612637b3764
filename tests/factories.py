"""Test data built through the same code paths the portal uses (regions and calls from their loaders)."""

from datetime import timedelta

import factory
from django.conf import settings
from django.utils import timezone
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.domain.endorsement import submit_to_province
from applications.domain.quota import endorsement_for
from applications.domain.submission import seal_and_submit
from applications.domain.transitions import perform
from applications.models import Application
from demo.content import fill_application
from portal.accounts.models import Membership, Unit, UnitKind, User
from portal.accounts.regions import JOINT_OFFICE_CODE
from portal.accounts.seals import give_demo_seal
from portal.calls.models import Call, Programme
from portal.calls.recommenders import recommender_for

PASSWORD = "Test@2026pass"


def unit(code):
    return Unit.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    must_change_password = False  # an established account; first-login tests ask for True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def current_code(user):
    """What the user's authenticator shows now — or, when that code was already used (a second login
    within the same 30 s), the next one, which the device's drift tolerance accepts."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    now = TOTP(device.bin_key, step=device.step, t0=device.t0).t()
    drift = 1 if device.last_t >= now else 0
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:0{device.digits}d}"


def user_with_role(role, unit_or_code, **fields):
    """A user holding `role` in a unit; for roles that must sign in with two factors, already enrolled."""
    target = unit(unit_or_code) if isinstance(unit_or_code, str) else unit_or_code
    user = UserFactory(**fields)
    Membership.objects.create(user=user, unit=target, role=role)
    if role in settings.SECOND_FACTOR_ROLES:
        TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    return user


class CallFactory(factory.django.DjangoModelFactory):
    """A 众创社区 call open now, shaped like the seed 000 notice."""

    class Meta:
        model = Call

    programme = factory.LazyFunction(lambda: Programme.objects.get(code="zcsq"))
    title = factory.Sequence(lambda n: f"测试申报通知{n}")
    issuing_body = factory.LazyFunction(lambda: unit(JOINT_OFFICE_CODE))
    receiver = factory.LazyFunction(lambda: unit(JOINT_OFFICE_CODE))
    issue_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    filing_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    recommendation_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    filing_unit_kinds = factory.LazyFunction(lambda: [UnitKind.COUNTY, UnitKind.HIGHTECH_ZONE])
    recommender_kinds = factory.LazyFunction(lambda: [UnitKind.CITY])
    quota_by_zone = factory.LazyFunction(lambda: {"苏南": 5, "苏中": 3, "苏北": 3})
    paper_copies = 2
    plan_first_year = 2027


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    filing_unit = factory.LazyFunction(lambda: unit("320115"))
    recommender_unit = factory.LazyAttribute(lambda o: recommender_for(o.call, o.filing_unit))
    name = factory.Sequence(lambda n: f"测试众创社区{n}")


OPINION = "经审核，申报材料真实、完整，同意推荐。"


def make_ready(application, user=None):
    """Fill every part and upload the files (the clerk's pages), and give the unit its seal: ready for the head
    to seal the opinion and submit in one act (seal_and_submit, as `drive` does)."""
    user = user or application.created_by or UserFactory()
    fill_application(application, user)
    give_demo_seal(application.filing_unit)
    application.filing_unit.refresh_from_db()
    return application


def letter_ready(call, recommender_unit):
    endorsement = endorsement_for(call, recommender_unit)
    endorsement.contact_person, endorsement.contact_phone = "王科长", "025-83232116"
    endorsement.document_number = "宁政函〔2026〕12号"
    endorsement.letter_date = timezone.localdate()
    endorsement.save()
    return endorsement


def send_to_province(call, recommender_unit, city_user, **kwargs):
    """The city's one act: every chosen application goes with the sealed letter."""
    endorsement = letter_ready(call, recommender_unit)
    chosen = Application.objects.filter(call=call, recommender_unit=recommender_unit, status="city_selected")
    return submit_to_province(endorsement, city_user, opinions={a.pk: "同意推荐。" for a in chosen}, **kwargs)


def drive(application, *steps, render=True):
    """Take (action, user[, reason]) steps through the real transition table. Submitting seals first;
    "send" is the city's submission of its whole letter. `render=False` leaves the PDFs to be asked for."""
    for step in steps:
        action, user, *rest = step
        if action in ("submit", "resubmit", "resubmit_correction"):
            application = seal_and_submit(application, user, OPINION, render=render)
        elif action == "send":
            send_to_province(application.call, application.recommender_unit, user, render=render)
        else:
            application = perform(application, action, user, reason=rest[0] if rest else "")
        application.refresh_from_db()
    return application
