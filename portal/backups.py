"""Backup and restore of the whole platform: the database, every file under MEDIA_ROOT and a checksum manifest.

A backup is one folder, `backup-YYYYmmdd-HHMMSS/` (Beijing time), holding

    manifest.json       SHA-256 of every other file, database vendor, latest migration per app, time, key counts
    database.pgdump     PostgreSQL: pg_dump custom format (schema, data, sequences and the audit trigger)
    database.sqlite3    SQLite: a page-for-page copy made with SQLite's online backup API
    media/...           every file under MEDIA_ROOT (uploads, PDF packages, seals) under its own relative path

Both dumps restore the audit log exactly (ids, times) without an UPDATE or DELETE, which the audit table refuses.
A restore checks every path and checksum before it changes anything, and writes files only inside MEDIA_ROOT.
"""

import getpass
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from portal.audit.log import record
from portal.audit.models import AuditAction

MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = 1
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# The key tables, by model label: a backup copies the whole database and names these rows as the database holds
# them, without importing the apps above the core.
COUNTED = {
    "applications": "applications.Application",
    "application_versions": "applications.ApplicationVersion",
    "attachments": "applications.Attachment",
    "audit_events": "audit.AuditEvent",
}
COUNT_LABELS = {
    "applications": "申报",
    "application_versions": "报送版本",
    "attachments": "附件",
    "audit_events": "审计记录",
}
# A restore waits this long for other sessions' locks, then gives up without having changed anything.
RESTORE_LOCK_TIMEOUT = "30s"


class BackupError(Exception):
    """A refusal or failure, worded for the operator."""


# Backing up


def create_backup(output_dir):
    """Write one complete backup folder under `output_dir` and audit it. Returns (folder, manifest)."""
    output_dir = Path(output_dir).resolve()
    if output_dir.is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupError(f"备份目录不能位于 MEDIA_ROOT（{settings.MEDIA_ROOT}）之内。")
    created_at = timezone.localtime()
    folder = output_dir / f"backup-{created_at:%Y%m%d-%H%M%S}"
    if folder.exists():
        raise BackupError(f"备份目录已存在：{folder}")
    # Written under a hidden name and renamed at the end, so an interrupted backup never looks complete.
    partial = output_dir / f".{folder.name}.partial"
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        partial.mkdir(mode=0o700)
    except FileExistsError:
        raise BackupError(
            f"另一次备份正在进行，或上次备份中断后留下了 {partial}（确认无进行中的备份后可删除）。"
        ) from None
    try:
        manifest = write_backup(partial, created_at)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    record(
        AuditAction.EXPORT,
        username=operator_name(),
        verb="备份数据库与附件",
        reason=f"{folder}；清单 SHA-256 {sha256_of(folder / MANIFEST)}",
    )
    return folder, manifest


def write_backup(folder, created_at):
    database_file = DATABASE_FILES.get(connection.vendor)
    if database_file is None:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库。")
    # Counts, migration state and the dump come from one consistent view of the database.
    with consistent_snapshot() as snapshot:
        counts = count_rows()
        migrations = latest_migrations()
        dump_database(folder / database_file, snapshot)
    copy_media(folder / MEDIA)
    manifest = {
        "format": FORMAT,
        "created_at": created_at.isoformat(timespec="seconds"),
        "time_zone": settings.TIME_ZONE,
        "database": {"vendor": connection.vendor, "file": database_file},
        "migrations": migrations,
        "counts": counts,
        "files": {name: sha256_of(folder / name) for name in files_under(folder)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


@contextmanager
def consistent_snapshot():
    """A read-only transaction; on PostgreSQL its exported snapshot lets pg_dump see exactly the same rows."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            # SQLite: the first read takes a shared lock that holds off writers until the copy is done.
            yield None
            return
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor.fetchone()[0]


def dump_database(path, snapshot):
    if connection.vendor == "postgresql":
        run_postgres_tool("pg_dump", "--format=custom", f"--file={path}", f"--snapshot={snapshot}")
    else:
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()


def copy_media(target):
    root = Path(settings.MEDIA_ROOT)
    target.mkdir()
    for relative in files_under(root):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, destination)


# Restoring


def restore_backup(folder, force=False, manifest_sha256=None):
    """Check the backup, then replace the database and copy the media files back.

    Returns the manifest and the restored row counts (before this restore's own audit row).

    Every check comes before the first change: a refused restore leaves database and files as they were, and is
    audited. `manifest_sha256`, the checksum `backup` printed, pins the manifest itself: a manifest rewritten to
    match a changed file is refused.
    """
    folder = Path(folder)
    try:
        manifest, media_files = check_backup(folder, force, manifest_sha256)
    except BackupError as refusal:
        audit_refusal(folder, refusal)
        raise
    load_database(folder / manifest["database"]["file"])
    for source, target in media_files:
        restore_file(folder / source, target)
    counts = count_rows()
    record(
        AuditAction.TRANSITION,
        username=operator_name(),
        verb="恢复备份",
        reason=f"{folder.resolve()}（备份时间 {manifest['created_at']}）",
    )
    return manifest, counts


def check_backup(folder, force, manifest_sha256):
    refuse_links(folder)
    if manifest_sha256 is not None:
        check_manifest_pin(folder, manifest_sha256)
    manifest = read_manifest(folder)
    check_compatible(manifest)
    media_files = media_targets(manifest)
    refuse_overwriting(force)
    verify_checksums(folder, manifest)
    return manifest, media_files


def refuse_links(folder):
    """A backup holds regular files only: a symbolic link could make the restore read anything on the machine."""
    if not folder.is_dir():
        return  # read_manifest says so
    for path in [folder / MANIFEST, *folder.rglob("*")]:
        if path.is_symlink():
            name = path.relative_to(folder).as_posix()
            raise BackupError(f"备份中的 {name} 是符号链接，拒绝恢复，未做任何改动。")


def check_manifest_pin(folder, expected):
    actual = sha256_of(folder / MANIFEST) if (folder / MANIFEST).is_file() else "（无清单）"
    if actual != expected.strip().lower():
        raise BackupError(
            f"清单 {MANIFEST} 的 SHA-256 为 {actual}，与指定的 {expected} 不符（清单可能被改写），"
            "拒绝恢复，未做任何改动。"
        )


def audit_refusal(folder, refusal):
    """Record the refusal; a database without the audit table yet (a fresh one) has nowhere to record it."""
    try:
        with transaction.atomic():
            record(
                AuditAction.TRANSITION_REFUSED,
                username=operator_name(),
                verb="恢复备份被拒绝",
                reason=f"{folder.resolve()}：{refusal}"[:2000],
            )
    except DatabaseError:
        pass


def check_compatible(manifest):
    for name in manifest["files"]:
        safe_relative_path(name)
    vendor, database_file = manifest["database"]["vendor"], manifest["database"]["file"]
    if vendor != connection.vendor:
        raise BackupError(f"备份的数据库是 {vendor}，当前数据库是 {connection.vendor}，不能恢复。")
    if database_file not in manifest["files"]:
        raise BackupError(f"清单中没有数据库文件 {database_file} 的校验值。")
    refuse_newer_migrations(manifest["migrations"])


def verify_checksums(folder, manifest):
    inside = folder.resolve()
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.resolve().is_relative_to(inside):
            raise BackupError(f"文件 {name} 位于备份目录之外，拒绝恢复，未做任何改动。")
        if not path.is_file():
            raise BackupError(f"备份中缺少文件 {name}，未做任何改动。")
        if sha256_of(path) != expected:
            raise BackupError(f"文件 {name} 的 SHA-256 与清单不符（备份已损坏或被改动），未做任何改动。")


def read_manifest(folder):
    if not folder.is_dir():
        raise BackupError(f"找不到备份目录 {folder}。")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} 中没有清单 {MANIFEST}，不是平台的备份目录。") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"清单 {MANIFEST} 无法读取：{error}") from None
    required = {"format", "created_at", "database", "migrations", "counts", "files"}
    if not isinstance(manifest, dict) or not required <= manifest.keys() or manifest["format"] != FORMAT:
        raise BackupError(f"清单 {MANIFEST} 的格式不正确。")
    return manifest


def safe_relative_path(name):
    """A manifest path must stay inside the backup: relative, without `..`."""
    path = PurePosixPath(name)
    if not name or "\\" in name or path.is_absolute() or ".." in path.parts or "\x00" in name:
        raise BackupError(f"清单中的路径不安全：{name!r}，拒绝恢复，未做任何改动。")
    return path


def media_targets(manifest):
    """(source in the backup, destination) for every media file; each destination inside MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT).resolve()
    pairs = []
    for name in manifest["files"]:
        path = safe_relative_path(name)
        if path.parts[0] != MEDIA:
            continue
        target = (root / path.relative_to(MEDIA)).resolve()
        if not target.is_relative_to(root) or target == root:
            raise BackupError(f"文件 {name} 会写到 MEDIA_ROOT 之外，拒绝恢复，未做任何改动。")
        pairs.append((name, target))
    return pairs


def refuse_newer_migrations(migrations):
    known = MigrationLoader(None, ignore_no_migrations=True)
    for app, name in migrations.items():
        if app in known.migrated_apps and (app, name) not in known.disk_migrations:
            raise BackupError(f"备份来自较新版本的平台（迁移 {app}.{name} 在当前代码中不存在），请先更新代码再恢复。")


def refuse_overwriting(force):
    """Restoring replaces the whole database: over real data only when the operator says so."""
    counts = count_rows(missing_as_zero=True)
    if (counts["applications"] or counts["audit_events"]) and not force:
        raise BackupError(
            f"当前数据库已有 {counts['applications']} 份申报、{counts['audit_events']} 条审计记录，"
            "恢复会用备份整体替换它们。"
            "请先运行 manage.py backup 保存当前数据；确认覆盖请加 --force。"
        )


def load_database(path):
    if connection.vendor == "postgresql":
        database = connection.settings_dict["NAME"]
        if not database:
            raise BackupError("DATABASES 中没有数据库名，无法恢复。")
        connection.close()  # no session of ours may hold a lock pg_restore needs
        # One transaction: a failure leaves the database as it was.
        run_postgres_tool(
            "pg_restore",
            f"--dbname={database}",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(path),
            environment={"PGOPTIONS": f"-c lock_timeout={RESTORE_LOCK_TIMEOUT}"},
        )
    else:
        connection.ensure_connection()
        backup = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    ContentType.objects.clear_cache()  # ids in the restored database may differ


def restore_file(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.restoring")
    shutil.copy2(source, partial)
    os.replace(partial, target)


def pending_migrations():
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


# Shared


def count_rows(missing_as_zero=False):
    tables = set(connection.introspection.table_names()) if missing_as_zero else None
    models = {label: apps.get_model(model_label) for label, model_label in COUNTED.items()}
    return {
        label: model.objects.count() if tables is None or model._meta.db_table in tables else 0
        for label, model in models.items()
    }


def latest_migrations():
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(name, latest.get(app, name))
    return dict(sorted(latest.items()))


def run_postgres_tool(program, *arguments, environment=None):
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"找不到 {program}：PostgreSQL 的备份与恢复需要安装 postgresql-client。")
    result = subprocess.run(
        [executable, *arguments], env={**libpq_environment(), **(environment or {})}, capture_output=True, text=True
    )
    if result.returncode:
        raise BackupError(f"{program} 执行失败：{result.stderr.strip()}")


def libpq_environment():
    """The connection of DATABASES['default'] as libpq variables (password, SSL options as dbshell passes them)."""
    db = connection.settings_dict
    _, extra = DatabaseClient.settings_to_cmd_args_env(db, [])
    env = {**os.environ, **(extra or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def files_under(root):
    """Relative POSIX names of the regular files under `root`, sorted."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def sha256_of(path):
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def operator_name():
    """Commands have no portal user: the audit row names the operating-system account that ran them."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "未知"
    return f"{account}（命令行）"[:150]
