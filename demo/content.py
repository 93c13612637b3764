"""Demo applications filled with their programme's sample content, saved through the same code paths a county uses."""

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.domain.content import add_attachment, save_part
from applications.programmes import programme_for
from applications.validators.uploads import check_upload
from portal.accounts.models import UnitKind

# 机关代字 of the demo cities' letters: the city's one-character name (南京 is 宁).
CITY_MARKS = {"320100": "宁", "320300": "徐", "320500": "苏", "320600": "通"}


def demo_document_number(unit, year, serial):
    """A 发文字号 as the demo city's office would allot it: 宁政函〔2026〕12号, or 苏科函 for a 科技局."""
    office = "科函" if unit.kind == UnitKind.CITY_STI_BUREAU else "政函"
    return f"{CITY_MARKS[unit.code[:6]]}{office}〔{year}〕{serial}号"


def fill_application(application, user, variant="strong", with_files=True):
    """Fill every part of an application of any programme and upload its files, as the applicant would."""
    programme = programme_for(application)
    for key, values in programme.sample_parts(application, variant).items():
        revision = application.parts.filter(key=key).values_list("revision", flat=True).first() or 0
        save_part(application, key, values, revision, user, programme.name_field)
    if with_files:
        for kind, filename, data in programme.sample_files(application.name):
            upload = SimpleUploadedFile(filename, data)
            spec = next(k for k in programme.attachment_kinds if k.key == kind)
            add_attachment(application, kind, upload, check_upload(upload, spec.accepts), user)
    return application
