"""A ``.env`` saved in another encoding or with a mistyped key, and a disk that is full, read-only or not
ours (SPEC §12): one Vietnamese line with the path and the remedy, never a traceback."""

from __future__ import annotations

import errno
import os
import unicodedata
from pathlib import Path

import pytest

from automation.cli import main
from automation.errors import InputError
from automation.i18n import messages
from automation.settings import Settings, decode_env

FOLDER = "hộp thư đến"  # a value only a Vietnamese encoding can carry


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "ws")]) == 0
    return tmp_path / "ws"


def cp1258(text: str) -> bytes:
    """``text`` as Windows writes it in cp1258: a precomposed letter where the code page has one (ô, ă, ơ),
    followed by a combining tone mark (Python's codec does not compose, so this is done here)."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in list(marks):  # fold one mark into the base when the code page has that letter
            letter = unicodedata.normalize("NFC", base + mark)
            if len(letter) == 1 and letter.encode("cp1258", "ignore"):
                base = letter
                marks.remove(mark)
                break
        out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return out


def _env(workspace: Path, data: bytes) -> Path:
    path = workspace / ".env"
    path.write_bytes(data)
    return path


ENV_TEXT = f"INBOX_DIR={FOLDER}\nSUBMIT_BEFORE_DAY=12\n"


@pytest.mark.parametrize(
    "encoded",
    [
        ENV_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + ENV_TEXT.encode("utf-8"),
        b"\xff\xfe" + ENV_TEXT.encode("utf-16-le"),
        b"\xfe\xff" + ENV_TEXT.encode("utf-16-be"),
        ENV_TEXT.encode("utf-16-le"),  # no BOM: told by its zero bytes
        cp1258(ENV_TEXT),  # Windows "ANSI" on a Vietnamese system
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le", "cp1258"],
)
def test_env_is_read_in_the_encoding_it_was_saved_in(workspace: Path, encoded: bytes):
    _env(workspace, encoded)
    settings = Settings.load(workspace)
    assert settings.inbox_dir == workspace.resolve() / FOLDER
    assert settings.submit_before_day == 12
    assert settings.warnings == ()


def test_cp1258_tone_marks_are_composed_to_nfc():
    # cp1258 writes "ộ" as "ô" + a combining dot below: the value must equal the NFC text typed
    assert cp1258("ộ") == b"\xf4\xf2"  # ô, then the combining dot below
    assert decode_env(cp1258(f"INBOX_DIR={FOLDER}")) == f"INBOX_DIR={FOLDER}"


def test_env_that_is_no_text_is_refused_with_one_line_naming_it(workspace: Path):
    path = _env(workspace, b"\x00\x01\x02\x03binary\x81\x8d")
    with pytest.raises(InputError) as refused:
        Settings.load(workspace)
    assert refused.value.message == (
        f"tệp cấu hình {path} không phải văn bản đọc được (mã hoá lạ hoặc tệp hỏng). Hãy mở tệp bằng "
        "Notepad, chọn Lưu thành (Save As) với Mã hoá (Encoding) UTF-8, hoặc chép lại từ .env.example"
    )


def test_a_bad_env_is_one_line_on_the_command_line(workspace: Path, capsys):
    path = _env(workspace, b"\x00\x01\x02\x03")
    capsys.readouterr()
    assert main(["templates", "--workspace", str(workspace)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"Lỗi: tệp cấu hình {path} không phải văn bản đọc được (mã hoá lạ hoặc tệp hỏng). "
        "Hãy mở tệp bằng Notepad, chọn Lưu thành (Save As) với Mã hoá (Encoding) UTF-8, "
        "hoặc chép lại từ .env.example"
    ]


def test_an_unknown_key_warns_with_the_closest_known_key(workspace: Path):
    path = _env(workspace, b"SUBMIT_BEFOR_DAY=12\nCOLOUR=blue\n")
    settings = Settings.load(workspace)
    assert settings.submit_before_day is None  # the mistyped key is not taken
    assert settings.warnings == (
        f'{path}: không có thiết lập "SUBMIT_BEFOR_DAY" (bị bỏ qua). Có phải ý bạn là "SUBMIT_BEFORE_DAY"?',
        f'{path}: không có thiết lập "COLOUR" (bị bỏ qua). Xem các thiết lập có trong .env.example',
    )


def test_a_line_that_is_not_key_value_is_a_warning_not_dotenvs_english(workspace: Path, capsys):
    path = _env(workspace, b"SUBMIT_BEFORE_DAY=12\nthis is not a setting\n")
    settings = Settings.load(workspace)
    assert settings.submit_before_day == 12
    assert settings.warnings == (f"dòng 2 của {path} không đúng dạng KHÓA=giá trị nên bị bỏ qua",)
    assert "python-dotenv" not in capsys.readouterr().err


def test_the_cli_prints_each_env_warning_once_on_stderr(workspace: Path, capsys):
    path = _env(workspace, b"SUBMIT_BEFOR_DAY=12\n")
    capsys.readouterr()
    assert main(["plan", "check", "--workspace", str(workspace)]) == 0
    captured = capsys.readouterr()
    warning = f'Cảnh báo: {path}: không có thiết lập "SUBMIT_BEFOR_DAY" (bị bỏ qua). Có phải ý bạn là "SUBMIT_BEFORE_DAY"?'
    assert captured.err.splitlines().count(warning) == 1
    assert warning not in captured.out


def test_env_warnings_read_in_english_with_language_en(workspace: Path):
    path = _env(workspace, b"LANGUAGE=en\nSUBMIT_BEFOR_DAY=12\n")
    messages.set_language("en")
    assert Settings.load(workspace).warnings == (
        f'{path}: there is no setting "SUBMIT_BEFOR_DAY" (ignored). Did you mean "SUBMIT_BEFORE_DAY"?',
    )


# --- the disk: full, read-only, not ours -----------------------------------------------------------------


DISK_LINES = {
    errno.ENOSPC: "Lỗi: ổ đĩa chứa {path} đã đầy. Hãy giải phóng dung lượng (xoá bớt tệp hoặc chuyển thư mục làm "
    "việc sang ổ khác) rồi chạy lại lệnh.",
    errno.EACCES: "Lỗi: không có quyền đọc/ghi {path}. Hãy đóng tệp nếu đang mở trong Excel, hoặc cấp quyền cho "
    "tài khoản đang chạy baocao, rồi chạy lại lệnh.",
    errno.EPERM: "Lỗi: không có quyền đọc/ghi {path}. Hãy đóng tệp nếu đang mở trong Excel, hoặc cấp quyền cho "
    "tài khoản đang chạy baocao, rồi chạy lại lệnh.",
    errno.EROFS: "Lỗi: {path} nằm trên ổ đĩa chỉ đọc. Hãy dùng thư mục làm việc trên ổ ghi được (--workspace), "
    "hoặc sửa OUTBOX_DIR/STATE_DIR trong .env, rồi chạy lại lệnh.",
}


def _failing_replace(code: int, targets: list[str] | None = None):
    def replace(source, target, *args, **kwargs):
        if targets is not None:
            targets.append(os.fspath(target))
        raise OSError(code, os.strerror(code), os.fspath(target))

    return replace


@pytest.mark.parametrize("code", sorted(DISK_LINES), ids=lambda c: errno.errorcode[c])
def test_a_disk_error_while_collecting_is_one_line_with_the_path_and_the_remedy(
    workspace, capsys, monkeypatch, code
):
    targets: list[str] = []
    monkeypatch.setattr(os, "replace", _failing_replace(code, targets))  # every output: written, renamed
    capsys.readouterr()
    assert (
        main(["collect", "--workspace", str(workspace), "--period", "2025-05", "--as-of", "2025-05-20"]) == 1
    )
    assert capsys.readouterr().err.splitlines() == [DISK_LINES[code].format(path=targets[0])]
    assert targets[0].startswith(str(workspace.resolve()))


def test_a_disk_error_while_writing_templates_names_the_template_in_vietnamese(
    workspace, capsys, monkeypatch
):
    monkeypatch.setattr(os, "replace", _failing_replace(errno.ENOSPC))
    capsys.readouterr()
    assert main(["templates", "--workspace", str(workspace), "--period", "2025-05"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    path = workspace.resolve() / "outbox" / "2025-05" / "mau" / "TDKT_2025-05.xlsx"
    assert (
        line
        == f"Lỗi: không ghi được mẫu báo cáo {path}: ổ đĩa đã đầy; hãy giải phóng dung lượng rồi chạy lại"
    )


def test_a_disk_error_without_a_path_still_says_what_to_do(workspace, capsys, monkeypatch):
    def no_path(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_path)
    capsys.readouterr()
    assert (
        main(["collect", "--workspace", str(workspace), "--period", "2025-05", "--as-of", "2025-05-20"]) == 1
    )
    assert capsys.readouterr().err.splitlines() == [
        "Lỗi: ổ đĩa chứa (không rõ đường dẫn) đã đầy. Hãy giải phóng dung lượng (xoá bớt tệp hoặc chuyển thư "
        "mục làm việc sang ổ khác) rồi chạy lại lệnh."
    ]


def test_debug_still_shows_the_traceback(workspace, capsys, monkeypatch):
    monkeypatch.setattr(os, "replace", _failing_replace(errno.ENOSPC))
    capsys.readouterr()
    args = [
        "collect",
        "--workspace",
        str(workspace),
        "--period",
        "2025-05",
        "--as-of",
        "2025-05-20",
        "--debug",
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "đã đầy" in err.splitlines()[-1]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores a folder's permissions")
def test_a_real_read_only_outbox_is_one_line(workspace, capsys):
    outbox = workspace / "outbox"
    outbox.chmod(0o555)
    try:
        capsys.readouterr()
        assert main(["templates", "--workspace", str(workspace), "--period", "2025-05"]) == 1
        [line] = capsys.readouterr().err.splitlines()
        assert line.startswith("Lỗi: ") and "không có quyền" in line and str(outbox) in line
    finally:
        outbox.chmod(0o755)
