"""Organisation units (cơ quan, đơn vị), users and their memberships."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):
    """A person who signs in. Their units and roles are :class:`Membership` rows."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    is_demo = models.BooleanField(
        _("tài khoản minh họa"),
        default=False,
        help_text=_("Tạo bởi lệnh demo; không dùng cho dữ liệu thật."),
    )
    #: Part of the session hash: a new stamp ends every session of the user ("đăng xuất mọi nơi",
    #: deactivation, invitation accepted).
    security_stamp = models.CharField(max_length=32, default=new_security_stamp, editable=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    def _get_session_auth_hash(self, secret=None):
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "kehoach.orgs.User.session_auth_hash",
            self.password + self.security_stamp,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class OrgUnitKind(models.TextChoices):
    PROVINCE = "province", _("UBND cấp tỉnh")
    DISTRICT = "district", _("UBND cấp huyện, thị xã")
    DEPARTMENT = "department", _("Cơ quan chuyên môn (phòng, ban)")
    AGENCY = "agency", _("Cơ quan, đơn vị ngành")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    PARTY = "party", _("Cơ quan Đảng")
    SOCIOPOLITICAL = "sociopolitical", _("Mặt trận, tổ chức chính trị - xã hội")
    PRESS = "press", _("Báo, đài")


#: Kinds that are a people's committee with its own territory: the authority that issues plans
#: and whose tree its office, leaders and finance department oversee.
AUTHORITY_KINDS = frozenset(
    {OrgUnitKind.PROVINCE, OrgUnitKind.DISTRICT, OrgUnitKind.WARD, OrgUnitKind.COMMUNE}
)
#: How the dashboard and lists group units (phòng/ban/ngành, xã/phường, tổ chức).
KIND_GROUPS = {
    OrgUnitKind.DEPARTMENT: "department",
    OrgUnitKind.AGENCY: "department",
    OrgUnitKind.WARD: "local",
    OrgUnitKind.COMMUNE: "local",
    OrgUnitKind.PARTY: "organisation",
    OrgUnitKind.SOCIOPOLITICAL: "organisation",
    OrgUnitKind.PRESS: "organisation",
    OrgUnitKind.DISTRICT: "authority",
    OrgUnitKind.PROVINCE: "authority",
}


#: The order in which lists show units: the office and departments first, then wards, communes
#: and organisations, as plans list them.
KIND_ORDER = {
    kind: i
    for i, kind in enumerate(
        [
            OrgUnitKind.PROVINCE,
            OrgUnitKind.DISTRICT,
            OrgUnitKind.DEPARTMENT,
            OrgUnitKind.AGENCY,
            OrgUnitKind.WARD,
            OrgUnitKind.COMMUNE,
            OrgUnitKind.PARTY,
            OrgUnitKind.SOCIOPOLITICAL,
            OrgUnitKind.PRESS,
        ]
    )
}


def unit_sort_key(unit: OrgUnit) -> tuple[int, str]:
    return (KIND_ORDER.get(unit.kind, 99), unit.name)


class OrgUnitQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date | None) -> OrgUnitQuerySet:
        """Units that existed on ``day`` (all units when ``day`` is None)."""
        if day is None:
            return self
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class OrgUnit(TimeStamped):
    """A cơ quan or đơn vị: the tree province → town → departments / wards / organisations.

    Units are never deleted when the administration is reorganised: they get ``valid_to`` and a
    ``successor``, so a 2023 plan keeps its 2023 units (ORG_UNITS.md, the 2025 reform).
    """

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    counts_as_department = models.BooleanField(
        _("tính là phòng, ban, ngành"),
        default=False,
        help_text=_(
            "Đơn vị thuộc nhóm “các phòng, ban, ngành” khi kế hoạch giao việc cho cả nhóm."
        ),
    )
    aliases = models.JSONField(
        _("tên gọi khác"),
        default=list,
        blank=True,
        help_text=_("Các cách viết khác của tên đơn vị trong văn bản, dùng để nhận diện."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="orgunit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def kind_group(self) -> str:
        return KIND_GROUPS.get(self.kind, "organisation")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Điều phối (Văn phòng)")
    LEADER = "leader", _("Lãnh đạo")
    FINANCE = "finance", _("Tài chính")
    UNIT_OFFICER = "unit_officer", _("Cán bộ đầu mối đơn vị")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    ADMIN = "admin", _("Quản trị hệ thống")


#: Roles that see the whole tree of the authority their unit belongs to.
OVERSIGHT_ROLES = frozenset({Role.COORDINATOR, Role.LEADER, Role.FINANCE})


class Membership(TimeStamped):
    """A user's role in a unit. A person may hold several (e.g. officer of two units)."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("phân công người dùng")
        verbose_name_plural = _("phân công người dùng")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit.display_name} · {self.get_role_display()}"
