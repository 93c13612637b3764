from django.core.management.base import BaseCommand

from portal.calls.loading import load_calls


class Command(BaseCommand):
    help = "载入申报项目及种子文件中的历史申报通知（可重复执行，需先执行 load_regions）。"

    def handle(self, *args, **options):
        for call in load_calls():
            self.stdout.write(f"{call.title}（推荐截止 {call.recommendation_deadline:%Y-%m-%d}）")
