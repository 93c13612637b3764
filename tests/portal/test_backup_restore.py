"""manage.py backup / restore: a backup restored into a fresh database brings back every row and file."""

import hashlib
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from applications.models import Application, ApplicationVersion, Attachment, Package
from portal.audit.models import AuditAction, AuditEvent

from ..factories import ApplicationFactory, drive, make_ready

# pg_dump runs in its own session: the data must be committed for it to see.
pytestmark = pytest.mark.django_db(transaction=True)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_backup(output):
    call_command("backup", output=str(output), stdout=StringIO())
    (folder,) = Path(output).iterdir()
    return folder


def run_restore(folder, **options):
    out = StringIO()
    call_command("restore", str(folder), stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def portal_data(people, call, application):
    """One submitted application (a frozen version and its PDF package) and one draft, both with files."""
    submitted = drive(application, ("submit", people["head"]))
    draft = make_ready(ApplicationFactory(call=call, created_by=people["clerk"], name="备份测试草稿"))
    return submitted, draft


def snapshot():
    """What a restore must bring back, read from the current database."""
    return {
        "applications": set(Application.objects.values_list("pk", "name", "status", "version")),
        "versions": set(ApplicationVersion.objects.values_list("pk", "application_id", "number", "content_hash")),
        "attachments": set(Attachment.objects.values_list("pk", "file", "sha256")),
        "packages": set(Package.objects.exclude(file="").values_list("pk", "file", "sha256")),
        "audit": set(AuditEvent.objects.values_list("pk", "at", "action", "verb", "username", "object_id")),
    }


@pytest.fixture
def fresh_database(transactional_db, tmp_path):
    """Point the default connection at a new, empty database for the rest of the test, then back."""
    saved = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        fresh = str(tmp_path / "fresh.sqlite3")
    else:
        fresh = f"{saved}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
            cursor.execute(f'CREATE DATABASE "{fresh}"')

    def use(name):
        connection.close()
        connection.settings_dict["NAME"] = name

    use(fresh)
    yield fresh
    use(saved)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def test_restore_into_a_fresh_database_finds_every_row_and_file(portal_data, tmp_path, settings, request):
    expected = snapshot()
    assert expected["versions"] and expected["packages"] and len(expected["attachments"]) >= 4
    folder = run_backup(tmp_path / "backups")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, verb="备份数据库与附件").count() == 1

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["created_at"].endswith("+08:00")
    leaves = set(MigrationLoader(None).graph.leaf_nodes())
    assert {
        ("audit", manifest["migrations"]["audit"]),
        ("applications", manifest["migrations"]["applications"]),
    } <= leaves
    assert manifest["counts"]["applications"] == 2 and manifest["counts"]["audit_events"] == len(expected["audit"])
    assert all(sha256(folder / name) == digest for name, digest in manifest["files"].items())

    request.getfixturevalue("fresh_database")
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    output = run_restore(folder)

    assert "申报：2（备份时 2）" in output and "不一致" not in output
    restored = snapshot()
    for key in ("applications", "versions", "attachments", "packages"):
        assert restored[key] == expected[key], key
    assert expected["audit"] < restored["audit"]
    assert AuditEvent.objects.exclude(pk__in=[row[0] for row in expected["audit"]]).get().verb == "恢复备份"
    for attachment in Attachment.objects.all():
        assert sha256(settings.MEDIA_ROOT / attachment.file.name) == attachment.sha256
    for package in Package.objects.exclude(file=""):
        assert sha256(settings.MEDIA_ROOT / package.file.name) == package.sha256
    # The restored audit table still refuses changes in the database itself.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET verb = 'changed'")


def media_listing(root):
    return sorted((p.relative_to(root).as_posix(), sha256(p)) for p in Path(root).rglob("*") if p.is_file())


def test_a_tampered_file_is_refused_by_name_and_nothing_changes(bare_application, tmp_path, settings, people):
    make_ready(bare_application)
    folder = run_backup(tmp_path / "backups")
    later = ApplicationFactory(call=bare_application.call, created_by=people["clerk"], name="备份之后的申报")
    media_before, audit_before = media_listing(settings.MEDIA_ROOT), AuditEvent.objects.count()
    upload = next((folder / "media" / "applications").rglob("*.pdf"))
    upload.write_bytes(upload.read_bytes() + b"%")
    name = upload.relative_to(folder).as_posix()

    with pytest.raises(CommandError, match=f"文件 {name} 的 SHA-256 与清单不符"):
        run_restore(folder, force=True)
    upload.unlink()
    with pytest.raises(CommandError, match=f"备份中缺少文件 {name}"):
        run_restore(folder, force=True)

    assert Application.objects.filter(pk=later.pk).exists()
    assert media_listing(settings.MEDIA_ROOT) == media_before
    refusals = AuditEvent.objects.filter(pk__gt=audit_before_id(audit_before)).order_by("pk")
    assert [(e.action, e.verb) for e in refusals] == [(AuditAction.TRANSITION_REFUSED, "恢复备份被拒绝")] * 2
    assert "SHA-256 与清单不符" in refusals[0].reason and "缺少文件" in refusals[1].reason


def audit_before_id(count):
    return AuditEvent.objects.order_by("pk").values_list("pk", flat=True)[count - 1] if count else 0


def rewrite_manifest_to_match(folder, name):
    manifest_file = folder / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["files"][name] = sha256(folder / name)
    manifest_file.write_text(json.dumps(manifest))


def test_a_manifest_rewritten_to_match_a_changed_file_is_refused_when_pinned(bare_application, tmp_path, people):
    make_ready(bare_application)
    out = StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    (folder,) = (tmp_path / "backups").iterdir()
    printed = re.search(r"SHA-256：([0-9a-f]{64})", out.getvalue()).group(1)
    assert printed == sha256(folder / "manifest.json")
    upload = next((folder / "media" / "applications").rglob("*.pdf"))
    upload.write_bytes(upload.read_bytes() + b"%")
    rewrite_manifest_to_match(folder, upload.relative_to(folder).as_posix())
    later = ApplicationFactory(call=bare_application.call, created_by=people["clerk"], name="备份之后的申报")

    with pytest.raises(CommandError, match=f"与指定的 {printed} 不符"):
        run_restore(folder, force=True, manifest_sha256=printed)
    assert Application.objects.filter(pk=later.pk).exists()
    refusal = AuditEvent.objects.latest("pk")
    assert (refusal.action, refusal.verb) == (AuditAction.TRANSITION_REFUSED, "恢复备份被拒绝")


def test_a_restore_pinned_to_the_printed_checksum_goes_ahead(bare_application, tmp_path):
    folder = run_backup(tmp_path / "backups")
    out = run_restore(folder, force=True, manifest_sha256=sha256(folder / "manifest.json").upper())
    assert "已恢复" in out and "未用 --manifest-sha256" not in out
    assert "未用 --manifest-sha256" in run_restore(folder, force=True)


@pytest.mark.parametrize("linked", ["media", "database", "manifest"])
def test_a_symbolic_link_inside_a_backup_is_refused(bare_application, tmp_path, settings, linked):
    make_ready(bare_application)
    folder = run_backup(tmp_path / "backups")
    secret = tmp_path / "secret.txt"
    secret.write_text("不属于备份的文件")
    target = {
        "media": next((folder / "media" / "applications").rglob("*.pdf")),
        "database": next(folder.glob("database.*")),
        "manifest": folder / "manifest.json",
    }[linked]
    if linked == "manifest":
        secret.write_text(target.read_text())
    target.unlink()
    target.symlink_to(secret)
    if linked != "manifest":
        rewrite_manifest_to_match(folder, target.relative_to(folder).as_posix())
    media_before = media_listing(settings.MEDIA_ROOT)

    with pytest.raises(CommandError, match=f"{target.relative_to(folder).as_posix()} 是符号链接"):
        run_restore(folder, force=True)
    assert media_listing(settings.MEDIA_ROOT) == media_before


@pytest.mark.parametrize("path", ["media/../../escaped.txt", "/tmp/escaped.txt", "media/../manifest.json"])
def test_a_manifest_path_leaving_the_backup_is_refused(bare_application, tmp_path, settings, path):
    folder = run_backup(tmp_path / "backups")
    manifest_file = folder / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["files"][path] = hashlib.sha256(b"").hexdigest()
    manifest_file.write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match="清单中的路径不安全"):
        run_restore(folder, force=True)
    assert not (Path(settings.MEDIA_ROOT).parent / "escaped.txt").exists() and not Path("/tmp/escaped.txt").exists()


def test_restoring_over_existing_applications_needs_force(bare_application, tmp_path, people):
    folder = run_backup(tmp_path / "backups")
    later = ApplicationFactory(call=bare_application.call, created_by=people["clerk"], name="备份之后的申报")

    with pytest.raises(CommandError, match="当前数据库已有 2 份申报.*确认覆盖请加 --force"):
        run_restore(folder)
    assert Application.objects.filter(pk=later.pk).exists()

    run_restore(folder, force=True)
    assert list(Application.objects.values_list("pk", flat=True)) == [bare_application.pk]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"database": {"vendor": "oracle", "file": "database.dump"}}, "备份的数据库是 oracle"),
        ({"migrations": {"applications": "0999_from_the_future"}}, "迁移 applications.0999_from_the_future"),
    ],
)
def test_a_backup_this_platform_cannot_take_is_refused(bare_application, tmp_path, change, message):
    folder = run_backup(tmp_path / "backups")
    manifest_file = folder / "manifest.json"
    manifest_file.write_text(json.dumps(json.loads(manifest_file.read_text()) | change))
    with pytest.raises(CommandError, match=message):
        run_restore(folder, force=True)


def test_a_backup_inside_media_root_is_refused(settings):
    with pytest.raises(CommandError, match="备份目录不能位于 MEDIA_ROOT"):
        call_command("backup", output=str(settings.MEDIA_ROOT / "backups"))
    assert not (settings.MEDIA_ROOT / "backups").exists()
