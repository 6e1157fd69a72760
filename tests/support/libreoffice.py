"""Convert files with real LibreOffice headless, the way a unit's "Save as" would."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tests.support import require_tool

# LibreOffice filter names per target extension (what "Save as" uses in Calc and Writer)
FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
    "docx": "docx:MS Word 2007 XML",
    "pdf": "pdf",
    "odt": "odt:writer8",
}


def convert(
    sources: list[Path] | Path, target: str, out_dir: Path, infilter: str | None = None, timeout: float = 240
) -> list[Path]:
    """Convert ``sources`` to ``target`` (xlsx, xls, ods, docx, pdf, odt) into ``out_dir`` in one soffice call.

    Each call uses its own throw-away profile, so parallel test runs never share a lock.
    Returns the converted paths in the order of ``sources``.
    """
    soffice = require_tool("soffice", "libreoffice")
    sources = [sources] if isinstance(sources, Path) else list(sources)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
        ]
        if infilter:
            command.append(f"--infilter={infilter}")
        command += ["--convert-to", FILTERS.get(target, target), "--outdir", str(out_dir), *map(str, sources)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    outputs = [out_dir / f"{source.stem}.{target}" for source in sources]
    missing = [p for p in outputs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}: {result.stdout} {result.stderr}")
    return outputs
