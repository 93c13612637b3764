from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from portal.outbox import OutboxWork


class ExpertProfile(models.Model):
    """What the assignment needs to know about an expert besides their work unit (their membership)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile")
    title = models.CharField("职称", max_length=50, blank=True)
    fields = models.JSONField("专业领域", default=list, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "专家信息"
        verbose_name_plural = "专家信息"

    def __str__(self):
        return str(self.user)


class ConflictDeclaration(models.Model):
    """A conflict of interest with an application, a unit or a whole city, declared by the expert or
    added by the province."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey("applications.Application", null=True, blank=True, on_delete=models.CASCADE)
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("说明", max_length=200, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "利益冲突"
        verbose_name_plural = "利益冲突"
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False) | Q(unit__isnull=False) | Q(city__isnull=False),
                name="conflict_names_something",
            )
        ]

    def __str__(self):
        return f"{self.expert} · {self.application or self.unit or self.city}"


class Purpose(models.TextChoices):
    """What experts are asked to judge. The same machinery (rubric, commitment, assignment, scores,
    aggregation) serves each; their figures never mix."""

    FILING = "filing", "备案评审"
    ACCEPTANCE = "acceptance", "评估验收"


def purpose_field():
    return models.CharField("评审类别", max_length=20, choices=Purpose.choices, default=Purpose.FILING)


class Criterion(models.Model):
    """One line of a call's rubric: what the experts score, within 0..max_points, and its weight."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="criteria")
    purpose = purpose_field()
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("评审维度", max_length=50)
    description = models.TextField("说明", blank=True)
    max_points = models.DecimalField("满分", max_digits=5, decimal_places=1, validators=[MinValueValidator(1)])
    weight = models.DecimalField("权重", max_digits=4, decimal_places=2, default=1)

    class Meta:
        verbose_name = "评审维度"
        verbose_name_plural = "评审维度"
        ordering = ["call_id", "purpose", "order"]
        constraints = [
            models.UniqueConstraint(fields=["call", "purpose", "order"], name="one_criterion_per_place_and_purpose")
        ]

    def __str__(self):
        return self.name


class ReviewRound(models.Model):
    """One automatic assignment of a call, with the seed that reproduces it."""

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="review_rounds")
    purpose = purpose_field()
    per_application = models.PositiveSmallIntegerField("每份申报专家数", default=3)
    seed = models.BigIntegerField("随机种子")
    impossible = models.JSONField("无法分配", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "分配批次"
        verbose_name_plural = "分配批次"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.call} · 种子 {self.seed}"


class Commitment(models.Model):
    """The 评审承诺书 an expert accepts before seeing anything of a call."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commitments")
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="+")
    purpose = purpose_field()
    accepted_at = models.DateTimeField("承诺时间", auto_now_add=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)

    class Meta:
        verbose_name = "评审承诺"
        verbose_name_plural = "评审承诺"
        constraints = [
            models.UniqueConstraint(fields=["expert", "call", "purpose"], name="one_commitment_per_call_and_purpose")
        ]

    def __str__(self):
        return f"{self.expert} · {self.accepted_at:%Y-%m-%d %H:%M}"


class ConflictRuling(models.TextChoices):
    """What the province decides about a score submitted by an expert who has a conflict with the application."""

    PENDING = "pending", "待省级决定"
    KEPT = "kept", "保留评分"
    DISCARDED = "discarded", "作废评分"


def counting_assignments(prefix=""):
    """Q over assignments (or `prefix`assignments__) that count: no conflict of interest found after the
    assignment, or one the province has ruled on by keeping the score."""
    return Q(**{f"{prefix}conflict": ""}) | Q(**{f"{prefix}conflict_ruling": ConflictRuling.KEPT})


class Assignment(models.Model):
    """An expert assigned to review one application, and the state of their scores."""

    application = models.ForeignKey(
        "applications.Application", verbose_name="申报", on_delete=models.PROTECT, related_name="assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评审专家", on_delete=models.PROTECT, related_name="assignments"
    )
    purpose = purpose_field()
    round = models.ForeignKey(ReviewRound, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    manual_reason = models.CharField("人工调整理由", max_length=200, blank=True)
    assigned_at = models.DateTimeField("分配时间", auto_now_add=True)
    comment = models.TextField("评审意见", blank=True, max_length=3000)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reopened_reason = models.CharField("重新开放理由", max_length=200, blank=True)
    total = models.DecimalField(
        "加权总分",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="提交时由数据库按评审维度权重计算。",
    )
    conflict = models.CharField(
        "利益冲突",
        max_length=200,
        blank=True,
        help_text="分配后申明或登记的利益冲突：专家不能再评分，已提交的评分在省级决定前不计入汇总。",
    )
    conflict_ruling = models.CharField("利益冲突处理", max_length=20, choices=ConflictRuling.choices, blank=True)
    conflict_ruling_reason = models.CharField("处理理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "评审分配"
        verbose_name_plural = "评审分配"
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert", "purpose"], name="one_assignment_per_expert_and_purpose"
            )
        ]

    def __str__(self):
        return f"{self.expert} · {self.application}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def awaits_ruling(self):
        """A score submitted under a conflict, not yet kept or discarded by the province."""
        return bool(self.conflict) and self.is_submitted and self.conflict_ruling == ConflictRuling.PENDING


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField("得分", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "得分"
        verbose_name_plural = "得分"
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class Publicity(models.Model):
    """A 公示 of a call's 拟备案 applications: the period, and where objections go."""

    call = models.ForeignKey(
        "calls.Call", verbose_name="申报通知", on_delete=models.PROTECT, related_name="publicities"
    )
    title = models.CharField("公示标题", max_length=200)
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示结束", help_text="含当日，至北京时间 24 时止。")
    objection_contact = models.CharField("异议受理方式", max_length=300)
    applications = models.ManyToManyField(
        "applications.Application", related_name="publicities", verbose_name="公示名单"
    )
    # what was published, as published: the notice's wording and the list (names of the applications, their
    # cities and units) — renaming a unit or editing the call later does not rewrite a 公示
    published = models.JSONField("发布时的公示内容", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title


class Objection(models.Model):
    """An objection received during a 公示, and what the office decided about it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "核查中"
        DISMISSED = "dismissed", "异议不成立"
        UPHELD = "upheld", "异议成立"

    publicity = models.ForeignKey(Publicity, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField("收到日期")
    summary = models.TextField("异议内容", max_length=2000)
    outcome = models.CharField("核查结论", max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.TextField("核查说明", blank=True, max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("核查时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["received_on", "id"]

    def __str__(self):
        return f"{self.application} · {self.get_outcome_display()}"


def export_path(job, filename):
    return f"exports/{job.call_id}/{filename}"


class ExportJob(OutboxWork):
    """An export of a call, written by a Celery task to disk while the officer watches its progress. The row is its
    own outbox entry: published after the commit that asks for it, and again when lost (portal/outbox.py)."""

    class Kind(models.TextChoices):
        WORKBOOK = "workbook", "Excel 汇总表"
        PACKAGES = "packages", "全部申报材料（按设区市分文件夹）"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="exports")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    file = models.FileField("文件", upload_to=export_path, blank=True, max_length=300)
    rows = models.PositiveIntegerField("行数", default=0)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出"
        verbose_name_plural = "导出"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.call}"

    @property
    def is_finished(self):
        return self.state in (self.State.READY, self.State.FAILED)


class Standing(models.Model):
    """An application's scores summed up (by the database, with the aggregation expressions), stored when
    an assignment is added, submitted, reopened or withdrawn, so the ranking board sorts thousands of
    applications without aggregating every score on every request."""

    application = models.OneToOneField(
        "applications.Application", primary_key=True, on_delete=models.CASCADE, related_name="standing"
    )
    assigned = models.PositiveSmallIntegerField("已分配专家", default=0)
    scored = models.PositiveSmallIntegerField("已提交评分", default=0)
    mean = models.FloatField("算术平均", null=True, blank=True)
    trimmed_mean = models.FloatField("去极值平均", null=True, blank=True)
    median = models.FloatField("中位数", null=True, blank=True)
    highest = models.FloatField("最高总分", null=True, blank=True)
    lowest = models.FloatField("最低总分", null=True, blank=True)
    criteria = models.JSONField("各维度平均分", default=dict, help_text="criterion_<评审维度序号> → 平均得分")
    refreshed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "评审汇总"
        verbose_name_plural = "评审汇总"
        indexes = [
            models.Index(fields=["trimmed_mean"], name="standing_trimmed_mean"),
            models.Index(fields=["mean"], name="standing_mean"),
            models.Index(fields=["median"], name="standing_median"),
        ]

    def __str__(self):
        return f"{self.application_id} · {self.scored}/{self.assigned}"


from .pilots.models import AnnualReport, ReportEvidence, ReportingRound, ReportStatus  # noqa: E402, F401
