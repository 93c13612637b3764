"""The pilot years (实施意见三（二）): a yearly reporting round and each community's annual report in it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from portal.calls.deadlines import schedule_problems
from portal.workflow import GuardedStatusMixin, GuardedStatusQuerySet


class ReportingRound(models.Model):
    """One year's call for annual reports, with its two deadlines (named as a filing call's, so that
    portal.calls.deadlines applies to it unchanged)."""

    programme = models.ForeignKey(
        "calls.Programme", verbose_name="申报项目", on_delete=models.PROTECT, related_name="reporting_rounds"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    title = models.CharField("通知标题", max_length=200)
    document_number = models.CharField("文号", max_length=60, blank=True)
    opens_at = models.DateTimeField("开始填报")
    filing_deadline = models.DateTimeField("县级报送设区市截止")
    recommendation_deadline = models.DateTimeField("设区市报送省截止", help_text="逾期不予受理。")
    receiver = models.ForeignKey(
        "accounts.Unit", verbose_name="考核单位", on_delete=models.PROTECT, related_name="reporting_rounds"
    )

    class Meta:
        verbose_name = "年度考核通知"
        verbose_name_plural = "年度考核通知"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="one_round_per_year")]

    def __str__(self):
        return self.title

    def clean(self):
        problems = schedule_problems(self)
        if problems:
            raise ValidationError(problems)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送设区市"
    RETURNED = "returned", "市级退回修改"
    FORWARDED = "forwarded", "已报送省"
    PASSED = "passed", "年度考核通过"
    FAILED = "failed", "年度考核未通过"


# With the county (it may still edit), sent on, and decided by the province.
WITH_THE_COUNTY = (ReportStatus.DRAFT, ReportStatus.RETURNED)
SENT = (ReportStatus.SUBMITTED, ReportStatus.FORWARDED, ReportStatus.PASSED, ReportStatus.FAILED)
ASSESSED = (ReportStatus.PASSED, ReportStatus.FAILED)
# What reached the province (or was decided): anything else is 逾期未报送 once the round has closed.
SENT_ON_TIME = (ReportStatus.FORWARDED, *ASSESSED)


class AnnualReport(GuardedStatusMixin, models.Model):
    """A pilot community's actual figures for one year against its 分年度计划表, with a short narrative."""

    INITIAL_STATUS = ReportStatus.DRAFT

    pilot = models.ForeignKey(
        "applications.Application", verbose_name="试点众创社区", on_delete=models.PROTECT, related_name="annual_reports"
    )
    round = models.ForeignKey(ReportingRound, verbose_name="年度考核", on_delete=models.PROTECT, related_name="reports")
    status = models.CharField("状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    actuals = models.JSONField(
        "实际完成", default=dict, blank=True, help_text="指标键 → 数值，见 review.pilots.indicators"
    )
    narrative = models.TextField("年度工作总结", max_length=3000, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="考核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("考核时间", null=True, blank=True)

    objects = GuardedStatusQuerySet.as_manager()

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["round__year", "pk"]
        constraints = [models.UniqueConstraint(fields=["pilot", "round"], name="one_report_per_pilot_and_year")]

    def __str__(self):
        return f"{self.pilot} · {self.round.year}年度"

    @property
    def year(self):
        return self.round.year


def evidence_path(evidence, filename):
    return f"reports/{evidence.report_id}/{evidence.stored_name}"


class ReportEvidence(models.Model):
    """A supporting document of an annual report: checked by content like any upload, stored under a random name."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="evidence")
    stored_name = models.CharField("存储名", max_length=60, unique=True)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=60)
    size = models.PositiveIntegerField("大小（字节）")
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    file = models.FileField("文件", upload_to=evidence_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告佐证材料"
        verbose_name_plural = "年度报告佐证材料"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
