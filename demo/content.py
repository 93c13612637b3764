"""Demo applications filled with their programme's sample content, saved through the same code paths a county uses."""

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.domain.content import add_attachment, save_part
from applications.programmes import programme_for
from applications.validators.uploads import check_upload


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
