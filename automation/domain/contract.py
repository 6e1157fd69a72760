"""The file contract with the units (SPEC §5): sheet names, labels, status words and ``_meta`` keys.

The templates stage writes files with these and every later stage reads them back with them; they stay
Vietnamese whatever ``LANGUAGE`` is. Kept apart from ``templates`` so that readers import no openpyxl.
"""

from __future__ import annotations

import datetime as dt
import re

from automation.domain.dates import Period
from automation.domain.model import Plan
from automation.domain.text import nfc

TEMPLATE_VERSION = "1"

SHEET_REPORT = "Báo cáo"
SHEET_GUIDE = "Hướng dẫn"
SHEET_META = "_meta"

LABEL_UNIT = "Đơn vị:"
LABEL_PERIOD = "Kỳ báo cáo:"

COL_CODE = "Mã NV"
COL_CONTENT = "Nội dung nhiệm vụ"
COL_ROLE = "Vai trò"
COL_DEADLINE = "Thời hạn"
COL_STATUS = "Tình trạng"
COL_DONE_ON = "Ngày hoàn thành"
COL_PROGRESS = "Tiến độ (%)"
COL_RESULTS = "Kết quả thực hiện"
COL_DIFFICULTIES = "Khó khăn, vướng mắc"
COL_PROPOSALS = "Đề xuất, kiến nghị"
COL_EVIDENCE = "Văn bản, minh chứng"
HEADER_LABELS = (
    COL_CODE,
    COL_CONTENT,
    COL_ROLE,
    COL_DEADLINE,
    COL_STATUS,
    COL_DONE_ON,
    COL_PROGRESS,
    COL_RESULTS,
    COL_DIFFICULTIES,
    COL_PROPOSALS,
    COL_EVIDENCE,
)
PREFILLED_LABELS = HEADER_LABELS[:4]
INPUT_LABELS = HEADER_LABELS[4:]
# optional, the last column (SPEC §15): the deadline a unit asks to move a task to, its reason in
# Đề xuất, kiến nghị; a file without the column (older templates) is read as before
COL_EXTENSION = "Đề nghị gia hạn đến"
OPTIONAL_LABELS = (COL_EXTENSION,)
# what the templates stage writes: the header labels, then the optional last column (an input column)
TEMPLATE_LABELS = (*HEADER_LABELS, *OPTIONAL_LABELS)
TEMPLATE_INPUT_LABELS = (*INPUT_LABELS, *OPTIONAL_LABELS)

ROLE_LEAD = "Chủ trì"
ROLE_SUPPORT = "Phối hợp"
STATUS_NOT_STARTED = "Chưa triển khai"
STATUS_IN_PROGRESS = "Đang thực hiện"
STATUS_DONE = "Hoàn thành"
STATUS_VALUES = (STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_DONE)
RECURRING_TEXT = "Thường xuyên"

META_KEYS = ("template_version", "plan_id", "unit_code", "period", "task_codes", "generated_at")

# the master's column widths (Excel character units); the feedback files reuse them. The twelve columns fit
# A4 landscape (0.4" side margins) with the 12 pt text printed at about 9.1 pt: keep the sum at 197 or less
COLUMN_WIDTHS = {
    COL_CODE: 12,
    COL_CONTENT: 38,
    COL_ROLE: 9,
    COL_DEADLINE: 11,
    COL_STATUS: 14,
    COL_DONE_ON: 11,
    COL_PROGRESS: 8,
    COL_RESULTS: 30,
    COL_DIFFICULTIES: 18,
    COL_PROPOSALS: 18,
    COL_EVIDENCE: 17,
    COL_EXTENSION: 11,
}


def template_name(unit_code: str, period: object) -> str:
    """``<UNIT>_<YYYY-MM>.xlsx``, the name a unit's template is written and sent back under."""
    return f"{unit_code}_{period}.xlsx"


def plan_start(plan: Plan, period: Period) -> dt.date:
    """The earliest acceptable completion date: the signing date, else 1 January of the year before."""
    return plan.signed_on or dt.date(period.year - 1, 1, 1)


def plan_short_name(plan: Plan) -> str:
    """``KẾ HOẠCH SỐ 45/KH-SNV`` when the plan has a full number, else ``KẾ HOẠCH`` (the title's words)."""
    number = nfc(plan.number)
    # "/KH-SNV" is a number not yet assigned: printing it would read "số /KH-SNV"
    if number and number[0].isdigit():
        return f"KẾ HOẠCH SỐ {number.upper()}"
    return "KẾ HOẠCH"


# Excel's error values, and LibreOffice's "Err:502" family, as a reader may hand them over. The one list:
# part of the file contract, shared by the reader and the cell rules.
ERROR_VALUES = frozenset(
    "#REF! #N/A #VALUE! #DIV/0! #NAME? #NULL! #NUM! #SPILL! #CALC! #GETTING_DATA #FIELD! #BLOCKED! #CONNECT! "
    "#BUSY! #UNKNOWN!".split()
)
LIBREOFFICE_ERROR = re.compile(r"err:\d{3}")
READER_LIBREOFFICE_ERROR = re.compile(r"Err:\d{3}")  # as the reader writes it: LibreOffice's spelling


def is_error_value(value: object) -> bool:
    """True for a spreadsheet error value as the reader gives it (``"#REF!"``, ``"#N/A"``, ``"Err:502"``)."""
    return isinstance(value, str) and (
        value.upper() in ERROR_VALUES or bool(READER_LIBREOFFICE_ERROR.fullmatch(value))
    )
