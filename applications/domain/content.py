"""An application's saved content: its parts and attachments, read in two queries and saved under
an optimistic lock."""

from django.db import transaction
from django.utils import timezone

from ..models import ApplicationPart, Attachment


class EditConflict(Exception):
    def __init__(self, part):
        self.part = part
        saved_at = timezone.localtime(part.saved_at).strftime("%H:%M:%S") if part.saved_at else ""
        who = part.saved_by.full_name or part.saved_by.username if part.saved_by else "其他用户"
        super().__init__(
            f"保存未成功：{who} 已于 {saved_at} 保存了本页内容。您填写的内容仍保留在页面上，"
            "请核对对方的修改后刷新页面再保存，或复制您的内容备用。"
        )


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


def save_part(application, key, values, base_revision, user, name_field=None):
    """Merge `values` into the part, unless somebody saved it since `base_revision`."""
    with transaction.atomic():
        ApplicationPart.objects.get_or_create(application=application, key=key)
        part = (
            ApplicationPart.objects.select_for_update(of=("self",))
            .select_related("saved_by")
            .get(application=application, key=key)
        )
        if part.revision != base_revision:
            raise EditConflict(part)
        part.data = {**part.data, **values}
        part.revision += 1
        part.saved_by = user
        part.saved_at = timezone.now()
        part.save()
        new_name = values.get(name_field) if name_field else None
        if new_name and new_name != application.name:
            application.name = new_name
            application.save(update_fields=["name", "updated_at"])
        else:
            application.save(update_fields=["updated_at"])
    return part


def remove_attachment(attachment):
    attachment.file.delete(save=False)
    attachment.delete()


def add_attachment(application, kind, uploaded, checked, user):
    from ..validators.uploads import store_checked

    row = Attachment(application=application, kind=kind, uploaded_by=user, **checked.stored_fields())
    return store_checked(row, uploaded)
