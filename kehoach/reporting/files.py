"""Inspect an uploaded evidence file (tài liệu kiểm chứng) before it is stored.

The type is decided from the file's first bytes only: the name and the content type the browser
sent are never trusted. Accepted: PDF, DOCX, XLSX, JPEG, PNG, HEIC/HEIF, MP4 and QuickTime MOV.
The file is read in chunks of ``CHUNK_SIZE`` to hash and measure it; images are opened lazily with
Pillow (header and EXIF only, never decoded) in ``inspect_upload``; ``make_thumbnail`` decodes, but
only after checking the pixel count against ``MAX_IMAGE_PIXELS``.

No Django models here: bytes in, an ``InspectedFile`` (or an ``EvidenceFileError``) out.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import math
import re
import unicodedata
import zipfile
import zoneinfo
from dataclasses import dataclass

import pillow_heif
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

CHUNK_SIZE = 1024 * 1024  # the largest single read() inspect_upload makes
MiB = 1024 * 1024
# Our own decompression-bomb limit, independent of the process-wide Image.MAX_IMAGE_PIXELS (which
# we leave alone: other code shares it). 64 megapixels covers 48/50 MP phone photos; decoding such
# an image takes at most ~256 MB (RGBA). Larger images are refused with a message.
MAX_IMAGE_PIXELS = 64_000_000
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 240  # UTF-8; keeps the name usable as a file name on any file system
VIETNAM_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

pillow_heif.register_heif_opener()  # lets Image.open read HEIC/HEIF; idempotent

DOCUMENT, IMAGE, VIDEO = "document", "image", "video"

# ISO base media file format brands (the ``ftyp`` box).
_QUICKTIME_BRANDS = {b"qt  "}
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_AVIF_BRANDS = {b"avif", b"avis"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso3",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"mmp4",
    b"MSNV",
    b"dash",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc/.xls, and encrypted .docx/.xlsx

# (kind, mime, canonical extension) per sniffed type.
PDF = (DOCUMENT, "application/pdf", ".pdf")
DOCX = (
    DOCUMENT,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
XLSX = (DOCUMENT, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
JPEG = (IMAGE, "image/jpeg", ".jpg")
PNG = (IMAGE, "image/png", ".png")
HEIC = (IMAGE, "image/heic", ".heic")
MP4 = (VIDEO, "video/mp4", ".mp4")
MOV = (VIDEO, "video/quicktime", ".mov")
_ZIP = (DOCUMENT, "application/zip", "")  # provisional: DOCX or XLSX once the names are checked

_PILLOW_FORMATS = {"image/jpeg": {"JPEG", "MPO"}, "image/png": {"PNG"}, "image/heic": {"HEIF"}}


class EvidenceFileError(Exception):
    """A refused upload. ``message`` is Vietnamese for the user; ``code`` is for programs.

    Codes: ``empty``, ``unsupported``, ``legacy_office``, ``macro``, ``too_large``,
    ``image_too_large``, ``damaged``.
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def to_validation_error(self) -> ValidationError:
        """The same refusal as a Django ``ValidationError``, for a form's ``clean_<field>``."""
        return ValidationError(self.message, code=self.code)


@dataclass(frozen=True)
class FileLimits:
    """Size limits in bytes per kind of file."""

    document: int = 20 * MiB
    image: int = 20 * MiB
    video: int = 500 * MiB


@dataclass
class InspectedFile:
    kind: str  # "document" | "image" | "video"
    mime: str  # sniffed, e.g. "application/pdf"
    extension: str  # canonical for the sniffed type, e.g. ".jpg"
    size: int
    sha256: str  # hex
    safe_name: str  # safe stem of the original name + ``extension``
    taken_at: datetime.datetime | None  # EXIF DateTimeOriginal, aware
    gps: tuple[float, float] | None  # EXIF GPS (latitude, longitude), decimal degrees


# --- file names -------------------------------------------------------------------------------

_KEEP_PUNCTUATION = frozenset(" -_.()")
_SPACES = re.compile(r" {2,}")
_DOTS = re.compile(r"\.{2,}")
_EXTENSION = re.compile(r"\.[^\W_]{1,10}$")


def _clean(name: str) -> str:
    """The last path component of ``name`` with only letters, digits, spaces and ``-_.()``."""
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[/\\]", name)[-1]  # browsers on old Windows sent "C:\x\y.pdf"
    out = []
    for ch in name:
        category = unicodedata.category(ch)
        if ch in _KEEP_PUNCTUATION or category[0] in "LM" or category == "Nd":
            out.append(ch)
        elif ch.isspace() or category[0] in "PSNZ":
            out.append(" ")  # visible punctuation, symbols, other spaces: a word break
        # else: controls (C0, C1, DEL), format characters (bidi overrides and isolates, LRM/RLM,
        # zero-width space/joiners, BOM), surrogates, private use, unassigned: dropped
    # Removing a character can leave a base letter next to a combining mark: compose again.
    text = _DOTS.sub(".", unicodedata.normalize("NFC", "".join(out)))  # no ".." anywhere
    text = _SPACES.sub(" ", text)
    # No hidden files (leading dot); Windows drops trailing dots and spaces itself.
    return text.strip(" .")


def _split(name: str) -> tuple[str, str]:
    """``("Báo cáo", ".pdf")`` from ``"Báo cáo.pdf"``; no extension when it does not look like one."""
    match = _EXTENSION.search(name)
    if match and match.start() > 0:
        return name[: match.start()].rstrip(" ."), match.group().lower()
    return name, ""


def _join(stem: str, extension: str, default_stem: str) -> str:
    stem = stem or default_stem
    budget = MAX_NAME_CHARS - len(extension)
    stem = stem[:budget].rstrip(" .")
    while len((stem + extension).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1].rstrip(" .")
    return (stem or default_stem[:budget]) + extension


def safe_filename(name: str, *, default_stem: str = "tep") -> str:
    """A display/download name safe to show and to put in ``Content-Disposition``.

    Keeps letters (Vietnamese included, NFC), digits, spaces and ``-_.()``; drops the directory
    part, ``..``, control, bidi and zero-width characters; folds spaces; no leading dot; at most
    120 characters (and 240 UTF-8 bytes) keeping the extension. Never raises; never empty.
    """
    stem, extension = _split(_clean(name))
    return _join(stem, extension, default_stem)


# --- sniffing ---------------------------------------------------------------------------------


def _accepted_message() -> str:
    return _("Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPG, PNG, HEIC và video MP4, MOV.")


def _unsupported() -> EvidenceFileError:
    return EvidenceFileError(
        _("Loại tệp này không được nhận. %(accepted)s") % {"accepted": _accepted_message()},
        "unsupported",
    )


def _ftyp_brands(head: bytes) -> tuple[bytes, set[bytes]] | None:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(head[0:4], "big")
    if box_size < 16 or box_size > min(len(head), 4096):
        return None
    compatible = {head[i : i + 4] for i in range(16, box_size - 3, 4)}
    return head[8:12], compatible


def _sniff(head: bytes) -> tuple[str, str, str]:
    """(kind, mime, extension) from the first bytes; raises for anything not accepted."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _ZIP
    if head.startswith(_OLE_MAGIC):
        raise EvidenceFileError(
            _(
                "Tệp Word/Excel định dạng cũ (.doc, .xls) hoặc có đặt mật khẩu chưa được nhận: "
                "hãy mở tệp, bỏ mật khẩu nếu có và lưu lại thành .docx hoặc .xlsx."
            ),
            "legacy_office",
        )
    brands = _ftyp_brands(head)
    if brands:
        major, compatible = brands
        if major in _QUICKTIME_BRANDS:
            return MOV
        if major not in _AVIF_BRANDS and (major in _HEIC_BRANDS or compatible & _HEIC_BRANDS):
            return HEIC
        if major in _MP4_BRANDS or (
            major not in _AUDIO_BRANDS
            and major not in _AVIF_BRANDS
            and major not in {b"mif1", b"msf1"}
            and compatible & _MP4_BRANDS
        ):
            return MP4
    raise _unsupported()


def _office_type(fileobj) -> tuple[str, str, str]:
    """DOCX or XLSX from the zip's central directory (names only, nothing is extracted)."""
    try:
        names = zipfile.ZipFile(fileobj).namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise EvidenceFileError(
            _("Tệp bị hỏng hoặc không đọc được: hãy mở và lưu lại tệp rồi tải lên lại."),
            "damaged",
        ) from exc
    if "[Content_Types].xml" not in names:
        raise _unsupported()
    word = any(n.startswith("word/") for n in names)
    excel = any(n.startswith("xl/") for n in names)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise EvidenceFileError(
            _(
                "Tệp có chứa macro không được nhận: hãy lưu lại thành .docx hoặc .xlsx thông "
                "thường (không có macro)."
            ),
            "macro",
        )
    if word and not excel:
        return DOCX
    if excel and not word:
        return XLSX
    raise _unsupported()


# --- reading ----------------------------------------------------------------------------------


def _format_mb(limit: int) -> str:
    if limit % MiB == 0:
        return str(limit // MiB)
    return f"{max(limit / MiB, 0.01):.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _too_large(kind: str, limit: int) -> EvidenceFileError:
    label = {DOCUMENT: _("tài liệu"), IMAGE: _("ảnh"), VIDEO: _("video")}[kind]
    return EvidenceFileError(
        _("Tệp quá lớn: %(kind)s chỉ được tối đa %(limit)s MB.")
        % {"kind": label, "limit": _format_mb(limit)},
        "too_large",
    )


def _read(fileobj, size: int) -> bytes:
    data = fileobj.read(size)
    if isinstance(data, str):  # a text-mode file: refuse rather than guess an encoding
        raise TypeError("inspect_upload needs a binary file object")
    return data or b""


def inspect_upload(
    fileobj, original_name: str, *, limits: FileLimits = FileLimits()
) -> InspectedFile:
    """Sniff, measure, hash and (for images) read the EXIF of an uploaded file.

    ``fileobj`` is a Django ``UploadedFile`` or any seekable binary file object; it is read with
    ``read(CHUNK_SIZE)`` calls only and left at position 0. Raises ``EvidenceFileError``.
    """
    fileobj.seek(0)
    try:
        first = _read(fileobj, CHUNK_SIZE)
        if not first:
            raise EvidenceFileError(_("Tệp rỗng: hãy chọn lại tệp."), "empty")
        kind, mime, extension = _sniff(first[:4096])
        limit = getattr(limits, kind)
        digest = hashlib.sha256()
        size = 0
        chunk = first
        while chunk:
            size += len(chunk)
            if size > limit:
                raise _too_large(kind, limit)
            digest.update(chunk)
            chunk = _read(fileobj, CHUNK_SIZE)

        if (kind, mime, extension) == _ZIP:
            fileobj.seek(0)
            kind, mime, extension = _office_type(fileobj)

        taken_at = gps = None
        if kind == IMAGE:
            fileobj.seek(0)
            taken_at, gps = _inspect_image(fileobj, mime)

        stem, _extension = _split(_clean(original_name))
        return InspectedFile(
            kind=kind,
            mime=mime,
            extension=extension,
            size=size,
            sha256=digest.hexdigest(),
            safe_name=_join(stem, extension, "tep"),
            taken_at=taken_at,
            gps=gps,
        )
    finally:
        fileobj.seek(0)


# --- images -----------------------------------------------------------------------------------


def _damaged_image() -> EvidenceFileError:
    return EvidenceFileError(
        _("Ảnh bị hỏng hoặc không đọc được: hãy chụp hoặc xuất lại ảnh rồi tải lên lại."),
        "damaged",
    )


def _bomb() -> EvidenceFileError:
    return EvidenceFileError(
        _(
            "Ảnh quá lớn: tối đa %(limit)s megapixel. Hãy thu nhỏ ảnh hoặc chụp ở độ phân giải "
            "thấp hơn."
        )
        % {"limit": str(MAX_IMAGE_PIXELS // 1_000_000)},
        "image_too_large",
    )


def _open_image(fileobj) -> Image.Image:
    """Open lazily (header only) and refuse images with too many pixels before any decoding."""
    try:
        image = Image.open(fileobj)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb() from exc  # beyond Pillow's own limit (the warning when it is an error)
    except (OSError, SyntaxError, ValueError, TypeError, EOFError) as exc:
        raise _damaged_image() from exc
    width, height = image.size
    # No image.close() here: it would close the caller's file (``with`` does not).
    if width <= 0 or height <= 0:
        raise _damaged_image()
    if width * height > MAX_IMAGE_PIXELS:
        raise _bomb()
    return image


def _inspect_image(
    fileobj, mime: str
) -> tuple[datetime.datetime | None, tuple[float, float] | None]:
    with _open_image(fileobj) as image:
        if image.format not in _PILLOW_FORMATS.get(mime, set()):
            raise _damaged_image()
        try:
            exif = image.getexif()
        except Exception:  # any EXIF problem means "no EXIF"
            return None, None
        return _taken_at(exif), _gps(exif)


def _taken_at(exif) -> datetime.datetime | None:
    """EXIF DateTimeOriginal, with OffsetTimeOriginal when present, else Vietnam's time zone."""
    try:
        ifd = exif.get_ifd(0x8769)
        value = ifd.get(0x9003)
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        match = re.fullmatch(
            r"\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})\D*", str(value or "")
        )
        if not match:
            return None
        tz: datetime.tzinfo = VIETNAM_TZ
        offset = re.fullmatch(r"\s*([+-])(\d{2}):(\d{2})\s*\x00*", str(ifd.get(0x9011) or ""))
        if offset:
            delta = datetime.timedelta(hours=int(offset[2]), minutes=int(offset[3]))
            tz = datetime.timezone(-delta if offset[1] == "-" else delta)
        return datetime.datetime(*(int(g) for g in match.groups()), tzinfo=tz)
    except Exception:  # a bad date is no date
        return None


def _degrees(value, ref) -> float:
    d, m, s = (float(v) for v in value)
    result = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    return -result if str(ref).strip("\x00 ").upper() in {"S", "W"} else result


def _gps(exif) -> tuple[float, float] | None:
    """EXIF GPS latitude/longitude in decimal degrees; None when absent, invalid or (0, 0)."""
    try:
        ifd = exif.get_ifd(0x8825)
        if 2 not in ifd or 4 not in ifd:
            return None
        lat = _degrees(ifd[2], ifd.get(1, "N"))
        lon = _degrees(ifd[4], ifd.get(3, "E"))
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        if abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):
            return None
        return round(lat, 7), round(lon, 7)
    except Exception:  # any GPS problem means "no GPS"
        return None


def make_thumbnail(fileobj, *, max_px: int = 480) -> bytes:
    """A JPEG thumbnail at most ``max_px`` on its longer side, EXIF orientation applied.

    Works for JPEG, PNG and HEIC. The thumbnail carries no EXIF (no GPS). Transparent areas
    become white. Raises ``EvidenceFileError`` for unreadable images and decompression bombs.
    Leaves ``fileobj`` at position 0.
    """
    fileobj.seek(0)
    try:
        with _open_image(fileobj) as image:
            try:
                image.draft("RGB", (max_px, max_px))  # JPEG: decode at 1/2, 1/4 or 1/8 scale
                try:
                    oriented = ImageOps.exif_transpose(image)
                except Exception:  # a broken orientation tag: keep as is
                    oriented = image
                oriented.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
                if oriented.mode in {"RGBA", "LA", "PA"} or (
                    oriented.mode == "P" and "transparency" in oriented.info
                ):
                    rgba = oriented.convert("RGBA")
                    flat = Image.new("RGB", rgba.size, "white")
                    flat.paste(rgba, mask=rgba.getchannel("A"))
                    oriented = flat
                out = io.BytesIO()
                oriented.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
                return out.getvalue()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise _bomb() from exc
            except (OSError, SyntaxError, ValueError, TypeError, EOFError, MemoryError) as exc:
                raise _damaged_image() from exc
    finally:
        fileobj.seek(0)
