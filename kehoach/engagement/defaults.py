"""Default lists admins extend in the admin site: procedure fields and indicators.

Connected to ``post_migrate`` (as the reporting app does for channels), so a new database, and a
test database flushed between transactional tests, always has them. Edited or added rows are
never touched.
"""

from __future__ import annotations

#: Lĩnh vực thủ tục hành chính named by the seed plan (II.2, II.6), then "Khác".
DEFAULT_FIELDS = [
    ("dat-dai", "Đất đai"),
    ("dau-tu", "Đầu tư"),
    ("dang-ky-kinh-doanh", "Đăng ký kinh doanh"),
    ("ho-tich", "Hộ tịch"),
    ("ho-khau", "Hộ khẩu, cư trú"),
    ("xay-dung", "Xây dựng"),
    ("khac", "Lĩnh vực khác"),
]

#: code, name, description, unit of value, higher is better
DEFAULT_INDICATORS = [
    ("par-index", "PAR Index", "Chỉ số cải cách hành chính", "điểm", True),
    ("pci", "PCI", "Chỉ số năng lực cạnh tranh cấp tỉnh", "điểm", True),
    ("papi", "PAPI", "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh", "điểm", True),
    ("sipas", "SIPAS", "Chỉ số hài lòng về sự phục vụ hành chính", "%", True),
    (
        "ddci",
        "DDCI",
        "Chỉ số đánh giá năng lực cạnh tranh cấp sở, ban, ngành và địa phương",
        "điểm",
        True,
    ),
]


def ensure_defaults(**kwargs) -> None:
    from .models import IndicatorKind, ProcedureField

    existing = set(ProcedureField.objects.values_list("code", flat=True))
    ProcedureField.objects.bulk_create(
        ProcedureField(code=code, name=name, position=i * 10)
        for i, (code, name) in enumerate(DEFAULT_FIELDS, start=1)
        if code not in existing
    )
    existing = set(IndicatorKind.objects.values_list("code", flat=True))
    IndicatorKind.objects.bulk_create(
        IndicatorKind(
            code=code,
            name=name,
            description=description,
            value_unit=value_unit,
            higher_is_better=higher,
            position=i * 10,
        )
        for i, (code, name, description, value_unit, higher) in enumerate(
            DEFAULT_INDICATORS, start=1
        )
        if code not in existing
    )
