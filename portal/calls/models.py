from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal.accounts.models import Unit, UnitKind, Zone

from .deadlines import schedule_problems
from .stages import Stage

__all__ = ["Stage"]  # re-exported: callers name a call's stages with the call


class Programme(models.Model):
    """A kind of call (众创社区备案试点, 国家专业化众创空间备案推荐). Its forms live in code keyed by `code`."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    subject_label = models.CharField("申报对象称谓", max_length=30, help_text="如“众创社区”“专业化众创空间”。")

    class Meta:
        verbose_name = "申报项目"
        verbose_name_plural = "申报项目"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Aggregation(models.TextChoices):
    MEAN = "mean", "算术平均"
    TRIMMED_MEAN = "trimmed_mean", "去掉一个最高分和一个最低分后平均（不少于5位专家时）"
    MEDIAN = "median", "中位数"


LONGEST_PUBLICITY_DAYS = 60


class CallQuerySet(models.QuerySet):
    def open_for_filing(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, recommendation_deadline__gte=now).exclude(filing_deadline__lt=now)


class Call(models.Model):
    """A 申报通知 with everything the workflow reads from it: deadlines, who files, who recommends."""

    programme = models.ForeignKey(Programme, verbose_name="申报项目", on_delete=models.PROTECT, related_name="calls")
    title = models.CharField("通知标题", max_length=200)
    document_number = models.CharField("文号", max_length=60, blank=True)
    issuing_body = models.ForeignKey(
        Unit, verbose_name="发文单位", on_delete=models.PROTECT, related_name="issued_calls"
    )
    issue_date = models.DateField("发文日期")
    issue_date_text = models.CharField(
        "发文日期（原文）", max_length=30, blank=True, help_text="原文只写到月份时照录，如“2017年1月”。"
    )
    opens_at = models.DateTimeField("开始受理")
    filing_deadline = models.DateTimeField(
        "申报单位报送截止",
        null=True,
        blank=True,
        help_text="申报单位向推荐单位报送的截止时间；通知未规定时留空，以推荐截止时间为准。",
    )
    recommendation_deadline = models.DateTimeField("推荐单位报送截止", help_text="逾期不予受理。")
    filing_unit_kinds = models.JSONField("可申报单位类型", default=list)
    recommender_kinds = models.JSONField("推荐单位类型", default=list)
    receiver = models.ForeignKey(Unit, verbose_name="受理单位", on_delete=models.PROTECT, related_name="received_calls")
    quota_by_zone = models.JSONField(
        "推荐限额（按区域）",
        default=dict,
        blank=True,
        help_text='如 {"苏南": 5, "苏中": 3, "苏北": 3}；留空表示不限。',
    )
    paper_copies = models.PositiveSmallIntegerField("纸质材料份数", default=0, help_text="0 表示不要求纸质材料。")
    plan_first_year = models.PositiveSmallIntegerField("计划表首年", null=True, blank=True)
    plan_years = models.PositiveSmallIntegerField("计划年数", default=3)
    aggregation = models.CharField(
        "专家评分汇总方式", max_length=20, choices=Aggregation.choices, default=Aggregation.TRIMMED_MEAN
    )
    disagreement_limit = models.DecimalField(
        "专家分差提示线",
        max_digits=5,
        decimal_places=1,
        default=15,
        help_text="同一申报的专家总分最高与最低之差超过此值时提示分歧。",
    )
    publicity_days = models.PositiveSmallIntegerField("公示期（日历日）", default=7)
    objection_contact = models.CharField(
        "异议受理方式",
        max_length=300,
        blank=True,
        help_text="公示页上写明的异议受理单位、电话、邮箱或地址。",
    )
    is_demo = models.BooleanField("演示用", default=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = "申报通知"
        verbose_name_plural = "申报通知"
        ordering = ["-recommendation_deadline"]

    def __str__(self):
        return self.title

    def clean(self):
        kinds = set(UnitKind.values)
        for field in ("filing_unit_kinds", "recommender_kinds"):
            unknown = set(getattr(self, field)) - kinds
            if unknown:
                raise ValidationError({field: f"未知的单位类型：{'、'.join(sorted(unknown))}"})
        for zone, limit in (self.quota_by_zone or {}).items():
            if zone not in Zone.values or not isinstance(limit, int) or limit < 0:
                raise ValidationError({"quota_by_zone": "限额须为“区域: 非负整数”，区域为苏南、苏中或苏北。"})
        problems = schedule_problems(self)
        if self.issue_date and self.opens_at and self.issue_date > timezone.localtime(self.opens_at).date():
            problems.setdefault("issue_date", "发文日期不能晚于开始受理日期。")
        if not 1 <= (self.publicity_days or 0) <= LONGEST_PUBLICITY_DAYS:
            problems["publicity_days"] = f"公示期须为 1 至 {LONGEST_PUBLICITY_DAYS} 个日历日。"
        if problems:
            raise ValidationError(problems)

    @property
    def requires_paper(self):
        return self.paper_copies > 0

    @property
    def plan_year_range(self):
        if not self.plan_first_year:
            return []
        return list(range(self.plan_first_year, self.plan_first_year + self.plan_years))

    def may_file(self, unit):
        return unit.kind in self.filing_unit_kinds

    def quota_for_zone(self, zone):
        """How many a recommender in this zone may recommend; None when the call sets no limit."""
        if not self.quota_by_zone:
            return None
        return self.quota_by_zone.get(zone)
