"""Real mail servers for the email tests (issue 6, SPEC §10): Dovecot IMAP, a TCP proxy that drops
connections, an aiosmtpd SMTP sink, and a builder for the emails units send.

Nothing here is mocked: ``Dovecot`` runs ``/usr/sbin/dovecot -F`` as a child process with its whole
configuration, sockets, state, log and mail in a private temporary directory, listening on 127.0.0.1 on
free ports; ``SmtpSink`` is aiosmtpd's ``Controller`` on 127.0.0.1. The pytest fixtures at the bottom
(``dovecot``, ``dovecot_tls``, ``drop_proxy``, ``smtp_sink``, ``mail_certificate``) are imported by
``tests/conftest.py``; they skip when Dovecot/openssl are missing and fail under ``BAOCAO_REQUIRE_ALL=1``.

Dovecot as root: mail processes may not run as root, so the mail user's uid/gid in the passwd-file is the
``dovecot`` system user's, the Maildir is owned by it, ``first_valid_uid = 1`` lets that uid through, and
login processes run as ``dovenull`` chrooted inside ``base_dir``. The temporary directory is made with
``tempfile.mkdtemp`` and chmod 0755 (pytest's ``tmp_path`` lives under the 0700 ``/tmp/pytest-of-root``,
which the unprivileged Dovecot processes could not traverse). Not root: everything runs as the current user.
"""

from __future__ import annotations

import contextlib
import email.utils
import grp
import imaplib
import mimetypes
import os
import pwd
import re
import select
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time
import unicodedata
import warnings
from base64 import b64encode
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.support import require_all, require_tool

HOST = "127.0.0.1"
IMAP_USER = "baocao@example.vn"
# Space, double quote, backslash, percent, '#': the client has to quote it properly (IMAP LOGIN, SMTP AUTH).
# ASCII only, because imaplib and smtplib encode credentials as ASCII. No ':' (the passwd-file separator).
IMAP_PASSWORD = 'Mk 2024 "p@ss" \\ 100%#!'
SMTP_USER = "guibaocao@example.vn"
SMTP_PASSWORD = 'Gui "s3cr3t" \\ 50% #1'
SMTP_FROM = "Văn phòng Sở <baocao@example.vn>"

VIETNAMESE_XLSX_NAME = "Báo cáo tháng 5 - Phòng Tổ chức.xlsx"
HOSTILE_XLSX_NAME = "../../etc/x.xlsx"
WINDOWS_HOSTILE_XLSX_NAME = "..\\..\\Windows\\x.xlsx"

START_TIMEOUT = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _private_dir(prefix: str) -> Path:
    """A fresh temporary directory the unprivileged Dovecot users can traverse."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def _wait_for_port(port: int, proc: subprocess.Popen | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.02)
    return False


def _group_alive(pgid: int) -> bool:
    """Whether any process of this process group is still running (zombies do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


# --------------------------------------------------------------------------------------------- TLS


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for CN=localhost, subjectAltName IP:127.0.0.1 and DNS:localhost."""

    cert_path: Path
    key_path: Path

    def trust_env(self) -> dict[str, str]:
        """Environment that makes ``ssl.create_default_context()`` trust this certificate (and only it)."""
        return {"SSL_CERT_FILE": str(self.cert_path)}

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert_path))


def make_certificate(directory: Path) -> Certificate:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("openssl is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    cert.chmod(0o644)
    return Certificate(cert, key)


# ------------------------------------------------------------------------------------------ Dovecot


@dataclass(frozen=True)
class StoredMessage:
    """One message as the server holds it (for assertions)."""

    uid: int
    internaldate: datetime
    flags: frozenset[str]
    size: int


_FETCH_SUMMARY = re.compile(
    rb"UID (?P<uid>\d+)|INTERNALDATE \"(?P<date>[^\"]+)\"|FLAGS \((?P<flags>[^)]*)\)|RFC822\.SIZE (?P<size>\d+)"
)


class Dovecot:
    """A real Dovecot IMAP server on 127.0.0.1 with one user and a Maildir, all under ``self.root``.

    ``tls=False``: plain IMAP on ``port`` (``ssl = no``). ``tls=True``: ``ssl = required``, implicit TLS
    on ``ssl_port`` and STARTTLS on ``port``; trust ``certificate.cert_path`` (e.g. ``SSL_CERT_FILE``).
    Use as a context manager, or ``start()`` / ``close()``.
    """

    def __init__(
        self,
        *,
        tls: bool = False,
        certificate: Certificate | None = None,
        user: str = IMAP_USER,
        password: str = IMAP_PASSWORD,
        binary: str | None = None,
    ) -> None:
        if ":" in password or ":" in user:
            raise ValueError("':' separates passwd-file fields")
        self.binary = binary or shutil.which("dovecot") or "/usr/sbin/dovecot"
        self.doveadm = shutil.which("doveadm") or "/usr/bin/doveadm"
        self.tls = tls
        self.host = HOST
        self.user = user
        self.password = password
        self.root = _private_dir("baocao-dovecot-")
        self.config_path = self.root / "dovecot.conf"
        self.log_path = self.root / "dovecot.log"
        self.stderr_path = self.root / "dovecot.stderr"
        self.home = self.root / "home"
        self.maildir = self.home / "Maildir"
        if tls and certificate is None:
            certificate = make_certificate(self.root / "tls")
        self.certificate = certificate if tls else None
        self.port = 0
        self.ssl_port: int | None = None
        self._proc: subprocess.Popen | None = None
        self._prepare()

    # -- set-up -------------------------------------------------------------------------------------

    @property
    def cert_path(self) -> Path | None:
        return self.certificate.cert_path if self.certificate else None

    def _accounts(self) -> tuple[str, str, int, int]:
        """(login user, internal user, mail uid, mail gid)."""
        if os.geteuid() == 0:
            mail = pwd.getpwnam("dovecot")
            return "dovenull", "dovecot", mail.pw_uid, mail.pw_gid
        me = pwd.getpwuid(os.geteuid())
        return me.pw_name, me.pw_name, me.pw_uid, os.getegid()

    def _prepare(self) -> None:
        _, _, uid, gid = self._accounts()
        for sub in ("run", "state"):
            (self.root / sub).mkdir()
        self.home.mkdir()
        if os.geteuid() == 0:
            os.chown(self.home, uid, gid)
        (self.root / "users").write_text(f"{self.user}:{{PLAIN}}{self.password}:{uid}:{gid}::{self.home}::\n")
        (self.root / "users").chmod(0o600)
        if os.geteuid() == 0:  # the auth process runs as default_internal_user (dovecot)
            os.chown(self.root / "users", uid, gid)

    def _write_config(self) -> None:
        login_user, internal_user, _, _ = self._accounts()
        root = self.root
        not_root = os.geteuid() != 0
        lines = [
            f"base_dir = {root}/run",
            f"state_dir = {root}/state",
            f"log_path = {self.log_path}",
            f"info_log_path = {self.log_path}",
            f"instance_name = baocao-test-{root.name}",
            "protocols = imap",
            f"listen = {HOST}",
            "auth_mechanisms = plain login",
            "disable_plaintext_auth = no",
            f"default_login_user = {login_user}",
            f"default_internal_user = {internal_user}",
            "first_valid_uid = 1",
            "first_valid_gid = 1",
            "mail_location = maildir:~/Maildir",
            "mail_fsync = never",
            "auth_failure_delay = 0",  # a wrong password is answered at once, not after 2 s
            "passdb {",
            "  driver = passwd-file",
            f"  args = scheme=PLAIN username_format=%u {root}/users",
            "}",
            "userdb {",
            "  driver = passwd-file",
            f"  args = username_format=%u {root}/users",
            "}",
        ]
        if self.tls:
            assert self.certificate is not None
            lines += [
                "ssl = required",
                f"ssl_cert = <{self.certificate.cert_path}",
                f"ssl_key = <{self.certificate.key_path}",
            ]
        else:
            lines.append("ssl = no")
        lines += [
            "service imap-login {",
            "  inet_listener imap {",
            f"    address = {HOST}",
            f"    port = {self.port}",
            "  }",
            "  inet_listener imaps {",
            f"    address = {HOST}",
            f"    port = {self.ssl_port or 0}",
            *(["    ssl = yes"] if self.tls else []),
            "  }",
        ]
        if not_root:
            lines.append("  chroot =")
        lines.append("}")
        if not_root:
            group = grp.getgrgid(os.getegid()).gr_name
            lines += [f"default_internal_group = {group}", "service anvil {", "  chroot =", "}"]
        self.config_path.write_text("\n".join(lines) + "\n")

    # -- life cycle ----------------------------------------------------------------------------------

    def start(self) -> Dovecot:
        """Start (or restart) the server; keeps the ports it had, picks free ones the first time."""
        if self._proc is not None:
            return self
        fixed_ports = self.port != 0
        for _attempt in range(3):
            if not fixed_ports:
                self.port = _free_port()
                self.ssl_port = _free_port() if self.tls else None
            self._write_config()
            with open(self.stderr_path, "ab") as err:
                self._proc = subprocess.Popen(
                    [self.binary, "-c", str(self.config_path), "-F"],
                    stdin=subprocess.DEVNULL,
                    stdout=err,
                    stderr=err,
                    start_new_session=True,
                )
            ports = [self.port] + ([self.ssl_port] if self.ssl_port else [])
            if all(_wait_for_port(p, self._proc, START_TIMEOUT) for p in ports):
                return self
            self._kill()
            if fixed_ports and "in use" not in self.diagnostics():
                break
            if fixed_ports:
                time.sleep(0.2)
        raise RuntimeError(f"Dovecot did not start on {HOST}:{self.port}\n{self.diagnostics()}")

    def stop(self) -> None:
        """Stop the server (the mail stays; ``start()`` brings it back on the same ports)."""
        self._kill()

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        # SIGTERM to the whole process group (master, auth, imap, ...) at once, so every mail process ends
        # cleanly. The master then often dawdles (it polls for its children's exit: 1-7 s), and it holds no
        # mail state, so after a short grace period the group gets SIGKILL.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=0.3)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        deadline = time.monotonic() + 5
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    def close(self) -> None:
        self._kill()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Dovecot:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def diagnostics(self) -> str:
        parts = []
        for path in (self.stderr_path, self.log_path):
            if path.exists():
                parts.append(f"--- {path.name}\n{path.read_text(errors='replace')}")
        return "\n".join(parts) or "(no Dovecot output)"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # -- settings ------------------------------------------------------------------------------------

    def settings_env(self, security: str | None = None) -> dict[str, str]:
        """The project's IMAP settings (SPEC §10) for this server.

        ``security`` defaults to ``none`` for a plain server and ``ssl`` for a TLS one; ``starttls`` uses
        ``port``. A TLS server's certificate must also be trusted, e.g. with ``trust_env()``.
        """
        security = security or ("ssl" if self.tls else "none")
        port = self.ssl_port if security == "ssl" else self.port
        if security == "ssl" and not self.tls:
            raise ValueError("this Dovecot has no TLS listener")
        return {
            "IMAP_HOST": self.host,
            "IMAP_PORT": str(port),
            "IMAP_USER": self.user,
            "IMAP_PASSWORD": self.password,
            "IMAP_SECURITY": security,
            "IMAP_FOLDER": "INBOX",
        }

    def trust_env(self) -> dict[str, str]:
        if self.certificate is None:
            return {}
        return self.certificate.trust_env()

    # -- IMAP helpers (for arranging and asserting; the product under test has its own client) ---------

    def connect(self, *, security: str | None = None, timeout: float = 10) -> imaplib.IMAP4:
        """A logged-in ``imaplib`` connection (certificate trusted explicitly, not via the environment)."""
        security = security or ("ssl" if self.tls else "none")
        if security == "ssl":
            assert self.ssl_port and self.certificate
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                self.host, self.ssl_port, ssl_context=self.certificate.context(), timeout=timeout
            )
        else:
            conn = imaplib.IMAP4(self.host, self.port, timeout=timeout)
            if security == "starttls":
                assert self.certificate
                conn.starttls(ssl_context=self.certificate.context())
        conn.login(self.user, self.password)
        return conn

    @contextlib.contextmanager
    def session(self, **kwargs: object) -> Iterator[imaplib.IMAP4]:
        conn = self.connect(**kwargs)  # type: ignore[arg-type]
        try:
            yield conn
        finally:
            with contextlib.suppress(Exception):
                conn.logout()

    @staticmethod
    def _append_one(
        conn: imaplib.IMAP4, folder: str, message: bytes, internaldate: datetime, flags: str = ""
    ) -> int:
        if internaldate.tzinfo is None:
            raise ValueError("internaldate must be timezone-aware (INTERNALDATE carries its offset)")
        flags = flags.strip()
        if flags and not flags.startswith("("):
            flags = f"({flags})"
        typ, data = conn.append(folder, flags or None, imaplib.Time2Internaldate(internaldate), message)
        if typ != "OK":
            raise RuntimeError(f"APPEND failed: {typ} {data!r}")
        found = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
        if not found:
            raise RuntimeError(f"no APPENDUID in {data!r}")
        return int(found.group(1))

    def append(self, message: bytes, internaldate: datetime, flags: str = "", folder: str = "INBOX") -> int:
        """APPEND one message with this INTERNALDATE (aware datetime) and flags (e.g. ``\\Seen``); its UID."""
        with self.session() as conn:
            return self._append_one(conn, folder, message, internaldate, flags)

    def append_many(
        self, messages: Iterable[tuple[bytes, datetime] | tuple[bytes, datetime, str]], folder: str = "INBOX"
    ) -> list[int]:
        """APPEND each ``(message, internaldate[, flags])`` over one connection; their UIDs in order."""
        with self.session() as conn:
            return [self._append_one(conn, folder, *item) for item in messages]

    def create_folder(self, folder: str) -> None:
        with self.session() as conn:
            typ, data = conn.create(folder)
            if typ != "OK":
                raise RuntimeError(f"CREATE failed: {data!r}")

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.session() as conn:
            typ, data = conn.status(folder, "(UIDVALIDITY)")
        found = re.search(rb"UIDVALIDITY (\d+)", data[0] or b"") if typ == "OK" else None
        if not found:
            raise RuntimeError(f"STATUS failed: {typ} {data!r}")
        return int(found.group(1))

    def messages(self, folder: str = "INBOX") -> list[StoredMessage]:
        """Every message's UID, INTERNALDATE, flags and size, read without changing any flag."""
        with self.session() as conn:
            conn.select(folder, readonly=True)
            _, data = conn.uid("FETCH", "1:*", "(UID INTERNALDATE FLAGS RFC822.SIZE)")
        result = []
        for item in data:
            if not isinstance(item, bytes) or b"UID " not in item:
                continue
            fields: dict[str, bytes] = {}
            for match in _FETCH_SUMMARY.finditer(item):
                fields.update({k: v for k, v in match.groupdict().items() if v is not None})
            result.append(
                StoredMessage(
                    uid=int(fields["uid"]),
                    internaldate=datetime.strptime(fields["date"].decode(), "%d-%b-%Y %H:%M:%S %z"),
                    flags=frozenset(fields.get("flags", b"").decode().split()) - {"\\Recent"},
                    size=int(fields["size"]),
                )
            )
        return sorted(result, key=lambda m: m.uid)

    def flags(self, folder: str = "INBOX") -> dict[int, frozenset[str]]:
        return {m.uid: m.flags for m in self.messages(folder)}

    def unseen_count(self, folder: str = "INBOX") -> int:
        """How many messages are not ``\\Seen`` (a fetch must not mark them read)."""
        return sum("\\Seen" not in flags for flags in self.flags(folder).values())

    def _doveadm(self, *args: str) -> str:
        done = subprocess.run(
            [self.doveadm, "-c", str(self.config_path), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed: {done.stderr}{done.stdout}")
        return done.stdout

    def change_uidvalidity(
        self, new: int | None = None, *, renumber: bool = False, folder: str = "INBOX"
    ) -> int:
        """Give the folder a new UIDVALIDITY (as after a server migration or a recreated mailbox).

        ``renumber=False``: ``doveadm mailbox update --uid-validity`` while the server runs; the messages
        keep their UIDs. ``renumber=True``: stop the server, delete the folder's ``dovecot-uidlist`` and
        index files, start again: Dovecot rescans the Maildir, hands out a fresh UIDVALIDITY and numbers
        the messages again from UID 1 (INTERNALDATE and flags survive: they live in the Maildir files'
        mtime and names). ``new`` (if given) is then set with doveadm. Returns the new UIDVALIDITY.
        """
        old = self.uidvalidity(folder)
        if renumber:
            self.stop()
            box = self.maildir if folder.upper() == "INBOX" else self.maildir / f".{folder}"
            for path in box.iterdir():
                if path.name == "dovecot-uidlist" or path.name.startswith("dovecot.index"):
                    path.unlink()
            for path in self.maildir.glob("dovecot.list.index*"):
                path.unlink()
            self.start()
            if new is None and self.uidvalidity(folder) == old:
                new = old + 1
        elif new is None:
            new = old + 1
        if new is not None:
            self._doveadm("mailbox", "update", "-u", self.user, "--uid-validity", str(new), folder)
        current = self.uidvalidity(folder)
        assert current != old, "UIDVALIDITY did not change"
        return current


# ----------------------------------------------------------------------------------------- DropProxy


FETCH_RESPONSE = rb"\* \d+ FETCH "
BODY_LITERAL = rb"BODY\[[^\]]*\](?:<\d+>)? \{\d+\}\r\n"


@dataclass
class _Cut:
    pattern: re.Pattern[bytes] | None  # None: count bytes only
    occurrence: int
    extra: int
    times: int
    reset: bool
    stall: bool


class DropProxy:
    """A TCP proxy on 127.0.0.1 (one thread per connection) that forwards to an IMAP server and, when told
    to, cuts a connection part-way through what the server sends.

    ``cut_after_bytes(n)``: the client gets exactly the first ``n`` bytes the server sends on a connection
    (greeting included), then the connection closes. ``cut_in_fetch(n, extra)``: closes ``extra`` bytes
    after the start of the server's ``n``-th untagged ``* k FETCH`` response on that connection.
    ``cut_in_body(n, extra)``: ``extra`` bytes into the ``n``-th ``BODY[...] {size}`` literal (a message
    being downloaded). Each rule cuts ``times`` connections (default 1), later ones pass untouched;
    ``reset=True`` sends a TCP RST instead of a clean close; ``stall=True`` stops forwarding but keeps the
    connection open (a silent network), until ``heal()`` or ``close()``.
    """

    def __init__(self, target: Dovecot | tuple[str, int]) -> None:
        if isinstance(target, Dovecot):
            self._server: Dovecot | None = target
            port = target.ssl_port if target.tls else target.port
            self.target = (target.host, int(port or 0))
        else:
            self._server = None
            self.target = target
        self._listener = socket.create_server((HOST, 0))
        self._listener.settimeout(0.2)
        self.host = HOST
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._cut: _Cut | None = None
        self._closing = threading.Event()
        self._healed = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self.connections = 0
        self.cuts = 0
        self._accept_thread = threading.Thread(target=self._accept_loop, name="DropProxy", daemon=True)
        self._accept_thread.start()

    # -- rules -------------------------------------------------------------------------------------

    def _arm(self, cut: _Cut) -> None:
        with self._lock:
            self._cut = cut
            self._healed.clear()

    def cut_after_bytes(self, n: int, *, times: int = 1, reset: bool = False, stall: bool = False) -> None:
        self._arm(_Cut(None, 0, n, times, reset, stall))

    def cut_on(
        self,
        pattern: bytes,
        occurrence: int = 1,
        extra: int = 0,
        *,
        times: int = 1,
        reset: bool = False,
        stall: bool = False,
    ) -> None:
        """Cut ``extra`` bytes after the end of the ``occurrence``-th match of the regex ``pattern``."""
        self._arm(_Cut(re.compile(pattern), occurrence, extra, times, reset, stall))

    def cut_in_fetch(self, n: int = 1, extra: int = 16, **kwargs: object) -> None:
        self.cut_on(FETCH_RESPONSE, n, extra, **kwargs)  # type: ignore[arg-type]

    def cut_in_body(self, n: int = 1, extra: int = 100, **kwargs: object) -> None:
        self.cut_on(BODY_LITERAL, n, extra, **kwargs)  # type: ignore[arg-type]

    def heal(self) -> None:
        """No more cuts; stalled connections are closed."""
        with self._lock:
            self._cut = None
        self._healed.set()

    # -- settings ------------------------------------------------------------------------------------

    def settings_env(self, security: str | None = None) -> dict[str, str]:
        if self._server is None:
            raise ValueError("settings_env needs a Dovecot target")
        env = self._server.settings_env(security or ("ssl" if self._server.tls else "none"))
        env["IMAP_PORT"] = str(self.port)
        return env

    # -- plumbing ------------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=10)
        except OSError:
            client.close()
            return
        self._sockets.update((client, upstream))
        try:
            self._pump(client, upstream)
        finally:
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.close()
                self._sockets.discard(sock)

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        sent = 0  # bytes server -> client on this connection
        tail = b""  # the last bytes already scanned, so a match split across reads is still seen
        matches = 0
        cut_at: int | None = None
        while not self._closing.is_set():
            readable, _, _ = select.select([client, upstream], [], [], 0.2)
            for sock in readable:
                try:
                    data = sock.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                if sock is client:
                    upstream.sendall(data)
                    continue
                with self._lock:
                    cut = self._cut
                if cut is None:
                    client.sendall(data)
                    sent += len(data)
                    tail = (tail + data)[-256:]
                    continue
                if cut.pattern is None:
                    cut_at = cut.extra
                elif cut_at is None:
                    window = tail + data
                    base = sent - len(tail)
                    for match in cut.pattern.finditer(window):
                        if match.end() <= len(tail):
                            continue  # counted in an earlier read
                        matches += 1
                        if matches == cut.occurrence:
                            cut_at = base + match.end() + cut.extra
                            break
                    tail = window[-256:]
                if cut_at is not None and sent + len(data) >= cut_at:
                    head = data[: max(0, cut_at - sent)]
                    client.sendall(head)
                    if self._do_cut(cut, client):
                        return
                    cut_at = None  # the rule was used up by another connection: pass the rest on
                    data = data[len(head) :]
                    sent += len(head)
                client.sendall(data)
                sent += len(data)

    def _do_cut(self, cut: _Cut, client: socket.socket) -> bool:
        with self._lock:
            if self._cut is not cut or cut.times <= 0:
                return False
            cut.times -= 1
            if cut.times == 0:
                self._cut = None
            self.cuts += 1
        if cut.stall:
            while not (self._closing.is_set() or self._healed.is_set()):
                self._healed.wait(0.2)
        if cut.reset:
            with contextlib.suppress(OSError):
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return True

    def close(self) -> None:
        self._closing.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._accept_thread.join(timeout=2)
        for thread in self._threads:
            thread.join(timeout=2)

    def __enter__(self) -> DropProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------------------------------ SmtpSink


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage
    login: str | None = None

    @property
    def to(self) -> list[str]:
        return self.rcpt_tos

    @property
    def raw(self) -> bytes:
        return self.data

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""  # type: ignore[union-attr]

    def attachments(self) -> list[tuple[str, bytes]]:
        return [(part.get_filename() or "", part.get_content()) for part in self.message.iter_attachments()]


@dataclass
class _SinkState:
    messages: list[ReceivedMail] = field(default_factory=list)
    logins: list[tuple[str, str, bool]] = field(default_factory=list)
    fail_replies: list[str] = field(default_factory=list)


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts in ``messages``.

    ``auth=True`` (default): AUTH PLAIN/LOGIN without TLS is offered and required, with ``user`` /
    ``password``. ``stop()`` makes the port refuse connections, ``start()`` brings it back on the same
    port; ``fail_next(n, reply)`` answers the next ``n`` DATA commands with a temporary failure.
    """

    def __init__(
        self,
        *,
        auth: bool = True,
        user: str = SMTP_USER,
        password: str = SMTP_PASSWORD,
        sender: str = SMTP_FROM,
        data_size_limit: int = 80 * 1024 * 1024,
        certificate: Certificate | None = None,
        security: str = "none",
    ) -> None:
        """``security``: "none", "starttls" (STARTTLS required before AUTH) or "ssl" (implicit TLS), the
        last two with ``certificate``."""
        if security != "none" and certificate is None:
            raise ValueError("a TLS sink needs a certificate")
        self.certificate = certificate
        self.security = security
        self.host = HOST
        self.port = _free_port()
        self.auth = auth
        self.user = user
        self.password = password
        self.sender = sender
        self.data_size_limit = data_size_limit
        self._state = _SinkState()
        self._lock = threading.Lock()
        self._controller = None

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._state.messages)

    @property
    def logins(self) -> list[tuple[str, str, bool]]:
        """(mechanism, login, accepted) for every AUTH."""
        with self._lock:
            return list(self._state.logins)

    def clear(self) -> None:
        with self._lock:
            self._state.messages.clear()
            self._state.logins.clear()

    def fail_next(self, n: int = 1, reply: str = "451 4.3.0 Tạm thời không nhận thư") -> None:
        with self._lock:
            self._state.fail_replies.extend([reply] * n)

    def settings_env(self) -> dict[str, str]:
        return {
            "SMTP_HOST": self.host,
            "SMTP_PORT": str(self.port),
            "SMTP_USER": self.user if self.auth else "",
            "SMTP_PASSWORD": self.password if self.auth else "",
            "SMTP_SECURITY": self.security,
            "SMTP_FROM": self.sender,
        }

    # -- aiosmtpd hooks ----------------------------------------------------------------------------

    def _authenticator(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        ok = login == self.user and auth_data.password.decode("utf-8", "replace") == self.password
        with self._lock:
            self._state.logins.append((mechanism, login, ok))
        if not ok:  # handled=False: aiosmtpd itself answers 535 (handled=True would leave the client hanging)
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=login)

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            if self._state.fail_replies:
                return self._state.fail_replies.pop(0)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        from email import message_from_bytes

        message = message_from_bytes(raw, policy=policy.default)
        login = session.auth_data if isinstance(session.auth_data, str) else None
        received = ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), raw, message, login)  # type: ignore[arg-type]
        with self._lock:
            self._state.messages.append(received)
        return "250 OK"

    # -- life cycle ----------------------------------------------------------------------------------

    def start(self) -> SmtpSink:
        if self._controller is not None:
            return self
        from aiosmtpd.controller import Controller

        kwargs: dict[str, object] = {
            "hostname": self.host,
            "port": self.port,
            "data_size_limit": self.data_size_limit,
            "enable_SMTPUTF8": True,
            "decode_data": False,
            "ready_timeout": START_TIMEOUT,
        }
        if self.auth:
            kwargs.update(
                authenticator=self._authenticator,
                auth_required=True,
                auth_require_tls=self.security == "starttls",
            )
        if self.certificate is not None:
            server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_context.load_cert_chain(str(self.certificate.cert_path), str(self.certificate.key_path))
            if self.security == "ssl":
                kwargs["ssl_context"] = server_context
                kwargs["server_hostname"] = "localhost"
            else:
                kwargs.update(tls_context=server_context, require_starttls=True)
        # We require AUTH without TLS on purpose (SMTP_SECURITY=none in tests); aiosmtpd warns per connection.
        warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS", UserWarning)
        controller = Controller(self, **kwargs)
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    close = stop

    @property
    def running(self) -> bool:
        return self._controller is not None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ------------------------------------------------------------------------------------- unit emails


_CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _content_type(filename: str) -> tuple[str, str]:
    ext = os.path.splitext(filename.replace("\\", "/"))[1].lower()
    ctype = _CONTENT_TYPES.get(ext) or mimetypes.guess_type("x" + ext)[0] or "application/octet-stream"
    if ctype == "text/csv":
        ctype = "application/octet-stream"  # keep the bytes as given (no charset re-encoding)
    maintype, subtype = ctype.split("/", 1)
    return maintype, subtype


def _encoded_words(text: str) -> str:
    """``text`` as RFC 2047 B encoded words of at most 75 characters, folded the way Outlook/Thunderbird
    fold a long quoted ``filename`` (CRLF + space between words)."""
    words, chunk = [], b""
    for char in text:
        encoded = char.encode("utf-8")
        if len(b64encode(chunk + encoded)) > 75 - len("=?utf-8?B??="):
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?B?{b64encode(w).decode()}?=" for w in words)


def unit_mail(
    sender: str,
    subject: str,
    attachments: Iterable[tuple[str, bytes]] = (),
    date: datetime | None = None,
    *,
    to: str = IMAP_USER,
    body: str = "Kính gửi Văn phòng Sở,\n\nĐơn vị xin gửi báo cáo tháng theo mẫu.\n\nTrân trọng.\n",
    filename_style: str = "rfc2231",
    outlook: bool = False,
    normalization: str = "NFC",
    message_id: str | None = None,
) -> bytes:
    """An email as a unit sends it: text body plus spreadsheet attachments, CRLF line endings.

    ``filename_style``: ``rfc2231`` (Python/Thunderbird/Gmail: ``filename*=utf-8''B%C3%A1o...``),
    ``rfc2047`` (Outlook: encoded words inside a quoted ``filename="=?utf-8?B?...?="`` and Content-Type
    ``name=``, built by hand) or ``utf8`` (raw UTF-8 bytes inside the quotes, as some webmails send).
    ``outlook=True`` is short for ``filename_style="rfc2047"``. ``normalization``: ``NFC`` or ``NFD``
    (macOS sends decomposed names). ASCII names are quoted as is in every style (``HOSTILE_XLSX_NAME``
    stays ``"../../etc/x.xlsx"``).
    """
    if outlook:
        filename_style = "rfc2047"
    if filename_style not in ("rfc2231", "rfc2047", "utf8"):
        raise ValueError(f"unknown filename_style {filename_style!r}")
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = message_id or email.utils.make_msgid(domain="example.vn")
    msg.set_content(body)
    replacements: dict[bytes, bytes] = {}
    for index, (filename, data) in enumerate(attachments):
        name = unicodedata.normalize(normalization, filename)
        maintype, subtype = _content_type(name)
        hand_made = filename_style != "rfc2231" and not name.isascii()
        if hand_made:
            placeholder = f"BAOCAO-FILENAME-PLACEHOLDER-{index}"
            if filename_style == "rfc2047":
                replacements[placeholder.encode()] = _encoded_words(name).encode("ascii")
            else:
                replacements[placeholder.encode()] = name.encode("utf-8")
            shown = placeholder
        else:
            shown = name
        msg.add_attachment(data, maintype, subtype, filename=shown, params={"name": shown})
    # 100, not 78: at 78 the stdlib folds "application/vnd.openxmlformats-...sheet;" next to an RFC 2231
    # parameter into encoded words, which breaks the Content-Type. Real mailers also exceed 78 here.
    raw = msg.as_bytes(policy=msg.policy.clone(max_line_length=100))
    for placeholder, value in replacements.items():
        assert raw.count(b'"' + placeholder + b'"') == 2, "placeholder not quoted as expected"
        raw = raw.replace(placeholder, value)
    return raw


# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def mail_certificate() -> Iterator[Certificate]:
    """One self-signed certificate per test session (RSA key generation takes most of a second)."""
    require_tool("openssl")
    directory = _private_dir("baocao-cert-")
    try:
        yield make_certificate(directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def require_dovecot() -> None:
    """Skip (fail under BAOCAO_REQUIRE_ALL=1) unless Dovecot and doveadm are installed."""
    require_tool("dovecot", "/usr/sbin/dovecot")
    require_tool("doveadm", "/usr/bin/doveadm")


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A fresh plain-IMAP Dovecot (``ssl = no``) with an empty INBOX, stopped and removed afterwards."""
    require_dovecot()
    with Dovecot() as server:
        yield server


@pytest.fixture
def dovecot_tls(mail_certificate: Certificate) -> Iterator[Dovecot]:
    """A fresh Dovecot with ``ssl = required``: implicit TLS on ``ssl_port``, STARTTLS on ``port``."""
    require_dovecot()
    with Dovecot(tls=True, certificate=mail_certificate) as server:
        yield server


@pytest.fixture
def drop_proxy(dovecot: Dovecot) -> Iterator[DropProxy]:
    """A ``DropProxy`` in front of the ``dovecot`` fixture's server; its ``settings_env()`` points at it."""
    with DropProxy(dovecot) as proxy:
        yield proxy


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A running ``SmtpSink`` requiring AUTH (user/password in its ``settings_env()``)."""
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        if require_all():
            pytest.fail("aiosmtpd is not installed and BAOCAO_REQUIRE_ALL=1: pip install -e '.[test]'")
        pytest.skip("aiosmtpd is not installed")
    with SmtpSink() as sink:
        yield sink
