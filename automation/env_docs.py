"""``.env.example``: every setting of ``settings.DEFAULTS`` with its default and one line of documentation
(Vietnamese / English), the text ``baocao init`` writes and a test keeps equal to the repository's file."""

from __future__ import annotations

from automation.settings import DEFAULTS

ENV_DOCS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Thư mục (§3) — đường dẫn tương đối tính từ thư mục làm việc / Folders, relative to the workspace",
        (
            (
                "INBOX_DIR",
                "Nơi các đơn vị gửi/thả tệp báo cáo; baocao chỉ đọc / where unit files arrive; read-only",
            ),
            ("OUTBOX_DIR", "Nơi ghi kết quả từng kỳ: outbox/YYYY-MM/ / outputs of each period"),
            ("STATE_DIR", "Sổ theo dõi (ledger.sqlite) và kho lưu bản sao tệp đã nhận / ledger and archive"),
            (
                "TEMPLATES_DIR",
                "Chứa ke-hoach.xlsx (sổ kế hoạch) và mau-bao-cao.xlsx (mẫu gốc) / register and master",
            ),
        ),
    ),
    (
        "Ngôn ngữ và thời gian / Language and time",
        (
            ("LANGUAGE", "vi (mặc định) hoặc en / vi (default) or en"),
            ("TIMEZONE", "Múi giờ tính hạn nộp / time zone of every deadline"),
            (
                "SUBMIT_BEFORE_DAY",
                "Hạn nộp: trước ngày này của tháng (1–28); để trống = theo sổ kế hoạch (16) / "
                "reports due before this day; blank = the register's value",
            ),
            (
                "SETTLE_SECONDS",
                "Tệp vừa thay đổi trong ngần ấy giây được coi là đang ghi dở: chờ, rồi để lần chạy sau / "
                "a file changed this recently is still being written: wait, else leave it for the next run",
            ),
        ),
    ),
    (
        "Tệp không tin cậy (§12) / Untrusted files",
        (
            ("MAX_FILE_MB", "Tệp lớn hơn bị từ chối / larger files are rejected"),
            (
                "MAX_UNCOMPRESSED_MB",
                "Tổng dung lượng giải nén tối đa của một tệp .xlsx/.ods / max inflated size",
            ),
            (
                "MAX_COMPRESSION_RATIO",
                "Giới hạn phụ: một phần trên 4 MB nén hơn ngần ấy lần là zip bomb (bảng tính thật nén 100–250 "
                "lần vẫn được đọc) / sanity bound on one part over 4 MB; genuine workbooks reach 100–250",
            ),
            ("LOCK_TIMEOUT_SECONDS", "Thời gian chờ khi lệnh khác đang chạy / wait for another run's lock"),
            (
                "WORKERS",
                "Số tiến trình song song (đọc, kiểm tra tệp, ghi phản hồi) khi có nhiều tệp mới; 0 = theo số "
                "nhân CPU, 1 = không song song / worker processes for many new files; 0 = one per core, 1 = none",
            ),
        ),
    ),
    (
        "Nhận thư (§10) — để trống IMAP_HOST nếu chỉ dùng thư mục / Mail in; blank IMAP_HOST = folder only",
        (
            ("IMAP_HOST", "Máy chủ IMAP / IMAP server"),
            ("IMAP_PORT", "Để trống = 993 (ssl) hoặc 143 / blank = 993 (ssl) or 143"),
            ("IMAP_USER", "Tài khoản hộp thư / mailbox user"),
            ("IMAP_PASSWORD", "Mật khẩu (không bao giờ được in ra) / password (never printed)"),
            ("IMAP_FOLDER", "Thư mục thư cần đọc / mailbox folder to read"),
            ("IMAP_SECURITY", "ssl, starttls hoặc none"),
            (
                "ACCEPT_UNKNOWN_SENDERS",
                "true = nhận cả tệp từ địa chỉ không thuộc đơn vị nào / accept unknown senders",
            ),
            (
                "REPORT_ADDRESS",
                "Địa chỉ đơn vị gửi báo cáo tới, nếu khác IMAP_USER; để trống = IMAP_USER / "
                "the address units send their files to, when not IMAP_USER; blank = IMAP_USER",
            ),
        ),
    ),
    (
        "Gửi thư (§10) — để trống SMTP_HOST thì không gửi thư / Mail out; blank SMTP_HOST = send nothing",
        (
            ("SMTP_HOST", "Máy chủ SMTP / SMTP server"),
            ("SMTP_PORT", "Để trống = 465 (ssl), 587 (starttls) hoặc 25 / blank = 465, 587 or 25"),
            ("SMTP_USER", "Tài khoản gửi thư / SMTP user"),
            ("SMTP_PASSWORD", "Mật khẩu (không bao giờ được in ra) / password (never printed)"),
            ("SMTP_SECURITY", "ssl, starttls hoặc none"),
            ("SMTP_FROM", "Địa chỉ người gửi / From address"),
            (
                "COORDINATOR_EMAIL",
                "Người tổng hợp nhận bảng tổng hợp / the coordinator, who gets the workbook",
            ),
            (
                "LEADERSHIP_EMAIL",
                "Lãnh đạo nhận thư tóm tắt tháng (đọc được trên điện thoại), nhiều địa chỉ cách nhau bởi ; "
                "hoặc , / leadership, who get the month's summary mail; several addresses, ; or , separated",
            ),
        ),
    ),
    (
        "Báo cáo lên cấp trên (§16) / Roll-up to the upper plan",
        (
            (
                "UPPER_EMAIL",
                "Địa chỉ nhận báo cáo của Sở gửi cấp trên (baocao rollup --send) / where rollup --send mails "
                "the department's own report",
            ),
            (
                "ROLLUP_AFTER_COLLECT",
                "Đường dẫn mẫu báo cáo của cấp trên: mỗi lần tổng hợp xong thì điền vào (và gửi tới "
                "UPPER_EMAIL nếu có); để trống = không / the upper level's template to fill after each "
                "collect (and mail to UPPER_EMAIL if set); blank = off",
            ),
        ),
    ),
    (
        "Lịch chạy (§11), theo TIMEZONE / Schedule, in TIMEZONE",
        (
            ("POLL_MINUTES", "Chu kỳ kiểm tra thư và thư mục (phút) / poll interval in minutes"),
            (
                "TEMPLATES_DAY",
                "Ngày gửi mẫu báo cáo của kỳ cho các đơn vị (1–28) / day the period's templates are mailed",
            ),
            ("TEMPLATES_TIME", "Giờ gửi mẫu báo cáo (GG:PP) / templates time (HH:MM)"),
            (
                "REMIND_DAYS_BEFORE",
                "Nhắc đơn vị chưa nộp vào từng ngày làm việc trong số ngày làm việc cuối trước hạn "
                "(thứ Hai–thứ Sáu, trừ ngày nghỉ) / remind on each of the last N working days before the deadline",
            ),
            ("REMIND_TIME", "Giờ gửi nhắc (GG:PP) / reminder time (HH:MM)"),
            (
                "COLLECT_DAY",
                "Ngày tổng hợp (1–31; tháng ngắn hơn thì ngày cuối tháng); để trống = ngày hạn nộp / "
                "collect day (1–31, clamped to the month's end); blank = the submission day",
            ),
            ("COLLECT_TIME", "Giờ tổng hợp (GG:PP) / collect time (HH:MM)"),
            (
                "LATE_RECOLLECT_DAYS",
                "Số ngày tổng hợp lại sau đó để nhận tệp nộp muộn / daily re-collects after",
            ),
        ),
    ),
)


def env_example_text() -> str:
    """The text of ``.env.example`` (and of the ``.env`` that ``baocao init`` writes): every key, its default."""
    lines = [
        "# Cấu hình baocao — sao chép thành .env rồi sửa / baocao settings: copy to .env and edit.",
        "# Dòng để trống giá trị = dùng mặc định / an empty value means the default.",
    ]
    for title, keys in ENV_DOCS:
        lines += ["", f"# --- {title}"]
        for key, doc in keys:
            lines += [f"# {doc}", f"{key}={DEFAULTS[key]}"]
    return "\n".join(lines) + "\n"
