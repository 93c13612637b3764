from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.audit.retention import PurgeRefused, check_purge_date, latest_purge_date, purge_before, rows_before


def iso_date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，如 2025-06-30。") from None


class Command(BaseCommand):
    help = (
        "删除某日零时（北京时间）之前的审计记录。只能删除保存已满 AUDIT_RETENTION_DAYS 天（不少于 180 天）的记录；"
        "清理本身记入审计日志。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, metavar="YYYY-MM-DD", help="删除此日零时之前的记录")
        parser.add_argument("--dry-run", action="store_true", help="只统计将删除多少条，不删除")

    def handle(self, *args, before, dry_run, **options):
        day = iso_date(before)
        try:
            if dry_run:
                check_purge_date(day)
                self.stdout.write(f"将删除 {rows_before(day).count()} 条 {day} 之前的审计记录（未删除）。")
                return
            deleted = purge_before(day)
        except PurgeRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            self.style.SUCCESS(f"已删除 {deleted} 条 {day} 之前的审计记录。当前最晚可清理日期：{latest_purge_date()}。")
        )
