"""Drafts ready to submit and signed-in sessions of their heads, for the deadline-day burst
(scripts/benchmark-burst.sh). Run it on a database of its own: it adds applications on every run."""

import csv
import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import Client

from applications.domain.content import save_part
from applications.domain.transitions import FILING_OPINION
from applications.models import Application
from demo.content import fill_application
from demo.data import OPINION, demo_call
from portal.accounts.models import Membership, Unit, UnitKind
from portal.accounts.roles import Role
from portal.accounts.seals import give_demo_seal
from portal.calls.recommenders import recommender_for


class Command(BaseCommand):
    help = "为截止日报送峰值基准准备待报送的申报与各负责人已登录的会话（写入 CSV）。"

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=200)
        parser.add_argument("--sessions", default="var/burst/sessions.csv", help="会话 CSV：sessionid,申报编号")

    def handle(self, *args, applications, sessions, **options):
        call = demo_call()
        counties = list(Unit.objects.filter(kind=UnitKind.COUNTY).order_by("code"))
        run = uuid.uuid4().hex[:6]
        rows = []
        for number in range(applications):
            unit = counties[number % len(counties)]
            with transaction.atomic():
                head = self.head(unit, number)
                application = Application.objects.create(
                    call=call,
                    filing_unit=unit,
                    recommender_unit=recommender_for(call, unit),
                    name=f"{unit.name}峰值测试众创社区{run}-{number}",
                    created_by=head,
                )
                fill_application(application, head)
                save_part(application, FILING_OPINION, {"text": OPINION}, 0, head)
            client = Client()
            client.force_login(head)
            rows.append((client.cookies["sessionid"].value, application.pk))
        path = Path(sessions)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as handle:
            csv.writer(handle).writerows(rows)
        self.stdout.write(f"{len(rows)} 份待报送申报，会话写入 {path}")

    def head(self, unit, number):
        user, created = get_user_model().objects.get_or_create(
            username=f"burst_head_{number}", defaults={"full_name": f"峰值负责人{number}"}
        )
        if created:
            user.set_unusable_password()
            user.must_change_password = False
            user.save()
            Membership.objects.create(user=user, unit=unit, role=Role.APPLICANT_HEAD)
            give_demo_seal(unit)
        return user
