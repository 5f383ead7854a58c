"""Plans (kế hoạch), their legal bases, tasks, deliverables and assignments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kehoach.orgs.models import OrgUnit, TimeStamped


class DeadlineKind(models.TextChoices):
    DATE = "date", _("Hạn ngày")
    RECURRING = "recurring", _("Định kỳ")
    CONTINUOUS = "continuous", _("Thường xuyên")
    NONE = "none", _("Theo hạn chung của kế hoạch")


def effective_deadline(
    kind: str, own: dt.date | None, plan_deadline: dt.date | None
) -> dt.date | None:
    """A task's deadline from its kind, its own date and its plan's (``Task.effective_deadline``
    for rows read without the model)."""
    if kind in (DeadlineKind.DATE, DeadlineKind.RECURRING, DeadlineKind.CONTINUOUS) and own:
        return own
    return plan_deadline


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ACTIVE = "active", _("Đang thực hiện")
    CLOSED = "closed", _("Đã kết thúc")


class Plan(TimeStamped):
    issuer_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="plans"
    )
    issuer_name = models.CharField(_("tên cơ quan ban hành (như văn bản)"), max_length=255)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    date_text = models.CharField(
        _("địa danh, ngày tháng (như văn bản)"), max_length=200, blank=True
    )
    year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    purposes = models.JSONField(_("mục đích"), default=list, blank=True)
    requirements = models.JSONField(_("yêu cầu"), default=list, blank=True)
    audiences = models.JSONField(_("đối tượng"), default=list, blank=True)
    budget_clauses = models.JSONField(_("kinh phí thực hiện"), default=list, blank=True)
    timeline = models.TextField(_("thời gian thực hiện"), blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn chung"),
        max_length=12,
        choices=DeadlineKind.choices,
        default=DeadlineKind.NONE,
    )
    deadline = models.DateField(_("thời hạn hoàn thành chung"), null=True, blank=True)
    deadline_text = models.CharField(_("thời hạn (như văn bản)"), max_length=300, blank=True)
    organisation_clauses = models.JSONField(_("tổ chức thực hiện"), default=list, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=120, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    source_filename = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_format = models.CharField(_("định dạng nguồn"), max_length=8, blank=True)
    source_sha256 = models.CharField(
        _("SHA-256 của tệp nguồn"), max_length=64, null=True, blank=True, unique=True
    )
    import_warnings = models.JSONField(_("cảnh báo khi nhập"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1945) & Q(year__lte=2200), name="plan_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number_display(self) -> str:
        return self.number


class LegalBasis(TimeStamped):
    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="legal_bases"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại văn bản"), max_length=60, blank=True)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    date = models.DateField(_("ngày"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    subject = models.TextField(_("trích yếu"), blank=True)
    text = models.TextField(_("nguyên văn"))

    class Meta:
        verbose_name = _("căn cứ")
        verbose_name_plural = _("căn cứ")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="legalbasis_position"),
        ]

    def __str__(self) -> str:
        return self.text


class Task(TimeStamped):
    """A content line of the plan (nội dung / nhiệm vụ), e.g. II.1."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.CharField(_("mục"), max_length=20)
    title = models.TextField(_("tên nhiệm vụ"))
    content = models.JSONField(_("nội dung"), default=list, blank=True)
    lead_mentions = models.JSONField(_("cơ quan thực hiện (như văn bản)"), default=list, blank=True)
    support_mentions = models.JSONField(
        _("cơ quan phối hợp (như văn bản)"), default=list, blank=True
    )
    deadline_kind = models.CharField(
        _("loại thời hạn"), max_length=12, choices=DeadlineKind.choices, default=DeadlineKind.NONE
    )
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    deadline_text = models.CharField(_("thời hạn (như văn bản)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_code_unique"),
            models.UniqueConstraint(fields=["plan", "position"], name="task_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def effective_deadline(self) -> dt.date | None:
        """The task's own due date, else the plan's overall deadline (PLAN_JSON.md)."""
        return effective_deadline(self.deadline_kind, self.deadline, self.plan.deadline)


class DeliverableKind(models.TextChoices):
    TRAINING = "training", _("Lớp tập huấn")
    ARTICLE = "article", _("Tin, bài, đường liên kết")
    VIDEO = "video", _("Phóng sự, clip, video")
    PHOTO = "photo", _("Hình ảnh")
    ATTENDANCE = "attendance", _("Danh sách tham dự")
    DOCUMENT = "document", _("Văn bản, tài liệu")
    CONFERENCE = "conference", _("Hội nghị, đối thoại")
    COUNT = "count", _("Số liệu thống kê")
    OTHER = "other", _("Khác")


class Deliverable(TimeStamped):
    """An expected product or result of a task (Sản phẩm, kết quả dự kiến)."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="deliverables"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("sản phẩm (như văn bản)"))
    kind = models.CharField(
        _("loại sản phẩm"),
        max_length=12,
        choices=DeliverableKind.choices,
        default=DeliverableKind.OTHER,
    )
    metric = models.CharField(_("đơn vị đo"), max_length=80, blank=True)
    target = models.PositiveIntegerField(_("chỉ tiêu"), null=True, blank=True)
    evidence_checklist = models.JSONField(
        _("tài liệu kiểm chứng cần có"),
        default=list,
        blank=True,
        help_text=_("Các loại tài liệu kiểm chứng mà sản phẩm nêu (văn bản triệu tập, hình ảnh…)."),
    )

    class Meta:
        verbose_name = _("sản phẩm dự kiến")
        verbose_name_plural = _("sản phẩm dự kiến")
        ordering = ["task", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "position"], name="deliverable_position"),
        ]

    def __str__(self) -> str:
        return self.text


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Thực hiện, chủ trì")
    SUPPORT = "support", _("Phối hợp")


class Assignment(TimeStamped):
    """A task given to one org unit, as lead (cơ quan thực hiện) or support (phối hợp)."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=AssignmentRole.choices)
    mention = models.CharField(_("giao theo cụm từ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("giao nhiệm vụ")
        verbose_name_plural = _("giao nhiệm vụ")
        ordering = ["task", "role", "unit__kind", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit.display_name} · {self.get_role_display()}"


class UnresolvedMention(TimeStamped):
    """A unit mention of the plan that named no known unit: shown, never dropped."""

    task = models.ForeignKey(
        Task,
        verbose_name=_("nhiệm vụ"),
        on_delete=models.CASCADE,
        related_name="unresolved_mentions",
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=AssignmentRole.choices)
    text = models.CharField(_("cụm từ"), max_length=300)
    reason = models.CharField(_("lý do"), max_length=20)
    best_score = models.FloatField(_("độ giống cao nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("cụm từ chưa xác định đơn vị")
        verbose_name_plural = _("cụm từ chưa xác định đơn vị")
        ordering = ["task", "role", "id"]

    def __str__(self) -> str:
        return self.text


class ImportSession(TimeStamped):
    """A document under review before it becomes a plan (issue 3's review screen).

    Holds the importer's draft (``kehoach.plan/1`` JSON, with the reviewer's edits), the text the
    importer read, and the reviewer's unit choices. Never rows of :class:`Plan`: leaving the
    screen commits nothing, and an old session simply expires.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("tệp nguồn"), max_length=255)
    source_format = models.CharField(_("định dạng nguồn"), max_length=8)
    sha256 = models.CharField(_("SHA-256 của tệp nguồn"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    draft = models.JSONField(_("bản nháp kế hoạch"))
    source_text = models.TextField(_("nội dung trích từ văn bản"), blank=True)
    issuer_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: match key of a mention → {"text": as written, "units": [unit ids]}; [] = no specific unit
    unit_choices = models.JSONField(_("đơn vị do người rà soát chọn"), default=dict, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))

    class Meta:
        verbose_name = _("phiên nhập kế hoạch")
        verbose_name_plural = _("phiên nhập kế hoạch")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by", "sha256"], name="importsession_one_per_document"
            ),
        ]

    def __str__(self) -> str:
        return self.filename
