"""Citizens and businesses: dialogue conferences and their questions, the public page settings,
indicators (PAR Index, PCI, …) and portal statistics."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kehoach.lib.files import random_storage_name
from kehoach.orgs.models import OrgUnit, TimeStamped
from kehoach.plans.models import Assignment, Plan


class ProcedureField(TimeStamped):
    """A field of administrative procedures (lĩnh vực TTHC): đất đai, đầu tư, hộ tịch, …

    A list admins extend in the admin site; the defaults come from the seed plan.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=120)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực thủ tục hành chính")
        verbose_name_plural = _("lĩnh vực thủ tục hành chính")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ParticipantGroup(models.TextChoices):
    OFFICIALS = "officials", _("Cán bộ, công chức")
    CITIZENS = "citizens", _("Người dân")
    BUSINESSES = "businesses", _("Doanh nghiệp")


class ConferenceStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    PUBLISHED = "published", _("Đã công bố")
    HELD = "held", _("Đã tổ chức")
    CANCELLED = "cancelled", _("Đã hủy")


def conference_document_upload_to(instance: Conference, filename: str) -> str:
    return random_storage_name("conferences", filename)


class Conference(TimeStamped):
    """A dialogue conference (hội nghị đối thoại) a unit holds for one of its assignments."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("nhiệm vụ được giao"),
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    title = models.CharField(_("tên hội nghị"), max_length=300)
    starts_at = models.DateTimeField(_("thời gian bắt đầu"))
    ends_at = models.DateTimeField(_("thời gian kết thúc"), null=True, blank=True)
    venue = models.CharField(_("địa điểm"), max_length=300)
    fields = models.ManyToManyField(
        ProcedureField, verbose_name=_("lĩnh vực"), related_name="conferences"
    )
    invited_groups = models.JSONField(_("thành phần mời"), default=list, blank=True)
    invited_note = models.CharField(
        _("thành phần mời cụ thể"),
        max_length=500,
        blank=True,
        help_text=_("Ví dụ: hộ kinh doanh khu phố 1, 2; đại diện Mặt trận, đoàn thể phường."),
    )
    summary = models.TextField(
        _("nội dung chính"), blank=True, help_text=_("Hiển thị trên trang công khai.")
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ConferenceStatus.choices,
        default=ConferenceStatus.DRAFT,
    )
    # plan document (kế hoạch tổ chức): internal, never on the public page
    document = models.FileField(
        _("kế hoạch tổ chức"), upload_to=conference_document_upload_to, max_length=200, blank=True
    )
    document_name = models.CharField(_("tên tệp kế hoạch"), max_length=160, blank=True)
    document_mime = models.CharField(_("kiểu nội dung"), max_length=100, blank=True)
    document_size = models.BigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # the result, recorded after the conference
    officials_count = models.PositiveIntegerField(_("số cán bộ, công chức tham dự"), default=0)
    citizens_count = models.PositiveIntegerField(_("số người dân tham dự"), default=0)
    businesses_count = models.PositiveIntegerField(_("số doanh nghiệp tham dự"), default=0)
    answered_on_spot = models.PositiveIntegerField(
        _("số câu hỏi được giải đáp tại hội nghị"), default=0
    )
    minutes = models.TextField(_("biên bản, kết quả hội nghị"), blank=True)
    report = models.OneToOneField(
        "reporting.ActivityReport",
        verbose_name=_("báo cáo kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conference",
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hội nghị đối thoại")
        verbose_name_plural = _("hội nghị đối thoại")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="conference_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def participants_total(self) -> int:
        return self.officials_count + self.citizens_count + self.businesses_count

    @property
    def is_public(self) -> bool:
        return self.status in (ConferenceStatus.PUBLISHED, ConferenceStatus.HELD)

    def invited_group_labels(self) -> list[str]:
        labels = dict(ParticipantGroup.choices)
        return [str(labels[g]) for g in self.invited_groups if g in labels]


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ kiểm duyệt")
    PUBLISHED = "published", _("Đã công khai")
    REJECTED = "rejected", _("Không công khai")
    MERGED = "merged", _("Gộp vào câu hỏi trùng")


class Question(TimeStamped):
    """A question sent before a conference, by anyone, without an account.

    The contact (phone, e-mail) and, unless the asker agreed, the name are private: they are
    shown only to the moderators and the unit that answers, never on a public page.
    """

    conference = models.ForeignKey(
        Conference, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="questions"
    )
    field = models.ForeignKey(
        ProcedureField, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("câu hỏi"))
    asker_name = models.CharField(_("họ và tên người hỏi"), max_length=100, blank=True)
    name_public = models.BooleanField(_("đồng ý công khai họ tên"), default=False)
    contact_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), max_length=254, blank=True)
    consent_text = models.TextField(_("nội dung người hỏi đã đồng ý"))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=QuestionStatus.choices,
        default=QuestionStatus.PENDING,
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với câu hỏi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    decision_reason = models.TextField(_("lý do"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kiểm duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("kiểm duyệt lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions_to_answer",
    )
    assigned_at = models.DateTimeField(_("giao lúc"), null=True, blank=True)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    #: fold(field + question + answer): what the diacritic-insensitive public search reads
    search_text = models.TextField(_("nội dung tìm kiếm"), blank=True, editable=False)

    class Meta:
        verbose_name = _("câu hỏi của người dân, doanh nghiệp")
        verbose_name_plural = _("câu hỏi của người dân, doanh nghiệp")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["conference", "status"], name="question_conference_status"),
            models.Index(fields=["responsible_unit", "status"], name="question_unit_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(duplicate_of__isnull=False),
                name="question_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:60]}"

    @property
    def public_name(self) -> str:
        """The name shown publicly: only when the asker agreed."""
        return self.asker_name if self.name_public else ""

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class PublicSettings(TimeStamped):
    """What of one plan is shown on the public CCHC page (per plan; off until switched on)."""

    plan = models.OneToOneField(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="public_settings"
    )
    is_published = models.BooleanField(_("công khai trang của kế hoạch"), default=False)
    show_summary = models.BooleanField(_("tóm tắt kế hoạch"), default=True)
    show_progress = models.BooleanField(_("tiến độ theo nội dung"), default=True)
    show_conferences = models.BooleanField(_("hội nghị đối thoại"), default=True)
    show_questions = models.BooleanField(_("câu hỏi và trả lời"), default=True)
    show_indicators = models.BooleanField(_("các chỉ số"), default=True)
    show_portal_stats = models.BooleanField(_("số liệu cổng dịch vụ công"), default=True)
    intro = models.TextField(_("lời giới thiệu"), blank=True)

    class Meta:
        verbose_name = _("cài đặt trang công khai")
        verbose_name_plural = _("cài đặt trang công khai")

    def __str__(self) -> str:
        return str(self.plan)


class IndicatorKind(TimeStamped):
    """An indicator: PAR Index, PCI, PAPI, SIPAS, DDCI, or one an admin adds."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên viết tắt"), max_length=60)
    description = models.CharField(_("tên đầy đủ"), max_length=255, blank=True)
    value_unit = models.CharField(_("đơn vị tính"), max_length=20, blank=True)
    higher_is_better = models.BooleanField(_("điểm càng cao càng tốt"), default=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại chỉ số")
        verbose_name_plural = _("loại chỉ số")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Period(models.TextChoices):
    YEAR = "year", _("Cả năm")
    H1 = "h1", _("6 tháng đầu năm")
    Q1 = "q1", _("Quý I")
    Q2 = "q2", _("Quý II")
    Q3 = "q3", _("Quý III")
    Q4 = "q4", _("Quý IV")


class IndicatorValue(TimeStamped):
    """One published figure of an indicator for a unit and a period, with its rank and source."""

    kind = models.ForeignKey(
        IndicatorKind, verbose_name=_("chỉ số"), on_delete=models.PROTECT, related_name="values"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    period = models.CharField(_("kỳ"), max_length=4, choices=Period.choices, default=Period.YEAR)
    value = models.DecimalField(_("giá trị"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("xếp hạng"), null=True, blank=True)
    rank_total = models.PositiveIntegerField(_("trên tổng số"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("giá trị chỉ số")
        verbose_name_plural = _("giá trị chỉ số")
        ordering = ["kind__position", "unit_id", "year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit", "year", "period"], name="indicator_value_once"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2200), name="indicator_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True)
                | Q(rank_total__isnull=True)
                | Q(rank__lte=F("rank_total")),
                name="indicator_rank_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit.display_name} {self.year}: {self.value}"


class Portal(models.TextChoices):
    NATIONAL = "national", _("Cổng Dịch vụ công quốc gia")
    PROVINCIAL = "provincial", _("Cổng Dịch vụ công tỉnh")


class PortalStat(TimeStamped):
    """Visits and online dossiers on a public-service portal for one unit and month."""

    portal = models.CharField(_("cổng"), max_length=10, choices=Portal.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="portal_stats"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    visits = models.PositiveIntegerField(_("lượt truy cập"))
    online_dossiers = models.PositiveIntegerField(_("hồ sơ nộp trực tuyến"))
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("số liệu cổng dịch vụ công")
        verbose_name_plural = _("số liệu cổng dịch vụ công")
        ordering = ["year", "month", "portal", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "unit", "year", "month"], name="portal_stat_once"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="portal_stat_month"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2200), name="portal_stat_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_portal_display()} {self.month:02d}/{self.year}"
