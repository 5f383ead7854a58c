"""Fill the English catalogue from the table below (kept beside the code that extracts it).

Run after ``make messages``: ``.venv/bin/python scripts/translate_en.py``. Strings missing from
the table are listed so that none ships untranslated by accident.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = (
    Path(__file__).resolve().parent.parent
    / "kehoach"
    / "locale"
    / "en"
    / "LC_MESSAGES"
    / "django.po"
)

EN = {
    "kehoach": "kehoach",
    "Cơ quan, đơn vị và người dùng": "Org units and users",
    "tạo lúc": "created at",
    "cập nhật lúc": "updated at",
    "họ và tên": "full name",
    "tài khoản minh họa": "demo account",
    "Tạo bởi lệnh demo; không dùng cho dữ liệu thật.": "Created by the demo command; not for real data.",
    "người dùng": "user",
    "UBND cấp tỉnh": "Provincial People's Committee",
    "UBND cấp huyện, thị xã": "District/town People's Committee",
    "Cơ quan chuyên môn (phòng, ban)": "Specialised department",
    "Cơ quan, đơn vị ngành": "Sector agency",
    "Phường": "Ward",
    "Xã": "Commune",
    "Cơ quan Đảng": "Party body",
    "Mặt trận, tổ chức chính trị - xã hội": "Fatherland Front, socio-political organisation",
    "Báo, đài": "Press",
    "mã": "code",
    "tên đầy đủ": "full name",
    "tên ngắn": "short name",
    "loại": "kind",
    "đơn vị cấp trên": "parent unit",
    "tính là phòng, ban, ngành": "counts among departments",
    "Đơn vị thuộc nhóm “các phòng, ban, ngành” khi kế hoạch giao việc cho cả nhóm.": "The unit belongs to “the departments and agencies” when a plan assigns work to that group.",
    "tên gọi khác": "aliases",
    "Các cách viết khác của tên đơn vị trong văn bản, dùng để nhận diện.": "Other written forms of the unit's name, used to recognise it in documents.",
    "hiệu lực từ": "valid from",
    "hiệu lực đến": "valid to",
    "đơn vị kế thừa": "successor unit",
    "cơ quan, đơn vị": "org unit",
    "Điều phối (Văn phòng)": "Coordinator (Office)",
    "Lãnh đạo": "Leader",
    "Tài chính": "Finance",
    "Cán bộ đầu mối đơn vị": "Unit focal officer",
    "Thủ trưởng đơn vị": "Unit head",
    "Quản trị hệ thống": "System administrator",
    "đơn vị": "unit",
    "vai trò": "role",
    "phân công người dùng": "membership",
    "Đơn vị": "Units",
    "Hoạt động đến %(end)s.": "Active until %(end)s.",
    "Đơn vị kế thừa: %(name)s.": "Successor: %(name)s.",
    "Nhiệm vụ được giao": "Assigned tasks",
    "Cơ quan, đơn vị": "Org units",
    "Cơ quan ban hành": "Issuing authority",
    "Phòng, ban, ngành": "Departments and agencies",
    "Xã, phường": "Wards and communes",
    "Tổ chức, cơ quan khác": "Other organisations",
    "%(counter)s nhiệm vụ": ("%(counter)s task", "%(counter)s tasks"),
    "Kế hoạch": "Plans",
    "Hạn ngày": "Due date",
    "Định kỳ": "Recurring",
    "Thường xuyên": "Continuous",
    "Theo hạn chung của kế hoạch": "The plan's deadline",
    "Dự thảo": "Draft",
    "Đang thực hiện": "In progress",
    "Đã kết thúc": "Closed",
    "cơ quan ban hành": "issuing authority",
    "tên cơ quan ban hành (như văn bản)": "issuer (as written)",
    "số, ký hiệu": "number and symbol",
    "địa danh": "place",
    "ngày ban hành": "date of issue",
    "địa danh, ngày tháng (như văn bản)": "place and date (as written)",
    "năm kế hoạch": "plan year",
    "tên kế hoạch": "title",
    "mục đích": "purposes",
    "yêu cầu": "requirements",
    "đối tượng": "audiences",
    "kinh phí thực hiện": "budget",
    "thời gian thực hiện": "timeline",
    "loại thời hạn chung": "overall deadline kind",
    "thời hạn hoàn thành chung": "overall deadline",
    "thời hạn (như văn bản)": "deadline (as written)",
    "tổ chức thực hiện": "organisation",
    "nơi nhận": "recipients",
    "thẩm quyền ký": "signing authority",
    "chức vụ người ký": "signer's position",
    "người ký": "signer",
    "trạng thái": "status",
    "kế hoạch cấp trên": "parent plan",
    "tệp nguồn": "source file",
    "định dạng nguồn": "source format",
    "SHA-256 của tệp nguồn": "SHA-256 of the source file",
    "cảnh báo khi nhập": "import warnings",
    "người tạo": "created by",
    "kế hoạch": "plan",
    "thứ tự": "position",
    "loại văn bản": "document type",
    "ngày": "date",
    "trích yếu": "subject",
    "nguyên văn": "text as written",
    "căn cứ": "legal basis",
    "mục": "code",
    "tên nhiệm vụ": "task title",
    "nội dung": "content",
    "cơ quan thực hiện (như văn bản)": "lead units (as written)",
    "cơ quan phối hợp (như văn bản)": "supporting units (as written)",
    "loại thời hạn": "deadline kind",
    "thời hạn": "deadline",
    "nhiệm vụ": "task",
    "Lớp tập huấn": "Training course",
    "Tin, bài, đường liên kết": "News, articles, links",
    "Phóng sự, clip, video": "Reports, clips, videos",
    "Hình ảnh": "Photos",
    "Danh sách tham dự": "Attendance list",
    "Văn bản, tài liệu": "Documents",
    "Hội nghị, đối thoại": "Conference, dialogue",
    "Số liệu thống kê": "Statistics",
    "Khác": "Other",
    "sản phẩm (như văn bản)": "deliverable (as written)",
    "loại sản phẩm": "deliverable kind",
    "đơn vị đo": "metric",
    "chỉ tiêu": "target",
    "sản phẩm dự kiến": "expected deliverable",
    "Thực hiện, chủ trì": "Lead",
    "Phối hợp": "Support",
    "giao theo cụm từ": "assigned by the phrase",
    "giao nhiệm vụ": "assignment",
    "cụm từ": "phrase",
    "lý do": "reason",
    "độ giống cao nhất": "best match score",
    "cụm từ chưa xác định đơn vị": "unresolved unit mention",
    "Hoàn thành đúng hạn": "Completed on time",
    "Hoàn thành quá hạn": "Completed late",
    "Chưa hoàn thành trong hạn": "Not completed, within deadline",
    "Chưa hoàn thành quá hạn": "Not completed, overdue",
    "Văn bản này đã được nhập (kế hoạch “%(title)s”). Không nhập lại lần thứ hai.": "This document has already been imported (plan “%(title)s”). It is not imported twice.",
    "Không tìm thấy nhiệm vụ nào trong văn bản; chưa thể tạo kế hoạch.": "No task was found in the document; the plan cannot be created.",
    "Không xác định được cơ quan ban hành “%(issuer)s” trong danh sách đơn vị.": "The issuing authority “%(issuer)s” is not among the known units.",
    "Không xác định được năm của kế hoạch.": "The plan's year could not be determined.",
    "Kế hoạch năm %(year)s": "Plan for %(year)s",
    "Nhiệm vụ": "Task",
    "Vai trò": "Role",
    "Thời hạn": "Deadline",
    "Tình trạng": "Status",
    "Không có đơn vị nào.": "No units.",
    "Việc của đơn vị tôi": "My unit's work",
    "Đơn vị chưa được giao nhiệm vụ nào.": "This unit has no assignments yet.",
    "Tài khoản của bạn chưa thuộc đơn vị nào. Hãy liên hệ quản trị hệ thống.": "Your account does not belong to any unit yet. Please contact the system administrator.",
    "Số: %(number)s": "No.: %(number)s",
    "Số: (văn bản chưa ghi số)": "No.: (not numbered in the document)",
    "Năm": "Year",
    "Thời hạn hoàn thành": "Deadline",
    "Không ghi": "Not stated",
    "Người ký": "Signer",
    "Căn cứ": "Legal bases",
    "Loại": "Kind",
    "Số, ký hiệu": "Number",
    "Ngày": "Date",
    "I. Mục đích, yêu cầu và đối tượng": "I. Purposes, requirements and audiences",
    "Mục đích": "Purposes",
    "Yêu cầu": "Requirements",
    "Đối tượng": "Audiences",
    "II. Nội dung": "II. Content",
    "%(counter)s đơn vị thực hiện": ("%(counter)s lead unit", "%(counter)s lead units"),
    "%(counter)s đơn vị phối hợp": ("%(counter)s supporting unit", "%(counter)s supporting units"),
    "%(counter)s sản phẩm dự kiến": (
        "%(counter)s expected deliverable",
        "%(counter)s expected deliverables",
    ),
    "Hạn": "Due",
    "III. Kinh phí thực hiện": "III. Budget",
    "IV. Thời gian thực hiện": "IV. Timeline",
    "V. Tổ chức thực hiện": "V. Organisation",
    "Nơi nhận": "Recipients",
    "Cảnh báo khi nhập văn bản": "Import warnings",
    "Nhập từ tệp %(name)s (SHA-256 %(sha)s).": "Imported from %(name)s (SHA-256 %(sha)s).",
    "Năm %(year)s": "Year %(year)s",
    "Số %(number)s": "No. %(number)s",
    "Chưa ghi số": "Not numbered",
    "Chưa có kế hoạch nào mà bạn được xem.": "There is no plan you may see yet.",
    "Nhiệm vụ %(code)s": "Task %(code)s",
    "(theo thời hạn chung của kế hoạch)": "(the plan's overall deadline)",
    "Cơ quan thực hiện": "Lead units",
    "Cơ quan phối hợp": "Supporting units",
    "Cụm từ chưa xác định được đơn vị": "Mentions not matched to a unit",
    "cụm từ chung, không chỉ đơn vị cụ thể": "a general phrase that names no specific unit",
    "không khớp đơn vị nào": "matches no unit",
    "Nội dung": "Content",
    "Sản phẩm, kết quả dự kiến": "Expected deliverables",
    "chỉ tiêu %(target)s %(metric)s": "target %(target)s %(metric)s",
    "Văn bản không nêu sản phẩm cho nhiệm vụ này.": "The document names no deliverable for this task.",
    "Đơn vị thực hiện": "Lead units",
    "Đơn vị phối hợp": "Supporting units",
    "Tiếng Việt": "Vietnamese",
    "English": "English",
    "Không tìm thấy": "Not found",
    "Không tìm thấy trang": "Page not found",
    "Trang này không tồn tại hoặc bạn không có quyền xem.": "This page does not exist or you may not see it.",
    "Về trang chính": "Back to the home page",
    "Điều hướng chính": "Main navigation",
    "Quản trị": "Admin",
    "Đăng xuất": "Sign out",
    "Đăng nhập": "Sign in",
    "Hệ thống theo dõi thực hiện kế hoạch của cơ quan, đơn vị.": "Tracking how agencies carry out their plans.",
    "Tên đăng nhập": "Username",
    "Mật khẩu": "Password",
}


def main() -> int:
    with PO.open("rb") as f:
        catalog = read_po(f, locale="en")
    catalog.fuzzy = False
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in EN:
            message.string = EN[key]
            message.flags.discard("fuzzy")
        elif not (message.string[0] if isinstance(message.string, tuple) else message.string):
            missing.append(key)
    with PO.open("wb") as f:
        write_po(f, catalog, width=100, include_previous=False)
    for key in missing:
        print(f"untranslated: {key!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
