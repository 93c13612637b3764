from django.conf import settings
from django.db import models

from portal.accounts.models import Unit
from portal.calls.models import Call
from portal.outbox import OutboxWork
from portal.row_paths import path_for_each
from portal.workflow import GuardedStatusMixin, GuardedStatusQuerySet

from .status import BADGE_CLASS, REASONS_SHOWN_TO_APPLICANT, Status, is_draft


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
    filed_thresholds = models.JSONField(
        "最近报送版本的实施意见指标",
        default=dict,
        blank=True,
        help_text="报送时随版本冻结（达标数、总数、未达标项），供各级列表显示，不必读取报送内容。",
    )
    city_rank = models.PositiveIntegerField("市级排序", null=True, blank=True)
    cluster_pilot = models.BooleanField(
        "省级众创集聚区试点单位", default=False, help_text="由省级确认；通知三、2 优先支持。"
    )
    pilot_start_year = models.PositiveSmallIntegerField("试点起始年度", null=True, blank=True)

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
            models.Index(fields=["call", "status"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return path_for_each("applications:detail")(self.pk)

    @property
    def is_draft(self):
        return is_draft(self.status)

    @property
    def status_badge_class(self):
        return BADGE_CLASS[self.status]

    @property
    def status_label(self):
        """get_status_display without rebuilding the choices dict on every call (lists print it per row)."""
        return Status(self.status).label

    @property
    def reason_for_applicant(self):
        """The reason the filing unit should read: why it was returned, not recommended or rejected."""
        return self.status_reason if self.status in REASONS_SHOWN_TO_APPLICANT else ""


class ApplicationPart(models.Model):
    """The saved data of one part of the application (申报书, 建设方案, 计划表 …) as the forms cleaned it.

    `revision` is the optimistic lock: a save names the revision it started from and is refused
    when somebody else saved in between.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="parts")
    key = models.CharField("部分", max_length=40)
    data = models.JSONField("内容", default=dict)
    revision = models.PositiveIntegerField("修订号", default=0)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="保存人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField("保存时间", null=True)

    class Meta:
        verbose_name = "申报内容"
        verbose_name_plural = "申报内容"
        constraints = [models.UniqueConstraint(fields=["application", "key"], name="one_part_per_key")]

    def __str__(self):
        return f"{self.application} · {self.key}"


def attachment_path(attachment, filename):
    return f"applications/{attachment.application_id}/{attachment.stored_name}"


class Attachment(models.Model):
    """An uploaded file, checked by content; stored outside the web root under a random name."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类别", max_length=40)
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    stored_name = models.CharField("存储名", max_length=80)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveBigIntegerField("大小（字节）")
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["kind", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class ApplicationVersion(models.Model):
    """What was submitted: every part's data and every file's hash, frozen at each submission."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    frozen_at = models.DateTimeField("报送时间")
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    parts = models.JSONField("内容")
    files = models.JSONField("附件清单")
    content_hash = models.CharField("内容摘要", max_length=64)
    thresholds = models.JSONField(
        "实施意见指标（报送时）", default=dict, help_text="met / total / failed：报送内容达到的实施意见指标"
    )

    class Meta:
        verbose_name = "报送版本"
        verbose_name_plural = "报送版本"
        ordering = ["application", "-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="one_version_number")]

    def __str__(self):
        return f"{self.application} 第{self.number}版"


class Endorsement(models.Model):
    """A recommender's 推荐函 for one call: the letter, its seal and its submission to the province.

    Its row is also the lock that serialises quota decisions of one recommender in one call.
    """

    class Level(models.TextChoices):
        RECOMMENDATION = "recommendation", "推荐函"
        FORWARDING = "forwarding", "推荐公函"

    call = models.ForeignKey(Call, verbose_name="申报通知", on_delete=models.PROTECT, related_name="endorsements")
    recommender_unit = models.ForeignKey(
        Unit, verbose_name="推荐单位", on_delete=models.PROTECT, related_name="endorsements"
    )
    level = models.CharField(
        "类别",
        max_length=20,
        choices=Level.choices,
        default=Level.RECOMMENDATION,
        help_text="推荐函：推荐单位报省级；推荐公函：省级择优报上级部门。",
    )
    forwarded = models.JSONField("推荐公函所列申报（按排序）", default=list, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    document_number = models.CharField(
        "发文字号", max_length=40, blank=True, help_text="如“宁科函〔2026〕12号”，印在推荐函红线下右侧。"
    )
    letter_date = models.DateField("落款日期", null=True, blank=True)
    letter_note = models.TextField("补充说明", blank=True, max_length=2000)
    revision = models.PositiveIntegerField("修订号", default=0)
    drafts = models.JSONField(
        "草稿中的意见与理由",
        default=dict,
        blank=True,
        help_text="保存草稿时每份申报的设区市意见（opinions）与不予推荐理由（reasons），按申报编号。",
    )
    sending = models.BooleanField("报送进行中", default=False)
    sealed_at = models.DateTimeField("盖章时间", null=True, blank=True)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="盖章人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)

    class Meta:
        verbose_name = "推荐函"
        verbose_name_plural = "推荐函"
        constraints = [
            models.UniqueConstraint(fields=["call", "recommender_unit"], name="one_endorsement_per_recommender")
        ]

    def __str__(self):
        return f"{self.recommender_unit.official_name} · {self.call}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class SentLetter(models.Model):
    """A 推荐函 as it was sent: the wording, the ranked list with each opinion, the date and the seal.

    The letter page and its PDF read this snapshot, never the applications' later state. A city's first
    letter of a call is its 推荐函; a letter sent while an earlier one stands is a 补充推荐函.
    """

    endorsement = models.ForeignKey(Endorsement, on_delete=models.PROTECT, related_name="letters")
    number = models.PositiveIntegerField("序号")
    supplementary = models.BooleanField("补充推荐", default=False)
    content = models.JSONField(
        "函件内容", help_text="标题、发文单位、主送、正文、推荐对象、补充说明、联系人、落款日期。"
    )
    entries = models.JSONField(
        "推荐对象（按排序）", help_text="每项：申报、报送版本、排序、名称、申报单位、推荐单位意见。"
    )
    closed = models.JSONField("同时不予推荐的申报及理由", default=list)
    seal = models.CharField("所盖印章", max_length=300, blank=True, help_text="报送时的印章图片（存储名）。")
    seal_sha256 = models.CharField("印章图片摘要", max_length=64, blank=True)
    sent_at = models.DateTimeField("报送时间")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="盖章报送人", on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)

    class Meta:
        verbose_name = "已报送的推荐函"
        verbose_name_plural = "已报送的推荐函"
        ordering = ["endorsement", "number"]
        constraints = [models.UniqueConstraint(fields=["endorsement", "number"], name="one_letter_number")]

    def __str__(self):
        return self.content.get("title", "")

    @property
    def application_ids(self):
        return [entry["application"] for entry in self.entries]


class Package(OutboxWork):
    """A rendered PDF package: an application version, or a recommender's letter with its packages.

    `input_hash` identifies what was rendered (content, files, seals, state): the same input is never
    rendered twice. `sha256` is the hash of the PDF itself, the one /verify checks.
    """

    class Kind(models.TextChoices):
        APPLICATION = "application", "申报材料"
        ENDORSEMENT = "endorsement", "推荐函及推荐材料"
        CERTIFICATE = "certificate", "省级众创社区认定证书"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RENDERING = "rendering", "生成中"
        READY = "ready", "已生成"
        FAILED = "failed", "生成失败"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="packages"
    )
    endorsement = models.ForeignKey(
        Endorsement, null=True, blank=True, on_delete=models.PROTECT, related_name="packages"
    )
    letter = models.ForeignKey(
        SentLetter, null=True, blank=True, on_delete=models.PROTECT, related_name="packages", verbose_name="推荐函"
    )
    version_number = models.PositiveIntegerField("版本号", default=0, help_text="0 表示草稿。")
    issued = models.JSONField(
        "出具时的内容",
        default=dict,
        blank=True,
        help_text="认定证书：认定时的名称、单位、发证机关、起始年度、日期、编号和印章；此后的更改不影响证书。",
    )
    input_hash = models.CharField("输入摘要", max_length=64, unique=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    file = models.FileField("文件", upload_to="packages/", blank=True, max_length=300)
    archive = models.FileField("电子报送压缩包", upload_to="packages/", blank=True, max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    verify_code = models.CharField("核验码", max_length=16, unique=True)
    pages = models.PositiveIntegerField("页数", default=0)
    problems = models.JSONField("渲染提示", default=list, blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        verbose_name = "PDF 材料"
        verbose_name_plural = "PDF 材料"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.verify_code}"

    @property
    def is_draft(self):
        return self.kind == self.Kind.APPLICATION and self.version_number == 0

    @property
    def document_label(self):
        """How the file is named for download: 草稿 / 第N版 / the certificate."""
        if self.kind == self.Kind.CERTIFICATE:
            return self.get_kind_display()
        return "草稿" if self.is_draft else f"第{self.version_number}版"
