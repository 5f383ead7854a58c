"""Activity reports (báo cáo kết quả thực hiện) and their evidence (tài liệu kiểm chứng)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehoach.lib.files import random_storage_name
from kehoach.orgs.models import TimeStamped
from kehoach.plans.models import Assignment, Deliverable

from . import checklist


class Channel(TimeStamped):
    """How the communication was done (giao ban, eGov, Zalo, loa truyền thanh, …).

    A list admins extend in the admin site; the defaults come from the seed plan.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên kênh, hình thức"), max_length=120)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("kênh, hình thức tuyên truyền")
        verbose_name_plural = _("kênh, hình thức tuyên truyền")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Chờ duyệt")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    RETURNED = "returned", _("Trả lại để bổ sung")


class ActivityReport(TimeStamped):
    """What a unit did for one assignment, with the numbers and the evidence."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("nhiệm vụ được giao"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    started_on = models.DateField(_("ngày thực hiện"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    channel = models.ForeignKey(
        Channel, verbose_name=_("kênh, hình thức"), on_delete=models.PROTECT, related_name="reports"
    )
    description = models.TextField(_("nội dung đã thực hiện"))
    sessions = models.PositiveIntegerField(_("số lần, buổi tuyên truyền"), default=0)
    officials_reached = models.PositiveIntegerField(
        _("số CBCCVC, người lao động được thông tin"), default=0
    )
    public_reached = models.PositiveIntegerField(_("số người dân, doanh nghiệp tham dự"), default=0)
    articles = models.PositiveIntegerField(_("số tin, bài"), default=0)
    attendance_names = models.TextField(
        _("danh sách tham dự"), blank=True, help_text=_("Mỗi dòng một người.")
    )
    attendance_count = models.PositiveIntegerField(_("số người trong danh sách tham dự"), default=0)
    deliverables = models.ManyToManyField(
        Deliverable, verbose_name=_("sản phẩm đáp ứng"), blank=True, related_name="reports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField(_("ý kiến của người duyệt"), blank=True)
    #: Optimistic locking: every write bumps it; a stale form is refused, never overwrites.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("báo cáo kết quả")
        verbose_name_plural = _("báo cáo kết quả")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["status", "assignment"], name="report_status_assignment"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="report_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.started_on:%d/%m/%Y}"

    @property
    def evidence_date(self):
        """The date the work was done: what "đúng hạn" is judged on."""
        return self.ended_on or self.started_on

    @property
    def people_reached(self) -> int:
        """Officials plus citizens informed; the attendance list counts when no number is given."""
        return (self.officials_reached + self.public_reached) or self.attendance_count


class ReportTransition(models.Model):
    """One step of a report's workflow: who, when, from, to, why. Never edited."""

    report = models.ForeignKey(
        ActivityReport,
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(_("từ"), max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("sang"), max_length=10, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp đính kèm")
    LINK = "link", _("Đường liên kết")
    DOCUMENT = "document", _("Văn bản trên hệ thống quản lý văn bản")


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("Chưa kiểm tra")
    OK = "ok", _("Truy cập được")
    DEAD = "dead", _("Không truy cập được")
    REFUSED = "refused", _("Không kiểm tra (địa chỉ nội bộ)")


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    return random_storage_name("evidence", filename)


def thumbnail_upload_to(instance: Evidence, filename: str) -> str:
    return random_storage_name("thumbnails", "thumb.jpg")


class Evidence(TimeStamped):
    """A file, a link, or a reference to a document that already lives elsewhere."""

    report = models.ForeignKey(
        ActivityReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=EvidenceKind.choices)
    checklist_item = models.CharField(
        _("là tài liệu gì"),
        max_length=30,
        blank=True,
        choices=checklist.choices(),
        help_text=_("Mục trong danh sách tài liệu cần có."),
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    # file
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    safe_name = models.CharField(_("tên tệp"), max_length=160, blank=True)
    mime = models.CharField(_("kiểu nội dung"), max_length=100, blank=True)
    file_kind = models.CharField(_("nhóm tệp"), max_length=10, blank=True)
    size = models.BigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    thumbnail = models.FileField(
        _("ảnh thu nhỏ"), upload_to=thumbnail_upload_to, max_length=200, blank=True
    )
    taken_at = models.DateTimeField(_("thời điểm chụp (EXIF)"), null=True, blank=True)
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # link
    url = models.URLField(_("đường liên kết"), max_length=2000, blank=True)
    host = models.CharField(_("trang"), max_length=255, blank=True)
    link_status = models.CharField(
        _("tình trạng liên kết"), max_length=10, choices=LinkStatus.choices, blank=True
    )
    link_http_status = models.PositiveSmallIntegerField(_("mã HTTP"), null=True, blank=True)
    link_final_url = models.URLField(_("địa chỉ cuối"), max_length=2000, blank=True)
    link_title = models.CharField(_("tiêu đề trang"), max_length=300, blank=True)
    link_error = models.CharField(_("lỗi khi kiểm tra"), max_length=300, blank=True)
    link_checked_at = models.DateTimeField(_("kiểm tra lúc"), null=True, blank=True)
    # document in the agency's document system
    doc_number = models.CharField(_("số, ký hiệu văn bản"), max_length=60, blank=True)
    doc_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    doc_issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    doc_system = models.CharField(
        _("hệ thống lưu trữ"), max_length=80, blank=True, help_text=_("Ví dụ: iOffice, eGov.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thêm"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        ordering = ["report", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "sha256"],
                condition=~Q(sha256=""),
                name="evidence_file_once_per_report",
            ),
        ]

    def __str__(self) -> str:
        return self.safe_name or self.url or self.doc_number or str(self.pk)

    @property
    def is_image(self) -> bool:
        return self.file_kind == "image"

    @property
    def is_video(self) -> bool:
        return self.file_kind == "video"

    @property
    def is_pdf(self) -> bool:
        return self.mime == "application/pdf"


class AssignmentCompletion(TimeStamped):
    """The coordinator marks an assignment complete by hand, with a reason that is kept."""

    assignment = models.OneToOneField(
        Assignment,
        verbose_name=_("nhiệm vụ được giao"),
        on_delete=models.CASCADE,
        related_name="manual_completion",
    )
    completed_on = models.DateField(_("hoàn thành ngày"))
    reason = models.TextField(_("lý do"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("xác nhận hoàn thành thủ công")
        verbose_name_plural = _("xác nhận hoàn thành thủ công")


class AssignmentTally(models.Model):
    """What the reports of one assignment add up to, kept current as they change.

    Written only by ``reporting.progress.refresh_tallies`` (called from the signals in
    ``reporting.signals`` whenever a report, its deliverables or a deliverable changes), read by
    ``progress.assignment_progress``: the dashboard reads one row per assignment instead of
    aggregating every report. An assignment without reports has no row (all zeros).
    """

    assignment = models.OneToOneField(
        Assignment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="tally",
        verbose_name=_("nhiệm vụ được giao"),
    )
    accepted = models.PositiveIntegerField(_("báo cáo đã duyệt"), default=0)
    pending = models.PositiveIntegerField(_("báo cáo chờ duyệt"), default=0)
    first_accepted_on = models.DateField(_("ngày của báo cáo duyệt đầu tiên"), null=True)
    #: deliverable id (as text) → ISO date on which the accepted reports reached its target
    met = models.JSONField(_("sản phẩm đã đạt"), default=dict)
    #: "YYYY-MM" of the work → [accepted, submitted, returned] reports of that month
    months = models.JSONField(_("báo cáo theo tháng"), default=dict)
    #: when it was last recomputed: part of what tells the dashboard's cache its data changed
    changed_at = models.DateTimeField(_("tính lại lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("tổng hợp tiến độ")
        verbose_name_plural = _("tổng hợp tiến độ")

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.accepted}/{self.pending}"
