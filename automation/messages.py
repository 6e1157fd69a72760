"""The one catalogue of everything a person reads (SPEC §13).

Each key maps to (Vietnamese, English). ``t(key, **params)`` renders in the language chosen once at the
CLI edge with ``set_language`` (``LANGUAGE=en`` in ``.env`` for English). Vietnamese text is NFC.
"""

from __future__ import annotations

import unicodedata

LANGUAGES = ("vi", "en")
_language = "vi"


def set_language(language: str) -> None:
    global _language
    _language = "en" if (language or "").lower().startswith("en") else "vi"


def current_language() -> str:
    return _language


def t(key: str, /, **params: object) -> str:
    """The message ``key`` in the current language, with ``params`` filled in."""
    vi, en = MESSAGES[key]
    text = en if _language == "en" else vi
    return unicodedata.normalize("NFC", text.format(**params) if params else text)


MESSAGES: dict[str, tuple[str, str]] = {
    # --- CLI: program, commands, arguments -------------------------------------------------------
    "cli.description": (
        "baocao — tổng hợp báo cáo tiến độ hằng tháng của các đơn vị thực hiện kế hoạch.",
        "baocao — the monthly progress-reporting cycle of the units carrying out a plan.",
    ),
    "cli.epilog": (
        "Xem hướng dẫn của từng lệnh: baocao <lệnh> --help",
        "Help for one command: baocao <command> --help",
    ),
    "cli.commands": ("các lệnh", "commands"),
    "cli.opt.version": ("hiện phiên bản rồi thoát", "show the version and exit"),
    "cli.opt.workspace": (
        "thư mục làm việc (mặc định: thư mục hiện tại)",
        "workspace folder (default: the current folder)",
    ),
    "cli.opt.debug": ("hiện chi tiết lỗi (traceback) khi có lỗi", "show the traceback on error"),
    "cli.opt.period": (
        "kỳ báo cáo dạng YYYY-MM (mặc định: tháng hiện tại)",
        "reporting period as YYYY-MM (default: the current month)",
    ),
    "cli.opt.unit": ("chỉ tạo cho đơn vị có mã này", "only for the unit with this code"),
    "cli.opt.fix": (
        "điền cột Thời hạn và Thường xuyên từ cột Thời gian (nguyên văn)",
        "fill Thời hạn and Thường xuyên from the plan's own words",
    ),
    "cli.opt.init_dir": (
        "thư mục sẽ tạo (mặc định: thư mục hiện tại)",
        "folder to create (default: the current folder)",
    ),
    "cli.opt.demo_dir": (
        "thư mục cho bản chạy thử (mặc định: thư mục tạm mới)",
        "folder for the demo (default: a new temporary folder)",
    ),
    "cli.cmd.init": ("tạo thư mục làm việc mới với sổ kế hoạch và mẫu báo cáo mặc định",
                     "create a workspace with the default register and master template"),
    "cli.cmd.plan": ("làm việc với sổ kế hoạch (ke-hoach.xlsx)", "work with the plan register (ke-hoach.xlsx)"),
    "cli.cmd.plan_check": ("kiểm tra sổ kế hoạch theo nguyên tắc \"5 rõ\"",
                           "check the register against the \"5 rõ\" rules"),
    "cli.cmd.templates": ("tạo mẫu báo cáo cho từng đơn vị trong kỳ", "write each unit's report template"),
    "cli.cmd.demo": ("chạy thử trọn một kỳ trên dữ liệu mẫu", "run one period end to end on example data"),
    "cli.error": ("Lỗi: {message}", "Error: {message}"),
    "cli.bad_args": ("Lỗi tham số: {message}", "Bad arguments: {message}"),
    "cli.bad_period": ("kỳ báo cáo \"{value}\" không hợp lệ, cần dạng YYYY-MM (ví dụ 2025-03)",
                       "period \"{value}\" is not valid, use YYYY-MM (e.g. 2025-03)"),
    "cli.interrupted": ("Đã dừng theo yêu cầu.", "Stopped on request."),
    "cli.unexpected": (
        "Lỗi không mong đợi: {message}. Chạy lại với --debug để xem chi tiết.",
        "Unexpected error: {message}. Run again with --debug for details.",
    ),
    # argparse's own strings, translated (cli._ARGPARSE_STRINGS); %-placeholders are argparse's
    "argparse.usage": ("Cách dùng: ", "Usage: "),
    "argparse.positionals": ("tham số", "arguments"),
    "argparse.options": ("tùy chọn", "options"),
    "argparse.help": ("hiện hướng dẫn này rồi thoát", "show this help and exit"),
    "argparse.required": ("thiếu tham số bắt buộc: %s", "the following arguments are required: %s"),
    "argparse.unrecognized": ("tham số không nhận ra: %s", "unrecognized arguments: %s"),
    "argparse.invalid_choice": ("lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
                                "invalid choice: %(value)r (choose from %(choices)s)"),
    "argparse.expected_one": ("cần một giá trị", "expected one argument"),
    "argparse.expected_at_least_one": ("cần ít nhất một giá trị", "expected at least one argument"),
    "argparse.expected_at_most_one": ("chỉ được một giá trị", "expected at most one argument"),
    "argparse.invalid_value": ("giá trị không hợp lệ: %(value)r", "invalid value: %(value)r"),
    "argparse.argument": ("tham số %(argument_name)s: %(message)s", "argument %(argument_name)s: %(message)s"),
    "argparse.ambiguous": ("tùy chọn %(option)s chưa rõ, có thể là %(matches)s",
                           "ambiguous option: %(option)s could match %(matches)s"),
    "argparse.one_required": ("cần một trong các tham số %s", "one of the arguments %s is required"),
    "argparse.not_allowed": ("không dùng cùng tham số %s", "not allowed with argument %s"),
    "cli.cmd.plan_import": ("đọc văn bản kế hoạch (.docx, .pdf, .txt) thành sổ kế hoạch",
                            "read a plan document (.docx, .pdf, .txt) into a register"),
    "cli.opt.import_file": ("tệp văn bản kế hoạch (.docx, .pdf hoặc .txt)", "the plan document (.docx, .pdf or .txt)"),
    "cli.opt.import_out": ("nơi ghi sổ kế hoạch (mặc định: workbook_templates/ke-hoach.xlsx)",
                           "where to write the register (default: workbook_templates/ke-hoach.xlsx)"),
    "cli.opt.force": ("ghi đè sổ kế hoạch đã có", "overwrite an existing register"),
    "templates.written": ("Đã tạo: {path}", "Written: {path}"),
    "templates.summary": ("Đã tạo {count} mẫu báo cáo kỳ {period} trong {folder}",
                          "Wrote {count} report templates for {period} in {folder}"),
    # --- settings ----------------------------------------------------------------------------------
    "settings.bad_int": ("{key} phải là số nguyên, đang là \"{value}\"", "{key} must be a whole number, got \"{value}\""),
    "settings.out_of_range": ("{key} phải từ {low} đến {high}, đang là {value}",
                              "{key} must be between {low} and {high}, got {value}"),
    "settings.bad_choice": ("{key} phải là một trong {choices}, đang là \"{value}\"",
                            "{key} must be one of {choices}, got \"{value}\""),
    "settings.bad_bool": ("{key} phải là true hoặc false, đang là \"{value}\"",
                          "{key} must be true or false, got \"{value}\""),
    "settings.bad_time": ("{key} phải có dạng GG:PP (ví dụ 08:00), đang là \"{value}\"",
                          "{key} must look like HH:MM (e.g. 08:00), got \"{value}\""),
    "settings.bad_timezone": ("TIMEZONE \"{value}\" không phải múi giờ hợp lệ (ví dụ Asia/Ho_Chi_Minh)",
                              "TIMEZONE \"{value}\" is not a valid time zone (e.g. Asia/Ho_Chi_Minh)"),
    # --- workspace ---------------------------------------------------------------------------------
    "workspace.exists": (
        "{path} đã là một thư mục làm việc (đã có {what}); không ghi đè",
        "{path} is already a workspace (it has {what}); nothing overwritten",
    ),
    "workspace.created": ("Đã tạo thư mục làm việc: {path}", "Workspace created: {path}"),
    "workspace.created_detail": (
        "  Sổ kế hoạch: {register}\n  Mẫu báo cáo gốc: {master}\n  Cấu hình: {env}\n"
        "  Thư mục nhận báo cáo: {inbox}\n  Thư mục kết quả: {outbox}",
        "  Register: {register}\n  Master template: {master}\n  Settings: {env}\n"
        "  Inbox: {inbox}\n  Outbox: {outbox}",
    ),
    "workspace.next_steps": (
        "Tiếp theo: baocao plan check, rồi baocao templates --period YYYY-MM",
        "Next: baocao plan check, then baocao templates --period YYYY-MM",
    ),
    "workspace.not_found": (
        "không tìm thấy sổ kế hoạch {path}; hãy chạy \"baocao init\" hoặc dùng --workspace",
        "register {path} not found; run \"baocao init\" or use --workspace",
    ),
    "workspace.not_a_dir": ("{path} không phải là thư mục", "{path} is not a folder"),
    # --- register (SPEC §4) ------------------------------------------------------------------------
    "register.cannot_read": ("không đọc được sổ kế hoạch {path}: {reason}",
                             "cannot read the register {path}: {reason}"),
    "register.cannot_write": ("không ghi được {path}: {reason}", "cannot write {path}: {reason}"),
    "register.missing_sheet": ("sổ kế hoạch {path} thiếu trang tính \"{sheet}\"",
                               "the register {path} has no sheet \"{sheet}\""),
    "register.missing_column": ("trang \"{sheet}\" của {path} thiếu cột \"{column}\"",
                                "sheet \"{sheet}\" of {path} has no column \"{column}\""),
    "plan.missing_content": (
        "Nhiệm vụ {task} chưa có nội dung (rõ việc). Hãy ghi nội dung vào cột \"Nội dung nhiệm vụ\".",
        "Task {task} has no content. Write it in the \"Nội dung nhiệm vụ\" column.",
    ),
    "plan.missing_code": (
        "Dòng {row} có nội dung nhưng chưa có mã nhiệm vụ. Hãy ghi mã (ví dụ 1.1) vào cột \"Mã NV\".",
        "Row {row} has content but no task code. Write a code (e.g. 1.1) in the \"Mã NV\" column.",
    ),
    "plan.duplicate_code": (
        "Mã nhiệm vụ {task} bị trùng (đã có ở dòng {first_row}). Mỗi nhiệm vụ cần một mã riêng.",
        "Task code {task} is repeated (first at row {first_row}). Each task needs its own code.",
    ),
    "plan.missing_lead": (
        "Nhiệm vụ {task} chưa có cơ quan chủ trì (rõ người). Ghi mã đơn vị (ví dụ VP) vào cột \"Chủ trì\".",
        "Task {task} has no lead unit. Write a unit code (e.g. VP) in the \"Chủ trì\" column.",
    ),
    "plan.unknown_lead": (
        "Nhiệm vụ {task}: đơn vị chủ trì \"{lead}\" không có trong trang \"Đơn vị\". "
        "Ghi đúng mã đơn vị (một trong: {codes}) hoặc thêm đơn vị này vào trang \"Đơn vị\".",
        "Task {task}: lead unit \"{lead}\" is not on the \"Đơn vị\" sheet. "
        "Use one of the unit codes ({codes}) or add the unit.",
    ),
    "plan.missing_deadline": (
        "Nhiệm vụ {task} chưa có thời hạn (rõ thời gian). Ghi ngày vào cột \"Thời hạn\", "
        "hoặc đánh dấu x ở cột \"Thường xuyên\" nếu là nhiệm vụ thường xuyên.",
        "Task {task} has no deadline. Enter a date in \"Thời hạn\", or mark \"Thường xuyên\" with x "
        "for a recurring task.",
    ),
    "plan.deadline_fillable": (
        "Nhiệm vụ {task}: cột \"Thời hạn\"/\"Thường xuyên\" còn trống nhưng có thể điền từ \"{words}\". "
        "Chạy \"baocao plan check --fix\" để điền tự động.",
        "Task {task}: \"Thời hạn\"/\"Thường xuyên\" are blank but can be filled from \"{words}\". "
        "Run \"baocao plan check --fix\".",
    ),
    "plan.deadline_not_date": (
        "Nhiệm vụ {task}: \"Thời hạn\" là \"{value}\", không phải một ngày. "
        "Ghi ngày dạng dd/mm/yyyy (ví dụ 31/03/2025).",
        "Task {task}: \"Thời hạn\" is \"{value}\", not a date. Use dd/mm/yyyy (e.g. 31/03/2025).",
    ),
    "plan.deadline_words_unknown": (
        "Nhiệm vụ {task}: không hiểu được thời gian \"{words}\". Ghi rõ, ví dụ \"Hoàn thành trong "
        "tháng 3/2025\", \"Trước ngày 30/6/2025\", \"Quý II/2025\" hoặc \"Thực hiện thường xuyên\".",
        "Task {task}: cannot understand the timeline \"{words}\". Write e.g. \"Hoàn thành trong tháng "
        "3/2025\", \"Trước ngày 30/6/2025\", \"Quý II/2025\" or \"Thực hiện thường xuyên\".",
    ),
    "plan.deadline_disagrees": (
        "Nhiệm vụ {task}: \"Thời hạn\" {deadline} khác với thời gian trong kế hoạch \"{words}\" ({expected}). "
        "Kiểm tra lại một trong hai cột.",
        "Task {task}: \"Thời hạn\" {deadline} differs from the plan's words \"{words}\" ({expected}). "
        "Check one of the two columns.",
    ),
    "plan.bad_recurring_mark": (
        "Nhiệm vụ {task}: cột \"Thường xuyên\" chỉ ghi x hoặc để trống, đang là \"{value}\".",
        "Task {task}: \"Thường xuyên\" takes x or blank, got \"{value}\".",
    ),
    "plan.missing_product": (
        "Nhiệm vụ {task} chưa ghi sản phẩm (rõ kết quả). Nên ghi sản phẩm dự kiến vào cột \"Sản phẩm\".",
        "Task {task} has no expected product. Consider filling the \"Sản phẩm\" column.",
    ),
    "plan.no_tasks": ("Trang \"Nhiệm vụ\" chưa có nhiệm vụ nào.", "The \"Nhiệm vụ\" sheet has no tasks."),
    "plan.no_units": ("Trang \"Đơn vị\" chưa có đơn vị nào.", "The \"Đơn vị\" sheet has no units."),
    "plan.missing_unit_code": (
        "Dòng {row} của trang \"Đơn vị\" chưa có mã đơn vị. Ghi mã ngắn, không dấu (ví dụ VP).",
        "Row {row} of \"Đơn vị\" has no unit code. Write a short ASCII code (e.g. VP).",
    ),
    "plan.bad_unit_code": (
        "Mã đơn vị \"{code}\" chỉ được gồm chữ cái không dấu, chữ số, - hoặc _ (ví dụ VP, TCBC).",
        "Unit code \"{code}\" may only hold ASCII letters, digits, - or _ (e.g. VP, TCBC).",
    ),
    "plan.duplicate_unit": (
        "Mã đơn vị {code} bị trùng (đã có ở dòng {first_row}).",
        "Unit code {code} is repeated (first at row {first_row}).",
    ),
    "plan.missing_unit_name": ("Đơn vị {code} chưa có tên.", "Unit {code} has no name."),
    "plan.bad_email": (
        "Đơn vị {code}: \"{value}\" không phải địa chỉ email. Các địa chỉ cách nhau bằng dấu ;",
        "Unit {code}: \"{value}\" is not an email address. Separate addresses with ;",
    ),
    "plan.missing_plan_id": (
        "Trang \"Kế hoạch\" chưa có \"Mã kế hoạch\" (ví dụ KH-SNV-726).",
        "The \"Kế hoạch\" sheet has no \"Mã kế hoạch\" (e.g. KH-SNV-726).",
    ),
    "plan.bad_day": (
        "\"{key}\" phải là một ngày trong tháng từ 1 đến 28, đang là \"{value}\".",
        "\"{key}\" must be a day of the month from 1 to 28, got \"{value}\".",
    ),
    "plan.unknown_coordinator": (
        "Đơn vị đầu mối \"{code}\" không có trong trang \"Đơn vị\".",
        "Coordinator unit \"{code}\" is not on the \"Đơn vị\" sheet.",
    ),
    "plan.check_ok": (
        "Sổ kế hoạch hợp lệ: {tasks} nhiệm vụ, {units} đơn vị, hạn nộp báo cáo trước ngày {day} hằng tháng.",
        "The register is valid: {tasks} tasks, {units} units, reports due before day {day} of each month.",
    ),
    "plan.check_summary": ("{errors} lỗi, {warnings} cảnh báo.", "{errors} errors, {warnings} warnings."),
    "plan.check_failed": (
        "sổ kế hoạch có {errors} lỗi, cần sửa trước khi dùng (xem danh sách ở trên)",
        "the register has {errors} errors to fix before use (see the list above)",
    ),
    "plan.fixed": ("Đã điền thời hạn cho {count} nhiệm vụ vào {path}.", "Filled the deadline of {count} tasks in {path}."),
    "plan.nothing_to_fix": ("Không có thời hạn nào cần điền.", "No deadline needed filling."),
    "task.recurring_short": ("Thường xuyên", "Recurring"),
    "severity.error": ("Lỗi", "Error"),
    "severity.warning": ("Cảnh báo", "Warning"),
    "severity.info": ("Đã tự sửa", "Corrected"),
    # --- templates (SPEC §5) -------------------------------------------------------------------------
    # (template messages)
    # --- plan import (SPEC §8, issue 4) ----------------------------------------------------------------
    # (import messages)
    # --- demo ----------------------------------------------------------------------------------------------
    # (demo messages)
    "demo.done": (
        "Đã tạo thư mục làm việc mẫu {path} với sổ kế hoạch mặc định (11 nhiệm vụ, 4 đơn vị), kỳ {period}.",
        "Demo workspace {path} created on the default register (11 tasks, 4 units), period {period}.",
    ),
    "demo.templates_heading": (
        "Mẫu báo cáo của từng đơn vị (mở bằng Excel hoặc LibreOffice):",
        "Each unit's report template (open in Excel or LibreOffice):",
    ),
    "demo.next": (
        "Sổ kế hoạch: {path}/workbook_templates/ke-hoach.xlsx — xem hướng dẫn điền ở trang \"Hướng dẫn\" "
        "của mỗi mẫu.",
        "Register: {path}/workbook_templates/ke-hoach.xlsx — each template's \"Hướng dẫn\" sheet explains "
        "how to fill it.",
    ),
    "demo.folder_not_empty": (
        "{path} đã có dữ liệu không phải của bản chạy thử; hãy chọn thư mục khác",
        "{path} holds data that is not a previous demo; choose another folder",
    ),
}
