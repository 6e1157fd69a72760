"""The register's layout (SPEC §4): its sheets, the keys of ``Kế hoạch`` and the columns of ``Đơn vị``,
``Nhiệm vụ`` and ``Ngày nghỉ``, as the coordinator sees them in Excel. Shared by the reader and the writer.
"""

from __future__ import annotations

import re

SHEET_PLAN = "Kế hoạch"
SHEET_UNITS = "Đơn vị"
SHEET_TASKS = "Nhiệm vụ"
SHEET_HOLIDAYS = "Ngày nghỉ"  # optional (SPEC §15): days off besides weekends

KEY_ID = "Mã kế hoạch"
KEY_NUMBER = "Số, ký hiệu"
KEY_TITLE = "Tên kế hoạch"
KEY_ISSUER = "Cơ quan ban hành"
KEY_SIGNED = "Ngày ký"
KEY_SUBMIT_DAY = "Hạn nộp báo cáo (trước ngày)"
KEY_UBND_DAY = "Hạn báo cáo UBND (trước ngày)"
KEY_COORDINATOR = "Đơn vị đầu mối"
# what the report to the province needs (SPEC §14): optional, the report shows blanks without them
KEY_PARENT = "Cơ quan chủ quản"
KEY_SYMBOL = "Ký hiệu cơ quan"
KEY_PLACE = "Địa danh"
KEY_ADDRESSEE = "Kính gửi"
KEY_RECIPIENTS = "Nơi nhận"
KEY_SIGNER_TITLE = "Chức vụ người ký"
KEY_SIGNER = "Người ký"
KEY_AUTHORITY = "Thẩm quyền ký"
REPORT_KEYS = (
    KEY_PARENT,
    KEY_SYMBOL,
    KEY_PLACE,
    KEY_ADDRESSEE,
    KEY_RECIPIENTS,
    KEY_SIGNER_TITLE,
    KEY_SIGNER,
    KEY_AUTHORITY,
)
# the roll-up to the upper plan (SPEC §16): optional, no finding when absent
KEY_UPPER_PLAN = "Kế hoạch cấp trên"
KEY_UPPER_UNIT = "Mã đơn vị ở cấp trên"
UPPER_KEYS = (KEY_UPPER_PLAN, KEY_UPPER_UNIT)
PLAN_KEYS = (
    KEY_ID,
    KEY_NUMBER,
    KEY_TITLE,
    KEY_ISSUER,
    KEY_SIGNED,
    KEY_SUBMIT_DAY,
    KEY_UBND_DAY,
    KEY_COORDINATOR,
    *REPORT_KEYS,
    *UPPER_KEYS,
)

COL_UNIT_CODE = "Mã đơn vị"
COL_UNIT_NAME = "Tên đơn vị"
COL_ALIASES = "Tên gọi khác"
COL_EMAIL = "Email"
UNIT_COLUMNS = (COL_UNIT_CODE, COL_UNIT_NAME, COL_ALIASES, COL_EMAIL)

COL_CODE = "Mã NV"
COL_GROUP = "Nhóm"
COL_CONTENT = "Nội dung nhiệm vụ"
COL_LEAD = "Chủ trì"
COL_COORD = "Phối hợp"
COL_DEADLINE = "Thời hạn"
COL_RECURRING = "Thường xuyên"
COL_WORDS = "Thời gian (nguyên văn)"
COL_PRODUCT = "Sản phẩm"
COL_UPPER = "Nhiệm vụ cấp trên"  # the upper plan's task codes, ";"-separated (SPEC §16)
COL_ADJUSTED = "Thời hạn điều chỉnh"  # a deadline extension granted (SPEC §15), a date
COL_ADJUSTMENT_BASIS = "Căn cứ điều chỉnh"  # the document granting it: Công văn 123/SNV-VP ngày 10/05/2025
TASK_COLUMNS = (
    COL_CODE,
    COL_GROUP,
    COL_CONTENT,
    COL_LEAD,
    COL_COORD,
    COL_DEADLINE,
    COL_RECURRING,
    COL_WORDS,
    COL_PRODUCT,
    COL_UPPER,
    COL_ADJUSTED,
    COL_ADJUSTMENT_BASIS,
)
# optional columns a register may lack without any finding (older registers, plans with no upper plan,
# no extension granted)
QUIET_COLUMNS = (COL_UPPER, COL_ADJUSTED, COL_ADJUSTMENT_BASIS)

DATE_FORMAT = "dd/mm/yyyy"
COL_HOLIDAY_DATE = "Ngày"
COL_HOLIDAY_NAME = "Tên"
HOLIDAY_COLUMNS = (COL_HOLIDAY_DATE, COL_HOLIDAY_NAME)
_UNIT_CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")
_EMAIL = re.compile(r"[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+")


UNIT_ESSENTIAL = (COL_UNIT_CODE, COL_UNIT_NAME)

TASK_ESSENTIAL = (COL_CODE, COL_CONTENT, COL_LEAD, COL_DEADLINE, COL_RECURRING)
