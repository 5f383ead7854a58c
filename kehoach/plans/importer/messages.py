"""User-facing messages of the importer, in Vietnamese, in one place.

Errors and warnings are whole sentences (the review screen shows them as they are); the code
refers to them by key so that wording can change without touching the parser.
"""

from __future__ import annotations

ERRORS: dict[str, str] = {
    "empty": "Tệp rỗng: không có nội dung để nhập.",
    "unreadable": "Không mở được tệp “{name}”: tệp không tồn tại hoặc không có quyền đọc.",
    "too_large": (
        "Tệp quá lớn: {size} vượt giới hạn {limit} cho phép. Hãy nhập tệp nhỏ hơn "
        "(ví dụ tách phụ lục hoặc giảm độ phân giải ảnh quét)."
    ),
    "unknown_format": (
        "Không nhận ra định dạng tệp: chỉ nhập được văn bản Word (.docx), PDF, Markdown (.md) "
        "hoặc văn bản thuần (.txt)."
    ),
    "binary": (
        "Tệp không phải văn bản đọc được (có vẻ là tệp nhị phân): chỉ nhập được văn bản Word "
        "(.docx), PDF, Markdown (.md) hoặc văn bản thuần (.txt)."
    ),
    "legacy_doc": (
        "Tệp Word cũ (.doc) chưa được hỗ trợ: hãy mở bằng Word hoặc LibreOffice, lưu lại dạng "
        ".docx rồi nhập lại."
    ),
    "corrupt_docx": (
        "Tệp Word (.docx) bị hỏng hoặc không đúng cấu trúc: không đọc được phần nội dung văn "
        "bản (word/document.xml)."
    ),
    "zip_bomb": (
        "Tệp Word (.docx) có dung lượng giải nén bất thường (nghi là tệp nén độc hại), hệ "
        "thống từ chối mở để bảo vệ máy chủ."
    ),
    "corrupt_pdf": "Tệp PDF bị hỏng hoặc không đúng định dạng: không đọc được nội dung.",
    "encrypted_pdf": "Tệp PDF được đặt mật khẩu: hãy gỡ mật khẩu rồi nhập lại.",
    "ocr_unavailable": (
        "Tệp PDF là bản quét (không có lớp chữ) nên cần nhận dạng ký tự (OCR), nhưng máy chủ "
        "chưa cài công cụ OCR. Quản trị viên cần cài các gói Debian: tesseract-ocr "
        "tesseract-ocr-vie poppler-utils."
    ),
    "ocr_failed": "Nhận dạng ký tự (OCR) bản quét PDF không thành công: không đọc được trang nào.",
    "ocr_empty": "Bản quét PDF không nhận dạng được chữ nào: hãy kiểm tra chất lượng bản quét.",
    "no_plan": (
        "Không nhận ra cấu trúc kế hoạch: không tìm thấy tiêu đề “KẾ HOẠCH”, số hiệu văn bản "
        "hay nhiệm vụ nào trong tệp."
    ),
}

WARNINGS: dict[str, str] = {
    "no-issuer": "Không xác định được cơ quan ban hành kế hoạch.",
    "no-title": "Không tìm thấy tiêu đề (trích yếu) của kế hoạch.",
    "no-number": "Văn bản chưa có số (số hiệu để trống).",
    "date-incomplete": "Ngày ban hành chưa đầy đủ (để trống ngày hoặc tháng): “{text}”.",
    "no-date": "Không tìm thấy địa danh, ngày tháng ban hành.",
    "no-tasks": "Không tìm thấy nhiệm vụ nào trong kế hoạch.",
    "task-no-lead": "Nhiệm vụ “{code}” không có cơ quan chủ trì.",
    "task-no-fields": "Nhiệm vụ “{code}” không ghi cơ quan thực hiện, sản phẩm hay thời gian; đã nhận theo vị trí.",
    "deadline-unparsed": "Không hiểu được thời hạn “{text}” của nhiệm vụ “{code}”.",
    "deadline-no-year": "Thời hạn “{text}” không ghi năm: đã lấy năm của kế hoạch ({year}).",
    "basis-unparsed": "Không tách được loại, số, ngày của căn cứ: “{text}”.",
    "issuer-resolved": "“{written}” được hiểu là “{resolved}”.",
    "issuer-unresolved": "Không xác định được “{written}” là cơ quan nào.",
    "table-columns": "Bảng nhiệm vụ thiếu cột {column}.",
    "ocr": "Nội dung được nhận dạng từ bản quét (OCR): cần soát lại chính tả và số liệu.",
    "ocr-pages-skipped": "Chỉ nhận dạng {done} trang đầu; {skipped} trang sau bị bỏ qua.",
    "both-layouts": "Kế hoạch có cả bảng nhiệm vụ và nhiệm vụ trong thân văn bản; đã lấy bảng.",
    "no-signer": "Không tìm thấy phần ký (chức vụ, người ký).",
}


def message(key: str, **values: object) -> str:
    return ERRORS[key].format(**values)


def warning(key: str, **values: object) -> str:
    return WARNINGS[key].format(**values)
