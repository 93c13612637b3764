from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .roles import Role
from .validators import validate_seal_image


class Zone(models.TextChoices):
    SUNAN = "苏南", "苏南"
    SUZHONG = "苏中", "苏中"
    SUBEI = "苏北", "苏北"


class UnitKind(models.TextChoices):
    PROVINCE = "province", "省人民政府"
    PROVINCIAL_OFFICE = "provincial_office", "省级部门"
    CITY = "city", "设区市人民政府"
    CITY_STI_BUREAU = "city_sti_bureau", "设区市科技局（科委）"
    COUNTY = "county", "县（市、区）人民政府"
    HIGHTECH_ZONE = "hightech_zone", "高新区管委会"
    DEVELOPMENT_ZONE = "development_zone", "开发区（园区）管委会"
    ASSOCIATION = "association", "行业协会"
    OPERATOR = "operator", "运营主体（企业、事业单位、高校等）"
    EMPLOYER = "employer", "专家工作单位"


class CountyType(models.TextChoices):
    DISTRICT = "市辖区", "市辖区"
    COUNTY_CITY = "县级市", "县级市"
    COUNTY = "县", "县"


class ZoneLevel(models.TextChoices):
    NATIONAL = "国家级", "国家级"
    PROVINCIAL = "省级", "省级"


class UnitQuerySet(models.QuerySet):
    def cities(self):
        return self.filter(kind=UnitKind.CITY)

    def under_city(self, city):
        return self.filter(city=city).exclude(pk=city.pk)


class Unit(models.Model):
    """A body in the tree 江苏省 → 设区市 → 县级单位 / 高新区, plus the offices the seeds name."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True, help_text="公文中括注的简称，如“省科技厅”。")
    kind = models.CharField("类型", max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The 设区市 a unit belongs to (a city is its own city); empty for provincial bodies and for
    # work units outside Jiangsu. Kept on the row so "everything in this city" is one indexed filter.
    city = models.ForeignKey(
        "self", verbose_name="所属设区市", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    zone = models.CharField("区域", max_length=4, choices=Zone.choices, blank=True)
    county_type = models.CharField("县级类型", max_length=8, choices=CountyType.choices, blank=True)
    zone_level = models.CharField("高新区级别", max_length=8, choices=ZoneLevel.choices, blank=True)
    in_jiangsu = models.BooleanField("位于江苏省内", default=True)
    historical_note = models.CharField(
        "沿革说明", max_length=200, blank=True, help_text="如行政区划调整后已撤销或更名，写明沿革。"
    )
    address = models.CharField("通讯地址", max_length=200, blank=True)
    seal = models.ImageField(
        "单位印章",
        upload_to="seals/",
        blank=True,
        validators=[validate_seal_image],
        help_text="透明背景的 PNG 图片，边长 200–1200 像素，不超过 1 MB。",
    )
    seal_is_demo = models.BooleanField("演示印章", default=False, help_text="系统生成的演示印章，不具任何效力。")
    is_active = models.BooleanField("启用", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "city"])]

    def __str__(self):
        return self.official_name

    def take_place_from_parent(self):
        """A unit registered under another (a 运营主体 under its county or 高新区, an expert's employer) lies
        in its parent's 设区市 and zone."""
        if self.parent is None:
            return
        self.city = self.parent if self.parent.kind == UnitKind.CITY else self.parent.city
        self.zone = self.parent.zone

    @property
    def official_name(self):
        """The name a letter is addressed to: a division's name stands for its government."""
        if self.kind in (UnitKind.CITY, UnitKind.COUNTY, UnitKind.PROVINCE):
            return f"{self.name}人民政府"
        if self.kind in (UnitKind.HIGHTECH_ZONE, UnitKind.DEVELOPMENT_ZONE) and not self.name.endswith("管委会"):
            return f"{self.name}管委会"
        return self.name

    @property
    def is_in_sunan(self):
        return self.zone == Zone.SUNAN


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=True, help_text="新建账号和管理员重置密码后，用户须先设置自己的密码。"
    )
    session_key = models.CharField("当前会话", max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def memberships_with(self, *roles):
        return [m for m in self.active_memberships if m.role in roles]

    def has_role(self, *roles):
        return bool(self.memberships_with(*roles))

    def unit_ids_for(self, *roles):
        return {m.unit_id for m in self.memberships_with(*roles)}

    @property
    def active_memberships(self):
        """Memberships with their units, read once per request and reused by every check."""
        cached = getattr(self, "_memberships_cache", None)
        if cached is None:
            if not self.pk:
                cached = []
            else:
                cached = list(self.memberships.filter(is_active=True).select_related("unit", "unit__city"))
            self._memberships_cache = cached
        return cached


class Membership(models.Model):
    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("设立时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]
        indexes = [models.Index(fields=["unit", "role"], condition=Q(is_active=True), name="active_membership_idx")]

    def __str__(self):
        return f"{self.user} · {self.unit.name} · {self.get_role_display()}"


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords, so that none of the last few is chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码摘要", max_length=128)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
