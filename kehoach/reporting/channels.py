"""The default list of communication channels, from the seed plan (admins add others)."""

from __future__ import annotations

DEFAULT_CHANNELS = [
    ("giao-ban", "Giao ban, họp định kỳ"),
    ("egov", "Văn phòng điện tử (eGov)"),
    ("tap-huan", "Lớp tập huấn"),
    ("hoi-nghi", "Hội nghị, đối thoại"),
    ("cong-ttdt", "Trang/Cổng thông tin điện tử"),
    ("bao-dai", "Báo, Đài"),
    ("mang-xa-hoi", "Mạng xã hội (Zalo, Facebook)"),
    ("phong-su", "Phóng sự, clip"),
    ("loa", "Loa truyền thanh"),
    ("pano", "Pa-nô, áp phích"),
    ("to-roi", "Tờ rơi"),
]


def ensure_default_channels(**kwargs) -> None:
    """Create the default channels that are missing; never touch edited or added ones.

    Connected to ``post_migrate`` (as Django does for permissions), so a new database, and a
    test database flushed between transactional tests, always has them.
    """
    from .models import Channel

    existing = set(Channel.objects.values_list("code", flat=True))
    Channel.objects.bulk_create(
        Channel(code=code, name=name, position=i * 10)
        for i, (code, name) in enumerate(DEFAULT_CHANNELS, start=1)
        if code not in existing
    )
