"""Evidence file inspection: sniffing, limits, hashing, EXIF, thumbnails and safe names.

Every fixture is built here in memory (Pillow, pillow-heif, python-docx, openpyxl, raw bytes).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import struct
import unicodedata
import zipfile
import zlib
import zoneinfo

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageFile

from kehoach.reporting.files import (
    CHUNK_SIZE,
    MAX_IMAGE_PIXELS,
    EvidenceFileError,
    FileLimits,
    InspectedFile,
    inspect_upload,
    make_thumbnail,
    safe_filename,
)

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MiB = 1024 * 1024


# --- builders ---------------------------------------------------------------------------------


def exif_bytes(
    *, taken="2025:03:14 09:30:00", offset=None, gps=True, orientation=None, exif=None
) -> bytes:
    exif = exif or Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[0x9003] = taken
    if offset is not None:
        exif.get_ifd(0x8769)[0x9011] = offset
    if gps:
        # 10°45'30" N, 106°30'0" E: Trảng Bàng is near 11.03 N, 106.36 E; close enough.
        exif.get_ifd(0x8825).update({1: "N", 2: (10.0, 45.0, 30.0), 3: "E", 4: (106.0, 30.0, 0.0)})
    if orientation is not None:
        exif[0x0112] = orientation
    return exif.tobytes()


def jpeg_bytes(size=(40, 20), **exif) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="JPEG", exif=exif_bytes(**exif))
    return out.getvalue()


def png_bytes(size=(30, 10), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 128, 0, 128) if mode == "RGBA" else "green").save(out, format="PNG")
    return out.getvalue()


def heic_bytes(**exif) -> bytes:
    out = io.BytesIO()
    try:
        Image.new("RGB", (64, 32), "blue").save(out, format="HEIF", exif=exif_bytes(**exif))
    except (KeyError, OSError, ValueError, RuntimeError) as exc:
        pytest.skip(f"pillow-heif cannot encode HEIC here (no x265 encoder?): {exc}")
    return out.getvalue()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Biên bản họp")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Kết quả"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body


def mp4_bytes(extra: int = 64) -> bytes:
    return ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41") + mdat(extra)


def mov_bytes() -> bytes:
    return ftyp(b"qt  ", b"qt  ") + mdat(64)


def mdat(size: int) -> bytes:
    return struct.pack(">I", 8 + size) + b"mdat" + b"\x00" * size


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A real, valid 1-bit PNG of ``width`` × ``height`` black pixels: tiny file, huge image."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    block = row * 256
    idat = bytearray()
    for _ in range(height // 256):
        idat += compressor.compress(block)
    idat += compressor.compress(row * (height % 256)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", bytes(idat))
        + png_chunk(b"IEND", b"")
    )


class CountingReader(io.BytesIO):
    """A file object that remembers how much each read() asked for and returned."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.requests: list[int | None] = []
        self.returned = 0

    def read(self, size=-1):
        self.requests.append(size)
        data = super().read(size)
        self.returned += len(data)
        return data


class EndlessVideo(io.RawIOBase):
    """An MP4 header followed by endless zeros: only a streaming reader can refuse it."""

    def __init__(self):
        self.header = ftyp(b"mp42", b"mp42", b"isom")
        self.position = 0
        self.served = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=0):
        self.position = offset
        return offset

    def read(self, size=-1):
        assert size is not None and size > 0, "must never read the whole file"
        data = self.header[self.position : self.position + size]
        data += b"\x00" * (size - len(data))
        self.position += size
        self.served += size
        return data


def inspect(data: bytes, name: str = "tep", **kwargs) -> InspectedFile:
    return inspect_upload(io.BytesIO(data), name, **kwargs)


def refusal(data: bytes, name: str = "tep", **kwargs) -> EvidenceFileError:
    with pytest.raises(EvidenceFileError) as caught:
        inspect(data, name, **kwargs)
    return caught.value


# --- accepted types ---------------------------------------------------------------------------

ACCEPTED = [
    ("bien-ban.pdf", pdf_bytes, "document", "application/pdf", ".pdf"),
    (
        "bien-ban.docx",
        docx_bytes,
        "document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    (
        "so-lieu.xlsx",
        xlsx_bytes,
        "document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    ("anh.jpg", jpeg_bytes, "image", "image/jpeg", ".jpg"),
    ("anh.png", png_bytes, "image", "image/png", ".png"),
    ("anh.heic", heic_bytes, "image", "image/heic", ".heic"),
    ("clip.mp4", mp4_bytes, "video", "video/mp4", ".mp4"),
    ("clip.mov", mov_bytes, "video", "video/quicktime", ".mov"),
]


@pytest.mark.parametrize(("name", "build", "kind", "mime", "extension"), ACCEPTED)
def test_accepted_types_are_sniffed_measured_and_hashed(name, build, kind, mime, extension):
    data = build()
    fileobj = io.BytesIO(data)
    result = inspect_upload(fileobj, name)
    assert (result.kind, result.mime, result.extension) == (kind, mime, extension)
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.safe_name == name.rsplit(".", 1)[0] + extension
    assert fileobj.tell() == 0


@pytest.mark.parametrize(("name", "build", "kind", "mime", "extension"), ACCEPTED)
def test_the_name_and_its_extension_are_never_trusted(name, build, kind, mime, extension):
    result = inspect(build(), "Báo cáo.exe")
    assert (result.mime, result.extension) == (mime, extension)
    assert result.safe_name == f"Báo cáo{extension}"


def test_a_jpeg_named_png_becomes_jpg():
    result = inspect(jpeg_bytes(), "anh.png")
    assert result.mime == "image/jpeg"
    assert result.safe_name == "anh.jpg"


def test_heic_brands_are_told_apart_from_mp4():
    real = heic_bytes()
    assert real[8:12] == b"heic"
    generic_major = real[:8] + b"mif1" + real[12:]  # HEIF with "heic" among compatible brands
    assert inspect(generic_major).mime == "image/heic"
    # Sniffed as an image, so a fake one is opened by Pillow and found damaged.
    assert refusal(ftyp(b"mif1", b"mif1", b"heic") + mdat(8)).code == "damaged"
    assert inspect(ftyp(b"mp42", b"mp42", b"isom") + mdat(8)).mime == "video/mp4"
    assert refusal(ftyp(b"avif", b"avif", b"mif1") + mdat(8)).code == "unsupported"
    assert refusal(ftyp(b"M4A ", b"M4A ", b"isom") + mdat(8)).code == "unsupported"


def test_django_uploaded_files_work_in_memory_and_on_disk():
    data = jpeg_bytes()
    in_memory = SimpleUploadedFile("anh.jpg", data, content_type="text/html")
    assert inspect_upload(in_memory, in_memory.name).sha256 == hashlib.sha256(data).hexdigest()
    on_disk = TemporaryUploadedFile("anh.jpg", "image/jpeg", len(data), None)
    try:
        on_disk.write(data)
        on_disk.seek(0)
        result = inspect_upload(on_disk, on_disk.name)
        assert (result.mime, result.size) == ("image/jpeg", len(data))
        assert on_disk.tell() == 0
    finally:
        on_disk.close()


# --- EXIF -------------------------------------------------------------------------------------


def test_jpeg_exif_date_and_gps():
    result = inspect(jpeg_bytes(), "anh.jpg")
    assert result.taken_at == datetime.datetime(2025, 3, 14, 9, 30, tzinfo=HCM)
    assert result.taken_at.utcoffset() == datetime.timedelta(hours=7)
    assert result.gps == pytest.approx((10.758333, 106.5), abs=1e-6)


def test_exif_offset_time_is_used_when_present():
    result = inspect(jpeg_bytes(offset="+09:00"), "anh.jpg")
    assert result.taken_at.utcoffset() == datetime.timedelta(hours=9)
    assert result.taken_at.astimezone(HCM).hour == 7


def test_southern_and_western_gps_are_negative():
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "S", 2: (33.0, 52.0, 0.0), 3: "W", 4: (151.0, 12.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG", exif=exif.tobytes())
    result = inspect(out.getvalue())
    assert result.gps == pytest.approx((-33.866667, -151.2), abs=1e-6)
    assert result.taken_at is None


@pytest.mark.parametrize(
    "exif",
    [
        {"taken": None, "gps": False},
        {"taken": "0000:00:00 00:00:00", "gps": False},
        {"taken": "hôm qua", "gps": False},
        {"taken": "2025:13:45 99:99:99", "gps": False},
    ],
)
def test_missing_or_bad_exif_gives_none(exif):
    result = inspect(jpeg_bytes(**exif))
    assert (result.taken_at, result.gps) == (None, None)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_garbage_exif_block_gives_none_not_an_exception():
    clean = jpeg_bytes(taken=None, gps=False)
    junk = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\xff\xff" + b"\xde\xad" * 40
    segment = b"\xff\xe1" + struct.pack(">H", len(junk) + 2) + junk
    data = clean[:2] + segment + clean[2:]  # right after SOI
    result = inspect(data)
    assert (result.mime, result.taken_at, result.gps) == ("image/jpeg", None, None)


def test_gps_zero_zero_and_impossible_values_are_none():
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG", exif=exif.tobytes())
    assert inspect(out.getvalue()).gps is None
    exif.get_ifd(0x8825).update({2: (95.0, 0.0, 0.0), 4: (10.0, 0.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG", exif=exif.tobytes())
    assert inspect(out.getvalue()).gps is None


def test_heic_exif_is_read():
    result = inspect(heic_bytes(), "IMG_0001.HEIC")
    assert result.safe_name == "IMG_0001.heic"
    assert result.taken_at == datetime.datetime(2025, 3, 14, 9, 30, tzinfo=HCM)
    assert result.gps == pytest.approx((10.758333, 106.5), abs=1e-6)


def test_png_and_video_have_no_exif_values():
    for data in (png_bytes(), mp4_bytes()):
        result = inspect(data)
        assert (result.taken_at, result.gps) == (None, None)


# --- refusals ---------------------------------------------------------------------------------

SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trang.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("anh.png", SVG),
        ("chay.sh", b"#!/bin/sh\nrm -rf /\n"),
        ("hoa-don.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("ghi-chu.pdf", "Chỉ là văn bản thường.\n".encode()),
        ("tep.docx", zip_bytes({"a.txt": b"hello"})),
        ("tep.docx", zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/slide1.xml": b""})),
        ("anh.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("tep.pdf", b" %PDF-1.4 padded"),
    ],
)
def test_other_content_is_refused_naming_the_accepted_types(name, data):
    error = refusal(data, name)
    assert error.code == "unsupported"
    for accepted in ("PDF", ".docx", ".xlsx", "JPG", "PNG", "HEIC", "MP4", "MOV"):
        assert accepted in error.message


def test_empty_file_is_refused():
    error = refusal(b"", "bao-cao.pdf")
    assert (error.code, error.message) == ("empty", "Tệp rỗng: hãy chọn lại tệp.")


def test_old_office_formats_get_their_own_advice():
    error = refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "bao-cao.doc")
    assert error.code == "legacy_office"
    assert ".docx" in error.message


def test_macro_documents_are_refused():
    data = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00",
        }
    )
    assert refusal(data, "bao-cao.docm").code == "macro"


def test_a_damaged_zip_is_refused():
    data = docx_bytes()
    assert refusal(data[: len(data) // 2], "bao-cao.docx").code == "damaged"


def test_a_damaged_image_is_refused():
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "anh.png").code == "damaged"


def test_oversize_is_refused_with_the_limit_in_mb():
    data = jpeg_bytes(size=(400, 400))
    error = refusal(data, limits=FileLimits(image=len(data) - 1))
    assert error.code == "too_large"
    assert "MB" in error.message
    assert "ảnh" in error.message
    big = mp4_bytes(extra=2 * MiB)
    error = refusal(big, limits=FileLimits(video=2 * MiB))
    assert "tối đa 2 MB" in error.message
    # Limits are per kind: the same size passes as a document.
    assert inspect(pdf_bytes() + b"\x00" * 100, limits=FileLimits(image=10)).kind == "document"


def test_oversize_is_refused_while_streaming_not_after_reading_everything():
    endless = EndlessVideo()
    with pytest.raises(EvidenceFileError) as caught:
        inspect_upload(endless, "clip.mp4", limits=FileLimits(video=3 * MiB))
    assert caught.value.code == "too_large"
    assert endless.served <= 3 * MiB + CHUNK_SIZE
    assert endless.position == 0


def test_reading_is_chunked_and_the_position_is_restored():
    data = mp4_bytes(extra=3 * MiB + 123)
    reader = CountingReader(data)
    reader.seek(17)
    result = inspect_upload(reader, "clip.mp4")
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert all(size is not None and 0 < size <= CHUNK_SIZE for size in reader.requests)
    assert len(reader.requests) >= 4
    assert reader.tell() == 0


def test_position_is_restored_after_a_refusal():
    fileobj = io.BytesIO(b"<html></html>")
    with pytest.raises(EvidenceFileError):
        inspect_upload(fileobj, "x.html")
    assert fileobj.tell() == 0


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (9_000, 9_000),  # 81 MP: above our limit, below Pillow's own warning threshold
        (30_000, 30_000),  # 900 MP: Pillow itself refuses to open it
    ],
)
def test_decompression_bombs_are_refused_without_decoding(width, height, monkeypatch):
    assert width * height > MAX_IMAGE_PIXELS
    data = png_bomb(width, height)
    assert len(data) < 2 * MiB
    with monkeypatch.context() as patched:
        patched.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
        assert refusal(data, "bom.png").code == "image_too_large"
    with pytest.raises(EvidenceFileError) as caught:
        make_thumbnail(io.BytesIO(data))
    assert caught.value.code == "image_too_large"
    assert "megapixel" in caught.value.message


def test_errors_carry_a_django_validation_error():
    error = refusal(b"")
    validation = error.to_validation_error()
    assert validation.messages == ["Tệp rỗng: hãy chọn lại tệp."]
    assert validation.code == "empty"


# --- thumbnails -------------------------------------------------------------------------------


def thumbnail_image(data: bytes, **kwargs) -> Image.Image:
    fileobj = io.BytesIO(data)
    thumb = make_thumbnail(fileobj, **kwargs)
    assert fileobj.tell() == 0
    image = Image.open(io.BytesIO(thumb))
    assert image.format == "JPEG"
    return image


def test_thumbnail_is_a_small_jpeg():
    image = thumbnail_image(jpeg_bytes(size=(1200, 600)), max_px=100)
    assert image.size == (100, 50)


def test_thumbnail_applies_exif_orientation_and_drops_exif():
    image = thumbnail_image(jpeg_bytes(size=(40, 20), orientation=6))
    assert image.size == (20, 40)  # rotated a quarter turn
    assert not image.getexif().get_ifd(0x8825)


def test_thumbnail_of_transparent_png_is_flattened():
    image = thumbnail_image(png_bytes(size=(600, 300), mode="RGBA"), max_px=60)
    assert (image.size, image.mode) == ((60, 30), "RGB")


def test_thumbnail_of_heic():
    image = thumbnail_image(heic_bytes(), max_px=32)
    assert image.size == (32, 16)


def test_thumbnail_of_a_non_image_is_refused():
    with pytest.raises(EvidenceFileError) as caught:
        make_thumbnail(io.BytesIO(pdf_bytes()))
    assert caught.value.code == "damaged"


# --- safe names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("bao\x00cao\x1f\x7f\x9b.pdf", "baocao.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("hoa\u2066don\u2069\u200e\u200f.pdf", "hoadon.pdf"),
        ("bao\u200bcao\u200c\u200d\ufeff.pdf", "baocao.pdf"),
        ("....", "tep"),
        ("..", "tep"),
        ("", "tep"),
        (".bashrc", "bashrc"),
        ("a..b...c.pdf", "a.b.c.pdf"),
        ("  nhiều    khoảng   trắng  .pdf", "nhiều khoảng trắng.pdf"),
        ("Biên bản họp tháng 3.pdf", "Biên bản họp tháng 3.pdf"),
        ("Bie\u0302n ba\u0309n.pdf", "Biên bản.pdf"),  # NFD from macOS becomes NFC
        ("Kế hoạch (bản 2)_final-v1.DOCX", "Kế hoạch (bản 2)_final-v1.docx"),
        ('báo cáo: <quý 1>?*|".pdf', "báo cáo quý 1.pdf"),
        ("tab\there\nnew.pdf", "tab here new.pdf"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_default_stem():
    assert safe_filename("///", default_stem="minh-chung") == "minh-chung"


def test_safe_filename_keeps_the_extension_of_a_long_name():
    result = safe_filename("a" * 500 + ".pdf")
    assert len(result) == 120
    assert result.endswith("aaa.pdf")
    vietnamese = safe_filename("ạ" * 500 + ".docx")
    assert vietnamese.endswith(".docx")
    assert len(vietnamese) <= 120
    assert len(vietnamese.encode()) <= 240


def test_inspect_upload_gives_safe_names():
    assert inspect(pdf_bytes(), "../../etc/passwd").safe_name == "passwd.pdf"
    assert inspect(pdf_bytes(), "").safe_name == "tep.pdf"
    assert inspect(jpeg_bytes(), "invoice\u202egpj.exe").safe_name == "invoicegpj.jpg"
    assert len(inspect(pdf_bytes(), "x" * 500 + ".pdf").safe_name) == 120


FORBIDDEN = set("/\\\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


@given(st.text(max_size=400), st.sampled_from(["", ".pdf", ".jpg", "/", "\\", ".."]))
def test_safe_filename_is_always_safe(name, suffix):
    result = safe_filename(name + suffix)
    assert result
    assert len(result) <= 120
    assert len(result.encode()) <= 240
    assert not FORBIDDEN & set(result)
    assert not any(unicodedata.category(ch)[0] == "C" for ch in result)
    assert ".." not in result
    assert not result.startswith((".", " "))
    assert not result.endswith((".", " "))
    assert "  " not in result
    assert unicodedata.is_normalized("NFC", result)
    assert safe_filename(result) == result
