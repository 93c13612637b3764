from django.conf import settings
from django.db import models
from django.urls import reverse

from portal.accounts.models import Unit
from portal.calls.models import Call
from portal.workflow import GuardedStatusMixin, GuardedStatusQuerySet

from .status import BADGE_CLASS, Status


class ApplicationQuerySet(GuardedStatusQuerySet):
    def with_list_relations(self):
        return self.select_related("call", "call__programme", "filing_unit", "filing_unit__city", "recommender_unit")


class Application(GuardedStatusMixin, models.Model):
    """One filing unit's application to one call. Its status moves only through the transition table."""

    INITIAL_STATUS = Status.DRAFT

    call = models.ForeignKey(Call, verbose_name="申报通知", on_delete=models.PROTECT, related_name="applications")
    filing_unit = models.ForeignKey(
        Unit, verbose_name="申报单位", on_delete=models.PROTECT, related_name="applications"
    )
    recommender_unit = models.ForeignKey(
        Unit, verbose_name="推荐单位", on_delete=models.PROTECT, related_name="recommended_applications"
    )
    name = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=32, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField("报送版本", default=0, help_text="每次报送加一。")
    submitted_at = models.DateTimeField("最近报送时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["recommender_unit", "call", "status"]),
            models.Index(fields=["filing_unit", "call"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("applications:detail", args=[self.pk])

    @property
    def status_badge_class(self):
        return BADGE_CLASS[self.status]
