"""Monitoring: per-plan settings, reminders (đôn đốc), inspections (kiểm tra) and difficulties
(khó khăn, vướng mắc). Completion itself is never stored here: it comes from
``kehoach.reporting.progress`` every time."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kehoach.lib.files import random_storage_name
from kehoach.orgs.models import OrgUnit, TimeStamped
from kehoach.plans.models import Assignment, Plan, Task


def default_at_risk_days() -> int:
    return settings.MONITORING_AT_RISK_DAYS


def default_stale_days() -> int:
    return settings.MONITORING_STALE_DIFFICULTY_DAYS


def default_par_rule() -> list[list]:
    """PAR_INDEX.md: 100% → full points, from 80% → half, under 80% → 0 (points as text)."""
    return [[100, "1"], [80, "0.5"], [0, "0"]]


class ReportFrequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Hằng quý")
    SIX_MONTHLY = "six_monthly", _("6 tháng một lần")
    ANNUAL = "annual", _("Hằng năm")
    NONE = "none", _("Không báo cáo định kỳ")


class PlanMonitoring(TimeStamped):
    """How a plan is monitored. A plan without a row uses the site defaults (settings)."""

    plan = models.OneToOneField(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="monitoring"
    )
    at_risk_days = models.PositiveSmallIntegerField(
        _("số ngày báo trước hạn"),
        default=default_at_risk_days,
        validators=[MaxValueValidator(180)],
        help_text=_(
            "Nhiệm vụ chưa hoàn thành có hạn trong số ngày này được coi là có nguy cơ trễ."
        ),
    )
    stale_difficulty_days = models.PositiveSmallIntegerField(
        _("số ngày một khó khăn chưa được trả lời thì cảnh báo"),
        default=default_stale_days,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    report_frequency = models.CharField(
        _("kỳ báo cáo định kỳ"),
        max_length=12,
        choices=ReportFrequency.choices,
        default=ReportFrequency.QUARTERLY,
    )
    report_due_day = models.PositiveSmallIntegerField(
        _("ngày hạn báo cáo trong tháng cuối kỳ"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    par_rule = models.JSONField(
        _("thang điểm Chỉ số CCHC"),
        default=default_par_rule,
        help_text=_("Các mức: tỷ lệ hoàn thành tối thiểu (%) và số điểm."),
    )

    class Meta:
        verbose_name = _("cài đặt theo dõi kế hoạch")
        verbose_name_plural = _("cài đặt theo dõi kế hoạch")

    def __str__(self) -> str:
        return str(self.plan)


# --- reminders (đôn đốc) -----------------------------------------------------------------


class ReminderKind(models.TextChoices):
    AUTO = "auto", _("Tự động hằng ngày")
    MANUAL = "manual", _("Văn phòng gửi")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    NO_RECIPIENT = "no_recipient", _("Không có người nhận")
    FAILED = "failed", _("Gửi lỗi")


class Reminder(TimeStamped):
    """One reminder to one unit through one channel: the log of what was sent to whom.

    At most one per unit, channel and day (a failed one may be retried): the database enforces
    it, so running the job twice, or two jobs at once, sends nothing new.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reminders"
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        help_text=_("Trống khi lời nhắc tự động gộp nhiều kế hoạch."),
    )
    channel = models.CharField(_("kênh gửi"), max_length=30)
    kind = models.CharField(_("loại"), max_length=10, choices=ReminderKind.choices)
    day = models.DateField(_("ngày nhắc"))
    status = models.CharField(
        _("tình trạng"),
        max_length=15,
        choices=ReminderStatus.choices,
        default=ReminderStatus.PENDING,
    )
    recipients = models.JSONField(_("người nhận"), default=list, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    assignments = models.ManyToManyField(
        Assignment, verbose_name=_("nhiệm vụ được nhắc"), related_name="reminders", blank=True
    )
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lời nhắc, đôn đốc")
        verbose_name_plural = _("lời nhắc, đôn đốc")
        ordering = ["-day", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "channel", "day"],
                condition=~Q(status="failed"),
                name="reminder_once_per_unit_channel_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.unit} · {self.channel}"


# --- inspections (kiểm tra) ----------------------------------------------------------------


class InspectionRating(models.TextChoices):
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    POOR = "poor", _("Yếu")


class InspectionStatus(models.TextChoices):
    OPEN = "open", _("Chờ đơn vị khắc phục")
    ANSWERED = "answered", _("Đơn vị đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")


class Inspection(TimeStamped):
    """The coordinating office's inspection of one unit, and the unit's answer."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="inspections"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị được kiểm tra"), on_delete=models.PROTECT, related_name="+"
    )
    inspected_on = models.DateField(_("ngày kiểm tra"))
    team = models.TextField(_("thành viên đoàn kiểm tra"), help_text=_("Mỗi dòng một người."))
    rating = models.CharField(_("xếp loại"), max_length=10, choices=InspectionRating.choices)
    recommendations = models.TextField(_("kiến nghị"))
    follow_up_by = models.DateField(_("hạn khắc phục"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"),
        max_length=10,
        choices=InspectionStatus.choices,
        default=InspectionStatus.OPEN,
    )
    response = models.TextField(_("trả lời của đơn vị"), blank=True)
    responded_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.inspected_on:%d/%m/%Y}"

    @property
    def team_members(self) -> list[str]:
        return [line.strip() for line in self.team.splitlines() if line.strip()]


class InspectionFinding(models.Model):
    """What the team found on one task of the inspection's scope."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("đợt kiểm tra"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("kết quả kiểm tra"), blank=True)

    class Meta:
        verbose_name = _("kết quả kiểm tra theo nhiệm vụ")
        verbose_name_plural = _("kết quả kiểm tra theo nhiệm vụ")
        ordering = ["inspection", "task__position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "task"], name="finding_once_per_task"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.task.code}"


def attachment_upload_to(instance: InspectionAttachment, filename: str) -> str:
    return random_storage_name("inspections", filename)


class InspectionAttachment(TimeStamped):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("đợt kiểm tra"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("tệp"), upload_to=attachment_upload_to, max_length=200)
    safe_name = models.CharField(_("tên tệp"), max_length=160)
    mime = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.BigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thêm"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tệp kèm biên bản kiểm tra")
        verbose_name_plural = _("tệp kèm biên bản kiểm tra")
        ordering = ["inspection", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "sha256"], name="inspection_file_once"),
        ]

    def __str__(self) -> str:
        return self.safe_name


# --- difficulties (khó khăn, vướng mắc) ----------------------------------------------------


class DifficultyStatus(models.TextChoices):
    RAISED = "raised", _("Đơn vị đã gửi")
    ACKNOWLEDGED = "acknowledged", _("Văn phòng đã tiếp nhận")
    FORWARDED = "forwarded", _("Đã trình lãnh đạo")
    ANSWERED = "answered", _("Lãnh đạo đã trả lời")


OPEN_DIFFICULTY = (
    DifficultyStatus.RAISED,
    DifficultyStatus.ACKNOWLEDGED,
    DifficultyStatus.FORWARDED,
)


class Difficulty(TimeStamped):
    """A difficulty a unit meets on a task, through the office to the leader, answered."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="difficulties"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="difficulties"
    )
    title = models.CharField(_("khó khăn, vướng mắc"), max_length=200)
    description = models.TextField(_("mô tả cụ thể"))
    since = models.DateField(_("phát sinh từ ngày"))
    proposal = models.TextField(_("đề xuất, kiến nghị"))
    status = models.CharField(
        _("tình trạng"),
        max_length=15,
        choices=DifficultyStatus.choices,
        default=DifficultyStatus.RAISED,
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    opinion = models.TextField(_("ý kiến của Văn phòng"), blank=True)
    forwarded_at = models.DateTimeField(_("trình lãnh đạo lúc"), null=True, blank=True)
    decision = models.TextField(_("ý kiến chỉ đạo của lãnh đạo"), blank=True)
    decided_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khó khăn, vướng mắc")
        verbose_name_plural = _("khó khăn, vướng mắc")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="difficulty_open")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DIFFICULTY


class DifficultyStep(models.Model):
    """One timestamped step of a difficulty; never edited."""

    difficulty = models.ForeignKey(
        Difficulty, verbose_name=_("khó khăn"), on_delete=models.CASCADE, related_name="steps"
    )
    from_status = models.CharField(
        _("từ"), max_length=15, choices=DifficultyStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang"), max_length=15, choices=DifficultyStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"))
    text = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý khó khăn")
        verbose_name_plural = _("bước xử lý khó khăn")
        ordering = ["difficulty", "at", "id"]

    def __str__(self) -> str:
        return f"{self.difficulty_id}: {self.from_status} → {self.to_status}"
