"""Vocabulary of plan documents, kept as data so that a new synonym is one line, not a branch.

Every phrase is compared after :func:`kehoach.lib.text.fold` (no accents, lower case), so the
tables are written folded. Adding a label, a section keyword, a unit head or a document kind
happens here; the code that uses them never names a phrase itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kehoach.lib.text import collapse, fold


def key(text: str) -> str:
    """The comparison form of a phrase: folded, punctuation as spaces."""
    if len(text) <= 240:
        return _key_cached(text)
    return collapse(re.sub(r"[^\w]+", " ", fold(text)))


@lru_cache(maxsize=16384)
def _key_cached(text: str) -> str:
    return collapse(re.sub(r"[^\w]+", " ", fold(text)))


def head_key(text: str, limit: int = 200) -> str:
    """``key`` of the start of a text: enough to test how a paragraph opens, and bounded, so a
    one-megabyte paragraph costs no more than a short one."""
    return key(text[:limit])


# --- task fields ------------------------------------------------------------------------------

#: Field label (folded) -> field. A label is recognised at the start of a line (after a list
#: marker), followed by ":" or by nothing. Longer labels are tried first.
FIELD_LABELS: dict[str, str] = {
    # lead units
    "co quan thuc hien": "lead",
    "co quan chu tri": "lead",
    "co quan chu tri thuc hien": "lead",
    "don vi thuc hien": "lead",
    "don vi chu tri": "lead",
    "don vi chu tri thuc hien": "lead",
    "co quan don vi chu tri": "lead",
    "co quan don vi thuc hien": "lead",
    "co quan, don vi chu tri": "lead",
    "co quan, don vi thuc hien": "lead",
    "chu tri": "lead",
    "chu tri thuc hien": "lead",
    "don vi chiu trach nhiem": "lead",
    "co quan chiu trach nhiem": "lead",
    "trach nhiem thuc hien": "lead",
    "phan cong thuc hien": "lead",
    "bo phan chu tri": "lead",
    "bo phan thuc hien": "lead",
    "cong chuc thuc hien": "lead",
    "cong chuc phu trach": "lead",
    "don vi phu trach": "lead",
    "co quan phu trach": "lead",
    "phu trach": "lead",
    # support units
    "co quan phoi hop": "support",
    "don vi phoi hop": "support",
    "co quan, don vi phoi hop": "support",
    "co quan don vi phoi hop": "support",
    "phoi hop": "support",
    "phoi hop thuc hien": "support",
    "bo phan phoi hop": "support",
    "co quan, don vi phoi hop thuc hien": "support",
    "don vi phoi hop thuc hien": "support",
    "co quan phoi hop thuc hien": "support",
    # content
    "noi dung": "content",
    "noi dung thuc hien": "content",
    "noi dung cong viec": "content",
    "noi dung nhiem vu": "content",
    "noi dung tuyen truyen": "content",
    "noi dung hoat dong": "content",
    "noi dung cu the": "content",
    "noi dung, hinh thuc": "content",
    "noi dung va hinh thuc": "content",
    "noi dung, bien phap": "content",
    # deliverables
    "san pham": "deliverables",
    "san pham dau ra": "deliverables",
    "san pham du kien": "deliverables",
    "san pham, ket qua du kien": "deliverables",
    "san pham/ket qua du kien": "deliverables",
    "san pham ket qua du kien": "deliverables",
    "san pham, ket qua": "deliverables",
    "san pham hoan thanh": "deliverables",
    "ket qua du kien": "deliverables",
    "ket qua dau ra": "deliverables",
    "ket qua san pham": "deliverables",
    "ket qua, san pham": "deliverables",
    "ket qua can dat": "deliverables",
    "yeu cau san pham": "deliverables",
    "ket qua": "deliverables",
    "san pham cu the": "deliverables",
    "san pham chinh": "deliverables",
    # deadline
    "thoi gian thuc hien": "deadline",
    "thoi gian hoan thanh": "deadline",
    "thoi gian": "deadline",
    "thoi han": "deadline",
    "thoi han hoan thanh": "deadline",
    "thoi han thuc hien": "deadline",
    "tien do thuc hien": "deadline",
    "tien do hoan thanh": "deadline",
    "tien do": "deadline",
    "thoi diem hoan thanh": "deadline",
    "han hoan thanh": "deadline",
    "moc thoi gian": "deadline",
    "thoi gian trien khai": "deadline",
    # labelled lines that belong to none of the contract's task fields: they end the field
    # above them and are not read as content
    "hinh thuc": "other",
    "hinh thuc thuc hien": "other",
    "hinh thuc tuyen truyen": "other",
    "cach thuc thuc hien": "other",
    "phuong thuc": "other",
    "kinh phi": "other",
    "kinh phi thuc hien": "other",
    "nguon kinh phi": "other",
    "du toan kinh phi": "other",
    "dia diem": "other",
    "doi tuong": "other",
    "ghi chu": "other",
    "chi tieu": "other",
    "muc tieu": "other",
}

#: Task-table column headers (folded, compared by containment, first match wins).
COLUMN_LABELS: list[tuple[str, str]] = [
    ("stt", "number"),
    ("so tt", "number"),
    ("so thu tu", "number"),
    ("tt", "number"),
    ("co quan phoi hop", "support"),
    ("don vi phoi hop", "support"),
    ("phoi hop", "support"),
    ("co quan chu tri", "lead"),
    ("don vi chu tri", "lead"),
    ("co quan thuc hien", "lead"),
    ("don vi thuc hien", "lead"),
    ("chu tri", "lead"),
    ("trach nhiem", "lead"),
    ("san pham", "deliverables"),
    ("ket qua", "deliverables"),
    ("thoi gian", "deadline"),
    ("thoi han", "deadline"),
    ("tien do", "deadline"),
    ("ghi chu", "note"),
    ("bat dau", "note"),
    ("hoan thanh", "deadline"),
    ("ket thuc", "deadline"),
    ("phan cong", "lead"),
    ("kinh phi", "note"),
    ("nguon", "note"),
    ("noi dung", "content"),
    ("nhiem vu", "content"),
    ("ten nhiem vu", "content"),
    ("hoat dong", "content"),
    ("cong viec", "content"),
]

# --- sections ---------------------------------------------------------------------------------

#: (folded keyword, section kind), checked in order against a roman-numbered heading.
SECTION_KINDS: list[tuple[str, str]] = [
    ("muc dich", "purpose"),
    ("muc tieu", "purpose"),
    ("yeu cau", "purpose"),
    ("doi tuong", "purpose"),
    ("kinh phi", "budget"),
    ("to chuc thuc hien", "organisation"),
    ("trach nhiem", "organisation"),
    ("phan cong", "organisation"),
    ("thoi gian", "timeline"),
    ("tien do", "timeline"),
    ("nhiem vu", "tasks"),
    ("noi dung", "tasks"),
    ("giai phap", "tasks"),
    ("hoat dong", "tasks"),
    ("chuong trinh", "tasks"),
]

#: Sub-headings inside the purpose section: folded keyword -> list on the draft.
PURPOSE_PARTS: list[tuple[str, str]] = [
    ("muc dich", "purposes"),
    ("muc tieu", "purposes"),
    ("yeu cau", "requirements"),
    ("doi tuong", "audiences"),
    ("pham vi", "audiences"),
]

# --- units ------------------------------------------------------------------------------------

#: Words that begin the name of a unit (folded, first one or two words). After " và " they
#: show that a new unit starts; without them "và" belongs to the name ("Phòng Văn hóa và
#: Thông tin", "Đài Phát thanh và Truyền hình").
UNIT_HEADS: frozenset[str] = frozenset(
    {
        "phong",
        "so",
        "ban",
        "van phong",
        "ubnd",
        "uy ban",
        "hdnd",
        "hoi dong",
        "trung tam",
        "dai",
        "bao",
        "cong an",
        "hoi",
        "huyen doan",
        "tinh doan",
        "thi doan",
        "thanh doan",
        "quan doan",
        "doan",
        "buu dien",
        "chi nhanh",
        "cuc",
        "chi cuc",
        "bo",
        "vien",
        "truong",
        "benh vien",
        "kho bac",
        "ngan hang",
        "mat tran",
        "mttq",
        "lien doan",
        "thanh tra",
        "toa an",
        "vien kiem sat",
        "bao hiem",
        "quan su",
        "ban chi huy",
        "huyen uy",
        "tinh uy",
        "thi uy",
        "thanh uy",
        "dang uy",
        "cac",
        "tat ca",
        "nhung",
        "lanh dao",
        "thu truong",
        "chu tich",
        "giam doc",
        "to",
        "doanh nghiep",
        "cong ty",
        "nguoi dung dau",
        "cong chuc",
        "can bo",
        "vien chuc",
        "dien luc",
        "hat",
        "doi",
        "canh sat",
        "chi bo",
        "dang bo",
        "thuong truc",
        "quy",
        "hop tac xa",
        "tram",
        "trung doan",
        "su doan",
        "lien minh",
        "hiep hoi",
        "cau lac bo",
    }
)

#: Second and later parts of one unit name after a comma ("Sở Văn hóa, Thể thao và Du lịch",
#: "Trung tâm Văn hóa, Thể thao và Truyền thanh"): a comma before them does not split.
NAME_FIELDS: frozenset[str] = frozenset(
    {
        "the thao",
        "du lich",
        "khoa hoc",
        "cong nghe",
        "thong tin",
        "truyen thong",
        "xa hoi",
        "thuong binh",
        "moi truong",
        "dao tao",
        "truyen thanh",
        "truyen hinh",
        "gia dinh",
        "the duc",
        "nong thon",
        "xay dung",
        "ha tang",
        "do thi",
        "tai chinh",
        "ke hoach",
    }
)

#: Bare kind nouns that continue a group name after a comma ("các phòng, ban, ngành",
#: "UBND các xã, phường, thị trấn"): a comma before them does not split the mention.
GROUP_CONTINUATIONS: frozenset[str] = frozenset(
    {
        "ban",
        "nganh",
        "phong",
        "so",
        "xa",
        "phuong",
        "thi tran",
        "thi xa",
        "thanh pho",
        "huyen",
        "quan",
        "tinh",
        "don vi",
        "co quan",
        "dia phuong",
        "doan the",
        "hoi",
        "hoi doan the",
        "to chuc",
        "doanh nghiep",
        "truong hoc",
        "thon",
        "to dan pho",
        "khu pho",
        "ap",
        "khom",
        "ban nganh",
    }
)

#: Names joined by "và" that are one unit although the word after "và" is a unit head.
COMPOUND_NAMES: tuple[str, ...] = (
    "hdnd va ubnd",
    "hoi dong nhan dan va uy ban nhan dan",
    "doan dbqh va hdnd",
    "doan dai bieu quoc hoi va hoi dong nhan dan",
    "dang uy va ubnd",
)

# --- legal bases ------------------------------------------------------------------------------

#: Document kind as written (folded, longest first at match time) -> kind on the draft.
DOC_KINDS: dict[str, str] = {
    "hien phap": "Hiến pháp",
    "bo luat": "Bộ luật",
    "luat": "Luật",
    "phap lenh": "Pháp lệnh",
    "nghi quyet lien tich": "Nghị quyết",
    "nghi quyet": "Nghị quyết",
    "nghi dinh": "Nghị định",
    "quyet dinh": "Quyết định",
    "chi thi": "Chỉ thị",
    "thong tu lien tich": "Thông tư",
    "thong tu": "Thông tư",
    "ke hoach": "Kế hoạch",
    "chuong trinh hanh dong": "Chương trình",
    "chuong trinh cong tac": "Chương trình",
    "chuong trinh": "Chương trình",
    "cong van": "Công văn",
    "van ban": "Công văn",
    "huong dan": "Hướng dẫn",
    "ket luan": "Kết luận",
    "thong bao ket luan": "Thông báo",
    "thong bao": "Thông báo",
    "de an": "Đề án",
    "dieu le": "Điều lệ",
    "quy dinh": "Quy định",
    "chi dao": "Chỉ đạo",
}

#: Words that open a legal-basis paragraph in the preamble (folded).
BASIS_OPENERS: tuple[str, ...] = ("can cu vao", "can cu", "thuc hien")
#: Words that open a preamble line that is not a basis.
NOT_BASIS_OPENERS: tuple[str, ...] = (
    "theo de nghi",
    "xet de nghi",
    "theo to trinh",
    "xet to trinh",
)

#: Where the issuer of a basis ends and its subject starts (written form, lower case).
SUBJECT_OPENERS: tuple[str, ...] = (
    " về việc ",
    " về ",
    " v/v ",
    " ban hành ",
    " phê duyệt ",
    " quy định ",
    " hướng dẫn ",
    " triển khai ",
    " thực hiện ",
    " tiếp tục ",
    " đẩy mạnh ",
    " tăng cường ",
    ", ",
)

# --- administrative levels and authorities ----------------------------------------------------

#: Administrative level words, written form (lower case), longest first.
ADMIN_LEVELS: tuple[str, ...] = (
    "thành phố",
    "thị xã",
    "thị trấn",
    "đặc khu",
    "tỉnh",
    "huyện",
    "quận",
    "xã",
    "phường",
)

#: Authority names as printed in capitals in a header -> the form used in text.
AUTHORITY_CASES: dict[str, str] = {
    "uy ban nhan dan": "Ủy ban nhân dân",
    "hoi dong nhan dan": "Hội đồng nhân dân",
    "ubnd": "UBND",
    "hdnd": "HĐND",
    "van phong": "Văn phòng",
    "so": "Sở",
    "phong": "Phòng",
    "ban": "Ban",
    "bo": "Bộ",
    "trung tam": "Trung tâm",
}

#: Signature authority prefixes (folded, with their dot).
SIGNATURE_PREFIXES: tuple[str, ...] = ("tm.", "kt.", "tl.", "tuq.", "q.", "ktl.")

#: Official position lines of a signer (folded).
#: Official position lines of a signer, as printed (in capitals).
POSITIONS: tuple[str, ...] = (
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "TRƯỞNG PHÒNG",
    "PHÓ TRƯỞNG PHÒNG",
    "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN",
    "BÍ THƯ",
    "PHÓ BÍ THƯ",
    "THỨ TRƯỞNG",
    "BỘ TRƯỞNG",
)


def is_position(text: str) -> bool:
    return key(text) in _POSITIONS


def position_form(text: str) -> str:
    """A position line as printed; capitals that lost their accents (OCR: "PHO CHU TỊCH") get
    them back from the table, any other line is kept as written."""
    form = _POSITIONS.get(key(text))
    if form is not None and text.isupper() and text != form:
        return form
    return text


# Normalise the tables once, so that they may be written with commas and slashes.
FIELD_LABELS = {key(k): v for k, v in FIELD_LABELS.items()}
COLUMN_LABELS = [(key(k), v) for k, v in COLUMN_LABELS]
DOC_KINDS = {key(k): v for k, v in DOC_KINDS.items()}
_POSITIONS = {key(p): p for p in POSITIONS}
