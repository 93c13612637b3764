"""An application's saved content: its parts and attachments, read in two queries and saved under
an optimistic lock."""

from django.db import transaction
from django.utils import timezone

from ..models import Application, ApplicationPart, Attachment
from ..status import EDITABLE_BY_APPLICANT
from ..validators.uploads import store_checked


class EditConflict(Exception):
    def __init__(self, part):
        self.part = part
        saved_at = timezone.localtime(part.saved_at).strftime("%H:%M:%S") if part.saved_at else ""
        who = part.saved_by.full_name or part.saved_by.username if part.saved_by else "其他用户"
        super().__init__(
            f"保存未成功：{who} 已于 {saved_at} 保存了本页内容。您填写的内容仍保留在页面上，"
            "请核对对方的修改后刷新页面再保存，或复制您的内容备用。"
        )


class NoLongerEditable(Exception):
    """A save that arrives after the application moved on (报送 froze its version) is refused, not stored."""

    def __init__(self, application):
        changed_at = application.status_changed_at
        when = f"已于 {timezone.localtime(changed_at):%H:%M:%S} " if changed_at else "已"
        super().__init__(
            f"保存未成功：本申报{when}变为“{application.get_status_display()}”，报送的版本已冻结，不能再修改。"
            "您填写的内容仍保留在页面上，可复制备用。"
        )


def lock_for_saving(application, editable_in=None):
    """Lock the application's row for the rest of the transaction: a save waits while a transition (报送)
    holds the row, then sees the status it left and is refused if the content may no longer change."""
    locked = (
        Application.objects.select_for_update(of=("self",)).only("status", "status_changed_at").get(pk=application.pk)
    )
    if editable_in is not None and locked.status not in editable_in:
        raise NoLongerEditable(locked)
    return locked


class ApplicationContent:
    def __init__(self, application):
        self.application = application
        self.parts = {part.key: part for part in application.parts.select_related("saved_by")}
        self.attachments = list(application.attachments.select_related("uploaded_by"))

    @classmethod
    def of(cls, application):
        """Read once per application object: a transition's guards and effect (which run on the object perform()
        has just locked and read afresh) and the package it queues share one reading."""
        if "_content" not in application.__dict__:
            application.__dict__["_content"] = cls(application)
        return application.__dict__["_content"]

    def write(self, key, values, user):
        """Merge `values` into a part while the caller holds the application's row locked, as it did when this
        content was read (a transition sealing the opinion it submits): no save can have come in between, and
        the content shows the part as written."""
        self.parts[key] = _merge(self.application, key, self.parts.get(key), values, self.revision(key), user)

    def data(self, key):
        part = self.parts.get(key)
        return part.data if part else {}

    def revision(self, key):
        part = self.parts.get(key)
        return part.revision if part else 0

    def attachment_kinds_present(self):
        return {attachment.kind for attachment in self.attachments}

    def attachments_of(self, kind):
        return [attachment for attachment in self.attachments if attachment.kind == kind]

    def stored_bytes(self):
        return sum(attachment.size for attachment in self.attachments)


def save_part(application, key, values, base_revision, user, name_field=None, editable_in=None):
    """Merge `values` into the part, unless somebody saved it since `base_revision` or the application has
    left the statuses `editable_in` (NoLongerEditable)."""
    with transaction.atomic():
        lock_for_saving(application, editable_in)
        # every save of a part holds the application's row lock: nobody adds or changes the part meanwhile
        saved = ApplicationPart.objects.select_related("saved_by").filter(application=application, key=key).first()
        part = _merge(application, key, saved, values, base_revision, user)
        new_name = values.get(name_field) if name_field else None
        if new_name and new_name != application.name:
            application.name = new_name
            application.save(update_fields=["name", "updated_at"])
        else:
            application.save(update_fields=["updated_at"])
    return part


def _merge(application, key, saved, values, base_revision, user):
    part = saved or ApplicationPart(application=application, key=key)
    if part.revision != base_revision:
        raise EditConflict(part)
    part.data = {**part.data, **values}
    part.revision += 1
    part.saved_by = user
    part.saved_at = timezone.now()
    part.save()
    return part


def remove_attachment(attachment, editable_in=EDITABLE_BY_APPLICANT):
    with transaction.atomic():
        lock_for_saving(attachment.application, editable_in)
        attachment.delete()
    attachment.file.delete(save=False)


def add_attachment(application, kind, uploaded, checked, user, editable_in=EDITABLE_BY_APPLICANT):
    with transaction.atomic():
        lock_for_saving(application, editable_in)
        row = Attachment(application=application, kind=kind, uploaded_by=user, **checked.stored_fields())
        return store_checked(row, uploaded)
