"""Budgets (Section III of the plan): estimates (dự toán), appraisal (thẩm định), allocation
(bố trí kinh phí) and settlement (quyết toán).

Money is an integer number of đồng in every field (``PositiveBigIntegerField``); quantities are
whole numbers, so ``amount = quantity × unit_price`` is exact and the database checks it.

Approved and settled figures are never edited: an appraisal round, once decided, and a confirmed
settlement are kept as they were; a later change is a :class:`Correction` row with its reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kehoach.lib.files import random_storage_name
from kehoach.orgs.models import OrgUnit, TimeStamped
from kehoach.plans.models import Plan, Task


class FundingSource(models.TextChoices):
    """Where the money comes from (Section III.1 and III.3 of the seed plan)."""

    TOWN = "town", _("Ngân sách thị xã")
    LOCAL = "local", _("Ngân sách xã, phường")
    SOCIAL = "social", _("Xã hội hóa")
    OTHER = "other", _("Khác")


class EstimateStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    AWAITING_HEAD = "awaiting_head", _("Chờ thủ trưởng ký duyệt")
    SUBMITTED = "submitted", _("Chờ thẩm định")
    RETURNED = "returned", _("Trả lại để chỉnh sửa")
    APPROVED = "approved", _("Đã thẩm định")
    ALLOCATED = "allocated", _("Đã bố trí kinh phí")
    SETTLEMENT_SUBMITTED = "settlement_submitted", _("Chờ xác nhận quyết toán")
    SETTLED = "settled", _("Đã quyết toán")


class Estimate(TimeStamped):
    """A unit's cost estimate (dự toán kinh phí) for its tasks in one plan."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="budget_estimates"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="budget_estimates"
    )
    title = models.CharField(_("tên dự toán"), max_length=255)
    notes = models.TextField(_("thuyết minh"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=EstimateStatus.choices,
        default=EstimateStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("gửi thẩm định lúc"), null=True, blank=True)
    #: Optimistic locking: every write bumps it; a form opened on an older version is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("dự toán kinh phí")
        verbose_name_plural = _("dự toán kinh phí")
        ordering = ["plan", "unit__name", "id"]
        indexes = [models.Index(fields=["plan", "status"], name="estimate_plan_status")]

    def __str__(self) -> str:
        return f"{self.unit.display_name} · {self.title}"


class EstimateLine(TimeStamped):
    """One line of the estimate as the unit writes it (the working copy, editable in drafts)."""

    estimate = models.ForeignKey(
        Estimate, verbose_name=_("dự toán"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    description = models.CharField(_("nội dung chi"), max_length=300)
    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    measure = models.CharField(_("đơn vị tính"), max_length=40)
    quantity = models.PositiveIntegerField(_("số lượng"))
    unit_price = models.PositiveBigIntegerField(_("đơn giá (đồng)"))
    amount = models.PositiveBigIntegerField(_("thành tiền (đồng)"))
    source = models.CharField(_("nguồn kinh phí"), max_length=10, choices=FundingSource.choices)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dòng dự toán")
        verbose_name_plural = _("dòng dự toán")
        ordering = ["estimate", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="estimateline_quantity_pos"),
            models.CheckConstraint(
                condition=Q(amount=F("quantity") * F("unit_price")),
                name="estimateline_amount_computed",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class AppraisalStatus(models.TextChoices):
    OPEN = "open", _("Đang thẩm định")
    APPROVED = "approved", _("Thẩm định đạt")
    RETURNED = "returned", _("Trả lại")


class Appraisal(TimeStamped):
    """One round of appraisal (thẩm định): opened when the estimate is submitted, closed by a
    decision. Every round is kept, with a snapshot of the lines as they were submitted."""

    estimate = models.ForeignKey(
        Estimate, verbose_name=_("dự toán"), on_delete=models.CASCADE, related_name="appraisals"
    )
    round = models.PositiveSmallIntegerField(_("lần thẩm định"))
    status = models.CharField(
        _("kết quả"), max_length=10, choices=AppraisalStatus.choices, default=AppraisalStatus.OPEN
    )
    requested_total = models.PositiveBigIntegerField(_("tổng đề nghị (đồng)"))
    approved_total = models.PositiveBigIntegerField(
        _("tổng thẩm định (đồng)"), null=True, blank=True
    )
    reason = models.TextField(_("ý kiến thẩm định"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thẩm định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần thẩm định")
        verbose_name_plural = _("lần thẩm định")
        ordering = ["estimate", "round"]
        constraints = [
            models.UniqueConstraint(fields=["estimate", "round"], name="appraisal_round_unique"),
            models.UniqueConstraint(
                fields=["estimate"],
                condition=Q(status="approved"),
                name="appraisal_one_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_total__isnull=False),
                name="appraisal_approved_has_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.estimate} · {self.round}"


class AppraisalLine(TimeStamped):
    """A line as submitted in one round (snapshot) and what finance made of it."""

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("lần thẩm định"), on_delete=models.CASCADE, related_name="lines"
    )
    estimate_line = models.ForeignKey(
        EstimateLine,
        verbose_name=_("dòng dự toán"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appraisal_lines",
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    description = models.CharField(_("nội dung chi"), max_length=300)
    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="+"
    )
    measure = models.CharField(_("đơn vị tính"), max_length=40)
    quantity = models.PositiveIntegerField(_("số lượng đề nghị"))
    unit_price = models.PositiveBigIntegerField(_("đơn giá đề nghị (đồng)"))
    amount = models.PositiveBigIntegerField(_("thành tiền đề nghị (đồng)"))
    source = models.CharField(_("nguồn kinh phí"), max_length=10, choices=FundingSource.choices)
    approved_quantity = models.PositiveIntegerField(_("số lượng thẩm định"))
    approved_amount = models.PositiveBigIntegerField(_("số tiền thẩm định (đồng)"))
    needs_fix = models.BooleanField(_("yêu cầu đơn vị sửa"), default=False)
    comment = models.CharField(_("ý kiến về dòng này"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dòng thẩm định")
        verbose_name_plural = _("dòng thẩm định")
        ordering = ["appraisal", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=F("quantity") * F("unit_price")),
                name="appraisalline_amount_computed",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__lte=F("amount"))
                & Q(approved_quantity__lte=F("quantity")),
                name="appraisalline_not_above_request",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class Allocation(TimeStamped):
    """A decision that allocates funds (quyết định bố trí kinh phí): one instalment (đợt)."""

    estimate = models.ForeignKey(
        Estimate, verbose_name=_("dự toán"), on_delete=models.PROTECT, related_name="allocations"
    )
    instalment = models.PositiveSmallIntegerField(_("đợt"))
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày quyết định"))
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    source = models.CharField(_("nguồn kinh phí"), max_length=10, choices=FundingSource.choices)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bố trí kinh phí")
        verbose_name_plural = _("bố trí kinh phí")
        ordering = ["estimate", "instalment"]
        constraints = [
            models.UniqueConstraint(
                fields=["estimate", "instalment"], name="allocation_instalment_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} · {self.amount}"


class Settlement(TimeStamped):
    """The unit's settlement (quyết toán) of an allocated estimate; finance confirms it."""

    estimate = models.OneToOneField(
        Estimate, verbose_name=_("dự toán"), on_delete=models.CASCADE, related_name="settlement"
    )
    note = models.TextField(_("thuyết minh quyết toán"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settled_total = models.PositiveBigIntegerField(
        _("tổng quyết toán (đồng)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("quyết toán")
        verbose_name_plural = _("quyết toán")

    def __str__(self) -> str:
        return str(self.estimate)


class SettlementLine(TimeStamped):
    """Actual spending on one approved line."""

    settlement = models.ForeignKey(
        Settlement, verbose_name=_("quyết toán"), on_delete=models.CASCADE, related_name="lines"
    )
    approved_line = models.OneToOneField(
        AppraisalLine,
        verbose_name=_("dòng đã thẩm định"),
        on_delete=models.PROTECT,
        related_name="settlement_line",
    )
    actual_amount = models.PositiveBigIntegerField(_("thực chi (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dòng quyết toán")
        verbose_name_plural = _("dòng quyết toán")
        ordering = ["settlement", "approved_line__position"]

    def __str__(self) -> str:
        return f"{self.approved_line} · {self.actual_amount}"


class CorrectionKind(models.TextChoices):
    APPROVED = "approved", _("Số thẩm định")
    ALLOCATED = "allocated", _("Số bố trí")
    SETTLED = "settled", _("Số quyết toán")


class Correction(models.Model):
    """A reasoned change to a recorded figure. The original row stays as it was; the figure in
    force is the last correction's ``new_amount``. Never edited, never deleted."""

    estimate = models.ForeignKey(
        Estimate, verbose_name=_("dự toán"), on_delete=models.PROTECT, related_name="corrections"
    )
    kind = models.CharField(_("điều chỉnh"), max_length=10, choices=CorrectionKind.choices)
    approved_line = models.ForeignKey(
        AppraisalLine,
        verbose_name=_("dòng đã thẩm định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    settlement_line = models.ForeignKey(
        SettlementLine,
        verbose_name=_("dòng quyết toán"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("đợt bố trí"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    previous_amount = models.PositiveBigIntegerField(_("số cũ (đồng)"))
    new_amount = models.PositiveBigIntegerField(_("số mới (đồng)"))
    reason = models.TextField(_("lý do điều chỉnh"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điều chỉnh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("điều chỉnh số liệu")
        verbose_name_plural = _("điều chỉnh số liệu")
        ordering = ["estimate", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason"),
            models.CheckConstraint(
                condition=~Q(new_amount=F("previous_amount")), name="correction_changes_something"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="approved",
                        approved_line__isnull=False,
                        settlement_line__isnull=True,
                        allocation__isnull=True,
                    )
                    | Q(
                        kind="settled",
                        approved_line__isnull=True,
                        settlement_line__isnull=False,
                        allocation__isnull=True,
                    )
                    | Q(
                        kind="allocated",
                        approved_line__isnull=True,
                        settlement_line__isnull=True,
                        allocation__isnull=False,
                    )
                ),
                name="correction_target_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.previous_amount} → {self.new_amount}"

    @property
    def delta(self) -> int:
        return self.new_amount - self.previous_amount


#: How the history names each workflow step (the actions of services.ALLOWED_TRANSITIONS).
ACTION_LABELS = {
    "create": _("lập dự toán"),
    "send_to_head": _("gửi thủ trưởng ký duyệt"),
    "submit": _("gửi Phòng Tài chính – Kế hoạch thẩm định"),
    "sign": _("ký duyệt, gửi thẩm định"),
    "head_return": _("trả lại để chỉnh sửa"),
    "approve": _("thẩm định đạt"),
    "return": _("trả lại để chỉnh sửa"),
    "allocate": _("ghi nhận bố trí kinh phí"),
    "settle": _("gửi quyết toán"),
    "confirm_settlement": _("xác nhận quyết toán"),
    "return_settlement": _("trả lại quyết toán"),
    "correct": _("điều chỉnh số liệu"),
}


class EstimateTransition(models.Model):
    """One step of an estimate's workflow: who, when, from, to, why. Never edited."""

    estimate = models.ForeignKey(
        Estimate, verbose_name=_("dự toán"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("thao tác"), max_length=20)
    from_status = models.CharField(
        _("từ"), max_length=24, choices=EstimateStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang"), max_length=24, choices=EstimateStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    reason = models.TextField(_("lý do, ý kiến"), blank=True)

    class Meta:
        verbose_name = _("lịch sử dự toán")
        verbose_name_plural = _("lịch sử dự toán")
        ordering = ["estimate", "at", "id"]

    def __str__(self) -> str:
        return f"{self.estimate_id}: {self.from_status} → {self.to_status}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class AttachmentPurpose(models.TextChoices):
    ESTIMATE = "estimate", _("Hồ sơ dự toán")
    SETTLEMENT = "settlement", _("Chứng từ quyết toán")


def attachment_upload_to(instance: BudgetAttachment, filename: str) -> str:
    return random_storage_name("budgets", filename)


class BudgetAttachment(TimeStamped):
    """A file on an estimate: quotations and explanations, or settlement documents."""

    estimate = models.ForeignKey(
        Estimate, verbose_name=_("dự toán"), on_delete=models.CASCADE, related_name="attachments"
    )
    purpose = models.CharField(_("loại hồ sơ"), max_length=10, choices=AttachmentPurpose.choices)
    file = models.FileField(_("tệp"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    safe_name = models.CharField(_("tên tệp"), max_length=160)
    mime = models.CharField(_("kiểu nội dung"), max_length=100)
    file_kind = models.CharField(_("nhóm tệp"), max_length=10)
    size = models.BigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hồ sơ kinh phí")
        verbose_name_plural = _("hồ sơ kinh phí")
        ordering = ["estimate", "purpose", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["estimate", "purpose", "sha256"], name="budget_attachment_once"
            ),
        ]

    def __str__(self) -> str:
        return self.safe_name

    @property
    def is_image(self) -> bool:
        return self.file_kind == "image"

    @property
    def is_pdf(self) -> bool:
        return self.mime == "application/pdf"
