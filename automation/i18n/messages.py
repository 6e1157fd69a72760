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
    # --- the record: withdrawn files, the ledger's safety, its rebuild (issue 11) -----------------
    "collect.withdrawn": ("Đã rút khỏi hồ sơ: {reason}", "Withdrawn from the record: {reason}"),
    "ledger.missing": (
        "Không thấy sổ theo dõi {path} trong khi kho lưu {archive} đã có tệp: không tạo sổ trống thay thế"
        " (sẽ mất thời điểm nhận của mọi tệp). Hãy khôi phục bản sao lưu trong thư mục backups bên cạnh,"
        " hoặc chạy: baocao ledger rebuild",
        "The ledger {path} is missing while the archive {archive} holds files: an empty ledger is not"
        " created in its place (every file's received time would be lost). Restore a backup from the"
        " backups folder beside it, or run: baocao ledger rebuild",
    ),
    "ledger.corrupt": (
        "Sổ theo dõi {path} bị hỏng, không đọc được. Hãy chép bản sao lưu mới nhất trong {backups} đè lên"
        " {path}, hoặc chạy: baocao ledger rebuild --force (sổ hỏng được đổi tên, không bị xoá)",
        "The ledger {path} is damaged and cannot be read. Copy the newest backup from {backups} over"
        " {path}, or run: baocao ledger rebuild --force (the damaged ledger is renamed, not deleted)",
    ),
    "ledger.cannot_open": (
        "Không mở được sổ theo dõi {path}: hãy kiểm tra quyền đọc/ghi thư mục, dung lượng đĩa còn trống"
        " và không có chương trình khác đang mở tệp này.",
        "Cannot open the ledger {path}: check read/write permission on its folder, free disk space, and"
        " that no other program holds the file.",
    ),
    "ledger.too_new": (
        "Sổ theo dõi {path} do một phiên bản baocao mới hơn ghi (cấu trúc số {version}, phiên bản này chỉ"
        " biết đến số {known}). Hãy cập nhật baocao lên phiên bản mới.",
        "The ledger {path} was written by a newer baocao (schema {version}; this version knows up to"
        " {known}). Please update baocao.",
    ),
    "cli.cmd.ledger": ("sổ theo dõi (.baocao/ledger.sqlite)", "the ledger (.baocao/ledger.sqlite)"),
    "cli.cmd.ledger_rebuild": (
        "dựng lại sổ theo dõi từ kho lưu (.baocao/archive): các lần nhận tệp, rút tệp và thư đã lấy",
        "recreate the ledger from the archive (.baocao/archive): arrivals, withdrawals and mail taken",
    ),
    "cli.opt.rebuild_force": (
        "dựng lại cả khi sổ đang có (sổ cũ được đổi tên thành ledger.sqlite.old-<thời điểm>, không xoá)",
        "rebuild even if a ledger exists (the old one is renamed ledger.sqlite.old-<time>, never deleted)",
    ),
    "ledger.rebuild.exists": (
        "Sổ theo dõi {path} đang có, không dựng lại. Nếu sổ hỏng hoặc sai, chạy: baocao ledger rebuild"
        " --force (sổ cũ được đổi tên, không bị xoá)",
        "The ledger {path} exists; nothing rebuilt. If it is damaged or wrong, run: baocao ledger rebuild"
        " --force (the old ledger is renamed, not deleted)",
    ),
    "ledger.rebuild.moved": ("Sổ cũ được giữ lại với tên {path}", "The old ledger is kept as {path}"),
    "ledger.rebuild.done": (
        "Đã dựng lại sổ theo dõi {path} từ kho lưu: {arrivals} lần nhận tệp, {withdrawals} lần rút tệp,"
        " {messages} thư đã lấy, {runs} lần tổng hợp.",
        "Rebuilt the ledger {path} from the archive: {arrivals} arrivals, {withdrawals} withdrawals,"
        " {messages} messages taken, {runs} runs.",
    ),
    "ledger.rebuild.skipped": (
        "Bỏ qua {count} dòng không đọc được trong kho lưu (dòng đầu tiên ở {path}).",
        "Skipped {count} unreadable lines in the archive (the first in {path}).",
    ),
    "ledger.rebuild.next": (
        "Chạy lại tổng hợp để có kết quả theo sổ mới: baocao collect --period YYYY-MM",
        "Run collect again for results from the new ledger: baocao collect --period YYYY-MM",
    ),
    "cli.cmd.withdraw": (
        "rút một tệp đã nhận khỏi hồ sơ (có ghi lý do), hoặc hoàn tác việc rút với --undo",
        "take a received file out of the record (with a reason), or put it back with --undo",
    ),
    "cli.opt.withdraw_target": (
        "tệp cần rút: đường dẫn tới tệp, đường dẫn như trong báo cáo chạy (vd. inbox/TDKT/TDKT_2025-05.xlsx)"
        " hoặc mã băm SHA-256 (ít nhất 8 ký tự đầu)",
        "the file: a path to it, its path as shown in the run report (e.g. inbox/TDKT/TDKT_2025-05.xlsx)"
        " or its SHA-256 (at least the first 8 characters)",
    ),
    "cli.opt.withdraw_reason": (
        "lý do (bắt buộc khi rút tệp; tuỳ chọn khi hoàn tác)",
        "the reason (required to withdraw; optional with --undo)",
    ),
    "cli.opt.withdraw_undo": ("đưa tệp đã rút trở lại hồ sơ", "put a withdrawn file back in the record"),
    "withdraw.reason_required": (
        'Cần ghi lý do rút tệp, ví dụ: --reason "đơn vị gửi nhầm tệp"',
        'A reason is required, e.g. --reason "the unit sent the wrong file"',
    ),
    "withdraw.unknown": (
        "Không có tệp đã nhận nào khớp với {target} (theo đường dẫn, nội dung tệp hoặc mã băm).",
        "No received file matches {target} (by path, content or hash).",
    ),
    "withdraw.ambiguous": (
        "{target} khớp với {count} tệp đã nhận khác nhau: {matches}. Hãy ghi mã băm dài hơn.",
        "{target} matches {count} different received files: {matches}. Give more of the hash.",
    ),
    "withdraw.no_path": ("chưa rõ đường dẫn", "path unknown"),
    "withdraw.done": (
        "Đã rút khỏi hồ sơ tệp {sha} ({paths}), lý do: {reason}",
        "Withdrawn from the record: {sha} ({paths}), reason: {reason}",
    ),
    "withdraw.already": (
        "Tệp {sha} ({paths}) đã được rút trước đó, lý do: {reason}. Không ghi thêm.",
        "{sha} ({paths}) was already withdrawn, reason: {reason}. Nothing recorded.",
    ),
    "withdraw.undone": (
        "Đã đưa tệp {sha} ({paths}) trở lại hồ sơ.",
        "Put {sha} ({paths}) back in the record.",
    ),
    "withdraw.not_withdrawn": (
        "Tệp {sha} ({paths}) không bị rút, không có gì để hoàn tác.",
        "{sha} ({paths}) is not withdrawn; nothing to undo.",
    ),
    "withdraw.next": (
        "Chạy lại tổng hợp để kết quả có hiệu lực: baocao collect --period YYYY-MM",
        "Run collect again for this to take effect: baocao collect --period YYYY-MM",
    ),
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
    "cli.cmd.init": (
        "tạo thư mục làm việc mới với sổ kế hoạch và mẫu báo cáo mặc định",
        "create a workspace with the default register and master template",
    ),
    "cli.cmd.plan": (
        "làm việc với sổ kế hoạch (ke-hoach.xlsx)",
        "work with the plan register (ke-hoach.xlsx)",
    ),
    "cli.cmd.plan_check": (
        'kiểm tra sổ kế hoạch theo nguyên tắc "5 rõ"',
        'check the register against the "5 rõ" rules',
    ),
    "cli.cmd.templates": ("tạo mẫu báo cáo cho từng đơn vị trong kỳ", "write each unit's report template"),
    "cli.cmd.demo": ("chạy thử trọn một kỳ trên dữ liệu mẫu", "run one period end to end on example data"),
    "cli.error": ("Lỗi: {message}", "Error: {message}"),
    "cli.bad_args": ("Lỗi tham số: {message}", "Bad arguments: {message}"),
    "cli.bad_period": (
        'kỳ báo cáo "{value}" không hợp lệ, cần dạng YYYY-MM (ví dụ 2025-03)',
        'period "{value}" is not valid, use YYYY-MM (e.g. 2025-03)',
    ),
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
    "argparse.invalid_choice": (
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
        "invalid choice: %(value)r (choose from %(choices)s)",
    ),
    "argparse.expected_one": ("cần một giá trị", "expected one argument"),
    "argparse.expected_at_least_one": ("cần ít nhất một giá trị", "expected at least one argument"),
    "argparse.expected_at_most_one": ("chỉ được một giá trị", "expected at most one argument"),
    "argparse.invalid_value": ("giá trị không hợp lệ: %(value)r", "invalid value: %(value)r"),
    "argparse.argument": (
        "tham số %(argument_name)s: %(message)s",
        "argument %(argument_name)s: %(message)s",
    ),
    "argparse.ambiguous": (
        "tùy chọn %(option)s chưa rõ, có thể là %(matches)s",
        "ambiguous option: %(option)s could match %(matches)s",
    ),
    "argparse.one_required": ("cần một trong các tham số %s", "one of the arguments %s is required"),
    "argparse.not_allowed": ("không dùng cùng tham số %s", "not allowed with argument %s"),
    "cli.cmd.plan_import": (
        "đọc văn bản kế hoạch (.docx, .pdf, .txt) thành sổ kế hoạch",
        "read a plan document (.docx, .pdf, .txt) into a register",
    ),
    "cli.opt.import_file": (
        "tệp văn bản kế hoạch (.docx, .pdf hoặc .txt)",
        "the plan document (.docx, .pdf or .txt)",
    ),
    "cli.opt.import_out": (
        "nơi ghi sổ kế hoạch (mặc định: workbook_templates/ke-hoach.xlsx)",
        "where to write the register (default: workbook_templates/ke-hoach.xlsx)",
    ),
    "cli.opt.force": ("ghi đè sổ kế hoạch đã có", "overwrite an existing register"),
    "templates.written": ("Đã tạo: {path}", "Written: {path}"),
    "templates.summary": (
        "Đã tạo {count} mẫu báo cáo kỳ {period} trong {folder}",
        "Wrote {count} report templates for {period} in {folder}",
    ),
    # --- settings ----------------------------------------------------------------------------------
    "settings.bad_int": (
        '{key} phải là số nguyên, đang là "{value}"',
        '{key} must be a whole number, got "{value}"',
    ),
    "settings.out_of_range": (
        "{key} phải từ {low} đến {high}, đang là {value}",
        "{key} must be between {low} and {high}, got {value}",
    ),
    "settings.bad_choice": (
        '{key} phải là một trong {choices}, đang là "{value}"',
        '{key} must be one of {choices}, got "{value}"',
    ),
    "settings.bad_bool": (
        '{key} phải là true hoặc false, đang là "{value}"',
        '{key} must be true or false, got "{value}"',
    ),
    "settings.bad_time": (
        '{key} phải có dạng GG:PP (ví dụ 08:00), đang là "{value}"',
        '{key} must look like HH:MM (e.g. 08:00), got "{value}"',
    ),
    "settings.bad_timezone": (
        'TIMEZONE "{value}" không phải múi giờ hợp lệ (ví dụ Asia/Ho_Chi_Minh)',
        'TIMEZONE "{value}" is not a valid time zone (e.g. Asia/Ho_Chi_Minh)',
    ),
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
        'không tìm thấy sổ kế hoạch {path}; hãy chạy "baocao init" hoặc dùng --workspace',
        'register {path} not found; run "baocao init" or use --workspace',
    ),
    "workspace.not_a_dir": ("{path} không phải là thư mục", "{path} is not a folder"),
    # --- register (SPEC §4) ------------------------------------------------------------------------
    "register.cannot_read": (
        "không đọc được sổ kế hoạch {path}: tệp bị hỏng hoặc không phải tệp Excel .xlsx. Hãy mở tệp bằng "
        "Excel rồi lưu lại dạng .xlsx (Excel Workbook), hoặc lấy lại bản sao lưu của sổ",
        "cannot read the register {path}: the file is damaged or not an Excel .xlsx file. Open it in Excel "
        "and save it again as .xlsx (Excel Workbook), or restore a backup copy",
    ),
    "register.cannot_write": ("không ghi được {path}: {reason}", "cannot write {path}: {reason}"),
    "register.missing_sheet": (
        'sổ kế hoạch {path} thiếu trang tính "{sheet}"',
        'the register {path} has no sheet "{sheet}"',
    ),
    "register.missing_column": (
        'trang "{sheet}" của {path} thiếu cột "{column}"',
        'sheet "{sheet}" of {path} has no column "{column}"',
    ),
    "plan.missing_content": (
        'Nhiệm vụ {task} chưa có nội dung (rõ việc). Hãy ghi nội dung vào cột "Nội dung nhiệm vụ".',
        'Task {task} has no content. Write it in the "Nội dung nhiệm vụ" column.',
    ),
    "plan.missing_code": (
        'Dòng {row} có nội dung nhưng chưa có mã nhiệm vụ. Hãy ghi mã (ví dụ 1.1) vào cột "Mã NV".',
        'Row {row} has content but no task code. Write a code (e.g. 1.1) in the "Mã NV" column.',
    ),
    "plan.duplicate_code": (
        "Mã nhiệm vụ {task} bị trùng (đã có ở dòng {first_row}). Mỗi nhiệm vụ cần một mã riêng.",
        "Task code {task} is repeated (first at row {first_row}). Each task needs its own code.",
    ),
    "plan.missing_lead": (
        'Nhiệm vụ {task} chưa có cơ quan chủ trì (rõ người). Ghi mã đơn vị (ví dụ VP) vào cột "Chủ trì".',
        'Task {task} has no lead unit. Write a unit code (e.g. VP) in the "Chủ trì" column.',
    ),
    "plan.unknown_lead": (
        'Nhiệm vụ {task}: đơn vị chủ trì "{lead}" không có trong trang "Đơn vị". '
        'Ghi đúng mã đơn vị (một trong: {codes}) hoặc thêm đơn vị này vào trang "Đơn vị".',
        'Task {task}: lead unit "{lead}" is not on the "Đơn vị" sheet. '
        "Use one of the unit codes ({codes}) or add the unit.",
    ),
    "plan.missing_deadline": (
        'Nhiệm vụ {task} chưa có thời hạn (rõ thời gian). Ghi ngày vào cột "Thời hạn", '
        'hoặc đánh dấu x ở cột "Thường xuyên" nếu là nhiệm vụ thường xuyên.',
        'Task {task} has no deadline. Enter a date in "Thời hạn", or mark "Thường xuyên" with x '
        "for a recurring task.",
    ),
    "plan.deadline_fillable": (
        'Nhiệm vụ {task}: cột "Thời hạn"/"Thường xuyên" còn trống nhưng có thể điền từ "{words}". '
        'Chạy "baocao plan check --fix" để điền tự động.',
        'Task {task}: "Thời hạn"/"Thường xuyên" are blank but can be filled from "{words}". '
        'Run "baocao plan check --fix".',
    ),
    "plan.deadline_not_date": (
        'Nhiệm vụ {task}: "Thời hạn" là "{value}", không phải một ngày. '
        "Ghi ngày dạng dd/mm/yyyy (ví dụ 31/03/2025).",
        'Task {task}: "Thời hạn" is "{value}", not a date. Use dd/mm/yyyy (e.g. 31/03/2025).',
    ),
    "plan.deadline_words_unknown": (
        'Nhiệm vụ {task}: không hiểu được thời gian "{words}". Ghi rõ, ví dụ "Hoàn thành trong '
        'tháng 3/2025", "Trước ngày 30/6/2025", "Quý II/2025" hoặc "Thực hiện thường xuyên".',
        'Task {task}: cannot understand the timeline "{words}". Write e.g. "Hoàn thành trong tháng '
        '3/2025", "Trước ngày 30/6/2025", "Quý II/2025" or "Thực hiện thường xuyên".',
    ),
    "plan.deadline_disagrees": (
        'Nhiệm vụ {task}: "Thời hạn" {deadline} khác với thời gian trong kế hoạch "{words}" ({expected}). '
        "Kiểm tra lại một trong hai cột.",
        'Task {task}: "Thời hạn" {deadline} differs from the plan\'s words "{words}" ({expected}). '
        "Check one of the two columns.",
    ),
    "plan.bad_recurring_mark": (
        'Nhiệm vụ {task}: cột "Thường xuyên" chỉ ghi x hoặc để trống, đang là "{value}".',
        'Task {task}: "Thường xuyên" takes x or blank, got "{value}".',
    ),
    "plan.missing_product": (
        'Nhiệm vụ {task} chưa ghi sản phẩm (rõ kết quả). Nên ghi sản phẩm dự kiến vào cột "Sản phẩm".',
        'Task {task} has no expected product. Consider filling the "Sản phẩm" column.',
    ),
    "plan.no_tasks": ('Trang "Nhiệm vụ" chưa có nhiệm vụ nào.', 'The "Nhiệm vụ" sheet has no tasks.'),
    "plan.no_units": ('Trang "Đơn vị" chưa có đơn vị nào.', 'The "Đơn vị" sheet has no units.'),
    "plan.missing_unit_code": (
        'Dòng {row} của trang "Đơn vị" chưa có mã đơn vị. Ghi mã ngắn, không dấu (ví dụ VP).',
        'Row {row} of "Đơn vị" has no unit code. Write a short ASCII code (e.g. VP).',
    ),
    "plan.bad_unit_code": (
        'Mã đơn vị "{code}" chỉ được gồm chữ cái không dấu, chữ số, - hoặc _ (ví dụ VP, TCBC).',
        'Unit code "{code}" may only hold ASCII letters, digits, - or _ (e.g. VP, TCBC).',
    ),
    "plan.duplicate_unit": (
        "Mã đơn vị {code} bị trùng (đã có ở dòng {first_row}).",
        "Unit code {code} is repeated (first at row {first_row}).",
    ),
    "plan.missing_unit_name": ("Đơn vị {code} chưa có tên.", "Unit {code} has no name."),
    "plan.bad_email": (
        'Đơn vị {code}: "{value}" không phải địa chỉ email. Các địa chỉ cách nhau bằng dấu ;',
        'Unit {code}: "{value}" is not an email address. Separate addresses with ;',
    ),
    "plan.missing_plan_id": (
        'Trang "Kế hoạch" chưa có "Mã kế hoạch" (ví dụ KH-SNV-726).',
        'The "Kế hoạch" sheet has no "Mã kế hoạch" (e.g. KH-SNV-726).',
    ),
    "plan.bad_day": (
        '"{key}" phải là một ngày trong tháng từ 1 đến 28, đang là "{value}".',
        '"{key}" must be a day of the month from 1 to 28, got "{value}".',
    ),
    "plan.unknown_coordinator": (
        'Đơn vị đầu mối "{code}" không có trong trang "Đơn vị".',
        'Coordinator unit "{code}" is not on the "Đơn vị" sheet.',
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
    "plan.fixed": (
        "Đã điền thời hạn cho {count} nhiệm vụ vào {path}.",
        "Filled the deadline of {count} tasks in {path}.",
    ),
    "plan.nothing_to_fix": ("Không có thời hạn nào cần điền.", "No deadline needed filling."),
    "register.title": ("SỔ KẾ HOẠCH — THÔNG TIN CHUNG", "PLAN REGISTER — GENERAL INFORMATION"),
    "register.col_key": ("Thông tin", "Item"),
    "register.col_value": ("Giá trị", "Value"),
    "register.rule_lead": (
        'Chọn mã đơn vị có trong trang "Đơn vị".',
        'Choose a unit code from the "Đơn vị" sheet.',
    ),
    "register.rule_recurring": (
        "Ghi x nếu là nhiệm vụ thường xuyên, hoặc để trống.",
        "Write x for a recurring task, or leave it blank.",
    ),
    "register.rule_deadline": ("Ghi ngày dạng dd/mm/yyyy.", "Enter a date as dd/mm/yyyy."),
    "cli.metavar_command": ("<lệnh>", "<command>"),
    "task.recurring_short": ("Thường xuyên", "Recurring"),
    "severity.error": ("Lỗi", "Error"),
    "severity.warning": ("Cảnh báo", "Warning"),
    "severity.info": ("Đã tự sửa", "Corrected"),
    # --- templates (SPEC §5) -------------------------------------------------------------------------
    # (template messages)
    "template.unknown_unit": (
        'không có đơn vị mã "{code}" trong sổ kế hoạch; các mã hợp lệ: {codes}',
        'there is no unit "{code}" in the register; valid codes: {codes}',
    ),
    "template.master_missing": (
        'không tìm thấy mẫu báo cáo gốc {path}; chạy "baocao init" trong thư mục mới để lấy mẫu mặc định',
        'master template {path} not found; run "baocao init" in a new folder to get the default one',
    ),
    "template.master_unreadable": (
        "không đọc được mẫu báo cáo gốc {path}: {reason}",
        "cannot read the master template {path}: {reason}",
    ),
    "template.master_no_sheet": (
        'mẫu báo cáo gốc {path} thiếu trang tính "{sheet}"',
        'the master template {path} has no sheet "{sheet}"',
    ),
    "template.master_no_header": (
        'mẫu báo cáo gốc {path}: trang "{sheet}" không có dòng tiêu đề gồm đủ các cột {labels}',
        'master template {path}: sheet "{sheet}" has no header row with all of {labels}',
    ),
    "template.master_no_label": (
        'mẫu báo cáo gốc {path}: không thấy ô "{label}" phía trên dòng tiêu đề của trang "{sheet}"',
        'master template {path}: no cell "{label}" above the header row of sheet "{sheet}"',
    ),
    "template.cannot_write": (
        "không ghi được mẫu báo cáo {path}: {reason}",
        "cannot write the report template {path}: {reason}",
    ),
    "template.sample_row": (
        "(Dòng mẫu: định dạng của dòng này — phông chữ, viền, căn lề, định dạng số — được áp dụng cho mọi "
        "dòng nhiệm vụ khi tạo mẫu cho các đơn vị.)",
        "(Sample row: its format — font, borders, alignment, number formats — is applied to every task row "
        "of the units' templates.)",
    ),
    "template.recurring_note": (
        "(Thời hạn {deadline}, sau đó thực hiện thường xuyên.)",
        "(Due {deadline}, then carried out on a recurring basis.)",
    ),
    "template.coordinator_default": ("đơn vị đầu mối tổng hợp", "the coordinating unit"),
    "template.send_email": (
        "gửi tệp qua email tới {email} hoặc chép vào thư mục dùng chung của {coordinator}",
        "email the file to {email} or copy it into the shared folder of {coordinator}",
    ),
    "template.send_any": (
        "gửi tệp qua email cho {coordinator} hoặc chép vào thư mục dùng chung đã được thông báo",
        "email the file to {coordinator} or copy it into the shared folder you were given",
    ),
    "template.page_footer": ("Trang &P/&N", "Page &P of &N"),
    "template.prompt.status.title": ("Tình trạng thực hiện", "Status"),
    "template.prompt.status": (
        "Chọn trong danh sách: Chưa triển khai, Đang thực hiện hoặc Hoàn thành. "
        "Chọn Hoàn thành thì phải ghi Ngày hoàn thành và Tiến độ 100.",
        "Pick from the list: Chưa triển khai (not started), Đang thực hiện (in progress) or Hoàn thành "
        "(done). Hoàn thành needs a completion date and progress 100.",
    ),
    "template.error.status.title": ("Tình trạng không hợp lệ", "Status not valid"),
    "template.error.status": (
        "Chỉ chọn một trong ba giá trị của danh sách: Chưa triển khai, Đang thực hiện, Hoàn thành.",
        "Pick one of the three values of the list: Chưa triển khai, Đang thực hiện, Hoàn thành.",
    ),
    "template.prompt.date.title": ("Ngày hoàn thành", "Completion date"),
    "template.prompt.date": (
        "Chỉ ghi khi nhiệm vụ đã hoàn thành. Ghi ngày dạng dd/mm/yyyy, ví dụ 25/03/2025.",
        "Only when the task is done. Write the date as dd/mm/yyyy (day first), e.g. 25/03/2025.",
    ),
    "template.error.date.title": ("Ngày không hợp lệ", "Date not valid"),
    "template.error.date": (
        "Ghi một ngày dạng dd/mm/yyyy (ví dụ 25/03/2025), không sớm hơn ngày {start}.",
        "Write a date as dd/mm/yyyy (e.g. 25/03/2025), not before {start}.",
    ),
    "template.prompt.progress.title": ("Tiến độ (%)", "Progress (%)"),
    "template.prompt.progress": (
        "Ghi số nguyên từ 0 đến 100, không ghi dấu %. Nhiệm vụ đã hoàn thành ghi 100.",
        "A whole number from 0 to 100, without the % sign. A finished task is 100.",
    ),
    "template.error.progress.title": ("Tiến độ không hợp lệ", "Progress not valid"),
    "template.error.progress": (
        "Tiến độ là số nguyên từ 0 đến 100, không kèm dấu % hay chữ.",
        "Progress is a whole number from 0 to 100, without % or words.",
    ),
    "template.prompt.results.title": ("Kết quả thực hiện", "Results"),
    "template.prompt.results": (
        "Nêu kết quả cụ thể đã đạt được đến thời điểm báo cáo: việc đã làm, số liệu, sản phẩm. "
        "Bắt buộc với nhiệm vụ đã triển khai.",
        "What has been achieved so far: work done, figures, products. Required once the task has started.",
    ),
    "template.prompt.difficulties.title": ("Khó khăn, vướng mắc", "Difficulties"),
    "template.prompt.difficulties": (
        "Nêu khó khăn, vướng mắc và nguyên nhân, nếu có. Để trống nếu không có.",
        "Difficulties and their causes, if any. Leave blank if none.",
    ),
    "template.prompt.proposals.title": ("Đề xuất, kiến nghị", "Proposals"),
    "template.prompt.proposals": (
        "Nêu đề xuất, kiến nghị để tháo gỡ khó khăn, nếu có. Để trống nếu không có.",
        "Proposals to remove the difficulties, if any. Leave blank if none.",
    ),
    "template.prompt.evidence.title": ("Văn bản, minh chứng", "Documents, evidence"),
    "template.prompt.evidence": (
        "Ghi số, ký hiệu, ngày của văn bản hoặc đường dẫn tài liệu làm minh chứng, ví dụ: "
        "Công văn số 123/SNV-VP ngày 10/03/2025.",
        "Number, symbol and date of the documents, or links, that show the result, e.g. "
        "Công văn số 123/SNV-VP ngày 10/03/2025.",
    ),
    "template.error.text.title": ("Nội dung quá dài", "Text too long"),
    "template.error.text": (
        "Tối đa {limit} ký tự. Hãy tóm tắt và ghi văn bản chi tiết ở cột Văn bản, minh chứng.",
        "At most {limit} characters. Summarise, and name the detailed document in Văn bản, minh chứng.",
    ),
    "template.prompt.support_code.title": ("Mã nhiệm vụ phối hợp", "Code of a supported task"),
    "template.prompt.support_code": (
        "Dòng Phối hợp: ghi mã nhiệm vụ (ví dụ 2.2) do đơn vị khác chủ trì mà đơn vị mình tham gia "
        "phối hợp. Để trống nếu không có.",
        "Phối hợp row: the code (e.g. 2.2) of a task led by another unit that your unit contributes to. "
        "Leave blank if none.",
    ),
    "template.error.support_code.title": ("Mã nhiệm vụ quá dài", "Task code too long"),
    "template.error.support_code": (
        "Mã nhiệm vụ ngắn, ví dụ 2.2 (tối đa {limit} ký tự).",
        "A task code is short, e.g. 2.2 (at most {limit} characters).",
    ),
    "template.prompt.support_content.title": ("Nội dung phối hợp", "Contribution"),
    "template.prompt.support_content": (
        "Dòng Phối hợp: tóm tắt phần việc đơn vị mình phối hợp thực hiện và đơn vị chủ trì.",
        "Phối hợp row: a short description of your unit's contribution and the lead unit.",
    ),
    "template.guide.title": ("HƯỚNG DẪN ĐIỀN MẪU BÁO CÁO", "HOW TO FILL IN THE REPORT TEMPLATE"),
    "template.guide.for": ("Đơn vị: {unit}. Kỳ báo cáo: tháng {period}.", "Unit: {unit}. Period: {period}."),
    "template.guide.deadline": (
        "Hạn gửi: trước ngày {deadline}. Tệp nhận được từ ngày {deadline} trở đi được ghi nhận là gửi muộn.",
        "Deadline: before {deadline}. A file received on {deadline} or later counts as late.",
    ),
    "template.guide.send": ("Cách gửi: {how}.", "How to send: {how}."),
    "template.guide.contact": (
        "Cần hỗ trợ khi điền mẫu, xin liên hệ {coordinator}.",
        "For help with the template, contact {coordinator}.",
    ),
    "template.guide.columns_heading": (
        '1. Cách điền từng cột của trang "Báo cáo"',
        '1. How to fill each column of the "Báo cáo" sheet',
    ),
    "template.guide.column": ("Cột", "Column"),
    "template.guide.how": ("Cách điền", "How to fill it"),
    "template.guide.col.code": (
        'Mã nhiệm vụ trong kế hoạch, đã điền sẵn, không sửa. Ở dòng "Phối hợp": ghi mã nhiệm vụ do đơn vị '
        "khác chủ trì mà đơn vị mình tham gia phối hợp (nếu có).",
        'The task\'s code in the plan, pre-filled, do not change it. In a "Phối hợp" row: the code of a '
        "task led by another unit that your unit contributes to (if any).",
    ),
    "template.guide.col.content": (
        'Nội dung nhiệm vụ theo kế hoạch, đã điền sẵn, không sửa. Ở dòng "Phối hợp": tóm tắt phần việc '
        "phối hợp.",
        'The task as written in the plan, pre-filled, do not change it. In a "Phối hợp" row: a short '
        "description of the contribution.",
    ),
    "template.guide.col.role": (
        '"Chủ trì": nhiệm vụ đơn vị được giao chủ trì, mỗi nhiệm vụ một dòng, phải báo cáo đủ. '
        '"Phối hợp": các dòng trống dành cho phần việc phối hợp với đơn vị khác; không dùng thì để trống.',
        '"Chủ trì": a task your unit leads, one row each, all must be reported. "Phối hợp": blank rows '
        "for contributions to other units' tasks; leave them blank if unused.",
    ),
    "template.guide.col.deadline": (
        'Thời hạn hoàn thành theo kế hoạch (dd/mm/yyyy) hoặc "Thường xuyên"; đã điền sẵn, không sửa.',
        'The plan\'s deadline (dd/mm/yyyy) or "Thường xuyên" (recurring); pre-filled, do not change it.',
    ),
    "template.guide.col.status": (
        "Chọn trong danh sách (mục 2). Bắt buộc với mọi nhiệm vụ chủ trì.",
        "Pick from the list (section 2). Required for every task your unit leads.",
    ),
    "template.guide.col.date": (
        'Ngày hoàn thành, dạng dd/mm/yyyy (ví dụ 25/03/2025). Bắt buộc khi Tình trạng là "Hoàn thành"; '
        "để trống nếu chưa hoàn thành.",
        "Completion date as dd/mm/yyyy, day first (e.g. 25/03/2025). Required when the status is "
        '"Hoàn thành"; blank otherwise.',
    ),
    "template.guide.col.progress": (
        "Mức độ hoàn thành, số nguyên từ 0 đến 100, không ghi dấu %. Đã hoàn thành thì ghi 100.",
        "How far the task is done, a whole number from 0 to 100, without %. A finished task is 100.",
    ),
    "template.guide.col.results": (
        "Kết quả cụ thể đã đạt được đến thời điểm báo cáo (việc đã làm, số liệu, sản phẩm). Bắt buộc khi "
        "nhiệm vụ đã triển khai.",
        "What has been achieved so far (work done, figures, products). Required once the task has started.",
    ),
    "template.guide.col.difficulties": (
        "Khó khăn, vướng mắc và nguyên nhân, nếu có.",
        "Difficulties and their causes, if any.",
    ),
    "template.guide.col.proposals": (
        "Đề xuất, kiến nghị để tháo gỡ khó khăn, nếu có.",
        "Proposals to remove the difficulties, if any.",
    ),
    "template.guide.col.evidence": (
        "Văn bản, sản phẩm làm minh chứng: số, ký hiệu, ngày văn bản hoặc đường dẫn tài liệu.",
        "Documents or products that show the result: number, symbol and date, or a link.",
    ),
    "template.guide.status_heading": ('2. Chọn "Tình trạng"', "2. Choosing the status"),
    "template.guide.when": ("Khi nào chọn", "When to choose it"),
    "template.guide.status.not_started": (
        'Nhiệm vụ chưa bắt đầu thực hiện. Tiến độ ghi 0 và nêu lý do ở cột "Khó khăn, vướng mắc".',
        'Not started yet. Progress 0, and give the reason under "Khó khăn, vướng mắc".',
    ),
    "template.guide.status.in_progress": (
        "Đã bắt đầu nhưng chưa xong, kể cả nhiệm vụ thường xuyên đang được thực hiện. Ghi Tiến độ (%) và "
        "kết quả đã đạt được.",
        "Started but not finished, including a recurring task being carried out. Give the progress and "
        "the results so far.",
    ),
    "template.guide.status.done": (
        "Đã hoàn thành toàn bộ nhiệm vụ. Bắt buộc ghi Ngày hoàn thành, Tiến độ 100 và văn bản, sản phẩm "
        "minh chứng.",
        "The whole task is done. A completion date, progress 100 and the evidence are required.",
    ),
    "template.guide.notes_heading": ("3. Lưu ý", "3. Please note"),
    "template.guide.note.done": (
        'Chọn "Hoàn thành" thì phải ghi "Ngày hoàn thành" và "Tiến độ (%)" là 100.',
        '"Hoàn thành" needs a "Ngày hoàn thành" (completion date) and "Tiến độ (%)" of 100.',
    ),
    "template.guide.note.sheets": (
        "Không đổi tên, xóa hay thêm trang tính; không sửa tên cột ở dòng tiêu đề; không thêm hay xóa cột.",
        "Do not rename, delete or add sheets; do not change the header labels; do not add or delete columns.",
    ),
    "template.guide.note.locked": (
        "Các cột điền sẵn đã được khóa, chỉ điền vào các ô để trống. Có thể kéo rộng cột, kéo cao dòng để "
        "dễ đọc.",
        "The pre-filled columns are locked: fill only the blank cells. You may widen columns and rows "
        "to read more easily.",
    ),
    "template.guide.note.formulas": (
        "Ghi nội dung bằng chữ, số, ngày; không dùng công thức.",
        "Type text, numbers and dates; do not use formulas.",
    ),
    "template.guide.note.save": (
        "Lưu tệp dạng Excel (.xlsx), giữ nguyên tên tệp {file}. Dùng LibreOffice hoặc WPS thì chọn định dạng "
        '"Excel 2007-365 (.xlsx)" khi lưu.',
        "Save as an Excel workbook (.xlsx) and keep the file name {file}. In LibreOffice or WPS choose "
        '"Excel 2007-365 (.xlsx)" when saving.',
    ),
    "template.guide.note.resend": (
        "Cần sửa sau khi đã gửi: gửi lại cả tệp đã sửa; tệp nhận được sau cùng được dùng để tổng hợp.",
        "To correct a report already sent, send the whole corrected file again: the last one received is used.",
    ),
    # --- plan import (SPEC §8, issue 4) ----------------------------------------------------------------
    # (import messages)
    "import.read": ("Đã đọc kế hoạch từ {path}:", "Plan read from {path}:"),
    "import.none": ("(không có)", "(none)"),
    "import.plan_id": ("  Mã kế hoạch: {value}", "  Plan id: {value}"),
    "import.number": ("  Số, ký hiệu: {value}", "  Number and symbol: {value}"),
    "import.title": ("  Tên kế hoạch: {value}", "  Title: {value}"),
    "import.issuer": ("  Cơ quan ban hành: {value}", "  Issued by: {value}"),
    "import.signed": ("  Ngày ký: {value}", "  Signed on: {value}"),
    "import.submit_day": (
        '  Hạn nộp báo cáo của các đơn vị: trước ngày {day} hằng tháng (kế hoạch ghi "{words}")',
        '  Units report: before day {day} of each month (the plan says "{words}")',
    ),
    "import.submit_day_default": (
        "  Hạn nộp báo cáo của các đơn vị: trước ngày {day} hằng tháng (mặc định, kế hoạch không ghi)",
        "  Units report: before day {day} of each month (default, the plan does not say)",
    ),
    "import.ubnd_day": (
        '  Hạn báo cáo UBND tỉnh: trước ngày {day} hằng tháng (kế hoạch ghi "{words}")',
        '  Report to the People\'s Committee: before day {day} of each month (the plan says "{words}")',
    ),
    "import.ubnd_day_default": (
        "  Hạn báo cáo UBND tỉnh: trước ngày {day} hằng tháng (mặc định, kế hoạch không ghi riêng)",
        "  Report to the People's Committee: before day {day} of each month (default, the plan does not say)",
    ),
    "import.coordinator": (
        "  Đơn vị đầu mối tổng hợp: {code} — {name}",
        "  Coordinating unit: {code} — {name}",
    ),
    "import.units": ("Đơn vị ({count}):", "Units ({count}):"),
    "import.unit": ("  {code} — {name}", "  {code} — {name}"),
    "import.tasks": ("Nhiệm vụ ({count}):", "Tasks ({count}):"),
    "import.no_tasks_line": ("Không tìm thấy nhiệm vụ nào.", "No tasks found."),
    "import.task": (
        "  {code}. {content} — chủ trì: {lead}; thời hạn: {deadline}",
        "  {code}. {content} — lead: {lead}; deadline: {deadline}",
    ),
    "import.missing_header": (
        'Còn thiếu theo nguyên tắc "5 rõ" (bổ sung vào sổ kế hoạch):',
        'Missing by the "5 rõ" rule (complete them in the register):',
    ),
    "import.missing_task": ("  Nhiệm vụ {task}: {items}", "  Task {task}: {items}"),
    "import.missing.lead": ("chưa có cơ quan chủ trì (rõ người)", "no lead unit"),
    "import.missing.deadline": ("chưa có thời hạn (rõ thời gian)", "no deadline"),
    "import.missing.words": ("thời hạn ghi không rõ (rõ thời gian)", "a deadline that cannot be understood"),
    "import.missing.product": ("chưa có sản phẩm (rõ kết quả)", "no expected product"),
    "import.complete": ('Mọi nhiệm vụ đều đủ "5 rõ".', 'Every task meets the "5 rõ" rule.'),
    "import.written": ("Đã ghi sổ kế hoạch: {path}", "Register written: {path}"),
    "import.next": (
        'Tiếp theo: mở sổ kế hoạch, kiểm tra và điền các ô còn thiếu, rồi chạy "baocao plan check".',
        'Next: open the register, check it and fill what is missing, then run "baocao plan check".',
    ),
    "import.exists": (
        "đã có sổ kế hoạch {path}; không ghi đè. Dùng --force để thay bằng kế hoạch vừa đọc, "
        "hoặc --out để ghi ra tệp khác",
        "the register {path} already exists; nothing overwritten. Use --force to replace it, "
        "or --out to write another file",
    ),
    "import.is_folder": ("đây là một thư mục", "it is a folder"),
    "import.file_missing": ("không tìm thấy tệp {path}", "file {path} not found"),
    "import.cannot_open": ("không mở được tệp {path}: {reason}", "cannot open {path}: {reason}"),
    "import.file_empty": ("tệp {path} rỗng, không có nội dung", "file {path} is empty"),
    "import.too_big": (
        "tệp {path} quá lớn (giới hạn {mb} MB), không phải một văn bản kế hoạch thông thường",
        "file {path} is too large (limit {mb} MB) for a plan document",
    ),
    "import.unsupported": (
        'không đọc được định dạng "{ext}" ({path}); hãy dùng tệp Word (.docx), PDF (.pdf) '
        "hoặc văn bản (.txt)",
        'cannot read the "{ext}" format ({path}); use a Word (.docx), PDF (.pdf) or text (.txt) file',
    ),
    "import.old_doc": (
        "{path} là tệp Word cũ (.doc); hãy mở bằng Word hoặc LibreOffice, lưu thành .docx rồi nhập lại",
        "{path} is an old Word file (.doc); open it in Word or LibreOffice, save it as .docx and import that",
    ),
    "import.bad_docx": (
        "{path} không phải tệp Word .docx hợp lệ (tệp hỏng hoặc bị đổi đuôi)",
        "{path} is not a valid Word .docx file (damaged or renamed)",
    ),
    "import.bad_pdf": (
        "{path} không phải tệp PDF hợp lệ (tệp hỏng hoặc bị đổi đuôi)",
        "{path} is not a valid PDF file (damaged or renamed)",
    ),
    "import.pdf_encrypted": (
        "tệp PDF {path} có mật khẩu; hãy gỡ mật khẩu rồi nhập lại",
        "the PDF {path} is password-protected; remove the password and import again",
    ),
    "import.pdf_no_text": (
        "tệp PDF {path} không có lớp chữ (có thể là bản chụp, bản quét); hãy dùng bản Word hoặc PDF có chữ",
        "the PDF {path} has no text (probably a scan); use the Word file or a PDF with text",
    ),
    "import.bad_text": (
        "{path} không phải tệp văn bản thuần (.txt)",
        "{path} is not a plain text (.txt) file",
    ),
    "import.no_text": ("không tìm thấy chữ nào trong {path}", "no text found in {path}"),
    "plan.import_appendix_missing": (
        "Kế hoạch ghi các nhiệm vụ cụ thể ở Phụ lục, nhưng Phụ lục không có trong tài liệu này. "
        "Mới đọc được {count} nhiệm vụ chung (liệt kê ở trên); hãy bổ sung các nhiệm vụ của Phụ lục vào "
        "sổ kế hoạch, hoặc nhập lại từ bản Word có kèm Phụ lục.",
        "The plan puts its specific tasks in an appendix (Phụ lục) that this document does not contain. "
        "Only {count} general tasks were read (listed above); add the appendix tasks to the register, or "
        "import the Word file that includes the appendix.",
    ),
    "plan.import_appendix_unreadable": (
        "Tài liệu có Phụ lục nhưng không đọc được bảng nhiệm vụ trong đó (bảng trong PDF hoặc văn bản "
        "thuần không tách được cột). Mới đọc được {count} nhiệm vụ; hãy nhập từ bản Word (.docx) của kế "
        "hoạch, hoặc bổ sung nhiệm vụ vào sổ kế hoạch.",
        "The document has an appendix but its task table could not be read (a table in a PDF or plain "
        "text has no columns). Only {count} tasks were read; import the Word (.docx) file of the plan, or "
        "add the tasks to the register.",
    ),
    "plan.import_general_skipped": (
        "Đã bỏ qua {count} nhiệm vụ chung không ghi đơn vị chủ trì, thời hạn, vì bảng Phụ lục đã liệt kê "
        "các nhiệm vụ cụ thể.",
        "{count} general tasks without lead or deadline were left out: the appendix table lists the "
        "specific tasks.",
    ),
    "plan.import_no_tasks": (
        'Không tìm thấy nhiệm vụ nào trong tài liệu (mục "Nội dung", "Nhiệm vụ" hoặc bảng Phụ lục). '
        'Hãy nhập nhiệm vụ vào trang "Nhiệm vụ" của sổ kế hoạch.',
        'No tasks found in the document (a "Nội dung"/"Nhiệm vụ" section or an appendix table). '
        'Enter the tasks on the "Nhiệm vụ" sheet of the register.',
    ),
    "plan.import_duplicate_code": (
        "Mã nhiệm vụ {task} xuất hiện nhiều lần; nhiệm vụ sau được ghi mã {new}.",
        "Task code {task} appears more than once; the later task is written as {new}.",
    ),
    "plan.import_several_leads": (
        'Nhiệm vụ {task} ghi nhiều cơ quan chủ trì; đã lấy {lead} làm chủ trì, ghi "{others}" vào cột '
        '"Phối hợp".',
        'Task {task} names several lead units; {lead} is taken as lead and "{others}" is written under '
        '"Phối hợp".',
    ),
    "plan.import_no_report_day": (
        'Không tìm thấy hạn nộp báo cáo hằng tháng (ví dụ "trước ngày 16 hàng tháng"); đã dùng mặc định '
        "trước ngày {day}.",
        'No monthly reporting day found (e.g. "trước ngày 16 hàng tháng"); the default, before day {day}, '
        "is used.",
    ),
    "plan.import_ubnd_day_assumed": (
        "Kế hoạch không ghi riêng hạn báo cáo UBND tỉnh; đã dùng mặc định trước ngày {day}.",
        "The plan gives no separate day for the report to the People's Committee; before day {day} is used.",
    ),
    "plan.import_day_clamped": (
        'Hạn "{words}" rơi sau ngày 28; sổ kế hoạch ghi trước ngày 28 để tháng nào cũng áp dụng được.',
        'The day in "{words}" is after the 28th; the register uses before day 28 so it fits every month.',
    ),
    "plan.import_no_title": (
        'Không tìm thấy tên kế hoạch (dòng sau chữ "KẾ HOẠCH"); hãy ghi vào "Tên kế hoạch".',
        'No plan title found (the line after "KẾ HOẠCH"); fill in "Tên kế hoạch".',
    ),
    "plan.import_no_issuer": (
        'Không tìm thấy cơ quan ban hành ("… ban hành Kế hoạch"); hãy ghi vào "Cơ quan ban hành".',
        'No issuing body found ("… ban hành Kế hoạch"); fill in "Cơ quan ban hành".',
    ),
    # --- collect: intake and reading (SPEC §6, §12) ------------------------------------------------------------
    # (read messages)
    "file.truncated": (
        "Tệp bị cắt cụt, không đầy đủ (phần cuối của tệp bị mất, thường do tải xuống hoặc chép tệp chưa "
        "xong). Hãy mở tệp báo cáo trên máy của đơn vị, kiểm tra rồi gửi lại toàn bộ tệp.",
        "The file is truncated: its end is missing (a download or copy that did not finish). Open the "
        "report on the unit's computer, check it and send the whole file again.",
    ),
    "file.wrong_format": (
        "Tệp mang đuôi của bảng tính nhưng thực chất là {kind}, không phải tệp Excel hay LibreOffice. Hãy "
        "mở tệp mẫu báo cáo đã gửi, điền vào đó rồi lưu dạng Sổ làm việc Excel (.xlsx) và gửi lại.",
        "The file has a spreadsheet's extension but is really {kind}, not an Excel or LibreOffice file. "
        "Open the report template you were sent, fill it in, save it as an Excel workbook (.xlsx) and send "
        "it again.",
    ),
    "file.kind.html": ("một trang web (HTML)", "a web page (HTML)"),
    "file.kind.csv": (
        "một tệp văn bản CSV (các giá trị cách nhau bằng dấu phẩy, chấm phẩy hoặc tab)",
        "a CSV text file (values separated by commas, semicolons or tabs)",
    ),
    "file.kind.text": ("một tệp văn bản thuần (không có bảng tính)", "a plain text file (no spreadsheet)"),
    "file.kind.xml_2003": (
        "một tệp XML Spreadsheet 2003 (định dạng XML cũ của Excel)",
        "an XML Spreadsheet 2003 file (Excel's old XML format)",
    ),
    "file.kind.pdf": ("một tài liệu PDF", "a PDF document"),
    "file.kind.rtf": ("một văn bản RTF", "an RTF document"),
    "file.zip_bomb": (
        "Tệp bị từ chối vì phần nén bên trong bung ra quá lớn ({detail}): dấu hiệu của tệp độc hại kiểu "
        '"bom nén" (zip bomb). Một báo cáo thật chỉ vài trăm KB; hãy lưu lại báo cáo từ mẫu đã gửi rồi '
        "gửi lại.",
        "The file is rejected because a compressed part inside it inflates far too much ({detail}): the "
        'mark of a hostile "zip bomb". A real report is a few hundred KB; save the report again from the '
        "template you were sent and send it again.",
    ),
    "file.detail.zip_ratio": (
        "phần {part} nén {ratio} lần, giới hạn {limit} lần",
        "part {part} compressed {ratio} times, limit {limit}",
    ),
    "file.detail.zip_size_lie": (
        "phần {part} khai {declared} byte nhưng bung ra nhiều hơn",
        "part {part} declares {declared} bytes but inflates to more",
    ),
    "file.empty": (
        "Tệp rỗng (0 byte), không có nội dung để đọc. Hãy mở tệp báo cáo đã điền, lưu lại và gửi lại tệp đó.",
        "The file is empty (0 bytes). Open the filled-in report, save it and send that file again.",
    ),
    "file.unreadable": (
        "Không đọc được tệp ({detail}). Hãy mở tệp bằng Excel hoặc LibreOffice để kiểm tra, lưu lại dạng "
        "Excel (.xlsx) rồi gửi lại.",
        "The file cannot be read ({detail}). Open it in Excel or LibreOffice to check it, save it as an Excel "
        "workbook (.xlsx) and send it again.",
    ),
    "file.detail.not_spreadsheet": (
        "nội dung không phải là bảng tính Excel hoặc LibreOffice",
        "the content is not an Excel or LibreOffice spreadsheet",
    ),
    "file.encrypted": (
        "Tệp được đặt mật khẩu nên không đọc được. Hãy gỡ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) "
        "hoặc lưu một bản không đặt mật khẩu rồi gửi lại.",
        "The file is password-protected and cannot be read. Remove the password (File > Info > Protect "
        "Workbook) or save an unprotected copy and send it again.",
    ),
    "file.unsafe": (
        "Tệp chứa khai báo XML không an toàn (DTD trong phần {part}) nên bị từ chối. Hãy mở tệp mẫu gốc, "
        "chép nội dung báo cáo vào, lưu lại bằng Excel hoặc LibreOffice rồi gửi lại.",
        "The file holds an unsafe XML declaration (a DTD in part {part}) and is rejected. Open the original "
        "template, copy the report into it, save it with Excel or LibreOffice and send it again.",
    ),
    "file.no_report_sheet": (
        "Không tìm thấy bảng báo cáo: không trang nào có dòng tiêu đề với các cột {labels}. Hãy dùng đúng "
        'mẫu báo cáo đã gửi (trang "{sheet}"), giữ nguyên dòng tiêu đề, rồi gửi lại.',
        "No report table found: no sheet has a header row with the columns {labels}. Use the report "
        'template you were sent (sheet "{sheet}"), keep its header row, and send it again.',
    ),
    "file.sheet_too_large": (
        'Trang "{sheet}" có vùng dữ liệu quá lớn để đọc ({rows} dòng × {cols} cột), thường do có ô '
        "được gõ ở rất xa bảng báo cáo. Hãy nhấn Ctrl+End để tìm ô cuối cùng, xóa các dòng và cột thừa, "
        "lưu lại rồi gửi lại.",
        'Sheet "{sheet}" has a used area too large to read ({rows} rows × {cols} columns), usually a '
        "cell typed far away from the report table. Press Ctrl+End to find the last cell, delete the extra "
        "rows and columns, save and send it again.",
    ),
    "file.missing_column": (
        'Không tìm thấy cột "{column}" ở dòng tiêu đề (dòng {row}) của trang "{sheet}". Hãy giữ nguyên '
        "các cột và tiêu đề cột như trong mẫu đã gửi.",
        'Column "{column}" is missing from the header row (row {row}) of sheet "{sheet}". Keep the '
        "columns and their headings as they are in the template.",
    ),
    # --- collect: identification and row rules (SPEC §6) ---------------------------------------------------------
    # (validate messages)
    "identify.source.meta": ("thông tin ẩn của mẫu (_meta)", "the template's hidden data (_meta)"),
    "identify.source.unit_cell": ('ô "Đơn vị:"', 'the "Đơn vị:" cell'),
    "identify.source.file_name": ("tên tệp", "the file name"),
    "identify.source.sender": ("địa chỉ email người gửi", "the sender's address"),
    "file.unknown_unit": (
        'Không xác định được tệp này của đơn vị nào (ô "Đơn vị:" ghi "{value}"). Hãy dùng đúng mẫu '
        'báo cáo đã gửi cho đơn vị mình, hoặc ghi tên đơn vị vào ô "Đơn vị:" (một trong: {units}), '
        "rồi gửi lại.",
        'Cannot tell which unit this file is from (the "Đơn vị:" cell says "{value}"). Use the '
        'template your unit was sent, or write the unit\'s name in the "Đơn vị:" cell (one of: {units}), '
        "and send it again.",
    ),
    "file.unit_mismatch": (
        "Tệp được xác định là của {unit} theo {source}, nhưng {other_source} cho biết là {other}. Tệp được "
        "tính cho {unit}; nếu không đúng, hãy gửi lại bằng mẫu báo cáo của chính đơn vị mình.",
        "The file is taken as {unit}'s from {source}, but {other_source} says {other}. It is counted for "
        "{unit}; if that is wrong, send it again on your own unit's template.",
    ),
    "file.unknown_period": (
        'Không xác định được kỳ báo cáo của tệp (ô "Kỳ báo cáo:" ghi "{value}"). Hãy ghi tháng báo cáo '
        'dạng MM/YYYY (ví dụ 03/2025) vào ô "Kỳ báo cáo:", hoặc dùng mẫu của kỳ này, rồi gửi lại.',
        'Cannot tell the reporting month of the file (the "Kỳ báo cáo:" cell says "{value}"). Write '
        'the month as MM/YYYY (e.g. 03/2025) in the "Kỳ báo cáo:" cell, or use this period\'s template, '
        "and send it again.",
    ),
    "file.period_mismatch": (
        'Ô "Kỳ báo cáo:" ghi tháng {period} nhưng mẫu được tạo cho tháng {meta}. Tệp được tính cho tháng '
        "{period}; hãy dùng mẫu của đúng kỳ báo cáo, vì danh sách nhiệm vụ có thể đã thay đổi.",
        'The "Kỳ báo cáo:" cell says {period} but the template was made for {meta}. The file is counted '
        "for {period}; use the template of the right period, as the task list may have changed.",
    ),
    "file.bad_period": (
        'Ô "Kỳ báo cáo:" ghi "{value}", không đọc được là một tháng; kỳ {period} được lấy theo {source}. '
        "Hãy ghi kỳ báo cáo dạng MM/YYYY (ví dụ 03/2025).",
        'The "Kỳ báo cáo:" cell says "{value}", which is not a month; period {period} was taken from '
        "{source}. Write the period as MM/YYYY (e.g. 03/2025).",
    ),
    "row.formula": (
        'Ô cột "{column}" chứa công thức; giá trị đang hiển thị được dùng. Hãy gõ trực tiếp nội dung, '
        "không dùng công thức.",
        'The "{column}" cell holds a formula; its displayed value is used. Type the value itself, '
        "not a formula.",
    ),
    "row.error_value": (
        'Ô cột "{column}" chứa giá trị lỗi {value} (thường do công thức hoặc do dán từ tệp khác) nên không '
        "được dùng. Hãy xóa và gõ lại nội dung của ô.",
        'The "{column}" cell holds the error value {value} (usually from a formula or a paste from '
        "another file), so it is not used. Clear it and type the content again.",
    ),
    "row.missing_task": (
        "Dòng có nội dung báo cáo nhưng chưa ghi mã nhiệm vụ nên không được dùng. Hãy ghi mã nhiệm vụ "
        '(ví dụ 2.2) vào cột "Mã NV".',
        "The row has report content but no task code, so it is not used. Write the task code (e.g. 2.2) "
        'in the "Mã NV" column.',
    ),
    "row.unknown_task": (
        'Mã nhiệm vụ "{task}" không có trong kế hoạch nên dòng không được dùng. Hãy ghi đúng một trong các '
        "mã: {codes}.",
        'Task code "{task}" is not in the plan, so the row is not used. Use one of the codes: {codes}.',
    ),
    "row.duplicate_task": (
        "Nhiệm vụ {task} đã được báo cáo ở dòng {row}; dòng này không được dùng. Hãy gộp nội dung vào một "
        "dòng và xóa dòng trùng.",
        "Task {task} is already reported on row {row}; this row is not used. Merge the content into one "
        "row and delete the repeated one.",
    ),
    "row.bad_role": (
        'Vai trò "{value}" không rõ; vai trò được lấy theo kế hoạch. Hãy ghi "Chủ trì" hoặc "Phối hợp".',
        'Role "{value}" is not clear; the plan\'s role is used. Write "Chủ trì" or "Phối hợp".',
    ),
    "row.not_lead": (
        "Nhiệm vụ {task} do {lead} chủ trì, nên dòng này được tính là phần phối hợp của đơn vị. Hãy ghi "
        'Vai trò là "Phối hợp".',
        'Task {task} is led by {lead}, so this row counts as your unit\'s contribution. Write "Phối hợp" '
        "as the role.",
    ),
    "row.role_is_lead": (
        "Đơn vị là cơ quan chủ trì nhiệm vụ {task}, nên dòng này được tính là báo cáo chủ trì. Hãy ghi "
        'Vai trò là "Chủ trì" và báo cáo nhiệm vụ trên một dòng.',
        'Your unit leads task {task}, so this row counts as the lead report. Write "Chủ trì" as the role '
        "and report the task on one row.",
    ),
    "row.missing_status": (
        "Nhiệm vụ {task} chưa chọn Tình trạng nên chưa được tính là đã báo cáo. Hãy chọn một trong: {allowed}.",
        "Task {task} has no status, so it does not count as reported. Pick one of: {allowed}.",
    ),
    "row.bad_status": (
        'Tình trạng "{value}" không thuộc danh sách nên dòng không được dùng. Hãy chọn một trong: {allowed}.',
        'Status "{value}" is not one of the list, so the row is not used. Pick one of: {allowed}.',
    ),
    "row.status_corrected": (
        'Tình trạng "{value}" được hiểu là "{status}". Lần sau hãy chọn giá trị trong danh sách.',
        'Status "{value}" was read as "{status}". Next time pick the value from the list.',
    ),
    "row.bad_date": (
        'Ngày hoàn thành "{value}" không phải một ngày nên không được dùng. Hãy ghi ngày dạng dd/mm/yyyy '
        "(ví dụ 25/03/2025).",
        'Completion date "{value}" is not a date, so it is not used. Write it as dd/mm/yyyy '
        "(e.g. 25/03/2025).",
    ),
    "row.missing_completion_date": (
        "Nhiệm vụ {task} ghi Hoàn thành nhưng chưa có Ngày hoàn thành; tạm lấy ngày nhận tệp {received} "
        "để đánh giá. Hãy ghi ngày hoàn thành dạng dd/mm/yyyy.",
        "Task {task} is marked Hoàn thành without a completion date; the file's received date {received} "
        "is used to evaluate it. Write the completion date as dd/mm/yyyy.",
    ),
    "row.future_date": (
        "Ngày hoàn thành {date} sau ngày nhận tệp {received} nên không được dùng. Hãy kiểm tra lại ngày "
        "(ghi ngày trước, tháng sau: dd/mm/yyyy).",
        "Completion date {date} is after the file was received ({received}), so it is not used. Check the "
        "date (day first: dd/mm/yyyy).",
    ),
    "row.date_before_plan": (
        "Ngày hoàn thành {date} trước ngày bắt đầu kế hoạch {start} nên không được dùng. Hãy kiểm tra lại "
        "ngày, nhất là năm.",
        "Completion date {date} is before the plan started ({start}), so it is not used. Check the date, "
        "the year especially.",
    ),
    "row.date_not_done": (
        'Có Ngày hoàn thành {date} nhưng Tình trạng là "{status}"; ngày không được dùng. Nếu nhiệm vụ đã '
        'xong, hãy chọn "Hoàn thành"; nếu chưa, hãy xóa ngày.',
        'There is a completion date {date} but the status is "{status}"; the date is not used. If the '
        'task is done, pick "Hoàn thành"; if not, clear the date.',
    ),
    "row.bad_progress": (
        'Tiến độ "{value}" không phải số từ 0 đến 100 nên không được dùng. Hãy ghi số nguyên từ 0 đến 100, '
        "không kèm chữ.",
        'Progress "{value}" is not a number from 0 to 100, so it is not used. Write a whole number from '
        "0 to 100, without words.",
    ),
    "row.progress_corrected": (
        'Tiến độ "{value}" được hiểu là {progress}%. Lần sau hãy ghi số nguyên từ 0 đến 100.',
        'Progress "{value}" was read as {progress}%. Next time write a whole number from 0 to 100.',
    ),
    "row.done_below_full": (
        "Nhiệm vụ {task} ghi Hoàn thành nhưng Tiến độ chỉ {progress}%. Nếu đã xong, hãy ghi 100; nếu chưa, "
        'hãy chọn "Đang thực hiện".',
        "Task {task} is marked Hoàn thành but progress is only {progress}%. If it is done, write 100; if "
        'not, pick "Đang thực hiện".',
    ),
    "row.missing_results": (
        "Nhiệm vụ {task} đã triển khai nhưng chưa ghi Kết quả thực hiện. Hãy nêu việc đã làm, số liệu, "
        "sản phẩm cụ thể.",
        "Task {task} has started but no results are written. Describe the work done, figures and products.",
    ),
    "task.missing_row": (
        "Nhiệm vụ {task} do đơn vị chủ trì nhưng không có dòng báo cáo trong tệp. Hãy dùng mẫu của kỳ này "
        'hoặc thêm dòng có Mã NV {task} và Vai trò "Chủ trì".',
        "Task {task}, led by your unit, has no row in the file. Use this period's template or add a row "
        'with Mã NV {task} and role "Chủ trì".',
    ),
    # --- collect: outputs (SPEC §7, §9) and feedback --------------------------------------------------------------
    # (output messages)
    "out.eval.completed_on_time": ("Hoàn thành đúng hạn", "Completed on time"),
    "out.eval.completed_late": ("Hoàn thành quá hạn", "Completed late"),
    "out.eval.in_progress": ("Đang thực hiện (trong hạn)", "In progress (within the deadline)"),
    "out.eval.not_started": ("Chưa triển khai (trong hạn)", "Not started (within the deadline)"),
    "out.eval.overdue": ("Quá hạn, chưa hoàn thành", "Overdue, not completed"),
    "out.eval.recurring": ("Thực hiện thường xuyên", "Recurring"),
    "out.eval.not_reported": ("Chưa báo cáo", "Not reported"),
    "out.flag.late": ("Trễ hạn", "Late"),
    "out.flag.missing": ("Thiếu báo cáo", "Report missing"),
    "out.flag.due_soon": ("Sắp đến hạn", "Due soon"),
    "out.flag.regressed": ("Lùi tiến độ", "Regressed"),
    "out.submission.on_time": ("Đúng hạn", "On time"),
    "out.submission.late": ("Muộn", "Late"),
    "out.submission.invalid": ("Không hợp lệ", "Invalid"),
    "out.submission.missing": ("Chưa nộp", "Not submitted"),
    "out.outcome.accepted": ("Đã nhận", "Accepted"),
    "out.outcome.superseded": ("Bị thay thế", "Superseded"),
    "out.outcome.duplicate": ("Trùng lặp", "Duplicate"),
    "out.outcome.rejected": ("Bị từ chối", "Rejected"),
    "out.outcome.other_period": ("Kỳ khác", "Other period"),
    "out.outcome.after_as_of": ("Nhận sau thời điểm tổng hợp", "Received after this run's cut-off"),
    "out.outcome.ignored": ("Bỏ qua", "Ignored"),
    "out.outcome.pending": ("Đang ghi dở, chờ lần sau", "Still being written, next run"),
    "out.outcome.withdrawn": ("Đã rút", "Withdrawn"),
    "out.status.not_started": ("Chưa triển khai", "Not started"),
    "out.status.in_progress": ("Đang thực hiện", "In progress"),
    "out.status.done": ("Hoàn thành", "Done"),
    "out.source.folder": ("Thư mục", "Folder"),
    "out.source.email": ("Thư điện tử", "Email"),
    "out.role.lead": ("Chủ trì", "Lead"),
    "out.role.support": ("Phối hợp", "Support"),
    "out.before_time": ("trước {time} ngày {date}", "before {time} on {date}"),
    "out.at_time": ("{time} ngày {date}", "{time} on {date}"),
    "out.period_value": ("Tháng {period}", "Month {period}"),
    "out.legend": ("Chú thích màu:", "Colour key:"),
    "out.col.task_code": ("Mã NV", "Task"),
    "out.col.group": ("Nhóm nhiệm vụ", "Group"),
    "out.col.content": ("Nội dung nhiệm vụ", "Task content"),
    "out.col.lead": ("Đơn vị chủ trì", "Lead unit"),
    "out.col.deadline": ("Thời hạn", "Deadline"),
    "out.col.status": ("Tình trạng báo cáo", "Reported status"),
    "out.col.completed_on": ("Ngày hoàn thành", "Completed on"),
    "out.col.progress": ("Tiến độ (%)", "Progress (%)"),
    "out.col.evaluation": ("Đánh giá", "Evaluation"),
    "out.col.flags": ("Cảnh báo", "Flags"),
    "out.col.flag": ("Cảnh báo", "Flag"),
    "out.col.explanation": ("Giải thích", "Explanation"),
    "out.col.results": ("Kết quả thực hiện", "Results"),
    "out.col.difficulties": ("Khó khăn, vướng mắc", "Difficulties"),
    "out.col.proposals": ("Đề xuất, kiến nghị", "Proposals"),
    "out.col.evidence": ("Văn bản, minh chứng", "Evidence"),
    "out.col.source_file": ("Tệp báo cáo", "Report file"),
    "out.col.report_period": ("Lấy từ báo cáo kỳ", "Carried forward from"),
    "out.col.unit_code": ("Mã đơn vị", "Unit code"),
    "out.col.unit_name": ("Tên đơn vị", "Unit"),
    "out.col.unit": ("Đơn vị", "Unit"),
    "out.col.role": ("Vai trò", "Role"),
    "out.col.submission": ("Tình trạng nộp", "Submission"),
    "out.col.received_at": ("Thời điểm nhận", "Received"),
    "out.col.file": ("Tệp", "File"),
    "out.col.errors": ("Số lỗi", "Errors"),
    "out.col.warnings": ("Số cảnh báo", "Warnings"),
    "out.col.severity": ("Mức độ", "Severity"),
    "out.col.rule": ("Quy tắc", "Rule"),
    "out.col.sheet": ("Trang tính", "Sheet"),
    "out.col.cell": ("Ô", "Cell"),
    "out.col.message": ("Nội dung", "Message"),
    "out.col.source": ("Nguồn", "Source"),
    "out.col.sender": ("Người gửi", "Sender"),
    "out.col.period": ("Kỳ báo cáo", "Period"),
    "out.col.outcome": ("Kết quả", "Outcome"),
    "out.col.reason": ("Lý do", "Reason"),
    "out.summary.title": (
        "Báo cáo tổng hợp tiến độ tháng {period}",
        "Consolidated progress report, {period}",
    ),
    "out.summary.title_full": (
        "BÁO CÁO TỔNG HỢP TIẾN ĐỘ THỰC HIỆN {plan} THÁNG {period}",
        "CONSOLIDATED PROGRESS REPORT: {plan}, MONTH {period}",
    ),
    "out.summary.plan_line": ("Kế hoạch {id}: {title}", "Plan {id}: {title}"),
    "out.summary.period": ("Kỳ báo cáo", "Reporting period"),
    "out.summary.deadline": ("Hạn nộp báo cáo", "Submission deadline"),
    "out.summary.as_of": ("Số liệu tính đến", "Figures as of"),
    "out.summary.evaluation_date": ("Ngày đánh giá nhiệm vụ", "Tasks evaluated on"),
    "out.summary.col.index": ("STT", "No."),
    "out.summary.col.indicator": ("Chỉ tiêu", "Indicator"),
    "out.summary.col.count": ("Số đơn vị", "Units"),
    "out.summary.col.evaluation": ("Kết quả đánh giá", "Evaluation"),
    "out.summary.col.tasks": ("Số nhiệm vụ", "Tasks"),
    "out.summary.col.note": ("Ghi chú", "Note"),
    "out.summary.col.change": ("So với kỳ trước", "Change from the previous period"),
    "out.summary.col.change_from": ("So với kỳ {period}", "Change from {period}"),
    "out.summary.points": ("điểm %", "pts"),
    "out.summary.no_previous": ("Chưa có kỳ trước", "No previous period"),
    "out.summary.units_heading": ("I. TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ", "I. UNITS' SUBMISSIONS"),
    "out.summary.expected": ("Số đơn vị phải báo cáo", "Units expected to report"),
    "out.summary.units.on_time": ("Nộp đúng hạn", "Submitted on time"),
    "out.summary.units.late": ("Nộp muộn", "Submitted late"),
    "out.summary.units.invalid": ("Đã gửi nhưng tệp không hợp lệ", "Sent, but no valid file"),
    "out.summary.units.missing": ("Chưa nộp", "Not submitted"),
    "out.summary.on_time_rate": ("Tỷ lệ nộp đúng hạn", "On-time rate"),
    "out.summary.reporting_rate": (
        "Tỷ lệ đã báo cáo (đúng hạn và muộn)",
        "Reporting rate (on time and late)",
    ),
    "out.summary.tasks_heading": (
        "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ (đánh giá tại ngày {date})",
        "II. TASKS (evaluated on {date})",
    ),
    "out.summary.total_tasks": ("Tổng số nhiệm vụ", "All tasks"),
    "out.summary.completion_rate": ("Tỷ lệ hoàn thành", "Completion rate"),
    "out.summary.chart_title": ("Nhiệm vụ theo kết quả đánh giá", "Tasks by evaluation"),
    "out.summary.chart_series": ("Số nhiệm vụ", "Tasks"),
    "out.summary.late_heading": (
        "III. NHIỆM VỤ QUÁ HẠN, CHƯA BÁO CÁO ({count})",
        "III. OVERDUE AND UNREPORTED TASKS ({count})",
    ),
    "out.summary.late_none": (
        "Không có nhiệm vụ quá hạn hoặc chưa báo cáo.",
        "No task is overdue or unreported.",
    ),
    "out.summary.more_tasks": (
        '… và {count} nhiệm vụ khác: xem trang "Cảnh báo".',
        '… and {count} more tasks: see the "Cảnh báo" sheet.',
    ),
    "out.summary.silent_heading": (
        "IV. ĐƠN VỊ CHƯA BÁO CÁO ({count})",
        "IV. UNITS THAT HAVE NOT REPORTED ({count})",
    ),
    "out.summary.silent_none": ("Tất cả các đơn vị đã báo cáo.", "Every unit has reported."),
    "out.summary.invalid_note": (
        'Đã gửi {count} tệp nhưng không tệp nào dùng được (xem trang "Lỗi dữ liệu").',
        'Sent {count} file(s), none usable (see the "Lỗi dữ liệu" sheet).',
    ),
    "out.summary.missing_note": ("Chưa nhận được tệp báo cáo nào.", "No report file received."),
    "out.summary.more_units": (
        '… và {count} đơn vị khác: xem trang "Đơn vị".',
        '… and {count} more units: see the "Đơn vị" sheet.',
    ),
    "out.summary.rate_note": (
        "Tỷ lệ nộp đúng hạn = số đơn vị nộp đúng hạn / số đơn vị phải báo cáo. Tỷ lệ hoàn thành = số nhiệm vụ "
        "đã hoàn thành (đúng hạn hoặc quá hạn) / số nhiệm vụ có thời hạn (không tính nhiệm vụ chỉ thực hiện "
        "thường xuyên).",
        "On-time rate = units on time / units expected. Completion rate = tasks completed (on time or late) / "
        "tasks with a deadline (tasks that are only recurring are not counted).",
    ),
    "out.summary.details_note": (
        "Chi tiết từng nhiệm vụ, đơn vị, cảnh báo, khó khăn - đề xuất, lỗi dữ liệu và tệp đã nhận: xem các "
        "trang tiếp theo của tệp này.",
        "Every task, unit, flag, difficulty and proposal, data problem and file received: see the following "
        "sheets of this workbook.",
    ),
    "out.tasks.title": (
        "TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ THÁNG {period} (đánh giá tại ngày {date})",
        "TASK PROGRESS, {period} (evaluated on {date})",
    ),
    "out.units.title": ("TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ", "UNITS' SUBMISSIONS"),
    "out.units.note": (
        "Hạn nộp: {deadline}. Thời điểm nhận tính theo giờ địa phương.",
        "Deadline: {deadline}. Times are local.",
    ),
    "out.alerts.title": ("CẢNH BÁO VỀ TIẾN ĐỘ VÀ BÁO CÁO", "PROGRESS AND REPORTING FLAGS"),
    "out.alerts.note": (
        "Xếp theo mức độ: {order}; trong mỗi mức theo mã nhiệm vụ.",
        "By severity: {order}; then by task code.",
    ),
    "out.alert.overdue": (
        "Đã quá thời hạn {deadline}, nhiệm vụ chưa hoàn thành.",
        "The deadline {deadline} has passed and the task is not completed.",
    ),
    "out.alert.completed_late": (
        "Hoàn thành ngày {done}, sau thời hạn {deadline}.",
        "Completed on {done}, after the deadline {deadline}.",
    ),
    "out.alert.late_not_reported": (
        "Đã quá thời hạn {deadline}, đơn vị chủ trì chưa báo cáo kết quả.",
        "The deadline {deadline} has passed and the lead unit has not reported.",
    ),
    "out.alert.missing": (
        "Đơn vị chủ trì chưa báo cáo nhiệm vụ này trong kỳ {period}.",
        "The lead unit has not reported this task for {period}.",
    ),
    "out.alert.regressed": (
        'Kỳ trước đã báo cáo Hoàn thành, kỳ này báo cáo "{status}".',
        'An earlier period reported it done; this period says "{status}".',
    ),
    "out.alert.due_soon": (
        "Thời hạn {deadline}, còn {days} ngày kể từ ngày đánh giá.",
        "Due {deadline}, {days} days after the evaluation date.",
    ),
    "out.issues.title": (
        "KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ CỦA CÁC ĐƠN VỊ",
        "UNITS' DIFFICULTIES AND PROPOSALS",
    ),
    "out.issues.none": (
        "Trong kỳ này không đơn vị nào nêu khó khăn hoặc đề xuất.",
        "No unit raised a difficulty or a proposal this period.",
    ),
    "out.findings.title": (
        "LỖI VÀ CẢNH BÁO VỀ DỮ LIỆU TRONG CÁC TỆP BÁO CÁO",
        "DATA PROBLEMS IN THE FILES RECEIVED",
    ),
    "out.findings.note": (
        "Lỗi: dòng hoặc tệp không được tổng hợp. Cảnh báo: đã tổng hợp, cần xem lại. Đã tự sửa: đã chuẩn hóa "
        "tự động.",
        "Error: the row or file is not used. Warning: used, needs a look. Corrected: normalised automatically.",
    ),
    "out.findings.none": ("Không phát hiện lỗi dữ liệu nào.", "No data problem found."),
    "out.files.title": ("CÁC TỆP ĐÃ NHẬN", "FILES RECEIVED"),
    "out.files.none": ("Chưa nhận được tệp nào.", "No file received."),
    "out.feedback.title_doc": (
        "Kết quả kiểm tra báo cáo của {unit}, tháng {period}",
        "Check of the report of {unit}, {period}",
    ),
    "out.feedback.title": ("KẾT QUẢ KIỂM TRA TỆP BÁO CÁO", "CHECK OF YOUR REPORT FILE"),
    "out.feedback.unit": ("Đơn vị", "Unit"),
    "out.feedback.timeliness": ("Thời gian nộp", "Timeliness"),
    "out.feedback.counts": ("Số lỗi, cảnh báo", "Problems found"),
    "out.feedback.counts_value": (
        "{errors} lỗi, {warnings} cảnh báo, {infos} chỗ đã tự sửa",
        "{errors} errors, {warnings} warnings, {infos} automatic corrections",
    ),
    "out.feedback.next": ("Việc cần làm", "What to do"),
    "out.feedback.next.accepted": (
        "Báo cáo hợp lệ và đã được tổng hợp. Cảm ơn đơn vị.",
        "The report is valid and has been consolidated. Thank you.",
    ),
    "out.feedback.next.accepted_warnings": (
        'Báo cáo đã được tổng hợp. Các ô tô màu vàng ở trang "Báo cáo" cần xem lại (di chuột vào ô để đọc '
        "ghi chú); nếu cần sửa, gửi lại cả tệp đã sửa.",
        'The report has been consolidated. The amber cells of the "Báo cáo" sheet need a look (hover over a '
        "cell to read its note); to correct them, send the whole corrected file again.",
    ),
    "out.feedback.next.accepted_errors": (
        'Báo cáo đã được tổng hợp, trừ các dòng có ô tô màu đỏ ở trang "Báo cáo". Sửa các ô đó theo ghi chú '
        "(di chuột vào ô để đọc) rồi gửi lại cả tệp.",
        'The report has been consolidated except the rows with red cells on the "Báo cáo" sheet. Correct them '
        "as their notes say (hover over a cell) and send the whole file again.",
    ),
    "out.feedback.next.superseded": (
        "Tệp này không được dùng vì đơn vị đã gửi một tệp mới hơn cho cùng kỳ; tệp nhận sau cùng được tổng hợp.",
        "This file is not used: a newer file for the same period arrived, and the latest one is consolidated.",
    ),
    "out.feedback.next.duplicate": (
        "Tệp này trùng nội dung với một tệp đã nhận trước đó; không cần gửi lại.",
        "This file is identical to one received earlier; nothing to resend.",
    ),
    "out.feedback.next.rejected": (
        "Tệp không được tổng hợp (xem lý do ở trên). Sửa theo lý do và các lỗi bên dưới rồi gửi lại cả tệp.",
        "The file was not consolidated (see the reason above). Fix it as the reason and the problems below say "
        "and send the whole file again.",
    ),
    "out.feedback.next.other_period": (
        'Tệp là báo cáo của kỳ khác nên không được tổng hợp vào kỳ này; nếu nhầm, sửa ô "Kỳ báo cáo:" rồi gửi '
        "lại.",
        "The file reports another period and is not consolidated into this one; if that is a mistake, correct "
        'the "Kỳ báo cáo:" cell and send it again.',
    ),
    "out.feedback.next.after_as_of": (
        "Tệp nhận được sau thời điểm tổng hợp lần này; tệp sẽ được dùng ở lần tổng hợp tiếp theo.",
        "The file arrived after this run's cut-off; the next run will use it.",
    ),
    "out.feedback.next.ignored": (
        "Tệp không phải bảng tính báo cáo nên được bỏ qua. Gửi báo cáo bằng tệp Excel (.xlsx) theo mẫu.",
        "The file is not a report spreadsheet and was ignored. Send the report as an Excel file (.xlsx) made "
        "from the template.",
    ),
    "out.feedback.findings_heading": ("Chi tiết lỗi và cảnh báo", "Problems found"),
    "out.feedback.no_findings": ("Không phát hiện lỗi nào.", "No problem found."),
    # --- collect: the run, scan, status -------------------------------------------------------------------------------
    # (collect messages)
    "intake.not_regular": (
        "không phải tệp thông thường (ống dẫn, thiết bị hoặc socket), không mở để đọc",
        "not a regular file (a pipe, a device or a socket), not opened",
    ),
    "intake.lock_file": (
        "tệp khóa tạm của Excel/LibreOffice (có khi tệp đang mở), không phải báo cáo",
        "an Excel/LibreOffice lock file (the file is open somewhere), not a report",
    ),
    "intake.system_file": ("tệp hệ thống, không phải báo cáo", "a system file, not a report"),
    "intake.hidden_file": ("tệp hoặc thư mục ẩn, không đọc", "a hidden file or folder, not read"),
    "intake.symlink": (
        "liên kết tượng trưng (symlink): không đi theo vì lý do an toàn; hãy chép tệp thật vào thư mục",
        "a symbolic link: not followed for safety; copy the real file into the folder",
    ),
    "intake.unknown_extension": (
        "định dạng {extension} không đọc được; chỉ nhận .xlsx, .xlsm, .xls, .ods hoặc thư .eml",
        "format {extension} cannot be read; only .xlsx, .xlsm, .xls, .ods or .eml mail",
    ),
    "intake.no_extension": ("(không có đuôi tệp)", "(no extension)"),
    "intake.cannot_read": ("không đọc được tệp: {detail}", "cannot read the file: {detail}"),
    "intake.mail_attachments": (
        "thư điện tử: đã lấy {count} tệp bảng tính đính kèm (xem các dòng ngay sau)",
        "email: took its {count} spreadsheet attachments (see the rows that follow)",
    ),
    "intake.mail_without_spreadsheet": (
        "thư điện tử không có tệp bảng tính đính kèm",
        "email without a spreadsheet attachment",
    ),
    "file.too_large": (
        "tệp quá lớn ({size} MB, giới hạn {limit} MB). Hãy gửi lại đúng mẫu báo cáo, không kèm dữ liệu khác.",
        "the file is too large ({size} MB, limit {limit} MB). Send the report template alone.",
    ),
    "collect.unreadable": ("không đọc được tệp", "the file cannot be read"),
    "collect.no_unit": ("không xác định được đơn vị gửi", "the sending unit cannot be identified"),
    "collect.no_period": ("không xác định được kỳ báo cáo", "the reporting period cannot be identified"),
    "collect.unknown_sender": (
        "người gửi {sender} không phải địa chỉ email của đơn vị nào trong sổ kế hoạch; tệp được giữ lại nhưng "
        'không tổng hợp (người tổng hợp có thể thêm địa chỉ này vào trang "Đơn vị")',
        "sender {sender} is not the address of any unit in the register; the file is kept but not merged "
        '(the coordinator can add the address to the "Đơn vị" sheet)',
    ),
    "collect.no_usable_rows": (
        'không có dòng báo cáo nào dùng được (xem các lỗi); hãy điền cột "Tình trạng" cho các nhiệm vụ rồi gửi lại',
        'no usable report row (see the errors); fill "Tình trạng" for the tasks and send it again',
    ),
    "collect.superseded": ("đã có tệp gửi sau thay thế: {path}", "replaced by a later file: {path}"),
    "collect.other_period": (
        "báo cáo của kỳ {period}, không thuộc kỳ đang tổng hợp; được dùng khi tổng hợp kỳ đó",
        "a report for {period}, not this period; used when that period is collected",
    ),
    "collect.after_as_of": (
        "nhận sau thời điểm tổng hợp; sẽ được xét ở lần tổng hợp sau",
        "received after the cut-off of this run; taken in a later run",
    ),
    "collect.duplicate": (
        "trùng nội dung với tệp đã nhận trước: {path}",
        "same content as a file received earlier: {path}",
    ),
    "collect.summary_head": (
        "Kỳ {period}, tính đến {as_of} (hạn nộp: trước {deadline}).",
        "Period {period}, as of {as_of} (due before {deadline}).",
    ),
    "collect.summary_units": ("Đơn vị ({total}): {detail}.", "Units ({total}): {detail}."),
    "collect.summary_tasks": ("Nhiệm vụ ({total}): {detail}.", "Tasks ({total}): {detail}."),
    "collect.summary_files": ("Tệp đã xét ({total}): {detail}.", "Files considered ({total}): {detail}."),
    "collect.summary_findings": (
        'Lỗi dữ liệu: {errors} lỗi, {warnings} cảnh báo (xem trang "Lỗi dữ liệu").',
        'Data problems: {errors} errors, {warnings} warnings (see the "Lỗi dữ liệu" sheet).',
    ),
    "collect.outputs": (
        "Bảng tổng hợp: {workbook}\nBáo cáo máy đọc: {report}\nPhản hồi cho đơn vị: {feedback} tệp trong {folder}",
        "Consolidated workbook: {workbook}\nRun report: {report}\nFeedback: {feedback} files in {folder}",
    ),
    "collect.dry_run": (
        "Chạy thử (--dry-run): không ghi bảng tổng hợp, phản hồi hay báo cáo.",
        "Dry run (--dry-run): no workbook, feedback or report written.",
    ),
    "collect.progress": ("Đang {stage}: {done}/{total}", "{stage}: {done}/{total}"),
    "collect.stage.read": ("đọc tệp", "reading files"),
    "collect.stage.intake": ("xem thư mục nhận", "looking at the inbox"),
    "collect.bad_as_of": (
        'thời điểm "{value}" không hợp lệ; dùng dạng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM (ví dụ 2025-05-16T08:00)',
        'time "{value}" is not valid; use YYYY-MM-DD or YYYY-MM-DDTHH:MM (e.g. 2025-05-16T08:00)',
    ),
    "scan.done": (
        "Đã ghi nhận {new} tệp mới; thư mục nhận có {total} tệp ({folder}).",
        "Recorded {new} new files; the inbox holds {total} files ({folder}).",
    ),
    "status.head": (
        "Tình hình nộp báo cáo kỳ {period} (đến {as_of}; hạn: trước {deadline}):",
        "Submissions for {period} (as of {as_of}; due before {deadline}):",
    ),
    "status.col_code": ("Mã", "Code"),
    "status.col_unit": ("Đơn vị", "Unit"),
    "status.col_state": ("Tình trạng", "State"),
    "status.col_received": ("Nhận lúc", "Received"),
    "status.col_file": ("Tệp", "File"),
    "status.col_errors": ("Lỗi", "Errors"),
    "status.col_warnings": ("Cảnh báo", "Warnings"),
    "cli.cmd.collect": (
        "tổng hợp kỳ báo cáo: nhận, kiểm tra, gộp các tệp và đánh giá từng nhiệm vụ",
        "collect the period: take, check and merge the files and evaluate every task",
    ),
    "cli.cmd.scan": (
        "ghi nhận các tệp mới trong thư mục nhận cùng thời điểm thấy lần đầu (chạy thường xuyên)",
        "record new files in the inbox with the time first seen (run often)",
    ),
    "cli.cmd.status": ("xem đơn vị nào đã nộp gì trong kỳ", "who has sent what for the period"),
    "cli.opt.as_of": (
        "tính đến thời điểm này (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM, giờ địa phương; mặc định: bây giờ)",
        "as of this time (YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time; default: now)",
    ),
    "cli.opt.dry_run": (
        "chỉ kiểm tra và báo cáo, không ghi kết quả",
        "validate and report only, write no outputs",
    ),
    "lock.busy": (
        "một lệnh khác đang chạy trên thư mục làm việc này ({name}, {holder}); đã chờ {seconds} giây. "
        "Hãy đợi lệnh đó xong rồi chạy lại.",
        "another run holds this workspace ({name}, {holder}); waited {seconds} s. Run again when it is done.",
    ),
    # --- demo ----------------------------------------------------------------------------------------------
    # (mail messages)
    "cli.cmd.fetch_mail": (
        "nhận thư từ hộp thư (IMAP): lưu tệp báo cáo đính kèm vào inbox/email/",
        "fetch mail (IMAP): save the attached report files into inbox/email/",
    ),
    "cli.cmd.remind": (
        "gửi thư nhắc các đơn vị chưa có báo cáo hợp lệ của kỳ, kèm mẫu báo cáo",
        "email a reminder, with the template, to units with no accepted report for the period yet",
    ),
    "collect.stage.mail": ("nhận thư", "fetching mail"),
    "mail.imap_not_configured": (
        "Chưa cấu hình hộp thư: đặt IMAP_HOST, IMAP_USER, IMAP_PASSWORD trong .env (không có thì chỉ dùng thư mục inbox/).",
        "No mailbox configured: set IMAP_HOST, IMAP_USER, IMAP_PASSWORD in .env (without them only the inbox/ folder is used).",
    ),
    "mail.imap_connect_failed": (
        "Không kết nối được máy chủ thư {host}:{port} ({detail}). Chưa nhận thêm thư nào; lần sau sẽ nhận tiếp.",
        "Could not connect to the mail server {host}:{port} ({detail}). No mail was taken; the next run takes it.",
    ),
    "mail.imap_tls_failed": (
        "Lỗi bảo mật TLS với máy chủ thư {host}:{port} ({detail}). Kiểm tra IMAP_SECURITY, IMAP_PORT và chứng chỉ của máy chủ.",
        "TLS failed with the mail server {host}:{port} ({detail}). Check IMAP_SECURITY, IMAP_PORT and the server's certificate.",
    ),
    "mail.imap_login_failed": (
        "Máy chủ thư {host} từ chối đăng nhập của tài khoản {user}: kiểm tra IMAP_USER và IMAP_PASSWORD.",
        "The mail server {host} refused the login of {user}: check IMAP_USER and IMAP_PASSWORD.",
    ),
    "mail.imap_no_folder": (
        'Không mở được thư mục "{folder}" của hộp thư: kiểm tra IMAP_FOLDER.',
        'Could not open the mailbox folder "{folder}": check IMAP_FOLDER.',
    ),
    "mail.imap_dropped": (
        "Mất kết nối với máy chủ thư giữa chừng ({detail}). Đã nhận đủ {done} thư; các thư còn lại sẽ được nhận lần sau.",
        "The connection to the mail server dropped ({detail}). {done} messages were taken in full; the rest come next time.",
    ),
    "mail.note.no_spreadsheet": ("thư không có tệp bảng tính đính kèm", "no spreadsheet attached"),
    "mail.fetch.summary": (
        "Đã nhận {messages} thư mới: lưu {files} tệp báo cáo vào {folder}; {without} thư không có bảng tính; {repeats} tệp đã nhận trước đó.",
        "Took {messages} new messages: {files} report files saved into {folder}; {without} without a spreadsheet; {repeats} files already received.",
    ),
    "mail.fetch.saved": ("  {path} — từ {sender}", "  {path} — from {sender}"),
    "mail.fetch.unknown_senders": (
        "{count} tệp đến từ địa chỉ không có trong sổ đăng ký (sheet Đơn vị): tệp được giữ lại nhưng sẽ bị từ chối khi tổng hợp, trừ khi ACCEPT_UNKNOWN_SENDERS=true.",
        "{count} files came from addresses not in the register (sheet Đơn vị): they are kept but rejected by the collect unless ACCEPT_UNKNOWN_SENDERS=true.",
    ),
    "mail.smtp_not_configured": (
        "Chưa cấu hình SMTP_HOST: không gửi {count} thư (biên nhận, kết quả, thư nhắc); chúng sẽ được gửi khi đã cấu hình.",
        "SMTP_HOST is not set: {count} messages (receipts, results, reminders) were not sent; they will be once it is.",
    ),
    "mail.smtp_connect_failed": (
        "Không kết nối được máy chủ gửi thư {host}:{port} ({detail}). Thư chưa gửi sẽ được gửi lần sau.",
        "Could not connect to the outgoing mail server {host}:{port} ({detail}). Unsent mail is sent next time.",
    ),
    "mail.smtp_tls_failed": (
        "Lỗi bảo mật TLS với máy chủ gửi thư {host}:{port} ({detail}). Kiểm tra SMTP_SECURITY, SMTP_PORT và chứng chỉ của máy chủ.",
        "TLS failed with the outgoing mail server {host}:{port} ({detail}). Check SMTP_SECURITY, SMTP_PORT and the server's certificate.",
    ),
    "mail.smtp_login_failed": (
        "Máy chủ gửi thư {host} từ chối đăng nhập của tài khoản {user}: kiểm tra SMTP_USER và SMTP_PASSWORD. Thư chưa gửi sẽ được gửi lần sau.",
        "The outgoing mail server {host} refused the login of {user}: check SMTP_USER and SMTP_PASSWORD. Unsent mail is sent next time.",
    ),
    "mail.smtp_send_failed": (
        "Gửi thư tới {to} không thành công ({detail}); đã gửi {sent} thư trước đó. Thư chưa gửi sẽ được gửi lần sau.",
        "Sending to {to} failed ({detail}); {sent} messages were sent before. Unsent mail is sent next time.",
    ),
    "mail.sent.summary": (
        "Đã gửi {sent} thư ({already} thư đã gửi từ lần trước, không gửi lại).",
        "Sent {sent} messages ({already} were sent by an earlier run and not sent again).",
    ),
    "mail.sent.refused": (
        "Máy chủ thư từ chối địa chỉ {to}: kiểm tra địa chỉ trong sổ đăng ký.",
        "The mail server refused the address {to}: check it in the register.",
    ),
    "mail.receipt.subject": (
        "Biên nhận báo cáo: {file} — {outcome}",
        "Receipt for your report: {file} — {outcome}",
    ),
    "mail.receipt.body": (
        "Kính gửi {unit},\n\n"
        "Hệ thống tổng hợp báo cáo đã nhận tệp {file} lúc {received} (báo cáo kỳ {period}).\n\n"
        "Kết quả: {outcome}. {reason}\n\n"
        "Các nội dung cần lưu ý:\n{findings}\n\n"
        "{attached}\n\n"
        "Thư này được gửi tự động; nếu cần sửa, đơn vị gửi lại tệp đã sửa bằng cách trả lời thư này.",
        "Dear {unit},\n\n"
        "The reporting system received the file {file} at {received} (report for {period}).\n\n"
        "Result: {outcome}. {reason}\n\n"
        "Points to note:\n{findings}\n\n"
        "{attached}\n\n"
        "This message is automatic; to correct the report, reply to it with the corrected file.",
    ),
    "mail.receipt.unknown_unit": ("đơn vị gửi báo cáo", "reporting unit"),
    "mail.receipt.no_findings": ("- Không có lỗi hay cảnh báo nào.", "- No errors or warnings."),
    "mail.receipt.more_findings": (
        "- … và {count} nội dung khác (xem tệp phản hồi).",
        "- … and {count} more (see the feedback file).",
    ),
    "mail.receipt.attached": (
        "Tệp phản hồi đính kèm đánh dấu từng ô cần sửa, kèm ghi chú giải thích.",
        "The attached feedback file highlights each cell to fix, with a note explaining it.",
    ),
    "mail.results.subject": (
        "Tổng hợp báo cáo tiến độ kỳ {period} (số liệu đến {as_of})",
        "Consolidated progress report for {period} (as of {as_of})",
    ),
    "mail.results.body": (
        "{summary}\n\nBảng tổng hợp đính kèm: {workbook} (sheet Tóm tắt dành cho lãnh đạo).\n\nThư này được gửi tự động sau mỗi lần tổng hợp có thay đổi.",
        "{summary}\n\nThe consolidated workbook is attached: {workbook} (the Tóm tắt sheet is for leadership).\n\nThis message is sent automatically after each collect that changed something.",
    ),
    "mail.remind.subject": (
        "Nhắc nộp báo cáo tiến độ kỳ {period} — hạn trước ngày {deadline}",
        "Reminder: progress report for {period} — due before {deadline}",
    ),
    "mail.remind.body": (
        "Kính gửi {unit},\n\n"
        "Đến nay hệ thống {state} báo cáo tiến độ kỳ {period} của đơn vị. Hạn nộp: trước ngày {deadline} (chậm nhất hết ngày {last_day}).\n\n"
        "Mẫu báo cáo của đơn vị được đính kèm ({template}): đơn vị điền vào sheet Báo cáo rồi gửi lại bằng cách trả lời thư này.\n\n"
        "Nếu đơn vị đã gửi trong hôm nay, xin bỏ qua thư này. Thư này được gửi tự động.",
        "Dear {unit},\n\n"
        "So far the system {state} your progress report for {period}. Deadline: before {deadline} (by the end of {last_day} at the latest).\n\n"
        "Your template is attached ({template}): fill in the Báo cáo sheet and send it back by replying to this message.\n\n"
        "If you sent it today, please ignore this message. This message is automatic.",
    ),
    "mail.remind.state.missing": ("chưa nhận được", "has not received"),
    "mail.remind.state.invalid": (
        "chỉ nhận được tệp không hợp lệ (xem thư biên nhận) cho",
        "has only received invalid files (see the receipt) for",
    ),
    "mail.remind.due": (
        "{count} đơn vị chưa có báo cáo hợp lệ kỳ {period}: {units}",
        "{count} units have no accepted report for {period}: {units}",
    ),
    "mail.remind.none": (
        "Mọi đơn vị đã có báo cáo hợp lệ kỳ {period}: không cần nhắc.",
        "Every unit has an accepted report for {period}: no reminder needed.",
    ),
    "mail.remind.no_address": (
        "Không có địa chỉ thư trong sổ đăng ký (sheet Đơn vị) nên không nhắc được: {units}",
        "No email address in the register (sheet Đơn vị), so not reminded: {units}",
    ),
    # (schedule messages)
    "cli.cmd.schedule": (
        "chạy cả chu kỳ theo lịch (kiểm tra thư và thư mục, nhắc, tổng hợp, gửi kết quả) cho đến khi dừng",
        "run the whole cycle on its calendar (poll mail and folder, remind, collect, mail results) until stopped",
    ),
    "cli.opt.plan": (
        "chỉ in lịch các lần chạy sắp tới rồi thoát, không chạy gì",
        "only print the next runs and exit; run nothing",
    ),
    "schedule.started": (
        "Bắt đầu chạy theo lịch cho thư mục làm việc {workspace} (tiến trình {pid}); nhật ký: {log}. "
        "Nhấn Ctrl-C để dừng.",
        "Running on the calendar for workspace {workspace} (process {pid}); log: {log}. Press Ctrl-C to stop.",
    ),
    "schedule.first_start": (
        "Lần đầu chạy theo lịch ở thư mục này: các việc đến hạn trước thời điểm này không được chạy bù.",
        "First scheduled run in this workspace: nothing due before now is caught up.",
    ),
    "schedule.calendar": (
        "Lịch: kiểm tra mỗi {minutes} phút; nhắc vào ngày {remind} lúc {remind_time}; tổng hợp vào ngày "
        "{collect} lúc {collect_time} và tổng hợp lại vào {recollect} ngày sau đó.",
        "Calendar: poll every {minutes} min; remind on day {remind} at {remind_time}; collect on day "
        "{collect} at {collect_time} and again on the {recollect} following days.",
    ),
    "schedule.stopping": (
        "Nhận tín hiệu {signal}: sẽ dừng sau khi xong việc đang chạy (nhấn lần nữa để dừng ngay).",
        "Got {signal}: stopping after the job in progress (once more to stop at once).",
    ),
    "schedule.stopped": ("Đã dừng chạy theo lịch.", "Scheduler stopped."),
    "schedule.tick_failed": (
        "Không đọc được sổ theo dõi để xem việc đến hạn ({reason}); sẽ thử lại sau một phút.",
        "Could not read the ledger to see what is due ({reason}); trying again in a minute.",
    ),
    "schedule.submit_day_fallback": (
        "Không đọc được sổ kế hoạch ({reason}); tạm tính hạn nộp là trước ngày {day}.",
        "Could not read the register ({reason}); taking the submission day as {day} for now.",
    ),
    "schedule.job.poll": ("kiểm tra thư và thư mục nhận tệp", "poll the mailbox and the inbox folder"),
    "schedule.job.remind": (
        "nhắc các đơn vị chưa nộp kỳ {period}",
        "remind units yet to report for {period}",
    ),
    "schedule.job.collect": ("tổng hợp kỳ {period}", "collect period {period}"),
    "schedule.job.recollect": (
        "tổng hợp lại kỳ {period} (lần {n}, nhận tệp nộp muộn)",
        "collect period {period} again (re-collect {n}, for late files)",
    ),
    "schedule.job.on_time": ("{job} (lịch {due})", "{job} (due {due})"),
    "schedule.job.catch_up": (
        "{job} (chạy bù: đến hạn lúc {due} khi chương trình không chạy)",
        "{job} (catching up: due at {due} while not running)",
    ),
    "schedule.job.retry": (
        "{job} (lịch {due}; chạy lại sau lần lỗi trước)",
        "{job} (due {due}; retrying after the previous failure)",
    ),
    "schedule.job.start": ("Bắt đầu: {job}", "Start: {job}"),
    "schedule.job.done": ("Xong: {job} — {result} ({seconds} giây)", "Done: {job} — {result} ({seconds} s)"),
    "schedule.job.failed": (
        "Lỗi: {job} — {reason}. Sẽ chạy lại ở lần kiểm tra sau (khoảng {retry}).",
        "Failed: {job} — {reason}. Will retry at the next poll (about {retry}).",
    ),
    "schedule.result.mail": (
        "hộp thư: {messages} thư mới, {files} tệp; ",
        "mailbox: {messages} new messages, {files} files; ",
    ),
    "schedule.result.poll": (
        "thư mục nhận tệp: {new} tệp mới, tổng {total} tệp",
        "inbox folder: {new} new files, {total} in all",
    ),
    "schedule.result.remind_none": (
        "không đơn vị nào cần nhắc",
        "no unit needs a reminder",
    ),
    "schedule.result.remind": (
        "{count} đơn vị cần nhắc: {units}",
        "{count} units to remind: {units}",
    ),
    "schedule.result.collect": (
        "{on_time} đơn vị đúng hạn, {late} nộp muộn, {missing} chưa nộp, {invalid} chưa hợp lệ; "
        "bảng tổng hợp: {workbook}",
        "{on_time} units on time, {late} late, {missing} missing, {invalid} invalid; workbook: {workbook}",
    ),
    "schedule.result.sent": (
        "đã gửi {sent} thư ({already} thư đã gửi từ trước)",
        "sent {sent} messages ({already} sent before)",
    ),
    "schedule.result.refused": ("máy chủ từ chối: {to}", "refused by the server: {to}"),
    "schedule.result.no_smtp": (
        "không gửi thư (chưa cấu hình SMTP_HOST)",
        "no mail sent (SMTP_HOST is not set)",
    ),
    "schedule.plan.title": (
        "Lịch chạy của baocao (múi giờ {timezone}), tính từ {now}:",
        "baocao's calendar (time zone {timezone}), from {now}:",
    ),
    "schedule.plan.not_started": (
        "Chưa chạy theo lịch lần nào ở thư mục này; việc đến hạn trước lần chạy đầu tiên sẽ không được chạy bù.",
        "Never run on the calendar in this workspace; nothing due before its first start will be caught up.",
    ),
    "schedule.plan.first_start": (
        "Chạy theo lịch lần đầu ở thư mục này lúc {when}.",
        "First run on the calendar in this workspace: {when}.",
    ),
    "schedule.plan.poll": ("Mỗi {minutes} phút: {what}.", "Every {minutes} min: {what}."),
    "schedule.plan.poll_mail": (
        "nhận thư từ hộp thư {host}, rồi quét thư mục {inbox}",
        "fetch mail from {host}, then scan the folder {inbox}",
    ),
    "schedule.plan.poll_folder": (
        "quét thư mục {inbox} (chưa cấu hình IMAP_HOST nên không nhận thư)",
        "scan the folder {inbox} (IMAP_HOST is not set: no mail fetched)",
    ),
    "schedule.plan.mail_out": (
        "Thư nhắc, thư báo nhận và kết quả tổng hợp được gửi qua {host}.",
        "Reminders, receipts and results are mailed through {host}.",
    ),
    "schedule.plan.no_smtp": (
        "Chưa cấu hình SMTP_HOST: không gửi thư nhắc, thư báo nhận hay kết quả.",
        "SMTP_HOST is not set: no reminders, receipts or results are mailed.",
    ),
    "schedule.plan.due_now": (
        "Đã đến hạn, sẽ chạy ngay khi khởi động: {job}",
        "Due now, runs as soon as it starts: {job}",
    ),
    "schedule.plan.next": ("{count} lần chạy tiếp theo:", "The next {count} runs:"),
    "schedule.plan.line": ("{when} ({weekday}) — {job}", "{when} ({weekday}) — {job}"),
    "schedule.weekday.0": ("thứ Hai", "Monday"),
    "schedule.weekday.1": ("thứ Ba", "Tuesday"),
    "schedule.weekday.2": ("thứ Tư", "Wednesday"),
    "schedule.weekday.3": ("thứ Năm", "Thursday"),
    "schedule.weekday.4": ("thứ Sáu", "Friday"),
    "schedule.weekday.5": ("thứ Bảy", "Saturday"),
    "schedule.weekday.6": ("Chủ nhật", "Sunday"),
    # --- bad input, clear words (issue 11 item 8): register columns, OS errors, .env, file reader --
    "register.cannot_open": (
        "không mở được sổ kế hoạch {path}: {reason}",
        "cannot open the register {path}: {reason}",
    ),
    "plan.no_header": (
        'Trang "{sheet}" không có dòng tiêu đề: không thấy các cột {columns} ở 40 dòng đầu. '
        "Ghi lại dòng tiêu đề đúng tên các cột như trong sổ mẫu.",
        'Sheet "{sheet}" has no header row: none of the columns {columns} in its first 40 rows. '
        "Write the header row back with the column names of the model register.",
    ),
    "plan.missing_column": (
        'Trang "{sheet}" không có cột "{column}" (dòng tiêu đề là dòng {row}). '
        'Thêm lại cột "{column}" vào dòng tiêu đề, đúng tên như trong sổ mẫu.',
        'Sheet "{sheet}" has no column "{column}" (the header is row {row}). '
        'Add the column "{column}" back to the header row, named as in the model register.',
    ),
    "plan.renamed_column": (
        'Trang "{sheet}" không có cột "{column}"; cột {letter} có tiêu đề "{found}". '
        'Nếu đó là cột này, hãy sửa tiêu đề cột {letter} thành "{column}".',
        'Sheet "{sheet}" has no column "{column}"; column {letter} is headed "{found}". '
        'If that is the one, rename the header of column {letter} to "{column}".',
    ),
    "plan.duplicate_column": (
        'Trang "{sheet}" có hai cột cùng tên "{column}" (cột {first} và cột {second}). '
        "Xoá hoặc đổi tên một cột; hiện đang dùng cột {first}.",
        'Sheet "{sheet}" has two columns named "{column}" (columns {first} and {second}). '
        "Delete or rename one; column {first} is used for now.",
    ),
    "plan.missing_key": (
        'Trang "Kế hoạch" không có dòng "{key}"; giá trị mặc định sẽ được dùng. '
        "Thêm lại dòng này (đúng tên như trong sổ mẫu) nếu cần.",
        'The "Kế hoạch" sheet has no "{key}" row; the default is used. '
        "Add the row back (named as in the model register) if needed.",
    ),
    "oserror.not_found": ("không có tệp hoặc thư mục này", "no such file or folder"),
    "oserror.permission": (
        "không có quyền truy cập; hãy đóng tệp nếu đang mở trong chương trình khác, hoặc cấp quyền cho "
        "tài khoản đang chạy baocao",
        "permission denied; close the file if another program has it open, or give the account running "
        "baocao access",
    ),
    "oserror.read_only": (
        "ổ đĩa chỉ cho phép đọc; hãy dùng thư mục trên ổ ghi được",
        "the disk is read-only; use a folder on a writable disk",
    ),
    "oserror.no_space": (
        "ổ đĩa đã đầy; hãy giải phóng dung lượng rồi chạy lại",
        "the disk is full; free some space and run again",
    ),
    "oserror.is_folder": ("đây là một thư mục, không phải tệp", "this is a folder, not a file"),
    "oserror.not_folder": (
        "một phần của đường dẫn không phải là thư mục",
        "part of the path is not a folder",
    ),
    "oserror.busy": ("tệp đang được chương trình khác dùng", "the file is in use by another program"),
    "oserror.io": (
        "lỗi đọc/ghi ổ đĩa (ổ đĩa hoặc ổ mạng có vấn đề)",
        "a disk read/write error (the disk or network drive has a problem)",
    ),
    "oserror.name_too_long": ("tên tệp hoặc đường dẫn quá dài", "the file name or path is too long"),
    "oserror.loop": ("đường dẫn có liên kết vòng", "the path holds a loop of links"),
    "oserror.too_many_open": ("quá nhiều tệp đang mở cùng lúc", "too many files are open"),
    "oserror.other": ("lỗi hệ thống khi truy cập tệp", "a system error while using the file"),
    "cli.os.no_space": (
        "ổ đĩa chứa {path} đã đầy. Hãy giải phóng dung lượng (xoá bớt tệp hoặc chuyển thư mục làm việc "
        "sang ổ khác) rồi chạy lại lệnh.",
        "the disk holding {path} is full. Free some space (delete files or move the workspace to another "
        "disk), then run the command again.",
    ),
    "cli.os.permission": (
        "không có quyền đọc/ghi {path}. Hãy đóng tệp nếu đang mở trong Excel, hoặc cấp quyền cho tài khoản "
        "đang chạy baocao, rồi chạy lại lệnh.",
        "permission denied on {path}. Close the file if it is open in Excel, or give the account running "
        "baocao access to it, then run the command again.",
    ),
    "cli.os.read_only": (
        "{path} nằm trên ổ đĩa chỉ đọc. Hãy dùng thư mục làm việc trên ổ ghi được (--workspace), hoặc sửa "
        "OUTBOX_DIR/STATE_DIR trong .env, rồi chạy lại lệnh.",
        "{path} is on a read-only disk. Use a workspace on a writable disk (--workspace), or change "
        "OUTBOX_DIR/STATE_DIR in .env, then run the command again.",
    ),
    "cli.os.unknown_path": ("(không rõ đường dẫn)", "(path unknown)"),
    "file.detail.damaged_zip": (
        "phần nén bên trong tệp bị hỏng",
        "the compressed data inside the file is damaged",
    ),
    "file.detail.damaged_xml": (
        "nội dung bên trong tệp bị hỏng, không đúng cấu trúc bảng tính",
        "the content inside the file is damaged and not a valid spreadsheet",
    ),
    "file.detail.damaged": (
        "tệp bị hỏng hoặc không đúng định dạng bảng tính",
        "the file is damaged or not in a spreadsheet format",
    ),
    "file.detail.bad_sheet_list": (
        "danh sách trang tính bên trong tệp bị hỏng",
        "the list of sheets inside the file is damaged",
    ),
    "file.detail.bad_dimensions": (
        'kích thước ghi trong trang "{sheet}" không hợp lệ',
        'the size recorded for sheet "{sheet}" is not valid',
    ),
    "file.detail.duplicate_parts": (
        "tệp có hai phần bên trong trùng tên",
        "the file holds two inner parts with the same name",
    ),
    "file.detail.zip_total": (
        "giải nén ra {size} MB, giới hạn {limit} MB",
        "inflates to {size} MB, limit {limit} MB",
    ),
    "file.old_format": (
        "Tệp được lưu bằng định dạng Excel quá cũ (Excel 2.x–4.0, trước năm 1993) nên không đọc được. Hãy mở "
        "tệp bằng Excel hoặc LibreOffice, chọn Lưu thành (Save As) dạng Sổ làm việc Excel (.xlsx) rồi gửi lại.",
        "The file is saved in a far too old Excel format (Excel 2.x–4.0, before 1993) and cannot be read. "
        "Open it in Excel or LibreOffice, Save As an Excel workbook (.xlsx) and send it again.",
    ),
    "cli.warning": ("Cảnh báo: {message}", "Warning: {message}"),
    "settings.env_cannot_open": (
        "không mở được tệp cấu hình {path}: {reason}",
        "cannot open the settings file {path}: {reason}",
    ),
    "settings.env_not_text": (
        "tệp cấu hình {path} không phải văn bản đọc được (mã hoá lạ hoặc tệp hỏng). Hãy mở tệp bằng Notepad, "
        "chọn Lưu thành (Save As) với Mã hoá (Encoding) UTF-8, hoặc chép lại từ .env.example",
        "the settings file {path} is not readable text (an unknown encoding or a damaged file). Open it in "
        "Notepad and Save As with Encoding UTF-8, or copy it again from .env.example",
    ),
    "settings.env_bad_line": (
        "dòng {line} của {path} không đúng dạng KHÓA=giá trị nên bị bỏ qua",
        "line {line} of {path} is not KEY=value and is ignored",
    ),
    "settings.unknown_key_close": (
        '{path}: không có thiết lập "{key}" (bị bỏ qua). Có phải ý bạn là "{close}"?',
        '{path}: there is no setting "{key}" (ignored). Did you mean "{close}"?',
    ),
    "settings.unknown_key": (
        '{path}: không có thiết lập "{key}" (bị bỏ qua). Xem các thiết lập có trong .env.example',
        '{path}: there is no setting "{key}" (ignored). See the settings in .env.example',
    ),
    # (demo messages)
    "demo.done": (
        "Bản chạy thử: thư mục làm việc {path} trên sổ kế hoạch mặc định (11 nhiệm vụ, 4 đơn vị); đã mô phỏng "
        "tệp của các đơn vị tháng 04 và {period} (đúng hạn, nộp muộn sau khi sửa, chưa nộp, tệp hỏng, gõ "
        "không chuẩn) và tổng hợp cả hai kỳ.",
        "Demo: workspace {path} on the default register (11 tasks, 4 units); simulated the units' files for "
        "04 and {period} (on time, late after a correction, missing, broken, typed loosely) and collected both.",
    ),
    "demo.workbook": (
        'Bảng tổng hợp (mở trang "Tóm tắt"): {path}',
        'Consolidated workbook (see "Tóm tắt"): {path}',
    ),
    "demo.feedback": ("Phản hồi cho từng đơn vị: {path}", "Feedback for each unit: {path}"),
    "demo.inbox": ("Các tệp đơn vị đã gửi: {path}", "The files units sent: {path}"),
    "demo.templates": ("Mẫu báo cáo của các đơn vị: {path}", "The units' templates: {path}"),
    "demo.folder_not_empty": (
        "{path} đã có dữ liệu không phải của bản chạy thử; hãy chọn thư mục khác",
        "{path} holds data that is not a previous demo; choose another folder",
    ),
    # (the permanent record: arrivals, pending files, the inbox, closed periods)
    "intake.inbox_missing": (
        "Không thấy thư mục nhận tệp {path} (ổ mạng chưa kết nối hoặc đường dẫn INBOX_DIR trong .env sai). "
        "Chưa ghi hay xóa gì; hãy kết nối lại ổ mạng hoặc sửa INBOX_DIR rồi chạy lại.",
        "The inbox folder {path} is not there (the network drive is not connected or INBOX_DIR in .env is "
        "wrong). Nothing was written or deleted; reconnect the drive or fix INBOX_DIR and run again.",
    ),
    "intake.inbox_unreadable": (
        "Không đọc được thư mục nhận tệp {path} (không có quyền hoặc ổ mạng lỗi). Chưa ghi hay xóa gì; "
        "hãy cấp quyền đọc hoặc kiểm tra ổ mạng rồi chạy lại.",
        "The inbox folder {path} cannot be read (no permission or a network-drive fault). Nothing was "
        "written or deleted; grant read access or check the drive and run again.",
    ),
    "intake.inbox_empty": (
        "Cảnh báo: thư mục nhận {path} đang trống, nhưng đã từng nhận {count} tệp ở đó. Các tệp đã nhận vẫn "
        "được tính (bản lưu trong kho); nếu đây là ổ mạng, hãy kiểm tra nó đã được kết nối.",
        "Warning: the inbox {path} is empty, yet {count} files were received there. The received files "
        "still count (from the archive); if it is a network drive, check that it is connected.",
    ),
    "intake.clock_behind": (
        "Cảnh báo: đồng hồ máy đang chỉ {now}, sớm hơn lần nhận tệp gần nhất ({newest}). Đồng hồ máy có thể "
        "sai; hãy chỉnh lại giờ. Giờ nhận của tệp không bao giờ sớm hơn giờ sửa đổi của chính tệp đó.",
        "Warning: the machine's clock says {now}, earlier than the latest file received ({newest}). The "
        "clock may be wrong; set it right. A received time is never earlier than the file's own time.",
    ),
    "intake.pending": (
        "tệp đang được ghi hoặc chép vào (vừa thay đổi); chưa nhận, chưa tính cho đơn vị — lần chạy sau sẽ "
        "xử lý khi tệp đã ổn định",
        "the file is still being written or copied (it just changed); not taken yet and not counted for "
        "the unit — a later run takes it once it holds still",
    ),
    "file.archive_missing": (
        "Bản lưu của tệp đã nhận không còn trong kho ({path}); hãy khôi phục thư mục .baocao/archive từ "
        "bản sao lưu hoặc nhờ đơn vị gửi lại tệp.",
        "The archive copy of this received file is gone ({path}); restore .baocao/archive from a backup "
        "or ask the unit to send the file again.",
    ),
    "period.closed": (
        "Kỳ {period} đã chốt lúc {at}; kết quả đã công bố được giữ nguyên. Muốn tổng hợp lại, chạy: "
        'baocao collect --period … --reopen --reason "lý do"',
        "Period {period} was closed at {at}; its published results stay as they are. To collect it again, "
        'run: baocao collect --period … --reopen --reason "why"',
    ),
    "period.reopen_needs_reason": (
        'Mở lại một kỳ đã chốt cần ghi lý do: --reopen --reason "lý do"',
        'Reopening a closed period needs a reason: --reopen --reason "why"',
    ),
    "period.not_collected": (
        "Kỳ {period} chưa được tổng hợp lần nào; hãy chạy baocao collect trước khi chốt.",
        "Period {period} has never been collected; run baocao collect before closing it.",
    ),
    "period.closed_now": (
        "Đã chốt kỳ {period}: kết quả, sổ kế hoạch đã dùng và các tệp kết quả được giữ nguyên.",
        "Closed period {period}: its results, the register it used and its outputs stay as they are.",
    ),
    "period.already_closed": ("Kỳ {period} đã chốt từ {at}.", "Period {period} was already closed at {at}."),
    "period.reopened": (
        "Đã mở lại kỳ {period} (lý do: {reason}).",
        "Reopened period {period} (reason: {reason}).",
    ),
    "period.changed.head": (
        "Sổ kế hoạch đã thay đổi từ lần tổng hợp trước của kỳ này:",
        "The register changed since this period's previous run:",
    ),
    "period.changed.tasks.added": ("  nhiệm vụ mới: {codes}", "  tasks added: {codes}"),
    "period.changed.tasks.removed": ("  nhiệm vụ đã bỏ: {codes}", "  tasks removed: {codes}"),
    "period.changed.tasks.changed": ("  nhiệm vụ đã sửa: {codes}", "  tasks changed: {codes}"),
    "period.changed.units.added": ("  đơn vị mới: {codes}", "  units added: {codes}"),
    "period.changed.units.removed": ("  đơn vị đã bỏ: {codes}", "  units removed: {codes}"),
    "period.changed.units.changed": ("  đơn vị đã sửa: {codes}", "  units changed: {codes}"),
    "cli.cmd.close": (
        "chốt một kỳ sau khi đã gửi báo cáo: kết quả và các tệp kết quả được giữ nguyên",
        "close a period once its report is sent: its results and outputs are kept as they are",
    ),
    "cli.opt.reopen": (
        "tổng hợp lại một kỳ đã chốt (cần --reason)",
        "collect a closed period again (needs --reason)",
    ),
    "cli.opt.reason": ("lý do (được ghi lại)", "the reason (recorded)"),
    "scan.pending": (
        "{count} tệp đang được ghi hoặc chép vào; lần quét sau sẽ ghi nhận khi tệp đã ổn định.",
        "{count} files are still being written or copied in; a later scan records them once they hold still.",
    ),
    "mailerror.certificate": (
        "máy chủ dùng chứng chỉ không được tin cậy (nhờ quản trị mạng cài chứng chỉ, hoặc chỉ định tệp chứng "
        "chỉ bằng biến SSL_CERT_FILE)",
        "the server's certificate is not trusted (have it installed, or point SSL_CERT_FILE at it)",
    ),
    "mailerror.tls": (
        "không thiết lập được kết nối mã hóa (kiểm tra cổng và kiểu bảo mật ssl/starttls/none trong .env)",
        "the encrypted connection failed (check the port and the ssl/starttls/none security in .env)",
    ),
    "mailerror.unknown_host": (
        "không tìm thấy tên máy chủ (kiểm tra tên máy chủ trong .env và kết nối mạng)",
        "the server name was not found (check the host in .env and the network)",
    ),
    "mailerror.timeout": (
        "máy chủ không trả lời kịp (kiểm tra mạng, tường lửa và cổng)",
        "the server did not answer in time (check the network, firewall and port)",
    ),
    "mailerror.refused": (
        "máy chủ từ chối kết nối ở cổng này (kiểm tra cổng trong .env)",
        "the server refused the connection on this port (check the port in .env)",
    ),
    "mailerror.dropped": (
        "kết nối bị ngắt giữa chừng (thử lại sau)",
        "the connection was cut off (try again later)",
    ),
    "mailerror.protocol": (
        "máy chủ trả lời không đúng giao thức thư (kiểm tra máy chủ, cổng và kiểu bảo mật trong .env)",
        "the server's answer did not follow the mail protocol (check host, port and security in .env)",
    ),
}
