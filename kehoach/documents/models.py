"""Generated documents (văn bản, tệp xuất) and the PAR self-assessment explanations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kehoach.orgs.models import OrgUnit, TimeStamped
from kehoach.plans.models import Plan, Task


class DocumentKind(models.TextChoices):
    YEAR_REPORT = "year_report", _("Báo cáo kết quả thực hiện kế hoạch (DOCX)")
    PLAN = "plan", _("Văn bản kế hoạch (DOCX)")
    WORKBOOK = "workbook", _("Bảng tính Excel: tiến độ, báo cáo, tài liệu kiểm chứng, kinh phí")
    PAR_SHEET = "par_sheet", _("Bảng tự đánh giá Chỉ số CCHC – tiêu chí tuyên truyền (Excel)")
    EVIDENCE_ZIP = "evidence_zip", _("Hồ sơ tài liệu kiểm chứng (ZIP)")


#: Kinds a unit may export for its own data; the others are the plan's own documents.
UNIT_KINDS = frozenset({DocumentKind.YEAR_REPORT, DocumentKind.WORKBOOK, DocumentKind.EVIDENCE_ZIP})


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không tạo được")


class GeneratedDocument(TimeStamped):
    """One document or package asked for: its parameters, who asked, progress and the file.

    The file is written under a temporary name and moved into place only when complete, so
    ``file`` is set exactly when ``status`` is done: never a half-written file.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="documents"
    )
    #: None: the whole plan; else only this unit's own data
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=DocumentKind.choices)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("đang làm"), max_length=200, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    file = models.FileField(_("tệp"), max_length=200, blank=True)
    filename = models.CharField(_("tên tệp tải về"), max_length=200, blank=True)
    size = models.BigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản, tệp xuất")
        verbose_name_plural = _("văn bản, tệp xuất")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["plan", "-created_at"], name="document_plan_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="document_progress_pct"),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="document_done_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.plan_id} · {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.DONE, DocumentStatus.FAILED)

    @property
    def is_running(self) -> bool:
        return not self.is_finished

    @property
    def period(self):
        """The reporting period of a results report (None for the other kinds)."""
        from .periods import Period

        return Period.from_params(self.params) if self.params.get("period") else None


class ParExplanation(TimeStamped):
    """The written explanation (giải trình) of a task whose evidence is missing or incomplete.

    PAR_INDEX.md: a self-assessment must explain every criterion it cannot back with evidence;
    the PAR sheet refuses to finish while one is missing.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("giải trình"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("giải trình tự đánh giá")
        verbose_name_plural = _("giải trình tự đánh giá")
        ordering = ["plan", "task__position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "task"], name="par_explanation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.text[:40]}"
