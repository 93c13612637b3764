"""Submitting freezes a numbered version: every part's data and every file's hash."""

import hashlib
import json

from ..models import ApplicationVersion
from ..programmes import programme_for
from .content import ApplicationContent


def snapshot(application):
    content = ApplicationContent.of(application)
    parts = {key: part.data for key, part in sorted(content.parts.items())}
    files = [
        {"kind": a.kind, "name": a.original_name, "sha256": a.sha256, "size": a.size, "pages": a.pages}
        for a in sorted(content.attachments, key=lambda a: (a.kind, a.sha256, a.pk))
    ]
    return parts, files


def content_hash(parts, files):
    canonical = json.dumps({"parts": parts, "files": files}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def threshold_summary(application, parts):
    """How many of the 实施意见 thresholds the filed content meets, and which it fails: kept with the
    version, so that the lists of the city and the province need not read every filing."""
    results = programme_for(application).thresholds_for_data(
        application.call, parts.get("declaration") or {}, parts.get("plan") or {}
    )
    return {
        "met": sum(1 for r in results if r.met),
        "total": len(results),
        "failed": [r.label for r in results if r.met is False],
    }


FROZEN = "_frozen_version"


def freeze_version(application, number, now, user):
    """Freeze the application's content as version `number`; the threshold summary is kept with the
    version and, as the latest filed one, on the application (saved with it by the transition)."""
    parts, files = snapshot(application)
    application.filed_thresholds = threshold_summary(application, parts)
    version = ApplicationVersion.objects.create(
        application=application,
        number=number,
        frozen_at=now,
        frozen_by=user,
        parts=parts,
        files=files,
        content_hash=content_hash(parts, files),
        thresholds=application.filed_thresholds,
    )
    application.__dict__[FROZEN] = version  # the package the act queues reads it from here
    return version


def latest_version(application):
    """The newest frozen version: the one just frozen on this very object, or read."""
    return application.__dict__.get(FROZEN) or application.versions.order_by("-number").first()


def latest_parts(applications):
    """{application id: parts of its latest submitted version}, in one query."""
    latest = {}
    versions = ApplicationVersion.objects.filter(application__in=applications).order_by("application_id", "-number")
    for version in versions.only("application_id", "number", "parts"):
        latest.setdefault(version.application_id, version.parts)
    return latest
